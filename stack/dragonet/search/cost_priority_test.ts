import assert from "node:assert/strict";
import { costReject, costVal } from "./cost.ts";
import { costOfQMap } from "./cost_function.ts";
import { priorityCost } from "./cost_priority.ts";
import { goldBySrcIp } from "./gold.ts";

const HP = 222;
const BE = 100;
const gold = (i: number) => ({ srcIp: HP, srcPort: 1000 + i });
const be = (i: number) => ({ srcIp: BE, srcPort: 2000 + i });
const cost = (opts: { gfpq?: number; q8?: boolean } = {}) =>
  priorityCost({
    isGold: goldBySrcIp(HP),
    goldFlowsPerQ: opts.gfpq ?? 1,
    originalBeQueues: opts.q8 ?? false,
  });

Deno.test("priority cost", async (t) => {
  await t.step("S3: gold and BE sharing Q1 is reject(100)", () => {
    assert.deepEqual(costOfQMap(cost(), 10, [gold(0), be(0)], [1, 1]), costReject(100));
  });
  await t.step("S3: gold on Q1, BE on Q2 is val(sqrt(7)/8)", () => {
    for (const q8 of [false, true]) {
      const c = costOfQMap(cost({ q8 }), 10, [gold(0), be(0)], [1, 2]);
      assert.equal(c.kind, 1);
      assert.ok(Math.abs(c.value - Math.sqrt(7) / 8) < 1e-12, `q8=${q8}: ${c.value}`);
    }
  });
  await t.step("rule 1: no gold flows is the BE balance over 1..nq-1", () => {
    const c = costOfQMap(cost(), 4, [be(0), be(1)], [1, 1]);
    assert.ok(Math.abs(c.value - Math.sqrt(3 * 4 - 4) / 3) < 1e-12);
  });
  await t.step("rule 2: no BE flows penalises extra gold queues", () => {
    // 2 gold flows, 2 per queue -> goldNQs 1; spread over 2 exclusive queues -> goldNeeded -1
    const c = costOfQMap(cost({ gfpq: 2 }), 4, [gold(0), gold(1)], [1, 2]);
    const sd = Math.sqrt(3 * 2 - 4) / 3;
    assert.ok(Math.abs(c.value - (sd + 1)) < 1e-12);
  });
  await t.step("rule 3: too few exclusive gold queues is reject(100 x missing)", () => {
    const flows = [gold(0), gold(1), gold(2), be(0)];
    assert.deepEqual(costOfQMap(cost(), 10, flows, [1, 1, 1, 2]), costReject(200));
  });
  await t.step("rule 4: gold sharing with BE beyond what is needed is reject(shared)", () => {
    // 1 gold flow needs 1 queue; gold on Q1 (exclusive) and Q2 (shared with BE)
    const flows = [gold(0), gold(1), be(0)];
    const c = costOfQMap(cost({ gfpq: 2 }), 10, flows, [1, 2, 2]);
    assert.deepEqual(c, costReject(1));
  });
  await t.step("rule 5: missing BE queues is a penalty, not a rejection", () => {
    const flows = [gold(0), be(0), be(1)];
    const c = costOfQMap(cost(), 10, flows, [1, 2, 2]);
    assert.equal(c.kind, 1);
    assert.ok(c.value >= 100 && c.value < 101);
  });
  await t.step(
    "S4: nq = 5, 2 HP + 8 BE: every solution pays 100 with quirk Q8, none without",
    () => {
      const flows = [gold(0), gold(1), ...Array.from({ length: 8 }, (_, i) => be(i))];
      const best = [1, 2, 3, 4, 3, 4, 3, 4, 3, 4];
      const q8 = costOfQMap(cost({ q8: true }), 5, flows, best);
      assert.equal(q8.kind, 1);
      assert.ok(q8.value >= 100, `original penalty expected, got ${q8.value}`);
      assert.deepEqual(costOfQMap(cost(), 5, flows, best), costVal(0));
    },
  );
  await t.step("goldFlowsPerQ must be a positive integer", () => {
    assert.throws(() => cost({ gfpq: 0 }), /goldFlowsPerQ must be an integer >= 1, got 0/);
  });
  await t.step("order puts gold flows first, stably", () => {
    const fl = [be(0), gold(0), be(1), gold(1)];
    assert.deepEqual(cost().order?.(fl), [gold(0), gold(1), be(0), be(1)]);
  });
});
