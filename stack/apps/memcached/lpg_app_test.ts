import assert from "node:assert/strict";
import { parseIpv4 } from "../../packet/addr.ts";
import { buildUdpFrame } from "../../packet/build.ts";
import { FrameInfo } from "../../packet/frame_info.ts";
import { parseFrame } from "../../packet/parse.ts";
import { verifyL4Checksum } from "../../packet/verify.ts";
import { frameTcpSegment } from "../../protocols/tcp/frame.ts";
import { LpgHost } from "../../protocols/tcp/lpg_host.ts";
import { TcpEngine } from "../../protocols/tcp/engine.ts";
import { TcpState } from "../../protocols/tcp/state.ts";
import { MemcachedEngine } from "./engine.ts";
import { MemcachedLpgApp } from "./lpg_app.ts";

const LOCAL = "10.0.0.1";
const PEER = "10.0.0.2";
const LOCAL_MAC = new Uint8Array([2, 0, 0, 0, 0, 1]);
const PEER_MAC = new Uint8Array([2, 0, 0, 0, 0, 2]);
const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

function setup(mode: "compiled" | "interpreter") {
  const host = new LpgHost({
    // Jumbo frames: the 1800-byte SET below travels in one datagram (the lab does not fragment).
    lpg: { localIp: LOCAL, localMac: "02:00:00:00:00:01", mtu: 9000 },
    endpoints: [{
      sockets: [{ sid: 3, appId: 0 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 11211,
    }],
    mode,
    buffers: 128,
    tcp: { clock: () => 0 },
  });
  host.env.arpInsert(parseIpv4(PEER) >>> 0, 0x0200, 0x00000002);
  const engine = new MemcachedEngine({ clock: () => 1_700_000_000 });
  const app = new MemcachedLpgApp(engine, host.env, host, { udpSids: [3], tcp: host.tcp });
  const info = new FrameInfo();
  const settle = (): Uint8Array[] => {
    do host.drain(); while (app.poll() > 0 || host.ctx.tasks.size > 0);
    const out: Uint8Array[] = [];
    host.takeTx((b, o, n) => out.push(b.slice(o, o + n)));
    return out;
  };
  const udp = (id: number, body: string | Uint8Array, total = 1): Uint8Array[] => {
    const b = typeof body === "string" ? enc.encode(body) : body;
    const d = new Uint8Array(8 + b.length);
    d.set([id >> 8, id & 255, 0, 0, total >> 8, total & 255, 0, 0]);
    d.set(b, 8);
    const f = new Uint8Array(2048);
    const n = buildUdpFrame(f, 0, {
      dstMac: LOCAL_MAC,
      srcMac: PEER_MAC,
      srcIp: parseIpv4(PEER),
      dstIp: parseIpv4(LOCAL),
      srcPort: 40000,
      dstPort: 11211,
      payload: d,
    });
    host.receive(f, 0, n);
    return settle();
  };
  const payload = (f: Uint8Array) => {
    assert.equal(parseFrame(f, 0, f.length, info), 0);
    assert.equal(verifyL4Checksum(f, info), 0);
    return f.slice(info.payload, info.payload + info.payloadLen);
  };
  return { host, app, engine, udp, payload, settle };
}

Deno.test("memcached on the LPG", async (t) => {
  for (const mode of ["compiled", "interpreter"] as const) {
    await t.step(
      `UDP: an 1800-byte value comes back in datagrams of at most 1400 bytes (${mode})`,
      () => {
        const s = setup(mode);
        const value = "x".repeat(1800);
        const stored = s.udp(7, `set k 0 0 1800\r\n${value}\r\n`).map(s.payload);
        assert.deepEqual(stored.map((d) => dec.decode(d.subarray(8))), ["STORED\r\n"]);
        const out = s.udp(8, "get k\r\n").map(s.payload);
        const reply = `VALUE k 0 1800\r\n${value}\r\nEND\r\n`;
        const n = Math.ceil(reply.length / 1392);
        assert.equal(out.length, n);
        out.forEach((d, i) => {
          assert.deepEqual([...d.subarray(0, 8)], [0, 8, 0, i, 0, n, 0, 0]);
          assert.ok(d.length <= 1400);
        });
        assert.equal(out.map((d) => dec.decode(d.subarray(8))).join(""), reply);
        assert.equal(s.host.pool.inUse, 0);
      },
    );
  }

  await t.step("UDP: binary get miss, and a multi-datagram request is ignored and counted", () => {
    const s = setup("compiled");
    const req = new Uint8Array(24 + 2);
    req.set([0x80, 0x00, 0, 2], 0);
    req[11] = 2;
    req.set(enc.encode("no"), 24);
    const [miss] = s.udp(1, req).map(s.payload);
    assert.equal(miss?.[8], 0x81);
    assert.equal(miss?.[8 + 7], 1, "status 1: key not found");
    assert.equal(s.udp(2, "get k\r\n", 2).length, 0);
    assert.equal(s.app.stats.udpIgnored, 1);
  });

  await t.step("TCP: pipelined requests, replies in order, quit closes the connection", () => {
    const s = setup("compiled");
    const client = new TcpEngine({ clock: () => 0 });
    const info = new FrameInfo();
    const scratch = new Uint8Array(4096);
    const pump = () => {
      for (let round = 0; round < 10; round++) {
        const tx = client.tx;
        for (let i = 0; i < tx.count; i++) {
          const n = frameTcpSegment(
            tx.bytes,
            tx.offset(i),
            tx.length[i] ?? 0,
            tx.srcIp[i] ?? 0,
            tx.dstIp[i] ?? 0,
            scratch,
            0,
            {
              srcMac: PEER_MAC,
              dstMac: LOCAL_MAC,
            },
          );
          s.host.receive(scratch, 0, n);
        }
        tx.clear();
        for (const f of s.settle()) {
          if (parseFrame(f, 0, f.length, info) === 0) client.inputFrame(f, info);
        }
      }
    };
    const id = client.connect(parseIpv4(PEER) >>> 0, parseIpv4(LOCAL) >>> 0, 11211);
    pump();
    assert.equal(client.state(id), TcpState.Established);
    const big = "y".repeat(5000);
    client.send(
      id,
      enc.encode(`set a 1 0 5000\r\n${big}\r\nget a\r\nincr a 1\r\nbogus\r\nquit\r\n`),
    );
    pump();
    const buf = new Uint8Array(65536);
    let n = 0;
    for (let k = client.recv(id, buf); k > 0; k = client.recv(id, buf, n)) n += k;
    assert.equal(
      dec.decode(buf.subarray(0, n)),
      `STORED\r\nVALUE a 1 5000\r\n${big}\r\nEND\r\n` +
        "CLIENT_ERROR cannot increment or decrement non-numeric value\r\nERROR\r\n",
    );
    assert.ok(client.isEof(id), "the server closed after quit");
    assert.equal(s.app.stats.tcpAccepted, 1);
    assert.equal(s.app.connections, 0);
  });
});
