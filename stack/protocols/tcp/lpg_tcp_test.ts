import assert from "node:assert/strict";
import { validateGraph } from "../../graph/validate.ts";
import { parseIpv4 } from "../../packet/addr.ts";
import { buildTcpFrame, ChecksumMode } from "../../packet/build.ts";
import { FrameInfo } from "../../packet/frame_info.ts";
import { parseFrame } from "../../packet/parse.ts";
import { TcpFlag } from "../../packet/tcp.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../packet/verify.ts";
import { ECHO_ENDPOINT } from "../_testing.ts";
import { buildLpg } from "../lpg.ts";
import { TcpCounter } from "./counters.ts";
import { LpgHost } from "./lpg_host.ts";
import { TCP_ENGINE_NODE, withTcp } from "./lpg_tcp.ts";

const LOCAL = "10.0.0.1";
const PEER = "10.0.0.2";
const LOCAL_MAC = new Uint8Array([2, 0, 0, 0, 0, 1]);
const PEER_MAC = new Uint8Array([2, 0, 0, 0, 0, 2]);

function host(mode: "compiled" | "interpreter"): LpgHost {
  const h = new LpgHost({
    lpg: { localIp: LOCAL, localMac: "02:00:00:00:00:01" },
    endpoints: [ECHO_ENDPOINT],
    mode,
    buffers: 64,
    tcp: { clock: () => 0, isn: () => 1000 },
  });
  h.env.arpInsert(parseIpv4(PEER) >>> 0, 0x0200, 0x00000002);
  return h;
}

function seg(
  flags: number,
  opts: { dstPort?: number; dstIp?: string; payload?: string } = {},
): Uint8Array {
  const out = new Uint8Array(256);
  const n = buildTcpFrame(out, 0, {
    dstMac: LOCAL_MAC,
    srcMac: PEER_MAC,
    srcIp: parseIpv4(PEER),
    dstIp: parseIpv4(opts.dstIp ?? LOCAL),
    srcPort: 40000,
    dstPort: opts.dstPort ?? 80,
    seq: 77,
    flags,
    payload: new TextEncoder().encode(opts.payload ?? ""),
    l4Checksum: ChecksumMode.Full,
  });
  return out.slice(0, n);
}

function run(h: LpgHost, frame: Uint8Array): Uint8Array[] {
  h.receive(frame);
  h.drain();
  const out: Uint8Array[] = [];
  h.takeTx((b, o, n) => out.push(b.slice(o, o + n)));
  return out;
}

Deno.test("withTcp", async (t) => {
  await t.step("adds valid TCP nodes and keeps every LPG node and edge", () => {
    const lpg = buildLpg([ECHO_ENDPOINT]);
    const g = withTcp(lpg);
    assert.deepEqual(validateGraph(g), []);
    assert.deepEqual(g.nodes.slice(0, lpg.nodes.length), lpg.nodes);
    assert.deepEqual(g.edges.slice(0, lpg.edges.length), lpg.edges);
    assert.equal(g.nodes.length, lpg.nodes.length + 4);
  });
  await t.step("refuses a graph without the IPv4 nodes or with TCP already", () => {
    const lpg = buildLpg([ECHO_ENDPOINT]);
    assert.throws(
      () => withTcp({ ...lpg, nodes: lpg.nodes.filter((n) => n.id !== "rx.ipv4.classify") }),
      /has no node rx\.ipv4\.classify/,
    );
    assert.throws(() => withTcp(withTcp(lpg)), new RegExp(`has node ${TCP_ENGINE_NODE} already`));
  });
});

Deno.test("TCP through the LPG", async (t) => {
  for (const mode of ["compiled", "interpreter"] as const) {
    await t.step(`a SYN to a listener is answered by a SYN-ACK frame (${mode})`, () => {
      const h = host(mode);
      h.engine.listen(80);
      const out = run(h, seg(TcpFlag.SYN));
      assert.equal(out.length, 1);
      const f = out[0] ?? new Uint8Array();
      const info = new FrameInfo();
      assert.equal(parseFrame(f, 0, f.length, info), 0);
      assert.equal(verifyIpv4HeaderChecksum(f, info), 0);
      assert.equal(verifyL4Checksum(f, info), 0);
      assert.equal(info.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK), TcpFlag.SYN | TcpFlag.ACK);
      assert.deepEqual([info.tcpSeq, info.tcpAck, info.dstPort, info.srcPort], [
        1000,
        78,
        40000,
        80,
      ]);
      assert.deepEqual([...f.subarray(0, 6)], [...PEER_MAC]);
      assert.equal(h.pool.inUse, 0);
    });

    await t.step(`a SYN to a closed port gets a RST (${mode})`, () => {
      const h = host(mode);
      const out = run(h, seg(TcpFlag.SYN, { dstPort: 81 }));
      assert.equal(out.length, 1);
      const info = new FrameInfo();
      parseFrame(out[0] ?? new Uint8Array(), 0, out[0]?.length ?? 0, info);
      assert.ok((info.tcpFlags & TcpFlag.RST) !== 0);
    });
  }

  await t.step("a bad TCP checksum is the engine's counted drop reason", () => {
    const h = host("compiled");
    h.engine.listen(80);
    const f = seg(TcpFlag.SYN);
    f[f.length - 1] = (f[f.length - 1] ?? 0) ^ 0xff;
    f[51] = (f[51] ?? 0) ^ 0x10; // inside the TCP header (window), checksum no longer fits
    assert.equal(run(h, f).length, 0);
    assert.equal(h.engine.counters[TcpCounter.BadChecksum], 1);
    assert.deepEqual(h.drops(), [{ node: TCP_ENGINE_NODE, reason: "bad-checksum", count: 1 }]);
  });

  await t.step("segments with a bad IPv4 header or for another host never reach the engine", () => {
    const h = host("compiled");
    h.engine.listen(80);
    const badIp = seg(TcpFlag.SYN);
    badIp[24] = (badIp[24] ?? 0) ^ 0xff; // IPv4 header checksum
    assert.equal(run(h, badIp).length, 0);
    assert.equal(run(h, seg(TcpFlag.SYN, { dstIp: "10.0.0.9" })).length, 0);
    assert.equal(h.engine.counters[TcpCounter.SegmentsIn], 0);
    const reasons = h.drops().map((d) => d.reason).sort();
    assert.deepEqual(reasons, ["ipv4-bad-checksum", "ipv4-not-local"]);
  });

  await t.step("a cut TCP header is dropped before the engine", () => {
    const h = host("compiled");
    const f = seg(TcpFlag.SYN);
    // IPv4 total length says 20 + 12 bytes: the TCP header is cut.
    f[16] = 0;
    f[17] = 32;
    f[24] = 0;
    f[25] = 0;
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += ((f[i] ?? 0) << 8) | (f[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    const c = ~sum & 0xffff;
    f[24] = c >>> 8;
    f[25] = c & 0xff;
    assert.equal(run(h, f.slice(0, 14 + 32)).length, 0);
    assert.deepEqual(h.drops().map((d) => d.reason), ["tcp-bad-header-length"]);
    assert.equal(h.engine.counters[TcpCounter.SegmentsIn], 0);
  });
});
