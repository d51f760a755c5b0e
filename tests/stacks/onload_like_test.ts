import assert from "node:assert/strict";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { Host } from "../../harness/sim/host.ts";
import { OnloadLike } from "../../harness/stacks/onload_like.ts";
import { createServer, type ServerSpec } from "../../harness/stacks/server.ts";
import { EchoApp } from "../../harness/stacks/server_app.ts";
import { Sfc9020Nic } from "../../nicmodels/solarflare_sfc9020/model.ts";
import { sfcDefaultConfig } from "../../nicmodels/solarflare_sfc9020/config.ts";
import { answered, scenario, schedule, sent } from "./_scenario.ts";

const BASE: ServerSpec = { cores: 4, nic: "sfc9020", stack: "onload-like", app: "memcached" };

Deno.test("Onload-like stack model", async (t) => {
  await t.step("no interrupts, no wake-ups; each stack's socket lock is never contended", () => {
    const s = scenario(BASE, "memcached-get-miss", 8, 4);
    schedule(s, 4, 20, 5_000, 1000);
    s.tb.sim.run(20_000_000);
    assert.equal(answered(s), sent(s));
    const r = s.server.stack.report();
    assert.equal(r.queues.reduce((a, q) => a + q.interrupts, 0), 0);
    assert.equal(r.wakeups, 0);
    assert.equal(r.sockets.length, 4);
    for (const sock of r.sockets) {
      assert.equal(sock.lockWaited, 0);
      assert.equal(sock.lockLineTransfers, 0);
    }
  });

  await t.step("each stack serves exactly the packets of its own queue", () => {
    const s = scenario(BASE, "memcached-get-miss", 8, 4);
    schedule(s, 4, 10, 5_000, 1000);
    s.tb.sim.run(20_000_000);
    const r = s.server.stack.report();
    r.sockets.forEach((sock, i) => {
      assert.equal(sock.lockAcquisitions, 2 * (r.queues[i]?.rxPackets ?? -1));
    });
    assert.ok(r.queues.filter((q) => q.rxPackets > 0).length >= 2, "the filter's RSS spreads");
  });

  await t.step("spinning cores are busy all the time", () => {
    const s = scenario(BASE, "memcached-get-miss", 2, 2);
    schedule(s, 2, 5, 50_000, 1000);
    s.tb.sim.run(2_000_000);
    for (const c of s.server.host.cores) assert.equal(Math.round(c.busyNs()), s.tb.sim.now);
  });

  await t.step("needs the SFC9020 and the socket's hardware filter", () => {
    const tb = createTestbed({ seed: 1 });
    assert.throws(
      () => createServer(tb, { ...BASE, nic: "rss" }),
      /onload-like stack needs nic "sfc9020"/,
    );
    const host = new Host(tb, {
      name: "s",
      mac: new Uint8Array([2, 0, 0, 0, 0, 1]),
      ip: 1,
      cores: 2,
      nic: new Sfc9020Nic(sfcDefaultConfig(2)),
    });
    assert.throws(
      () => new OnloadLike(host, new EchoApp(tb.pool)),
      /needs a UDP filter for port 888/,
    );
  });
});
