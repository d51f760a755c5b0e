import assert from "node:assert/strict";
import fc from "fast-check";
import { compareCost, COST_OK, costReject, costVal, formatCost, isAcceptable } from "./cost.ts";
import { costOfQMap } from "./cost_function.ts";
import { dummyCost } from "./cost_dummy.ts";
import { balanceCost } from "./cost_balance.ts";

Deno.test("three-valued cost", async (t) => {
  await t.step("ok < val < reject regardless of values", () => {
    assert.ok(compareCost(COST_OK, costVal(0)) < 0);
    assert.ok(compareCost(costVal(1e9), costReject(0)) < 0);
    assert.ok(compareCost(costReject(1), costReject(100)) < 0);
    assert.equal(compareCost(costVal(2), costVal(2)), 0);
  });
  await t.step("comparison is a total order consistent with (kind, value)", () => {
    const cost = fc.oneof(
      fc.constant(COST_OK),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map(costVal),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map(costReject),
    );
    fc.assert(
      fc.property(cost, cost, (a, b) => {
        const c = compareCost(a, b);
        assert.ok(Math.sign(c) + Math.sign(compareCost(b, a)) === 0);
        if (a.kind !== b.kind) assert.equal(Math.sign(c), Math.sign(a.kind - b.kind));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  await t.step("acceptable unless rejected; formatting", () => {
    assert.ok(isAcceptable(COST_OK) && isAcceptable(costVal(5)) && !isAcceptable(costReject(1)));
    assert.equal(formatCost(costReject(100)), "reject(100)");
    assert.equal(formatCost(costVal(Math.sqrt(7) / 8)), "val(0.3307)");
    assert.equal(formatCost(COST_OK), "ok");
  });
  await t.step("dummy cost is val(1) for any placement", () => {
    const flows = [{ dstPort: 1 }, { dstPort: 2 }];
    assert.deepEqual(costOfQMap(dummyCost(), 4, flows, [1, 3]), costVal(1));
    assert.deepEqual(costOfQMap(dummyCost(), 4, [], []), costVal(1));
  });
});

Deno.test("balance cost", async (t) => {
  const flows = (n: number) => Array.from({ length: n }, (_, i) => ({ dstPort: i }));
  await t.step("population sd over queues 1..nq-1; queue 0 ignored", () => {
    // 10 queues; 2 flows on Q1, 1 flow on Q0: counts over 1..9 = [2,0,...]: sd = sqrt(9*4-4)/9
    const c = costOfQMap(balanceCost(), 10, flows(3), [1, 1, 0]);
    assert.equal(c.kind, 1);
    assert.ok(Math.abs(c.value - Math.sqrt(32) / 9) < 1e-12);
  });
  await t.step("a perfectly even placement costs val(0)", () => {
    assert.deepEqual(costOfQMap(balanceCost(), 4, flows(6), [1, 2, 3, 1, 2, 3]), costVal(0));
  });
  await t.step("permuted placements cost exactly the same (ties are exact)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }), (qs) => {
        const perm = qs.map((q) => 1 + ((q * 4) % 9)); // a permutation of queues 1..9
        const a = costOfQMap(balanceCost(), 10, flows(qs.length), qs);
        const b = costOfQMap(balanceCost(), 10, flows(qs.length), perm);
        assert.equal(a.value, b.value);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
  await t.step(
    "rate weighting (extension) weighs by declared rate; missing rate is an error",
    () => {
      const rated = [{ dstPort: 1, rate: 3 }, { dstPort: 2, rate: 1 }, { dstPort: 3, rate: 2 }];
      const c = costOfQMap(balanceCost({ weighting: "rate" }), 3, rated, [1, 2, 2]);
      assert.deepEqual(c, costVal(0));
      assert.throws(
        () => costOfQMap(balanceCost({ weighting: "rate" }), 3, [{ dstPort: 1 }], [1]),
        /declares no rate/,
      );
    },
  );
});
