import assert from "node:assert/strict";
import { createSampler } from "../../workloads/dist/mod.ts";
import { Core } from "./core.ts";
import { Lock } from "./lock.ts";
import { RandomStreams } from "./random_streams.ts";
import { NO_EVENT, Simulator } from "./simulator.ts";
import { Link } from "./wire.ts";

/**
 * A small host: Poisson clients send frames over a bounded link to two cores that share a lock;
 * returns the full event trace as text.
 */
function traceOfHost(seed: number, frames: number): string {
  const sim = new Simulator(4);
  const lines: string[] = [];
  sim.tracer = (time, kind, a, b) => lines.push(`${time} ${sim.kindName(kind)} ${a} ${b}`);
  const streams = new RandomStreams(seed);
  const gapRng = streams.stream("client.gaps");
  const sizeRng = streams.stream("client.sizes");
  const workRng = streams.stream("server.work");
  const gap = createSampler({ kind: "exponential", lambda: 1 / 700 });
  const size = createSampler({ kind: "uniform", max: 1400 });
  const work = createSampler({ kind: "exponential", lambda: 1 / 700 });
  const cores = [new Core(sim, 0), new Core(sim, 1)];
  const lock = new Lock(sim, "socket", { uncontendedNs: 20, contendedNs: 220 });
  const done = sim.on("server.done", () => {});
  const link = new Link(sim, "c2s", (tag) => {
    const core = cores[tag % 2] as Core;
    const end = core.run(Math.round(work.sample(workRng)), 0, NO_EVENT);
    sim.at(end, locked, tag % 2);
  }, { queueFrames: 8 });
  const locked = sim.on("server.lock", (owner) => {
    lock.acquire(owner, 150, done, owner);
  });
  let sent = 0;
  const send = sim.on("client.send", () => {
    link.send(sent, 60 + Math.floor(size.sample(sizeRng)));
    if (++sent < frames) sim.after(Math.round(gap.sample(gapRng)), send);
  });
  sim.at(0, send);
  sim.run();
  lines.push(`drops ${link.drops} waited ${lock.waited} busy ${cores[0]?.busyNs()}`);
  return lines.join("\n");
}

Deno.test("Simulator", async (t) => {
  await t.step("runs events in time order and same-time events in scheduling order", () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const k = sim.on("k", (a) => {
      seen.push(`${sim.now}:${a}`);
      if (a === 1) sim.after(0, k, 9); // same instant, scheduled last: runs last
    });
    sim.at(20, k, 3);
    sim.at(10, k, 1);
    sim.at(10, k, 2);
    sim.at(20, k, 4);
    assert.equal(sim.run(), 5);
    assert.deepEqual(seen, ["10:1", "10:2", "10:9", "20:3", "20:4"]);
  });

  await t.step("cancelled events do not run; stale handles are refused", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const k = sim.on("k", (a) => seen.push(a));
    const h1 = sim.at(5, k, 1);
    const h2 = sim.at(6, k, 2);
    assert.equal(sim.cancel(h1), true);
    assert.equal(sim.cancel(h1), false);
    sim.run();
    assert.deepEqual(seen, [2]);
    assert.equal(sim.cancel(h2), false); // already ran
    const h3 = sim.at(7, k, 3); // reuses a slot under a new generation
    assert.equal(sim.cancel(h2), false);
    assert.equal(sim.cancel(h3), true);
    assert.equal(sim.cancelled, 2);
  });

  await t.step("run(until) stops before later events and advances the clock to until", () => {
    const sim = new Simulator();
    const k = sim.on("k", () => {});
    sim.at(100, k);
    sim.at(300, k);
    assert.equal(sim.run(200), 1);
    assert.equal(sim.now, 200);
    assert.equal(sim.pending, 1);
    assert.equal(sim.run(), 1);
    assert.equal(sim.now, 300);
  });

  await t.step("stop() and maxEvents end a run early", () => {
    const sim = new Simulator();
    const k = sim.on("k", (a) => {
      if (a === 2) sim.stop();
    });
    for (let i = 1; i <= 4; i++) sim.at(i, k, i);
    assert.equal(sim.run(), 2);
    assert.equal(sim.run(Infinity, 1), 1);
    assert.equal(sim.now, 3);
  });

  await t.step("grows from a tiny slot pool to 100 000 pending events", () => {
    const sim = new Simulator(1);
    let sum = 0;
    const k = sim.on("k", (a) => (sum += a));
    for (let i = 0; i < 100_000; i++) sim.at(100_000 - i, k, i);
    assert.equal(sim.run(), 100_000);
    assert.equal(sum, (99_999 * 100_000) / 2);
  });

  await t.step("rejects bad times, kinds and names with the value and the limit", () => {
    const sim = new Simulator();
    const k = sim.on("k", () => {});
    sim.at(10, k);
    sim.run();
    assert.throws(() => sim.at(5, k), /Event time 5 ns is invalid: must be an integer in 10\.\./);
    assert.throws(() => sim.after(1.5, k), /Event time 11.5 ns is invalid/);
    assert.throws(() => sim.after(Number.NaN, k), /Event time NaN ns is invalid/);
    assert.throws(
      () => sim.at(20, 7),
      /Event kind 7 is not registered: registered kinds are 1\.\.1/,
    );
    assert.throws(() => sim.at(20, NO_EVENT), /Event kind 0 is not registered/);
    assert.throws(() => sim.on("k", () => {}), /"k" is already registered/);
    assert.throws(() => sim.run(3), /Run limit 3 ns is before now \(10 ns\)/);
    assert.throws(
      () => sim.run(12.5),
      /Run limit 12.5 ns is invalid: must be an integer or Infinity/,
    );
    assert.throws(() => new Simulator(0), /Initial event slots must be an integer in 1\.\./);
  });

  await t.step("one seed gives a byte-identical event trace; two seeds differ", () => {
    const a = traceOfHost(42, 3000);
    const b = traceOfHost(42, 3000);
    const c = traceOfHost(43, 3000);
    assert.ok(a.split("\n").length > 10_000, "the model should run thousands of events");
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
});
