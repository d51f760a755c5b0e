import assert from "node:assert/strict";
import { Lock } from "./lock.ts";
import { NO_EVENT, Simulator } from "./simulator.ts";

Deno.test("Lock", async (t) => {
  await t.step("one owner pays only the uncontended cost and never waits", () => {
    const sim = new Simulator();
    const lock = new Lock(sim, "l", { uncontendedNs: 20, contendedNs: 220 });
    const grant = sim.on("grant", () => lock.acquire(0, 100, NO_EVENT));
    for (let i = 0; i < 10; i++) sim.at(i * 1000, grant);
    sim.run();
    assert.equal(lock.acquisitions, 10);
    assert.equal(lock.waited, 0);
    assert.equal(lock.lineTransfers, 0);
    assert.equal(lock.heldNsSum, 10 * 120);
  });

  await t.step("overlapping owners wait in FIFO order and pay cache-line transfers", () => {
    const sim = new Simulator();
    const lock = new Lock(sim, "l", { uncontendedNs: 20, contendedNs: 220 });
    const released: string[] = [];
    const done = sim.on("done", (owner) => released.push(`${sim.now}:${owner}`));
    const ask = sim.on("ask", (owner) => lock.acquire(owner, 100, done, owner));
    sim.at(0, ask, 0);
    sim.at(0, ask, 1);
    sim.at(0, ask, 1);
    sim.at(10, ask, 0);
    sim.run();
    // 0: 0..120; 1: 120..440 (transfer); 1: 440..560; 0: 560..880 (transfer)
    assert.deepEqual(released, ["120:0", "440:1", "560:1", "880:0"]);
    assert.equal(lock.waited, 3);
    assert.equal(lock.lineTransfers, 2);
    assert.equal(lock.waitNsSum, 120 + 440 + 550);
    assert.equal(lock.waitNsMax, 550);
  });

  await t.step("the returned release time lets a spinning owner charge its core", () => {
    const sim = new Simulator();
    const lock = new Lock(sim, "l", { uncontendedNs: 0, contendedNs: 0 });
    assert.equal(lock.acquire(0, 300, NO_EVENT), 300);
    assert.equal(lock.acquire(1, 300, NO_EVENT), 600);
    assert.equal(lock.waiting(), 1);
    assert.equal(lock.freeAt, 600);
  });

  await t.step("rejects bad owners and costs", () => {
    const sim = new Simulator();
    assert.throws(
      () => new Lock(sim, "l", { uncontendedNs: -1, contendedNs: 0 }),
      /Lock "l" cost uncontendedNs -1 ns is invalid/,
    );
    const lock = new Lock(sim, "m", { uncontendedNs: 1, contendedNs: 2 });
    assert.throws(() => lock.acquire(-1, 10, NO_EVENT), /owner -1 is invalid/);
  });
});
