import assert from "node:assert/strict";
import { CoreCat, type CoreTask, HostCore } from "./host_core.ts";
import { Simulator } from "./simulator.ts";

/** A task that runs `steps` steps of `ns` each in `cat`, logging start times. */
function task(name: string, steps: number, ns: number, cat: number, log: string[], sim: Simulator) {
  let left = steps;
  const t: CoreTask = {
    name,
    ready: () => left > 0,
    start: (core) => {
      log.push(`${name}@${sim.now}`);
      core.charge(cat, ns);
    },
    finish: () => {
      left--;
    },
  };
  return t;
}

Deno.test("HostCore", async (t) => {
  await t.step("runs softirq steps before threads, threads round robin", () => {
    const sim = new Simulator();
    const core = new HostCore(sim, 0, "h.core0");
    const log: string[] = [];
    core.addTask(task("a", 2, 100, CoreCat.App, log, sim));
    core.addTask(task("b", 2, 100, CoreCat.App, log, sim));
    core.addTask(task("irq", 1, 50, CoreCat.Driver, log, sim), true);
    core.kick();
    sim.run();
    assert.deepEqual(log, ["irq@0", "a@50", "b@150", "a@250", "b@350"]);
    assert.equal(core.categoryNs[CoreCat.Driver], 50);
    assert.equal(core.categoryNs[CoreCat.App], 400);
    assert.equal(core.busyNs(), 450);
  });

  await t.step("a softirq made ready during a thread step waits for the step to end", () => {
    const sim = new Simulator();
    const core = new HostCore(sim, 0, "h.core0");
    const log: string[] = [];
    let irqReady = false;
    core.addTask(task("thread", 1, 1000, CoreCat.App, log, sim));
    core.addTask({
      name: "irq",
      ready: () => irqReady,
      start: (c) => {
        log.push(`irq@${sim.now}`);
        c.charge(CoreCat.Driver, 10);
      },
      finish: () => {
        irqReady = false;
      },
    }, true);
    const raise = sim.on("raise", () => {
      irqReady = true;
      core.kick();
    });
    sim.at(200, raise);
    core.kick();
    sim.run();
    assert.deepEqual(log, ["thread@0", "irq@1000"]);
  });

  await t.step("spinning counts as busy only while nothing else runs", () => {
    const sim = new Simulator();
    const core = new HostCore(sim, 0, "h.core0");
    const log: string[] = [];
    core.addSpinner();
    const go = sim.on("go", () => {
      core.addTask(task("w", 1, 300, CoreCat.App, log, sim));
      core.kick();
    });
    sim.at(1000, go);
    sim.run(5000);
    assert.equal(core.categoryNs[CoreCat.App], 300);
    assert.equal(core.busyNs(), 5000);
    assert.equal(core.categoryNs[CoreCat.Spin], 4700);
    core.removeSpinner();
    sim.run(6000);
    assert.equal(core.busyNs(), 5000);
    assert.equal(core.idleNs(), 1000);
  });

  await t.step("busy time excludes the part of a running step still ahead", () => {
    const sim = new Simulator();
    const core = new HostCore(sim, 0, "h.core0");
    core.addTask(task("w", 1, 1000, CoreCat.App, [], sim));
    core.kick();
    sim.run(400);
    assert.equal(core.busyNs(), 400);
    assert.equal(core.idleNs(), 0);
  });

  await t.step("refuses to remove a running task or a missing spinner", () => {
    const sim = new Simulator();
    const core = new HostCore(sim, 0, "h.core0");
    const w = task("w", 1, 1000, CoreCat.App, [], sim);
    core.addTask(w);
    core.kick();
    assert.throws(() => core.removeTask(w), /while it runs a step/);
    assert.throws(() => core.removeSpinner(), /no spinner/);
    assert.throws(() => new HostCore(sim, -1, "x"), /Core id -1/);
  });
});
