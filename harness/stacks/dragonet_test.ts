import assert from "node:assert/strict";
import { createTestbed } from "../sim/testbed.ts";
import { CoreCat } from "../sim/host_core.ts";
import { TestClient } from "../../tests/stacks/_client.ts";
import type { ClientMode } from "../../tests/stacks/_client.ts";
import { DragonetStack } from "./dragonet.ts";
import { createDragonetServer } from "./dragonet_server.ts";
import type { ServerSpec } from "./server.ts";
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

  await t.step("queue pipelines poll on their own cores; app work runs on the app cores", () => {
    const s = scenario(
      { cores: 2, queues: 3, nic: "intel-82599" },
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
