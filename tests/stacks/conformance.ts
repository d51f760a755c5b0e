/**
 * The one conformance suite every timed stack model runs (STYLE.md rule 9): every request
 * answered correctly at low load; drops only where a bounded queue overflowed, each with a
 * counted reason; nothing lost silently (sent = answered + dropped with a reason + in flight, at
 * any instant, and no buffer leaked after draining); bad frames counted by reason; runs
 * deterministic; core time fully accounted.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ServerSpec } from "../../harness/stacks/server.ts";
import type { ClientMode, TestClient } from "./_client.ts";
import { type Scenario, scenario, schedule } from "./_scenario.ts";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { createServer } from "../../harness/stacks/server.ts";
import { aggregateClients } from "../../workloads/clients/aggregate.ts";
import { createMemcachedClient } from "../../workloads/memcached/memcached_client.ts";
import { DRAGONET_MEMCACHED_64 } from "../../workloads/memcached/presets.ts";

/** A stack configuration under test: the server spec without its application. */
export type StackUnderTest = Omit<ServerSpec, "app">;

/** Drop reason names a stack may report when a bounded queue overflows. */
const QUEUE_DROPS = new Set([
  "testbed.port-full",
  "nic.rx_no_dma_resources",
  "nic.tx_ring_full",
  "stack.socket-full",
  "stack.no-reply-buffer",
]);

function setup(
  sut: StackUnderTest,
  app: "echo" | "memcached",
  mode: ClientMode,
  clients: number,
  flows: number,
  extra: Partial<ServerSpec> = {},
): Scenario {
  return scenario({ ...sut, ...extra, app }, mode, clients, flows);
}

/** Sum of counted drops anywhere (testbed, server NIC, stack), by reason name. */
export function dropsByReason(s: Scenario): Map<string, number> {
  const m = new Map<string, number>();
  const c = s.tb.counters;
  const tbDrops: [string, number][] = [
    ["testbed.uplink-full", c.dropUplinkFull],
    ["testbed.no-route", c.dropNoRoute],
    ["testbed.port-full", c.dropPortFull],
    ["testbed.no-buffer", c.dropNoBuffer],
    ["testbed.bad-length", c.dropBadLength],
  ];
  for (const [k, v] of tbDrops) if (v > 0) m.set(k, v);
  for (const [k, v] of Object.entries(s.server.stack.report().drops)) {
    if (!k.startsWith("packet.")) m.set(k, v);
  }
  return m;
}

/** sent = answered + dropped (with a reason) + in flight, checked at the current instant. */
function assertConservation(s: Scenario, when: string): void {
  const sent = s.clients.reduce((a, c) => a + c.sent, 0);
  const answered = s.clients.reduce((a, c) => a + c.answered, 0);
  let dropped = 0;
  for (const v of dropsByReason(s).values()) dropped += v;
  const st = s.server.stack;
  const inFlight = s.tb.inFlight() + st.inFlight() + st.repliesPending +
    s.server.host.nic.txInFlight;
  assert.equal(
    answered + dropped + inFlight,
    sent,
    `${when}: sent ${sent} != answered ${answered} + dropped ${dropped} + in flight ${inFlight}`,
  );
}

function runLowLoad(sut: StackUnderTest, app: "echo" | "memcached", mode: ClientMode): Scenario {
  const s = setup(sut, app, mode, 4, 2);
  schedule(s, 2, 10, 500_000, 1000);
  s.tb.sim.run(20_000_000);
  return s;
}

/** Runs the suite against `sut` inside test `t`. */
export async function runStackConformance(
  t: Deno.TestContext,
  sut: StackUnderTest,
): Promise<void> {
  await t.step("answers every echo request correctly at low load, no drops", () => {
    const s = runLowLoad(sut, "echo", "echo");
    for (const c of s.clients) {
      assert.equal(c.wrong, 0, c.firstWrong);
      assert.equal(c.answered, c.sent, `${c.name}: ${c.answered} of ${c.sent} answered`);
    }
    assert.deepEqual([...dropsByReason(s)], []);
    assertConservation(s, "after the run");
  });

  await t.step("memcached: sets are stored and gets return the stored values", () => {
    const s = runLowLoad(sut, "memcached", "memcached-set-get");
    for (const c of s.clients) {
      assert.equal(c.wrong, 0, c.firstWrong);
      assert.equal(c.answered, c.sent);
    }
    const engine = (s.server.app as unknown as { engine: { counters: { getHits: number } } })
      .engine;
    assert.equal(engine.counters.getHits, s.clients.reduce((a, c) => a + c.sent, 0) / 2);
    assert.deepEqual([...dropsByReason(s)], []);
  });

  await t.step(
    "overload: drops only at bounded queues, each counted; conservation at every instant; no leak",
    () => {
      const s = setup(sut, "memcached", "memcached-get-miss", 8, 8, { socketQueueDatagrams: 16 });
      // 8 clients x 8 flows, 100 requests each 10 µs apart: 6.4 Mpps, below the line rate of
      // the server's port but far beyond any stack model's service rate.
      schedule(s, 8, 100, 10_000, 1000);
      for (let tNs = 5_000; tNs <= 1_200_000; tNs += 50_000) {
        s.tb.sim.run(tNs);
        assertConservation(s, `at ${tNs} ns`);
      }
      s.tb.sim.run(50_000_000);
      assertConservation(s, "after draining");
      const drops = dropsByReason(s);
      const serverDrops = [...drops.keys()].filter((k) => !k.startsWith("testbed."));
      assert.ok(serverDrops.length > 0, "an overload this large must overflow a server queue");
      for (const k of drops.keys()) assert.ok(QUEUE_DROPS.has(k), `unexpected drop reason ${k}`);
      for (const c of s.clients) assert.equal(c.wrong, 0, c.firstWrong);
      const report = s.server.stack.report();
      assert.equal(
        report.queues.reduce((a, q) => a + q.ringDrops, 0),
        report.drops["nic.rx_no_dma_resources"] ?? 0,
        "per-queue ring drops add up to the NIC's count",
      );
      const st = s.server.stack;
      assert.equal(st.inFlight() + st.repliesPending + s.tb.inFlight(), 0);
      assert.equal(s.tb.pool.inUse, 0, "every buffer is back in the pool");
    },
  );

  await t.step(
    "the workload's memaslap clients: every reply correct, none lost, closed loop",
    () => {
      const tb = createTestbed({ seed: 42, poolBuffers: 16_384 });
      const server = createServer(tb, { ...sut, app: "memcached" });
      const clients = [0, 1, 2, 3].map((m) =>
        createMemcachedClient(tb, {
          workload: { ...DRAGONET_MEMCACHED_64, records: 100 },
          name: `memaslap${m}`,
          mac: new Uint8Array([2, 0, 0, 0, 3, m + 1]),
          ip: ((10 << 24) | (3 << 8) | (m + 1)) >>> 0,
          serverIp: server.host.ip,
          serverMac: server.host.mac,
          connections: 2,
          firstSrcPort: 8000 + 2 * m,
          loadOffset: 2 * m,
          loadConnections: 8,
          measureStartNs: 2_000_000,
          measureEndNs: 4_000_000,
        })
      );
      for (const c of clients) c.start();
      tb.sim.run(5_000_000);
      const agg = aggregateClients(clients);
      const reports = clients.map((c) => c.report());
      for (const c of clients) c.destroy();
      assert.ok(agg.overall.completed > 0);
      assert.equal(agg.overall.completed, agg.overall.sent);
      assert.equal(agg.overall.errors + agg.overall.timeouts, 0);
      for (const r of reports) {
        assert.equal(r.loadErrors + r.late + r.garbled + r.rxUnknownPort + r.rxWrongSource, 0);
        assert.ok(r.loadFinishedNs > 0 && r.loadFinishedNs < 2_000_000, "keys loaded in time");
      }
      assert.deepEqual(server.stack.report().drops, {});
    },
  );

  await t.step("bad frames are counted with their reason and never answered", () => {
    const s = setup(sut, "echo", "echo", 1, 1);
    const c = s.clients[0] as TestClient;
    s.tb.sim.run(1000);
    c.sendBad("bad-checksum");
    c.sendBad("closed-port");
    s.tb.sim.run(10_000_000);
    const r = s.server.stack.report();
    assert.equal(r.drops["packet.udp-bad-checksum"], 1);
    assert.equal(r.drops["stack.bad-frame"], 1);
    assert.equal(r.drops["stack.no-socket"], 1);
    assert.equal(c.answered + c.wrong, 0);
    assert.equal(s.tb.pool.inUse, 0);
  });

  await t.step("the same seed gives the same report", () => {
    const a = runLowLoad(sut, "memcached", "memcached-set-get").server.stack.report();
    const b = runLowLoad(sut, "memcached", "memcached-set-get").server.stack.report();
    assert.deepEqual(a, b);
  });

  await t.step("every core's time is busy or idle; busy is non-negative per category", () => {
    const s = runLowLoad(sut, "echo", "echo");
    const now = s.tb.sim.now;
    for (const core of s.server.host.cores) {
      for (const v of core.categoryNs) assert.ok(v >= 0);
      const busy = core.busyNs();
      assert.ok(busy <= now + 1, `core ${core.id} busy ${busy} > elapsed ${now}`);
      assert.ok(Math.abs(busy + core.idleNs() - now) < 1e-6);
    }
  });
}
