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
