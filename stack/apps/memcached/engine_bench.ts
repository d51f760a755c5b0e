/**
 * GET hits through the engine: 64-byte key, 1024-byte value (workloads.md §3.1 profile), ASCII
 * and binary over a TCP session, plus ASCII over UDP. One request per iteration; ops/s = 1 / time.
 * The last bench is the lab's memcached load as the engine sees it (workloads.md §3.1, §5): UDP
 * datagrams for a 1000-key window of zero-padded 64-byte keys, 90% gets and 10% sets of 1024-byte
 * values, keys drawn uniformly; 1000 requests per iteration.
 */
import { MemcachedEngine } from "./engine.ts";
import { TcpSession } from "./tcp_session.ts";
import { handleDatagram } from "./udp.ts";

const enc = new TextEncoder();
const key = "k".repeat(64);
const value = "v".repeat(1024);
const engine = new MemcachedEngine({ clock: () => 1_700_000_000 });
const setup = new TcpSession(engine);
const stored = new TextDecoder().decode(
  setup.receive(enc.encode(`set ${key} 0 0 1024\r\n${value}\r\n`)),
);
if (stored !== "STORED\r\n") {
  throw new Error(`Bench setup failed: set answered ${JSON.stringify(stored)}`);
}

const ascii = new TcpSession(engine);
const asciiGet = enc.encode(`get ${key}\r\n`);
const asciiBatch = enc.encode(`get ${key}\r\n`.repeat(16));

const binary = new TcpSession(engine);
const binGet = new Uint8Array(24 + 64);
binGet[0] = 0x80;
binGet[3] = 64; // key length
binGet[11] = 64; // body length
binGet.set(enc.encode(key), 24);

const udpGet = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, ...asciiGet]);
let sink = 0;
const emit = (d: Uint8Array): void => {
  sink += d.length;
};

Deno.bench("ASCII get hit (64 B key, 1024 B value), TCP session", {
  group: "get-hit",
  baseline: true,
}, () => {
  sink += ascii.receive(asciiGet).length;
});

Deno.bench("binary get hit (64 B key, 1024 B value), TCP session", { group: "get-hit" }, () => {
  sink += binary.receive(binGet).length;
});

Deno.bench("ASCII get hit over UDP (frame header, one datagram)", { group: "get-hit" }, () => {
  handleDatagram(engine, udpGet, emit);
});

Deno.bench("ASCII 16 pipelined get hits, TCP session (per batch)", () => {
  sink += ascii.receive(asciiBatch).length;
});

// The memaslap mix: 1000 keys "000..0<index>", every key stored first, then a fixed sequence of
// 1000 requests (seeded LCG) replayed each iteration.
const MIX_KEYS = 1000;
const mixEngine = new MemcachedEngine({ clock: () => 1_700_000_000 });
const mixKey = (i: number): string => String(i).padStart(64, "0");
const mixSet = (i: number): Uint8Array =>
  enc.encode(`\0\0\0\0\0\x01\0\0set ${mixKey(i)} 0 0 1024\r\n${value}\r\n`);
for (let i = 0; i < MIX_KEYS; i++) handleDatagram(mixEngine, mixSet(i), emit);
const mix: Uint8Array[] = [];
let lcg = 1;
for (let i = 0; i < 1000; i++) {
  lcg = (Math.imul(lcg, 1103515245) + 12345) >>> 0;
  const k = (lcg >>> 8) % MIX_KEYS;
  mix.push(
    (lcg & 0xff) < 26 ? mixSet(k) : enc.encode(`\0\0\0\0\0\x01\0\0get ${mixKey(k)}\r\n`),
  );
}

Deno.bench("memaslap mix over UDP: 1000 keys, 90% get, 10% set (x1000)", () => {
  for (const d of mix) handleDatagram(mixEngine, d, emit);
});

globalThis.addEventListener("unload", () => {
  if (sink < 0) console.log(sink);
});
