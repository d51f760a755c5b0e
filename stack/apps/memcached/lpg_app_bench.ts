/**
 * memcached GET hits (64-byte key, 1024-byte value; workloads.md §3.1: 1110-byte reply) through
 * the lab's whole stack on one core, compiled path: frame in -> LPG -> app -> frame out.
 *
 * - UDP: each operation copies the 120-byte request frame (124 with FCS) into a pool buffer, runs RX, lets the
 *   app answer (one 1160-byte frame, 1164 with FCS), runs TX and takes the frame off the TX ring.
 * - TCP: one established connection; each operation is a client `get` segment in, the reply
 *   segment out. The client is a second `TcpEngine` in the same process, so its cost (send,
 *   framing, parsing the reply, receive) is included: the figure is a lower bound for the server.
 *
 * ops/s = BATCH / (time per iteration).
 *
 * Run: `deno bench --allow-read stack/apps/memcached/lpg_app_bench.ts`
 */
import { parseIpv4 } from "../../packet/addr.ts";
import { buildUdpFrame } from "../../packet/build.ts";
import { FrameInfo } from "../../packet/frame_info.ts";
import { parseFrame } from "../../packet/parse.ts";
import { frameTcpSegment } from "../../protocols/tcp/frame.ts";
import { LpgHost } from "../../protocols/tcp/lpg_host.ts";
import { TcpEngine } from "../../protocols/tcp/engine.ts";
import { MemcachedEngine } from "./engine.ts";
import { MemcachedLpgApp } from "./lpg_app.ts";

const BATCH = 1000;
const LOCAL_IP = "10.0.0.1";
const PEER_IP = "10.0.0.2";
const LOCAL_MAC = new Uint8Array([2, 0, 0, 0, 0, 1]);
const PEER_MAC = new Uint8Array([2, 0, 0, 0, 0, 2]);
const KEY = "k".repeat(64);
const VALUE = "v".repeat(1024);
const enc = new TextEncoder();

function server(clock: () => number): { host: LpgHost; app: MemcachedLpgApp } {
  const host = new LpgHost({
    lpg: { localIp: LOCAL_IP, localMac: "02:00:00:00:00:01" },
    endpoints: [{
      sockets: [{ sid: 0, appId: 0 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 11211,
    }],
    buffers: 256,
    tcp: { clock },
  });
  host.env.arpInsert(parseIpv4(PEER_IP) >>> 0, 0x0200, 0x00000002);
  const engine = new MemcachedEngine({ clock: () => 1_700_000_000 });
  const app = new MemcachedLpgApp(engine, host.env, host, { udpSids: [0], tcp: host.tcp });
  return { host, app };
}

function settle(host: LpgHost, app: MemcachedLpgApp): void {
  do {
    host.drain();
  } while (app.poll() > 0 || host.ctx.tasks.size > 0);
}

function udpGet(): () => void {
  const { host, app } = server(() => 0);
  const frame = (payload: string, id: number) => {
    const body = enc.encode(payload);
    const d = new Uint8Array(8 + body.length);
    d.set([id >> 8, id & 255, 0, 0, 0, 1, 0, 0]);
    d.set(body, 8);
    const out = new Uint8Array(2048);
    const n = buildUdpFrame(out, 0, {
      dstMac: LOCAL_MAC,
      srcMac: PEER_MAC,
      srcIp: parseIpv4(PEER_IP),
      dstIp: parseIpv4(LOCAL_IP),
      srcPort: 40000,
      dstPort: 11211,
      payload: d,
    });
    return out.slice(0, n);
  };
  host.receive(frame(`set ${KEY} 0 0 1024\r\n${VALUE}\r\n`, 1));
  settle(host, app);
  host.takeTx(() => {});
  const get = frame(`get ${KEY}\r\n`, 2);
  if (get.length !== 120) {
    throw new Error(`GET frame is ${get.length} bytes, expected 120 (+4 FCS)`);
  }
  let len = 0;
  const sink = (_b: Uint8Array, _o: number, n: number) => {
    len = n;
  };
  const once = () => {
    host.receive(get);
    settle(host, app);
    host.takeTx(sink);
  };
  once();
  if (len !== 1160) throw new Error(`GET reply frame is ${len} bytes, expected 1160 (+4 FCS)`);
  return () => {
    for (let i = 0; i < BATCH; i++) once();
  };
}

function tcpGet(): () => void {
  const now = 0;
  const { host, app } = server(() => now);
  const client = new TcpEngine({ clock: () => now });
  const info = new FrameInfo();
  const scratch = new Uint8Array(4096);
  const reply = new Uint8Array(65536);
  let got = 0;
  const toServer = () => {
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
        { srcMac: PEER_MAC, dstMac: LOCAL_MAC },
      );
      host.receive(scratch, 0, n);
    }
    tx.clear();
    settle(host, app);
  };
  const toClient = (b: Uint8Array, o: number, n: number) => {
    if (parseFrame(b, o, n, info) === 0) client.inputFrame(b, info);
  };
  const pump = () => {
    toServer();
    host.takeTx(toClient);
  };
  const conn = client.connect(parseIpv4(PEER_IP) >>> 0, parseIpv4(LOCAL_IP) >>> 0, 11211);
  for (let i = 0; i < 4; i++) pump();
  const op = (req: Uint8Array, want: number) => {
    client.send(conn, req);
    got = 0;
    for (let i = 0; i < 8 && got < want; i++) {
      pump();
      got += client.recv(conn, reply, got);
    }
    if (got !== want) throw new Error(`TCP GET got ${got} reply bytes, expected ${want}`);
  };
  op(enc.encode(`set ${KEY} 0 0 1024\r\n${VALUE}\r\n`), 8);
  const get = enc.encode(`get ${KEY}\r\n`);
  op(get, 1110);
  return () => {
    for (let i = 0; i < BATCH; i++) op(get, 1110);
  };
}

const udp = udpGet();
const tcp = tcpGet();
Deno.bench({ name: `memcached UDP GET hit x${BATCH} (compiled LPG)`, group: "get", fn: udp });
Deno.bench({
  name: `memcached TCP GET hit x${BATCH} (compiled LPG, client engine included)`,
  group: "get",
  fn: tcp,
});
