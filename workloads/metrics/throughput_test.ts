import assert from "node:assert/strict";
import { ThroughputMeter, transactionsPerSecond } from "./throughput.ts";

Deno.test("Throughput", async (t) => {
  await t.step("transactions per second from a count and a simulated duration", () => {
    assert.equal(transactionsPerSecond(500, 1e6), 500_000);
    assert.equal(transactionsPerSecond(0, 1), 0);
  });

  await t.step("the meter counts only completions inside its window", () => {
    const m = new ThroughputMeter(2_000, 12_000);
    for (let t = 0; t < 20_000; t += 100) m.record(t);
    assert.equal(m.before, 20);
    assert.equal(m.count, 100);
    assert.equal(m.after, 80);
    assert.equal(m.perSecond(), 1e7);
  });

  await t.step("rejects bad windows, counts and durations", () => {
    assert.throws(() => new ThroughputMeter(5, 5), /window \[5, 5\) ns is invalid/);
    assert.throws(() => transactionsPerSecond(-1, 5), /count -1 is invalid/);
    assert.throws(() => transactionsPerSecond(1, 0), /Duration 0 ns is invalid/);
  });
});
