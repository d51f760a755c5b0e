import assert from "node:assert/strict";
import fc from "fast-check";
import { balanceCost } from "./cost_balance.ts";
import { populationSd, QueueLoads } from "./queue_loads.ts";

const NQ = 6;
type Op = { cls: number; q: number; w: number; sign: 1 | -1 };
const opArb = (w: fc.Arbitrary<number>): fc.Arbitrary<Op> =>
  fc.record({
    cls: fc.integer({ min: 0, max: 1 }),
    q: fc.integer({ min: -1, max: NQ - 1 }),
    w,
    sign: fc.constantFrom(1 as const, -1 as const),
  });

/** Scans the loads from scratch: per-queue totals, their sum and sum of squares. */
function scan(l: QueueLoads): { total: number[]; sum: number; sumSq: number } {
  const total = Array.from(
    { length: l.queues },
    (_, q) => l.loadOf(0, q) + l.loadOf(1, q),
  );
  return {
    total,
    sum: total.reduce((a, x) => a + x, 0),
    sumSq: total.reduce((a, x) => a + x * x, 0),
  };
}

Deno.test("queue loads", async (t) => {
  await t.step("running totals equal a scan from scratch for integer weights", () => {
    fc.assert(
      fc.property(fc.array(opArb(fc.integer({ min: 1, max: 9 })), { maxLength: 60 }), (ops) => {
        const l = new QueueLoads(NQ, 2);
        for (const o of ops) l.add(o.cls, o.q, o.w, o.sign);
        const s = scan(l);
        assert.deepEqual([...l.total], s.total);
        assert.equal(l.totalSum, s.sum);
        assert.equal(l.totalSumSq, s.sumSq);
        assert.equal(l.integral, true);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
  await t.step("a fractional weight clears integral until clear()", () => {
    const l = new QueueLoads(NQ, 1);
    l.add(0, 1, 2, 1);
    assert.equal(l.integral, true);
    l.add(0, 2, 0.5, 1);
    assert.equal(l.integral, false);
    l.clear();
    assert.equal(l.integral, true);
    assert.deepEqual([l.totalSum, l.totalSumSq, l.totalLoadOf(2)], [0, 0, 0]);
  });
  await t.step("a dropped flow (queue -1) counts in its class total only", () => {
    const l = new QueueLoads(NQ, 1);
    l.add(0, -1, 3, 1);
    assert.equal(l.classTotal[0], 1);
    assert.deepEqual([l.totalSum, l.totalSumSq], [0, 0]);
  });
  await t.step("balance read from the running sums equals the sd over queues 1..nq-1", () => {
    const cost = balanceCost();
    const inSet = new Uint8Array(NQ).fill(1);
    inSet[0] = 0;
    fc.assert(
      fc.property(fc.array(opArb(fc.integer({ min: 1, max: 9 })), { maxLength: 60 }), (ops) => {
        const l = new QueueLoads(NQ, 1);
        for (const o of ops) l.add(0, o.q, o.w, o.sign);
        const c = cost.evaluate(l);
        assert.equal(c.value, populationSd(Float64Array.from(scan(l).total), 0, NQ, inSet));
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
