import assert from "node:assert/strict";
import { createTestbed } from "../sim/testbed.ts";
import { Host } from "../sim/host.ts";
import { Sfc9020Nic } from "../../nicmodels/solarflare_sfc9020/model.ts";
import { createMemcachedTcpClient } from "../../workloads/memcached/memcached_tcp_client.ts";
import { DRAGONET_MEMCACHED_64 } from "../../workloads/memcached/presets.ts";
import { onloadNicConfig } from "./onload_like.ts";
import { OnloadLikeTcp } from "./onload_like_tcp.ts";
import { TcpCounter } from "../../stack/protocols/tcp/counters.ts";
import { createServer, type ServerSpec } from "./server.ts";
import { MemcachedApp } from "./server_app.ts";

const SPEC: ServerSpec = {
  cores: 4,
  nic: "sfc9020",
  stack: "onload-like",
  app: "memcached",
  transport: "tcp",
};

function run(machines: number) {
  const tb = createTestbed({ seed: 9 });
  const server = createServer(tb, SPEC);
  const clients = Array.from({ length: machines }, (_, m) =>
    createMemcachedTcpClient(tb, {
      workload: { ...DRAGONET_MEMCACHED_64, records: 64 },
      name: `memaslap${m}`,
      mac: new Uint8Array([2, 0, 0, 0, 3, m + 1]),
      ip: (0x0a000301 + m) >>> 0,
      serverIp: server.host.ip,
      serverMac: server.host.mac,
      connections: 2,
      firstSrcPort: 8000 + 2 * m,
      loadOffset: 2 * m,
      loadConnections: 2 * machines,
      measureStartNs: 1_000_000,
      measureEndNs: 2_000_000,
      extra: { histogramMode: "packed" },
    }));
  for (const c of clients) c.start();
  tb.sim.run(3_000_000);
  const reports = clients.map((c) => c.report());
  for (const c of clients) c.destroy();
  return { tb, server, stack: server.stack as OnloadLikeTcp, reports };
}

Deno.test("Onload-like stack model over TCP", async (t) => {
  await t.step(
    "each stack handles exactly the frames of its own queue, with its own listener",
    () => {
      const { stack, reports } = run(8);
      for (const r of reports) assert.equal(r.connectionsEstablished, 2);
      const r = stack.report();
      assert.equal(stack.engines.length, 4);
      stack.engines.forEach((e, i) => assert.equal(e.segmentsIn, r.queues[i]?.rxPackets));
      assert.ok(r.queues.filter((q) => q.rxPackets > 0).length >= 2, "the filter's RSS spreads");
      // Every connection was accepted by the stack that got its SYN: 3 listener-lock
      // acquisitions per connection (SYN, handshake ACK, accept), never contended.
      const accepted = stack.engines.reduce(
        (a, e) => a + (e.engine.counters[TcpCounter.Accepted] ?? 0),
        0,
      );
      assert.equal(accepted, 16);
      assert.equal(r.sockets.reduce((a, s) => a + s.lockAcquisitions, 0), 3 * 16);
      for (const s of r.sockets) assert.equal(s.lockWaited, 0);
    },
  );

  await t.step("no interrupts, no wake-ups, spinning cores always busy", () => {
    const { stack, tb } = run(2);
    const r = stack.report();
    assert.equal(r.queues.reduce((a, q) => a + q.interrupts, 0), 0);
    assert.equal(r.wakeups, 0);
    for (const c of stack.host.cores) assert.equal(Math.round(c.busyNs()), tb.sim.now);
  });

  await t.step("needs the socket's TCP filter on the NIC", () => {
    const tb = createTestbed({ seed: 1 });
    const host = new Host(tb, {
      name: "s",
      mac: new Uint8Array([2, 0, 0, 0, 0, 9]),
      ip: 0x0a000001,
      cores: 2,
      nic: new Sfc9020Nic(onloadNicConfig(2, 0x0a000001, 7777)),
    });
    const app = new MemcachedApp(tb.pool, () => 0, 7777);
    assert.throws(() => new OnloadLikeTcp(host, app), /needs a TCP filter for port 7777/);
  });
});
