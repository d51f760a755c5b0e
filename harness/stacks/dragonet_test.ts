import assert from "node:assert/strict";
import { createTestbed } from "../sim/testbed.ts";
import { CoreCat } from "../sim/host_core.ts";
import { Op } from "../sim/calibration.ts";
import { TestClient } from "../../tests/stacks/_client.ts";
import type { ClientMode } from "../../tests/stacks/_client.ts";
import { DragonetStack } from "./dragonet.ts";
import { createDragonetServer } from "./dragonet_server.ts";
import { createServer, type ServerSpec } from "./server.ts";
import type { DragonetTiming } from "./dragonet.ts";

function scenario(
  spec: Omit<ServerSpec, "app" | "stack">,
  app: "echo" | "memcached",
  mode: ClientMode,
  timing?: DragonetTiming,
) {
  const tb = createTestbed({ seed: 7, poolBuffers: 16_384 });
  const server = createDragonetServer(
    tb,
    { ...spec, stack: "dragonet" as ServerSpec["stack"], app },
    timing === undefined ? {} : { timing },
  );
  const clients = [0, 1, 2, 3].map((i) =>
    new TestClient(tb, {
      name: `client${i}`,
      n: i + 1,
      serverMac: server.host.mac,
      serverIp: server.host.ip,
      serverPort: server.app.port,
      mode,
      flows: 2,
    })
  );
  for (const [ci, c] of clients.entries()) {
    for (let r = 0; r < 20; r++) {
      for (let f = 0; f < 2; f++) c.at(1000 + r * 100_000 + (ci * 7 + f * 3) * 100, f);
    }
  }
  tb.sim.run(10_000_000);
  const stack = server.stack as DragonetStack;
  return { tb, server, clients, stack, report: stack.report() };
}

Deno.test("Dragonet stack model in time", async (t) => {
  await t.step("flows are registered once; after the reconfiguration they leave queue 0", () => {
    const s = scenario({ cores: 4, nic: "intel-82599" }, "echo", "echo");
    for (const c of s.clients) assert.equal(c.answered, c.sent);
    assert.equal(s.stack.flowsRegistered, 8);
    assert.ok(s.stack.reconfigurations >= 1);
    assert.equal(s.stack.reconfigurationFailures, 0);
    const rx = s.report.queues.map((q) => q.rxPackets);
    const total = rx.reduce((a, v) => a + v, 0);
    assert.equal(total, 160);
    // The first datagram of every flow arrives before its filter exists.
    assert.ok((rx[0] ?? 0) >= 8 && (rx[0] ?? 0) < total / 2, `per queue ${rx.join(",")}`);
    assert.ok(rx.slice(1).filter((v) => v > 0).length >= 2, `per queue ${rx.join(",")}`);
  });

  await t.step("reconfiguration takes simulated time: a slow search keeps flows on queue 0", () => {
    const slow = { searchNsPerCandidate: 1e9, filterWriteNs: 1_000 };
    const s = scenario({ cores: 4, nic: "sfc9020" }, "echo", "echo", slow);
    for (const c of s.clients) assert.equal(c.answered, c.sent);
    assert.equal(s.stack.reconfigurations, 0);
    const rx = s.report.queues.map((q) => q.rxPackets);
    assert.deepEqual(rx.slice(1), [0, 0, 0]);
    assert.equal(rx[0], 160);
  });

  await t.step(
    "dedicated: queue pipelines poll on their own cores; app work on the app cores",
    () => {
      const s = scenario(
        { cores: 5, queues: 3, placement: "dedicated", nic: "intel-82599" },
        "memcached",
        "memcached-get-miss",
      );
      for (const c of s.clients) assert.equal(c.answered, c.sent);
      const cores = s.server.host.cores;
      assert.equal(cores.length, 5);
      for (let q = 0; q < 3; q++) {
        assert.equal(cores[q]?.categoryNs[CoreCat.App], 0, `queue core ${q} ran app work`);
        assert.ok((cores[q]?.categoryNs[CoreCat.Driver] ?? 0) > 0 || q === 0);
      }
      const appNs = [3, 4].map((i) => cores[i]?.categoryNs[CoreCat.App] ?? 0);
      assert.ok(appNs.every((v) => v > 0), `app core work ${appNs.join(",")}`);
      assert.deepEqual(
        [...s.stack.set.pipelines.keys()].sort(),
        ["App0", "App1", "Q0", "Q1", "Q2"],
      );
      assert.equal(s.report.queues.reduce((a, q) => a + q.interrupts, 0), 0);
      assert.equal(s.stack.coreSwitches, 0, "a core with one pipeline never switches");
    },
  );

  await t.step(
    "colocated: every core runs its queue and its app thread, paying the switches",
    () => {
      const s = scenario({ cores: 3, nic: "intel-82599" }, "memcached", "memcached-get-miss");
      for (const c of s.clients) assert.equal(c.answered, c.sent);
      const cores = s.server.host.cores;
      assert.equal(cores.length, 3);
      assert.equal(s.stack.layout.queues, 3);
      assert.equal(s.stack.layout.threads, 3);
      assert.deepEqual(
        [...s.stack.set.pipelines.keys()].sort(),
        ["App0", "App1", "App2", "Q0", "Q1", "Q2"],
      );
      const appNs = cores.map((c) => c.categoryNs[CoreCat.App] ?? 0);
      assert.ok(appNs.filter((v) => v > 0).length >= 2, `app work per core ${appNs.join(",")}`);
      const sched = cores.reduce((a, c) => a + (c.categoryNs[CoreCat.Sched] ?? 0), 0);
      assert.ok(s.stack.coreSwitches > 0);
      assert.equal(sched, s.stack.coreSwitches * (s.tb.calibration.ns[Op.sched_running] ?? NaN));
    },
  );

  await t.step("split: queue pipelines on the stack cores, app threads on the others", () => {
    const s = scenario(
      { cores: 4, queues: 3, placement: "split", stackCores: 1, nic: "sfc9020" },
      "memcached",
      "memcached-get-miss",
    );
    for (const c of s.clients) assert.equal(c.answered, c.sent);
    const cores = s.server.host.cores;
    assert.equal(cores.length, 4);
    assert.equal(cores[0]?.categoryNs[CoreCat.App], 0, "the stack core ran app work");
    assert.ok((cores[0]?.categoryNs[CoreCat.Driver] ?? 0) > 0);
    for (const i of [1, 2, 3]) {
      assert.equal(cores[i]?.categoryNs[CoreCat.Driver], 0, `app core ${i} polled the NIC`);
    }
    assert.ok(s.stack.coreSwitches > 0, "three queue pipelines share the stack core");
  });

  await t.step("the control loop's metrics name what it did", () => {
    const s = scenario({ cores: 4, nic: "intel-82599" }, "echo", "echo");
    const m = s.stack.controlMetrics();
    assert.equal(m.dragonet_flows_registered?.value, 8);
    assert.equal(m.dragonet_reconfigurations?.value, s.stack.reconfigurations);
    assert.ok((m.dragonet_filters_installed?.value ?? 0) >= 1);
    const first = m.dragonet_first_reconfig_ns?.value ?? -1;
    assert.ok(first > 1000 && first < 10_000_000, `first reconfiguration at ${first} ns`);
    const slow = scenario({ cores: 4, nic: "intel-82599" }, "echo", "echo", {
      searchNsPerCandidate: 1e9,
      filterWriteNs: 1_000,
    }).stack.controlMetrics();
    assert.equal(slow.dragonet_first_reconfig_ns, undefined);
    assert.equal(slow.dragonet_filters_installed?.value, 0);
  });

  await t.step("a bad placement is refused naming the field and what is allowed", () => {
    const tb = createTestbed({ seed: 1 });
    const spec = {
      cores: 4,
      nic: "intel-82599" as const,
      stack: "dragonet" as ServerSpec["stack"],
      app: "echo" as const,
    };
    assert.throws(
      () =>
        createDragonetServer(tb, {
          ...spec,
          placement: "spread" as NonNullable<ServerSpec["placement"]>,
        }),
      /"placement" is "spread": allowed colocated, split, dedicated/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, placement: "dedicated", queues: 4 }),
      /"queues" is 4: placement "dedicated" on 4 cores allows an integer 1\.\.3/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, placement: "dedicated", queues: 2, threads: 1 }),
      /placement "dedicated" needs one core per queue and per app thread, queues 2 \+ threads 1 = 3/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, queues: 5 }),
      /"queues" is 5: placement "colocated" on 4 cores allows an integer 1\.\.4/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, stackCores: 2 }),
      /"stackCores" is 2: only placement "split" takes it, placement is "colocated"/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, placement: "split", stackCores: 4 }),
      /"stackCores" is 4: placement "split" on 4 cores allows an integer 1\.\.3/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, cores: 1, placement: "split" }),
      /"cores" is 1: placement "split" needs at least 2/,
    );
    assert.throws(
      () => createServer(tb, { ...spec, stack: "linux-like", placement: "split" }),
      /"placement" is "split": only the dragonet stack takes it, stack is "linux-like"/,
    );
  });

  await t.step("a NIC without a search oracle or a bad variant is refused with the reason", () => {
    const tb = createTestbed({ seed: 1 });
    const spec = { cores: 2, stack: "dragonet" as ServerSpec["stack"], app: "echo" as const };
    assert.throws(
      () => createDragonetServer(tb, { ...spec, nic: "rss" }),
      /Dragonet stack needs nic "intel-82599" or "sfc9020".*got "rss"/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, nic: "intel-82599", variant: "busy-poll" }),
      /variant.*busy-poll.*allows default/,
    );
    assert.throws(
      () => createDragonetServer(tb, { ...spec, nic: "intel-82599", queues: 1 }),
      /Queue count 1 is not usable/,
    );
    assert.throws(
      () =>
        createDragonetServer(tb, { ...spec, nic: "sfc9020", app: "memcached", transport: "tcp" }),
      /"transport" is "tcp": the dragonet stack allows udp/,
    );
  });
});
