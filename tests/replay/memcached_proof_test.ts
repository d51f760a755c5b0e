/**
 * The proof against real memcached: the Debian memcached (UDP on) serves a client written for
 * the test (ASCII and binary, UDP and TCP, hits, misses, errors, values over 1400 bytes so UDP
 * replies span datagrams) while tcpdump records the loopback; then the client's side of the
 * capture is replayed through the lab's whole stack (LPG compiled, TCP engine, memcached app)
 * and the lab's replies must carry the real server's payloads: UDP reply by reply, TCP as the
 * reassembled byte stream of each connection.
 *
 * Skipped with a printed reason where memcached or tcpdump cannot run.
 */
import assert from "node:assert/strict";
import { decodePcap } from "../../stack/packet/pcap/mod.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { formatSummary, replayCapture } from "../../harness/replay/replay.ts";
import {
  bin,
  freePort,
  liveUnavailable,
  spawnWithMarker,
  stop,
  TcpClient,
  UdpClient,
  value,
  waitForTcp,
} from "./_live.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u64 = (n: number) => [0, 0, 0, 0, ...u32(n)];

async function drive(port: number): Promise<void> {
  const big = value(3000, 1);
  const a = await TcpClient.connect(port);
  for (
    const r of [
      "set k1 5 0 5\r\nhello\r\n",
      "get k1\r\n",
      "get nothere\r\n",
      "gets k1\r\n",
      "add k1 0 0 1\r\nx\r\n",
      "add k2 0 0 2\r\n10\r\n",
      "replace nothere 0 0 1\r\nx\r\n",
      "append k1 0 0 6\r\n world\r\n",
      "prepend k1 0 0 1\r\n>\r\n",
      "cas k1 0 0 3 999999\r\nabc\r\n",
      "cas nothere 0 0 3 1\r\nabc\r\n",
      "incr k2 5\r\n",
      "decr k2 100\r\n",
      "incr k1 1\r\n",
      "incr nothere 1\r\n",
      "delete k2\r\n",
      "delete k2\r\n",
      "bogus command\r\n",
      "set k3 0 0 notanumber\r\n",
      `set big 7 0 ${big.length}\r\n${big}\r\n`,
      "get big k1 nothere\r\n",
      "touch k1 100\r\n",
      "set quiet 0 0 1 noreply\r\nq\r\n",
      "get quiet\r\n",
      "verbosity 1\r\n",
      "version\r\n",
      "set k1 0 0 2\r\nhi\r\nget k1\r\ndelete k1\r\n", // pipelined
    ]
  ) await a.request(r);
  const b = await TcpClient.connect(port);
  await b.request(bin(0x01, "b1", { extras: [0, 0, 0, 9, 0, 0, 0, 0], value: "binval" }));
  await b.request(bin(0x00, "b1"));
  await b.request(bin(0x0c, "b1"));
  await b.request(bin(0x00, "nothere"));
  await b.request(bin(0x02, "b1", { extras: [0, 0, 0, 0, 0, 0, 0, 0], value: "x" }));
  await b.request(bin(0x01, "n1", { extras: [0, 0, 0, 0, 0, 0, 0, 0], value: "41" }));
  await b.request(bin(0x05, "n1", { extras: [...u64(1), ...u64(0), ...u32(0)] }));
  await b.request(bin(0x06, "n1", { extras: [...u64(50), ...u64(0), ...u32(0)] }));
  await b.request(bin(0x05, "b1", { extras: [...u64(1), ...u64(0), ...u32(0)] }));
  await b.request(bin(0x0e, "b1", { value: "-tail" }));
  await b.request(bin(0x04, "nothere"));
  await b.request(new Uint8Array([...bin(0x09, "b1"), ...bin(0x09, "nothere"), ...bin(0x0a)]));
  await b.request(bin(0x0b));
  await b.request(bin(0x7f));
  await b.request(bin(0x01, "bigb", { extras: [0, 0, 0, 0, 0, 0, 0, 0], value: value(2500, 7) }));
  await b.request(bin(0x00, "bigb"));
  const u = await UdpClient.open(port);
  await u.request("get big\r\n");
  await u.request("get k1\r\n");
  await u.request("get nothere\r\n");
  await u.request("set u1 0 0 3\r\nudp\r\n");
  await u.request("get u1 big nothere\r\n");
  await u.request("gets u1\r\n");
  await u.request("bogus\r\n");
  await u.request("get u1\r\n", 2); // multi-datagram request: ignored by memcached
  await u.request(bin(0x00, "bigb"));
  await u.request(bin(0x00, "nothere"));
  await u.request(bin(0x01, "ub", { extras: [0, 0, 0, 1, 0, 0, 0, 0], value: "binudp" }));
  await u.request(bin(0x0c, "ub"));
  await u.close();
  await a.request("quit\r\n");
  await a.close();
  await b.close();
}

interface Replies {
  udp: string[];
  tcp: Map<number, string>;
}

/** Reply payloads sent from `port`: UDP datagrams in order, TCP streams per client port. */
function replies(frames: readonly Uint8Array[], port: number): Replies {
  const info = new FrameInfo();
  const udp: string[] = [];
  const segs = new Map<number, { seq: number; data: Uint8Array; syn: number }[]>();
  for (const f of frames) {
    if (parseFrame(f, 0, f.length, info) !== 0 || info.srcPort !== port) continue;
    const data = f.slice(info.payload, info.payload + info.payloadLen);
    if (info.l4Proto === 17) udp.push(hex(data));
    if (info.l4Proto === 6) {
      const list = segs.get(info.dstPort) ?? [];
      list.push({ seq: info.tcpSeq >>> 0, data, syn: info.tcpFlags & 2 });
      segs.set(info.dstPort, list);
    }
  }
  const tcp = new Map<number, string>();
  for (const [client, list] of segs) {
    const isn = list.find((s) => s.syn !== 0)?.seq ?? list[0]?.seq ?? 0;
    const stream: number[] = [];
    for (const s of list) {
      const at = (s.seq - isn - 1) >>> 0;
      for (let i = 0; i < s.data.length; i++) stream[at + i] = s.data[i] ?? 0;
    }
    tcp.set(client, new TextDecoder("latin1").decode(Uint8Array.from(stream, (b) => b ?? 0)));
  }
  return { udp, tcp };
}

function hex(b: Uint8Array): string {
  return new TextDecoder("latin1").decode(b);
}

const unavailable = await liveUnavailable();
if (unavailable !== undefined) {
  console.log(`ignored "the lab answers a real memcached client": ${unavailable}`);
}

Deno.test({
  name: "the lab answers a real memcached client as the real memcached did",
  ignore: unavailable !== undefined,
}, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "replay-proof-" });
  const capture = `${dir}/live.pcap`;
  const port = await freePort();
  const user = Deno.uid() === 0 ? ["-u", "root"] : [];
  const mc = spawnWithMarker(
    "memcached",
    ["-l", "127.0.0.1", "-p", String(port), "-U", String(port), "-t", "1", ...user],
    null,
  );
  // --immediate-mode: without it libpcap hands packets over in blocks after a timeout, and the
  // last ones can be lost when tcpdump is stopped.
  const dump = spawnWithMarker(
    "tcpdump",
    ["--immediate-mode", "-i", "lo", "-w", capture, "-U", "-n", "port", String(port)],
    "listening on",
  );
  try {
    const ready = await Promise.race([
      dump.ready.then(() => undefined),
      sleep(10000).then(() => "tcpdump did not report listening within 10 s"),
      mc.child.status.then((s) => `memcached exited with code ${s.code}: ${mc.stderr()}`),
    ]);
    if (ready !== undefined) throw new Error(`Cannot record the live exchange: ${ready}`);
    await waitForTcp(port);
    await sleep(100);
    await t.step("drive the real server", () => drive(port));
    await sleep(300);
  } finally {
    await stop(dump.child, "SIGINT");
    await stop(mc.child, "SIGTERM");
  }

  const { records } = decodePcap(await Deno.readFile(capture));
  const real = replies(records.map((r) => r.data), port);
  const lab = replayCapture(records, {
    app: "memcached",
    ip: "127.0.0.1",
    mac: "00:00:00:00:00:00",
    port,
  });
  const ours = replies(lab.frames.map((f) => f.data), port);
  console.log(formatSummary(lab.summary));

  await t.step("every UDP reply datagram carries the real server's payload", () => {
    assert.ok(real.udp.length >= 12, `the capture holds ${real.udp.length} UDP replies`);
    assert.ok(real.udp.some((d) => d.length === 1400), "some reply fills a 1400-byte datagram");
    for (let i = 0; i < Math.max(ours.udp.length, real.udp.length); i++) {
      assert.equal(ours.udp[i], real.udp[i], `UDP reply ${i}`);
    }
  });
  await t.step("every TCP connection's reply stream is the real server's", () => {
    assert.equal(real.tcp.size, 3, "the ASCII, the binary and the handshake-probe connection");
    assert.deepEqual(new Map([...ours.tcp].sort()), new Map([...real.tcp].sort()));
  });
  await t.step("the summary accounts for every frame", () => {
    const s = lab.summary;
    assert.equal(s.read, records.length);
    assert.equal(s.read, s.fed + s.skippedOtherHost + s.skippedOwn + s.skippedOther);
    assert.ok(s.checksumsFixed > 0, "loopback partial checksums were completed");
    assert.equal(s.checksumsBad, 0);
    assert.equal(s.isnFromCapture, 3);
  });
  await Deno.remove(dir, { recursive: true });
});
