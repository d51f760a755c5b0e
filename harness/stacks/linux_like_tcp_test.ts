import assert from "node:assert/strict";
import { createTestbed } from "../sim/testbed.ts";
import { createMemcachedTcpClient } from "../../workloads/memcached/memcached_tcp_client.ts";
import { DRAGONET_MEMCACHED_64 } from "../../workloads/memcached/presets.ts";
import type { LinuxLikeTcp } from "./linux_like_tcp.ts";
import { createServer, type ServerSpec } from "./server.ts";
import type { MemcachedApp } from "./server_app.ts";

const SPEC: ServerSpec = {
  cores: 4,
  nic: "intel-82599",
  stack: "linux-like",
  app: "memcached",
  transport: "tcp",
};

function run(connections: number, spec: ServerSpec = SPEC) {
  const tb = createTestbed({ seed: 5 });
  const server = createServer(tb, spec);
  const client = createMemcachedTcpClient(tb, {
    workload: { ...DRAGONET_MEMCACHED_64, records: 64 },
    name: "memaslap",
    mac: new Uint8Array([2, 0, 0, 0, 3, 1]),
    ip: 0x0a000301,
    serverIp: server.host.ip,
    serverMac: server.host.mac,
    connections,
    measureStartNs: 1_000_000,
    measureEndNs: 2_000_000,
    extra: { histogramMode: "packed" },
  });
  client.start();
  tb.sim.run(3_000_000);
  const report = client.report();
  client.destroy();
  return { tb, server, stack: server.stack as LinuxLikeTcp, report };
}

Deno.test("Linux-like stack model over TCP", async (t) => {
  await t.step(
    "the dispatcher hands connections to the workers round robin (memcached 1.6)",
    () => {
      const { stack, report } = run(10);
      assert.equal(report.connectionsEstablished, 10);
      assert.deepEqual(stack.workers.map((w) => w.assigned), [3, 3, 2, 2]);
      assert.equal(stack.closed, 0);
    },
  );

  await t.step("the listener's lock is taken for each SYN, handshake ACK and accept", () => {
    const { stack } = run(6);
    const listen = stack.report().sockets[0];
    assert.equal(listen?.lockAcquisitions, 3 * 6);
    assert.equal(listen?.drops, 0);
    assert.ok((listen?.highWater ?? 0) >= 1);
  });

  await t.step(
    "threads sleep in epoll and are woken: wake-ups counted, app time on their cores",
    () => {
      const { stack, report, server } = run(4);
      assert.ok(report.overall.completed > 0);
      const r = stack.report();
      assert.ok(r.wakeups > 0);
      // One connection per worker: every core did application work.
      for (const core of r.cores) assert.ok((core.busy.app ?? 0) > 0);
      const c = (server.app as MemcachedApp).engine.counters;
      assert.equal(stack.served, c.cmdGet + c.cmdSet, "served counts every memcached command");
    },
  );

  await t.step("worker threads default to one per core and follow the spec", () => {
    assert.equal(run(2).stack.workers.length, 4);
    assert.equal(run(2, { ...SPEC, threads: 2 }).stack.workers.length, 2);
  });

  await t.step("TCP serves memcached only, on the default variant", () => {
    const tb = () => createTestbed({ seed: 1 });
    assert.throws(
      () => createServer(tb(), { ...SPEC, app: "echo" }),
      /transport "tcp" serves memcached only, got app "echo"/,
    );
    assert.throws(
      () => createServer(tb(), { ...SPEC, variant: "busy-poll" }),
      /field "variant" is "busy-poll"/,
    );
    assert.throws(
      () => createServer(tb(), { ...SPEC, transport: "sctp" as "tcp" }),
      /field "transport" is "sctp": allowed udp, tcp/,
    );
  });
});
