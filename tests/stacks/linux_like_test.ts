import assert from "node:assert/strict";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { Host } from "../../harness/sim/host.ts";
import { LinuxLike } from "../../harness/stacks/linux_like.ts";
import { EchoApp } from "../../harness/stacks/server_app.ts";
import type { ServerSpec } from "../../harness/stacks/server.ts";
import { CoreCat } from "../../harness/sim/host_core.ts";
import { RssNic } from "../../nicmodels/rss/model.ts";
import { answered, scenario, schedule, sent } from "./_scenario.ts";

const BASE: ServerSpec = { cores: 4, nic: "intel-82599", stack: "linux-like", app: "echo" };

Deno.test("Linux-like stack model", async (t) => {
  await t.step("RSS hashes UDP on addresses only: one client's flows share one queue", () => {
    const s = scenario(BASE, "echo", 1, 8);
    schedule(s, 8, 5, 100_000, 1000);
    s.tb.sim.run(10_000_000);
    assert.equal(answered(s), sent(s));
    const used = s.server.stack.report().queues.filter((q) => q.rxPackets > 0);
    assert.equal(used.length, 1);
    assert.equal(used[0]?.rxPackets, sent(s));
  });

  await t.step("NAPI: a burst is served by far fewer interrupts than packets", () => {
    const s = scenario(BASE, "echo", 1, 8);
    schedule(s, 8, 40, 2_000, 1000);
    s.tb.sim.run(50_000_000);
    const r = s.server.stack.report();
    const q = r.queues.find((x) => x.rxPackets > 0);
    assert.ok(q !== undefined);
    assert.ok(
      q.interrupts * 10 < q.rxPackets,
      `${q.interrupts} interrupts, ${q.rxPackets} packets`,
    );
  });

  await t.step(
    "the shared socket's lock is taken per enqueue and per read, and waits emerge",
    () => {
      const s = scenario({ ...BASE, app: "memcached" }, "memcached-get-miss", 4, 8);
      schedule(s, 8, 20, 5_000, 1000);
      s.tb.sim.run(50_000_000);
      const r = s.server.stack.report();
      const sock = r.sockets[0];
      assert.ok(sock !== undefined);
      assert.equal(r.sockets.length, 1);
      assert.ok(sock.lockAcquisitions >= 2 * r.delivered);
      assert.ok(sock.lockWaited > 0 && sock.lockWaitNs > 0);
      assert.ok(sock.lockLineTransfers > 0, "softirq and workers on different cores move the line");
    },
  );

  await t.step("busy-poll threads spin instead of sleeping: fewer wake-ups, spin time", () => {
    const run = (variant: string) => {
      const s = scenario({ ...BASE, variant }, "echo", 4, 2);
      schedule(s, 2, 20, 20_000, 1000);
      s.tb.sim.run(10_000_000);
      assert.equal(answered(s), sent(s));
      const r = s.server.stack.report();
      const spin = s.server.host.cores.reduce((a, c) => a + (c.categoryNs[CoreCat.Spin] ?? 0), 0);
      return { wakeups: r.wakeups, spin };
    };
    const plain = run("rss-pinned");
    const busy = run("busy-poll");
    assert.equal(plain.spin, 0);
    assert.ok(busy.spin > 0);
    assert.ok(busy.wakeups < plain.wakeups, `${busy.wakeups} vs ${plain.wakeups} wake-ups`);
  });

  await t.step("rss-pinned threads stay on their cores; default ones move to idle cores", () => {
    const run = (variant: string) => {
      const s = scenario({ ...BASE, variant }, "echo", 1, 8);
      schedule(s, 8, 20, 10_000, 1000);
      s.tb.sim.run(10_000_000);
      return (s.server.stack as LinuxLike).migrations;
    };
    assert.equal(run("rss-pinned"), 0);
    assert.ok(run("default") > 0);
  });

  await t.step("refuses an unknown variant and a wrong interrupt-core list", () => {
    const tb = createTestbed({ seed: 1 });
    const host = new Host(tb, {
      name: "s",
      mac: new Uint8Array([2, 0, 0, 0, 0, 1]),
      ip: 1,
      cores: 2,
      nic: new RssNic({ queues: 2 }),
    });
    const app = new EchoApp(tb.pool);
    assert.throws(
      () => new LinuxLike(host, app, { variant: "fast" as "default" }),
      /variant "fast" is unknown: allowed default, rss-pinned, busy-poll/,
    );
    assert.throws(() => new LinuxLike(host, app, { irqCores: [0] }), /irqCores must give one core/);
  });
});
