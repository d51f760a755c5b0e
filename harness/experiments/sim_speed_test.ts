import assert from "node:assert/strict";
import { formatSimSpeed, measureSimSpeed } from "./sim_speed.ts";

Deno.test("measureSimSpeed", async (t) => {
  const o = {
    experiment: "echo",
    stack: "onload",
    clients: 8,
    shortMs: 1,
    longMs: 3,
    repeat: 1,
  } as const;
  const a = measureSimSpeed(o);

  await t.step("counts exact transactions, more in the longer window", () => {
    assert.ok(a.short.transactions > 0);
    assert.ok(a.long.transactions > a.short.transactions);
    const b = measureSimSpeed(o);
    assert.equal(b.short.transactions, a.short.transactions);
    assert.equal(b.long.transactions, a.long.transactions);
  });

  await t.step("fills the bench defaults it was not given", () => {
    assert.equal(a.options.size, 64);
    assert.equal(a.options.burst, 1);
    assert.equal(a.options.seed, 1);
  });

  await t.step("the report names the point and the rates", () => {
    const text = formatSimSpeed(a);
    assert.match(text, /^echo on onload, 8 clients, 64 B, burst 1, seed 1/);
    assert.match(text, /1 ms simulated: [\d,]+ transactions/);
    assert.match(text, /overall \(long window, set-up included\): [\d,]+ per wall second/);
  });

  await t.step("refuses an unknown stack, naming the allowed ones", () => {
    assert.throws(
      () => measureSimSpeed({ experiment: "memcached", stack: "nope" }),
      /stack "nope" is not a bench stack: allowed dragonet-82599/,
    );
  });

  await t.step("refuses windows in the wrong order and bad counts", () => {
    assert.throws(
      () => measureSimSpeed({ experiment: "echo", shortMs: 5, longMs: 5 }),
      /long window \(5 ms\) must be longer than the short one \(5 ms\)/,
    );
    assert.throws(
      () => measureSimSpeed({ experiment: "echo", clients: 0 }),
      /clients must be an integer in 1\.\.10000, got 0/,
    );
  });
});
