/**
 * Bulk in-order transfer through two engines on one thread: the client's data segments go
 * straight into the server, the server's ACKs straight back, the server application reads
 * everything. Each iteration moves 64 KiB: 45 data segments of up to 1460 bytes and 23 ACKs (a
 * delayed ACK covers every second segment; 68.0 segments per iteration measured over 1000
 * iterations), so segments processed per second = 68 x iterations per second. With
 * `delayedAckNs: 0` every segment is ACKed (91 per iteration). Checksums are computed on send
 * and verified on receive, as on a wire. Run: `deno bench stack/protocols/tcp/engine_bench.ts`.
 */
import { TcpEngine, type TcpEngineOptions } from "./engine.ts";

const CLIENT = 0x0a000001;
const SERVER = 0x0a000002;
const CHUNK = 65536;

function setup(options: TcpEngineOptions = {}) {
  let now = 0;
  const clock = () => now;
  const c = new TcpEngine({ clock, sndBuffer: 1 << 18, rcvBuffer: 1 << 18, ...options });
  const s = new TcpEngine({ clock, sndBuffer: 1 << 18, rcvBuffer: 1 << 18, ...options });
  const l = s.listen(80);
  const cid = c.connect(CLIENT, SERVER, 80);
  const pump = (from: TcpEngine, to: TcpEngine): number => {
    const tx = from.tx;
    const n = tx.count;
    for (let i = 0; i < n; i++) {
      to.input(tx.bytes, tx.offset(i), tx.length[i] ?? 0, tx.srcIp[i] ?? 0, tx.dstIp[i] ?? 0);
    }
    tx.clear();
    return n;
  };
  while (pump(c, s) + pump(s, c) > 0) now += 1000;
  const sid = s.accept(l);
  const data = new Uint8Array(CHUNK).fill(0x5a);
  const sink = new Uint8Array(CHUNK);
  let segments = 0;
  const transfer = () => {
    let sent = 0;
    while (sent < CHUNK) {
      const n = c.send(cid, data, sent, CHUNK - sent);
      sent += n;
      segments += pump(c, s);
      while (s.recv(sid, sink) > 0);
      segments += pump(s, c);
      now += 1000;
      if (n === 0 && c.tx.count === 0) break;
    }
  };
  return { transfer, segments: () => segments, c, s };
}

const plain = setup();
Deno.bench({
  name: "64 KiB bulk transfer (45 data segments + 23 ACKs), checksums on",
  group: "bulk",
  baseline: true,
  fn: () => plain.transfer(),
});

const everyAck = setup({ delayedAckNs: 0 });
Deno.bench({
  name: "64 KiB bulk transfer, every segment ACKed (45 + 46 segments)",
  group: "bulk",
  fn: () => everyAck.transfer(),
});

const noVerify = setup({ verifyChecksum: false });
Deno.bench({
  name: "64 KiB bulk transfer, receive checksum verification off",
  group: "bulk",
  fn: () => noVerify.transfer(),
});
