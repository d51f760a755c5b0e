/**
 * Speed of memcached over TCP in simulated time: one iteration simulates 2 ms of the memaslap
 * profile (16 closed-loop TCP connections from 4 client machines, handshakes and key loading
 * included) through a whole server (NIC, stack model, the real TCP engines on both sides,
 * memcached sessions). Reported, never asserted.
 *
 * @module
 */
import { createTestbed } from "../sim/testbed.ts";
import { createMemcachedTcpClient } from "../../workloads/memcached/memcached_tcp_client.ts";
import { DRAGONET_MEMCACHED_64 } from "../../workloads/memcached/presets.ts";
import { createServer, type ServerSpec } from "./server.ts";

function run(spec: Omit<ServerSpec, "app" | "transport">): number {
  const tb = createTestbed({ seed: 1, poolBuffers: 8192 });
  const server = createServer(tb, { ...spec, app: "memcached", transport: "tcp" });
  const clients = Array.from({ length: 4 }, (_, m) =>
    createMemcachedTcpClient(tb, {
      workload: { ...DRAGONET_MEMCACHED_64, records: 160 },
      name: `c${m}`,
      mac: new Uint8Array([2, 0, 0, 0, 1, m + 1]),
      ip: (10 << 24 | 1 << 8 | (m + 1)) >>> 0,
      serverIp: server.host.ip,
      serverMac: server.host.mac,
      connections: 4,
      firstSrcPort: 8000 + 4 * m,
      loadOffset: 4 * m,
      loadConnections: 16,
      measureStartNs: 500_000,
      measureEndNs: 2_000_000,
      extra: { histogramMode: "packed" },
    }));
  for (const c of clients) c.start();
  tb.sim.run(2_000_000);
  const done = clients.reduce((a, c) => a + c.report().overall.completed, 0);
  for (const c of clients) c.destroy();
  return done;
}

Deno.bench("memcached over TCP, 2 ms simulated: linux-like on the 82599", () => {
  run({ cores: 4, nic: "intel-82599", stack: "linux-like" });
});

Deno.bench("memcached over TCP, 2 ms simulated: onload-like on the SFC9020", () => {
  run({ cores: 4, nic: "sfc9020", stack: "onload-like" });
});
