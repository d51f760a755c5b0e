import assert from "node:assert/strict";
import fc from "fast-check";
import { rig } from "./_testing.ts";
import { ClientClass } from "./types.ts";

const MS = 1_000_000;

Deno.test("LoadClient closed loop", async (t) => {
  await t.step("one outstanding: every transaction takes the same RTT, tps = 1 / RTT", () => {
    const { tb, client } = rig({
      serviceNs: 2000,
      flows: 1,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 5 * MS,
    });
    tb.sim.run(6 * MS);
    const r = client.report();
    client.destroy();
    const rtt = r.overall.latency.minNs;
    assert.equal(r.overall.latency.maxNs, rtt);
    assert.ok(rtt > 2000);
    // Completions inside the window: floor or ceil of window / RTT.
    const expected = 5 * MS / rtt;
    const got = r.overall.transactionsPerSecond * 5e-3;
    assert.ok(Math.abs(got - expected) <= 1, `${got} vs ${expected}`);
    assert.equal(r.overall.errors, 0);
    assert.equal(r.overall.timeouts, 0);
  });

  await t.step("N outstanding per connection: exactly N in flight, tps = N / mean latency", () => {
    for (const n of [1, 3, 8]) {
      const flows = 2;
      const { tb, client } = rig({
        serviceNs: 1500,
        flows,
        loop: { mode: "closed", outstanding: n },
        measureStartNs: 1 * MS,
        measureEndNs: 6 * MS,
      });
      for (const at of [2, 3.3, 4.7]) {
        tb.sim.run(at * MS);
        assert.equal(client.outstanding(), flows * n);
      }
      tb.sim.run(7 * MS);
      const r = client.report();
      client.destroy();
      const little = flows * n * 1e9 / r.overall.latency.meanNs;
      const rel = Math.abs(r.overall.transactionsPerSecond - little) / little;
      assert.ok(rel < 0.01, `n=${n}: tps ${r.overall.transactionsPerSecond} vs ${little}`);
      assert.equal(r.outstanding, 0);
    }
  });

  await t.step("property: any flows x outstanding keeps exactly that many in flight", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 200, max: 3000 }),
        fc.integer({ min: 1, max: 99 }),
        (flows, n, serviceNs, probe) => {
          const { tb, client } = rig({
            serviceNs,
            flows,
            loop: { mode: "closed", outstanding: n },
            measureEndNs: 1 * MS,
          });
          tb.sim.run(probe * 10_000);
          assert.equal(client.outstanding(), flows * n);
          tb.sim.run(2 * MS);
          const r = client.report();
          client.destroy();
          assert.equal(r.outstanding, 0);
          assert.equal(r.overall.sent, r.overall.completed);
        },
      ),
      { seed: 42, numRuns: 8 },
    );
  });

  await t.step("classes are reported apart and sum to the overall counts", () => {
    const { tb, client } = rig({
      serviceNs: 1000,
      flows: 4,
      highPriority: 1,
      loop: { mode: "closed", outstanding: 2 },
      measureEndNs: 2 * MS,
    });
    tb.sim.run(3 * MS);
    const r = client.report();
    client.destroy();
    const [hp, be] = r.classes;
    assert.equal(hp?.connections, 1);
    assert.equal(be?.connections, 3);
    assert.equal((hp?.completed ?? 0) + (be?.completed ?? 0), r.overall.completed);
    assert.equal(
      (hp?.latency.count ?? 0) + (be?.latency.count ?? 0),
      r.overall.latency.count,
    );
    assert.equal(r.connections.filter((c) => c.clientClass === "high-priority").length, 1);
    assert.equal(ClientClass.HighPriority, 0);
  });
});

Deno.test("LoadClient open loop", async (t) => {
  await t.step("below capacity, the achieved rate is the target rate", () => {
    const { tb, client } = rig({
      serviceNs: 1000,
      flows: 4,
      loop: { mode: "open", ratePerSecond: 100_000 },
      measureStartNs: 1 * MS,
      measureEndNs: 51 * MS,
    });
    tb.sim.run(52 * MS);
    const r = client.report();
    client.destroy();
    const rel = Math.abs(r.overall.transactionsPerSecond - 100_000) / 100_000;
    assert.ok(rel < 0.05, `achieved ${r.overall.transactionsPerSecond}/s`);
    assert.equal(r.skipped, 0);
    assert.equal(r.overall.sent, r.overall.completed);
  });

  await t.step("latency runs from the intended send time: client-side queueing counts", () => {
    const run = (stall: boolean) => {
      const { tb, client, server } = rig({
        serviceNs: 1000,
        flows: 1,
        loop: { mode: "open", ratePerSecond: 50_000, maxOutstanding: 1 },
        measureEndNs: 20 * MS,
      });
      if (stall) {
        // The server stalls for 2 ms once, at 10 ms.
        const ev = tb.sim.on("test.stall", () => server.stall(12 * MS));
        tb.sim.at(10 * MS, ev);
      }
      tb.sim.run(30 * MS);
      const r = client.report();
      client.destroy();
      return r;
    };
    const calm = run(false);
    const stalled = run(true);
    // About 100 arrivals fall in the 2 ms stall; they wait in the client (one outstanding), and
    // each is charged from its intended time, so well over 1% of samples exceed 0.5 ms.
    assert.ok(calm.overall.latency.p99Ns < 50_000);
    assert.ok(stalled.overall.latency.p99Ns > 500_000, `p99 ${stalled.overall.latency.p99Ns}`);
    assert.ok(stalled.overall.latency.maxNs >= 2 * MS);
    assert.equal(stalled.overall.completed, stalled.overall.sent);
  });

  await t.step("closed loop hides a stall unless corrected for coordinated omission", () => {
    const run = (correctionIntervalNs: number) => {
      const { tb, client, server } = rig({
        serviceNs: 10_000,
        flows: 1,
        loop: { mode: "closed", outstanding: 1 },
        measureEndNs: 20 * MS,
        extra: { correctionIntervalNs },
      });
      const ev = tb.sim.on("test.stall", () => server.stall(12 * MS));
      tb.sim.at(10 * MS, ev);
      tb.sim.run(25 * MS);
      const r = client.report();
      client.destroy();
      return r;
    };
    const plain = run(0);
    const corrected = run(20_000);
    // Plain: the 2 ms stall is one sample among ~900; corrected: ~100 back-filled samples.
    assert.equal(plain.overall.latency.count, plain.overall.completed);
    assert.ok(plain.overall.latency.p99Ns < 100_000, `plain p99 ${plain.overall.latency.p99Ns}`);
    assert.ok(corrected.overall.latency.count > corrected.overall.completed + 50);
    assert.ok(corrected.overall.latency.p99Ns > 500_000, `p99 ${corrected.overall.latency.p99Ns}`);
    assert.throws(
      () =>
        rig({
          serviceNs: 1,
          flows: 1,
          loop: { mode: "open", ratePerSecond: 1 },
          measureEndNs: 10,
          extra: { correctionIntervalNs: 5 },
        }),
      /correctionIntervalNs 5 is invalid: .* only for a closed loop/,
    );
  });

  await t.step("a full backlog skips arrivals and counts them", () => {
    const { tb, client } = rig({
      serviceNs: 100_000,
      flows: 1,
      loop: { mode: "open", ratePerSecond: 1_000_000, maxOutstanding: 1, backlogLimit: 10 },
      measureEndNs: 1 * MS,
    });
    tb.sim.run(3 * MS);
    const r = client.report();
    client.destroy();
    assert.ok(r.skipped > 900, `skipped ${r.skipped}`);
  });
});

Deno.test("LoadClient checks and losses", async (t) => {
  await t.step("a wrong reply is an error, not a completion", () => {
    const { tb, client, server } = rig({
      serviceNs: 1000,
      flows: 1,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 1 * MS,
    });
    server.tamper = (p, n) => {
      if (n === 10) p[20] = (p[20] ?? 0) ^ 1;
    };
    tb.sim.run(2 * MS);
    const r = client.report();
    client.destroy();
    assert.equal(r.overall.errors, 1);
    assert.equal(r.overall.completed + r.overall.errors, r.overall.sent);
  });

  await t.step("a lost request times out, is counted, and the slot sends again", () => {
    const { tb, client, server } = rig({
      serviceNs: 1000,
      flows: 2,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 10 * MS,
      extra: { timeoutNs: 1 * MS, timeoutCheckNs: 100_000 },
    });
    server.drop = (n) => n === 50 || n === 51;
    tb.sim.run(12 * MS);
    const r = client.report();
    client.destroy();
    assert.equal(r.overall.timeouts, 2);
    assert.equal(r.overall.completed + r.overall.timeouts, r.overall.sent);
    assert.equal(r.outstanding, 0);
  });

  await t.step("without timeouts (netperf), a lost transaction stays lost", () => {
    const { tb, client, server } = rig({
      serviceNs: 1000,
      flows: 1,
      loop: { mode: "closed", outstanding: 4 },
      measureEndNs: 2 * MS,
    });
    server.drop = (n) => n === 7;
    tb.sim.run(3 * MS);
    assert.equal(client.outstanding(), 1);
    const r = client.report();
    client.destroy();
    assert.equal(r.overall.timeouts, 0);
  });

  await t.step("fuzz: garbage frames are counted, never crash, never complete a request", () => {
    const { tb, client } = rig({
      serviceNs: 1000,
      flows: 1,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 1 * MS,
    });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 14, maxLength: 300 }), (bytes) => {
        const buf = tb.pool.alloc(0);
        tb.pool.bytes.set(bytes, tb.pool.start[buf] ?? 0);
        client.receive(buf, bytes.length);
      }),
      { seed: 42, numRuns: 200 },
    );
    const r = client.report();
    assert.equal(r.overall.completed, 0);
    const rxBad = Object.values(r.rxBad).reduce((a, b) => a + b, 0);
    assert.equal(rxBad + r.rxUnknownPort + r.rxWrongSource, 200);
    tb.sim.run(2 * MS);
    assert.equal(client.report().overall.errors, 0);
    client.destroy();
  });

  await t.step("a late reply to a timed-out request is discarded and counted", () => {
    const { tb, client, server } = rig({
      serviceNs: 1000,
      flows: 1,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 5 * MS,
      extra: { timeoutNs: 500_000, timeoutCheckNs: 50_000 },
    });
    const ev = tb.sim.on("test.slow", () => server.stall(3 * MS));
    tb.sim.at(2 * MS, ev);
    tb.sim.run(6 * MS);
    const r = client.report();
    client.destroy();
    assert.equal(r.overall.timeouts, 1);
    assert.ok(r.late >= 1);
    assert.equal(r.overall.errors, 0);
  });
});

Deno.test("LoadClient determinism and bad options", async (t) => {
  await t.step("same seed gives identical reports; another seed differs", () => {
    const once = (seed: number) => {
      const { tb, client } = rig({
        seed,
        serviceNs: 1200,
        flows: 3,
        loop: { mode: "open", ratePerSecond: 300_000, interArrival: "fb_ia" },
        measureEndNs: 3 * MS,
      });
      tb.sim.run(4 * MS);
      const r = client.report();
      client.destroy();
      return r;
    };
    assert.deepEqual(once(7), once(7));
    assert.notDeepEqual(once(7).overall, once(8).overall);
  });

  await t.step("invalid pacing and windows are rejected with the value named", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 0 }), (n) => {
        assert.throws(
          () =>
            rig({
              serviceNs: 1,
              flows: 1,
              loop: { mode: "closed", outstanding: n },
              measureEndNs: 10,
            }),
          new RegExp(`outstanding ${n} is invalid: must be an integer 1\\.\\.4096`),
        );
      }),
      { seed: 42, numRuns: 6 },
    );
    assert.throws(
      () =>
        rig({
          serviceNs: 1,
          flows: 1,
          loop: { mode: "closed", outstanding: 1 },
          measureStartNs: 10,
          measureEndNs: 10,
        }),
      /measure 10\.\.10 ns are invalid/,
    );
    const twice = rig({
      serviceNs: 1,
      flows: 1,
      loop: { mode: "closed", outstanding: 1 },
      measureEndNs: 10,
    });
    assert.throws(() => twice.client.start(), /Client "client0" was already started/);
    twice.client.destroy();
    assert.throws(
      () =>
        rig({ serviceNs: 1, flows: 1, loop: { mode: "open", ratePerSecond: 0 }, measureEndNs: 10 }),
      /rate 0\/s is invalid/,
    );
  });
});
