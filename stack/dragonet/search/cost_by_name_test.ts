import assert from "node:assert/strict";
import fc from "fast-check";
import { costReject } from "./cost.ts";
import { COST_FUNCTION_NAMES, costByName } from "./cost_by_name.ts";
import { costOfQMap } from "./cost_function.ts";

const flow = (srcIp: number, i: number) => ({ srcIp, srcPort: 1000 + i });

Deno.test("costByName", async (t) => {
  await t.step("builds the named function, with the chosen weighting where it takes one", () => {
    for (const name of COST_FUNCTION_NAMES) {
      const fn = costByName({ name, goldSrc: 222, weighting: "rate" });
      assert.equal(fn.name, name);
      assert.equal(fn.weighting, name === "dummy" ? "count" : "rate");
      assert.equal(costByName({ name, goldSrc: 222 }).weighting, "count");
    }
  });
  await t.step("priority and static need goldSrc; balance and dummy do not", () => {
    for (const name of ["priority", "static"] as const) {
      assert.throws(
        () => costByName({ name }),
        new RegExp(`Cost "${name}" needs the source address of gold flows \\(goldSrc\\)`),
      );
    }
    assert.equal(costByName({ name: "balance" }).classes, 1);
    assert.equal(costByName({ name: "dummy" }).classes, 1);
  });
  await t.step("gold flows are those from goldSrc", () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.nat(0xffffffff), (goldSrc, src) => {
        for (const name of ["priority", "static"] as const) {
          const fn = costByName({ name, goldSrc, goldQueues: 1 });
          assert.equal(fn.classOf(flow(goldSrc, 0)), 1);
          assert.equal(fn.classOf(flow(src, 1)), src === goldSrc ? 1 : 0);
        }
      }),
      { seed: 42, numRuns: 50 },
    );
  });
  await t.step("goldFlowsPerQ and goldQueues reach the cost function", () => {
    assert.throws(
      () => costByName({ name: "priority", goldSrc: 222, goldFlowsPerQ: 0 }),
      /goldFlowsPerQ must be an integer >= 1, got 0/,
    );
    const gold = [flow(222, 0)];
    // 8 queues has no default gold-queue count (§9 item 3); an explicit one makes it work.
    assert.throws(
      () => costOfQMap(costByName({ name: "static", goldSrc: 222 }), 8, gold, [1]),
      /set goldQueues/,
    );
    const fn = costByName({ name: "static", goldSrc: 222, goldQueues: 3 });
    // Gold queues 1-3: gold there is acceptable, gold on queue 4 is misplaced.
    assert.notDeepEqual(costOfQMap(fn, 8, gold, [3]), costReject(1));
    assert.deepEqual(costOfQMap(fn, 8, gold, [4]), costReject(1));
  });
});
