/**
 * Speed of the client side: whole simulated transactions (client send, testbed, reflector,
 * client receive and check) and the per-request protocol work alone.
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { UdpEchoClient } from "../echo/udp_rr.ts";
import { createKeyChooser } from "../memcached/key_popularity.ts";
import { MemcachedUdpClient } from "../memcached/memcached_udp.ts";
import { fillValue } from "../memcached/value_pattern.ts";
import { ReplyStatus } from "./protocol.ts";
import { rig } from "./_testing.ts";
import { UdpFrameWriter } from "./udp_frame_writer.ts";

const MS = 1_000_000;

Deno.bench("closed-loop echo, 8 connections x 4 outstanding, 2 ms simulated", {
  group: "simulated",
}, () => {
  const { tb, client } = rig({
    serviceNs: 300,
    flows: 8,
    loop: { mode: "closed", outstanding: 4 },
    measureEndNs: 2 * MS,
  });
  tb.sim.run(2 * MS);
  client.destroy();
});

Deno.bench("open-loop echo, 200k/s Poisson, 10 ms simulated", { group: "simulated" }, () => {
  const { tb, client } = rig({
    serviceNs: 300,
    flows: 8,
    loop: { mode: "open", ratePerSecond: 200_000 },
    measureEndNs: 10 * MS,
  });
  tb.sim.run(10 * MS);
  client.destroy();
});

const bytes = new Uint8Array(4096);
const writer = new UdpFrameWriter({
  srcMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
  dstMac: new Uint8Array([2, 0, 0, 0, 0, 1]),
  srcIp: 0x0a000002,
  dstIp: 0x0a000001,
  srcPort: 8000,
  dstPort: 7777,
});
const mc = new MemcachedUdpClient({
  keyLengths: keyLengths(1000, createSampler(parseDistribution("fixed:64"))),
  valueSize: createSampler(parseDistribution("fixed:64")),
  getRatio: 0.9,
  keys: createKeyChooser({ kind: "uniform" }, 1000),
  rng: xoroshiro128plus(1),
  load: null,
});
let id = 0;

Deno.bench("memcached request + UDP frame (64 B key, 90% get)", { group: "per request" }, () => {
  id = (id + 1) & 0xffff;
  const n = mc.writeRequest(0, id, bytes, 142, 1472);
  writer.write(bytes, 100, n);
});

const echo = new UdpEchoClient(64);
Deno.bench("echo 64 B request + frame + reply check", { group: "per request" }, () => {
  id = (id + 1) & 0xffff;
  const n = echo.writeRequest(0, id, bytes, 142, 1472);
  writer.write(bytes, 100, n);
  echo.onReply(0, bytes, 142, n);
});

// A get of a 1 KiB value and its reply, built once; the bench checks the reply (key, length
// line, every value byte) as the client does for each get.
const getter = new MemcachedUdpClient({
  keyLengths: keyLengths(1000, createSampler(parseDistribution("fixed:64"))),
  valueSize: createSampler(parseDistribution("fixed:1024")),
  getRatio: 1,
  keys: createKeyChooser({ kind: "uniform" }, 1000),
  rng: xoroshiro128plus(2),
  load: null,
});
const request = new Uint8Array(1472);
const requestLen = getter.writeRequest(0, 9, request, 0, 1472);
const key = new TextDecoder().decode(request.subarray(12, requestLen - 2));
const value = new Uint8Array(1024);
fillValue(Number(key), 1024, value, 0);
const text = new TextEncoder().encode(`VALUE ${key} 0 1024\r\n`);
const reply = new Uint8Array(8 + text.length + 1024 + 7);
reply.set([0, 9, 0, 0, 0, 1, 0, 0]);
reply.set(text, 8);
reply.set(value, 8 + text.length);
reply.set(new TextEncoder().encode("\r\nEND\r\n"), 8 + text.length + 1024);

Deno.bench("memcached get reply check (64 B key, 1 KiB value)", { group: "per request" }, () => {
  if (getter.onReply(0, reply, 0, reply.length) !== ReplyStatus.Done) {
    throw new Error("Reply check failed: the bench's reply must be correct");
  }
});
