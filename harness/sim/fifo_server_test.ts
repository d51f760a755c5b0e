import assert from "node:assert/strict";
import fc from "fast-check";
import { DROPPED, FifoServer } from "./fifo_server.ts";
import { NO_EVENT, Simulator } from "./simulator.ts";

Deno.test("FifoServer", async (t) => {
  await t.step("serves in arrival order; completion events carry their arguments", () => {
    const sim = new Simulator();
    const server = new FifoServer(sim, "s");
    const done: string[] = [];
    const k = sim.on("done", (a) => done.push(`${sim.now}:${a}`));
    const arrive = sim.on("arrive", (a, service) => server.submit(service, k, a));
    sim.at(0, arrive, 1, 100);
    sim.at(10, arrive, 2, 50);
    sim.at(500, arrive, 3, 20);
    sim.run();
    assert.deepEqual(done, ["100:1", "150:2", "520:3"]);
    assert.equal(server.waited, 1);
    assert.equal(server.waitNsSum, 90);
    assert.equal(server.waitNsMax, 90);
    assert.equal(server.busyNs(), 170);
  });

  await t.step("completion times follow Lindley's recursion for any arrival pattern", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.nat(200), service: fc.nat(300) }), { maxLength: 60 }),
        (jobs) => {
          const sim = new Simulator();
          const server = new FifoServer(sim, "s");
          const ends: number[] = [];
          const arrive = sim.on("arrive", (i) => {
            ends.push(server.submit((jobs[i] as { service: number }).service, NO_EVENT));
          });
          let at = 0;
          jobs.forEach((j, i) => {
            at += j.gap;
            sim.at(at, arrive, i);
          });
          sim.run();
          let free = 0;
          let arrival = 0;
          let wait = 0;
          jobs.forEach((j, i) => {
            arrival += j.gap;
            const start = Math.max(free, arrival);
            wait += start - arrival;
            free = start + j.service;
            assert.equal(ends[i], free);
          });
          assert.equal(server.waitNsSum, wait);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  await t.step("a full waiting room drops and counts arrivals", () => {
    const sim = new Simulator();
    const server = new FifoServer(sim, "s", { waitingRoom: 2 });
    const results = [1, 2, 3, 4].map(() => server.submit(100, NO_EVENT));
    assert.deepEqual(results, [100, 200, 300, DROPPED]);
    assert.equal(server.drops, 1);
    assert.equal(server.waiting(), 2);
    const k = sim.on("tick", () => {});
    sim.at(150, k);
    sim.run();
    assert.equal(server.waiting(), 1); // the job starting at 200 still waits
    assert.equal(server.submit(100, NO_EVENT), 400);
  });

  await t.step("busy time is exact at any time from now on", () => {
    const sim = new Simulator();
    const server = new FifoServer(sim, "s");
    server.submit(100, NO_EVENT);
    server.submit(100, NO_EVENT);
    assert.equal(server.busyNs(50), 50);
    assert.equal(server.busyNs(250), 200);
    sim.run(1000);
    assert.throws(() => server.busyNs(10), /before now/);
  });

  await t.step("rejects bad service times and waiting rooms", () => {
    const sim = new Simulator();
    assert.throws(
      () => new FifoServer(sim, "s", { waitingRoom: -1 }),
      /waiting room -1 is invalid/,
    );
    const server = new FifoServer(sim, "s");
    assert.throws(() => server.submit(-5, NO_EVENT), /service time -5 ns is invalid/);
    assert.throws(() => server.submit(2.5, NO_EVENT), /service time 2.5 ns is invalid/);
  });
});
