import assert from "node:assert/strict";
import { costReject, costVal } from "./cost.ts";
import { costOfQMap } from "./cost_function.ts";
import { staticCost, staticGoldQueues } from "./cost_static.ts";
import { goldBySrcIp } from "./gold.ts";

const gold = (i: number) => ({ srcIp: 222, srcPort: 1000 + i });
const be = (i: number) => ({ srcIp: 100, srcPort: 2000 + i });
const isGold = goldBySrcIp(222);

Deno.test("static cost", async (t) => {
  await t.step("S5: original gold-queue counts 5 -> 2, 9/10 -> 4, else an error", () => {
    assert.equal(staticGoldQueues(5), 2);
    assert.equal(staticGoldQueues(9), 4);
    assert.equal(staticGoldQueues(10), 4);
    assert.throws(() => staticGoldQueues(8), /no default gold-queue count for 8 queues/);
    assert.throws(
      () => costOfQMap(staticCost({ isGold }), 8, [gold(0)], [1]),
      /set goldQueues/,
    );
    assert.equal(staticGoldQueues(8, 3), 3);
    assert.throws(() => staticGoldQueues(8, 7), /must be an integer 1\.\.6 for 8 queues, got 7/);
  });
  await t.step("S5: nq = 10 gold set is queues 1-4", () => {
    const fn = staticCost({ isGold });
    for (let q = 1; q <= 9; q++) {
      const c = costOfQMap(fn, 10, [gold(0)], [q]);
      assert.equal(c.kind === 1, q <= 4, `gold on ${q}`);
      const b = costOfQMap(fn, 10, [be(0)], [q]);
      assert.equal(b.kind === 1, q > 4, `be on ${q}`);
    }
  });
  await t.step("misplaced flows are reject(1); otherwise the sum of class sds", () => {
    const fn = staticCost({ isGold });
    assert.deepEqual(costOfQMap(fn, 10, [gold(0), be(0)], [5, 5]), costReject(1));
    assert.deepEqual(costOfQMap(fn, 10, [gold(0), be(0)], [0, 5]), costReject(1));
    const c = costOfQMap(fn, 10, [gold(0), gold(1), be(0)], [1, 2, 5]);
    const sdG = Math.sqrt(4 * 2 - 4) / 4;
    const sdB = Math.sqrt(5 * 1 - 1) / 5;
    assert.ok(Math.abs(c.value - (sdG + sdB)) < 1e-12);
    assert.deepEqual(costOfQMap(fn, 10, [], []), costVal(0));
  });
  await t.step("k as a parameter", () => {
    const fn = staticCost({ isGold, goldQueues: 1 });
    assert.equal(costOfQMap(fn, 4, [gold(0)], [1]).kind, 1);
    assert.deepEqual(costOfQMap(fn, 4, [gold(0)], [2]), costReject(1));
    assert.throws(() => staticCost({ isGold, goldQueues: 0 }), /integer >= 1, got 0/);
  });
});
