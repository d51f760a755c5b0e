/**
 * GET hits through the engine: 64-byte key, 1024-byte value (workloads.md §3.1 profile), ASCII
 * and binary over a TCP session, plus ASCII over UDP. One request per iteration; ops/s = 1 / time.
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

globalThis.addEventListener("unload", () => {
  if (sink < 0) console.log(sink);
});
