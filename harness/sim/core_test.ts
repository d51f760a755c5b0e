import assert from "node:assert/strict";
import { Core } from "./core.ts";
import { NO_EVENT, Simulator } from "./simulator.ts";

Deno.test("Core", async (t) => {
  await t.step("accounts busy and idle time and busy time per category", () => {
    const sim = new Simulator();
    const core = new Core(sim, 3, ["driver", "stack", "app"]);
    const work = sim.on("work", (ns, category) => core.run(ns, category, NO_EVENT));
    sim.at(0, work, 300, 0);
    sim.at(100, work, 600, 1);
    sim.at(2000, work, 1000, 2);
    sim.run(4000);
    assert.equal(core.busyNs(), 1900);
    assert.equal(core.idleNs(), 2100);
    assert.equal(core.utilisation(), 1900 / 4000);
    assert.deepEqual([...core.categoryNs], [300, 600, 1000]);
    assert.equal(core.items, 3);
    assert.equal(core.meanWaitNs(), 200 / 3);
  });

  await t.step("work queued beyond now counts as busy only up to the asked time", () => {
    const sim = new Simulator();
    const core = new Core(sim, 0);
    assert.equal(core.run(500, 0, NO_EVENT), 500);
    assert.equal(core.run(500, 0, NO_EVENT), 1000);
    assert.equal(core.busyNs(700), 700);
    assert.equal(core.freeAt, 1000);
  });

  await t.step("continuations run when the work completes", () => {
    const sim = new Simulator();
    const core = new Core(sim, 0);
    const at: number[] = [];
    const done = sim.on("done", () => at.push(sim.now));
    core.run(40, 0, done);
    core.run(60, 0, done);
    sim.run();
    assert.deepEqual(at, [40, 100]);
  });

  await t.step("rejects unknown categories and bad ids", () => {
    const sim = new Simulator();
    assert.throws(() => new Core(sim, -1), /Core id -1 is invalid/);
    assert.throws(() => new Core(sim, 0, []), /at least one work category/);
    const core = new Core(sim, 1, ["a", "b"]);
    assert.throws(() => core.run(5, 2, NO_EVENT), /category 2 is unknown: allowed 0\.\.1/);
  });
});
