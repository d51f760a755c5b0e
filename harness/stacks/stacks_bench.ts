/**
 * Speed of the timed stack models: one benchmark iteration simulates 2000 memcached get-miss
 * requests from 8 client hosts through a whole server (NIC, stack, engine, replies). Reported,
 * never asserted.
 *
 * @module
 */
import { buildUdpFrame } from "../../stack/packet/build.ts";
import { createTestbed, type NetHost } from "../sim/testbed.ts";
import { createServer, type ServerSpec } from "./server.ts";

const REQUESTS = 2000;
const enc = new TextEncoder();

function run(spec: Omit<ServerSpec, "app">): number {
  const tb = createTestbed({ seed: 1, poolBuffers: 8192 });
  const server = createServer(tb, { ...spec, app: "memcached" });
  let answered = 0;
  const clients: [NetHost, (b: number, l: number) => boolean][] = [];
  for (let i = 0; i < 8; i++) {
    const host: NetHost = {
      name: `c${i}`,
      mac: new Uint8Array([2, 0, 0, 0, 1, i + 1]),
      ip: (10 << 24 | 1 << 8 | (i + 1)) >>> 0,
      receive(buf) {
        answered++;
        tb.pool.free(buf, 0);
      },
    };
    clients.push([host, tb.attach(host)]);
  }
  const body = enc.encode("\0\0\0\0\0\x01\0\0get missing-key\r\n");
  const send = tb.sim.on("bench.send", (i) => {
    const [host, tx] = clients[i % 8] as [NetHost, (b: number, l: number) => boolean];
    const buf = tb.pool.alloc(0);
    const len = buildUdpFrame(tb.pool.bytes, tb.pool.start[buf] ?? 0, {
      dstMac: server.host.mac,
      srcMac: host.mac,
      srcIp: host.ip,
      dstIp: server.host.ip,
      srcPort: 8000 + (i % 64),
      dstPort: server.app.port,
      payload: body,
    });
    tx(buf, len);
  });
  for (let i = 0; i < REQUESTS; i++) tb.sim.at(1000 + i * 2000, send, i);
  tb.sim.run();
  return answered;
}

Deno.bench("linux-like default, 82599, 4 cores: 2000 requests", () => {
  run({ cores: 4, nic: "intel-82599", stack: "linux-like" });
});

Deno.bench("linux-like busy-poll, 82599, 4 cores: 2000 requests", () => {
  run({ cores: 4, nic: "intel-82599", stack: "linux-like", variant: "busy-poll" });
});

Deno.bench("onload-like, SFC9020, 4 cores: 2000 requests", () => {
  run({ cores: 4, nic: "sfc9020", stack: "onload-like" });
});
