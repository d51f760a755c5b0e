import type { Flow } from "./flow.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyOps, ruleKey } from "../../../nicmodels/_shared/config_diff.ts";
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { balanceCost } from "./cost_balance.ts";
import { priorityCost } from "./cost_priority.ts";
import { goldBySrcIp } from "./gold.ts";
import { IncrementalSearch } from "./incremental_search.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { PLAN_82599 } from "./mapper_plan.ts";
import { qmapOf } from "./queue_mapper.ts";
import { addFlow, EMPTY_FLOWS, removeFlow } from "./flows_state.ts";
import { at, connectFlows, setup82599 } from "./_test_setup.ts";

Deno.test("incremental search", async (t) => {
  await t.step("S6: removal is lazy: the filter stays installed, unowned", () => {
    const s = new IncrementalSearch({ ...setup82599(10), cost: balanceCost() });
    const flows = connectFlows(5);
    s.update(flows);
    const r = s.update([], [at(flows, 2)]);
    assert.equal(r.ops.length, 0, "no change reaches the NIC");
    assert.equal(s.config().filters.length, 5);
    assert.equal(s.owned().filter((o) => o.owner === null).length, 1);
    assert.equal(s.queueOf(at(flows, 2)), undefined);
  });
  await t.step("S6: the next added flow is offered the recycled filter first", () => {
    const s = new IncrementalSearch({ ...setup82599(10), cost: balanceCost() });
    const flows = connectFlows(9);
    s.update(flows);
    const freedQueue = s.queueOf(at(flows, 4));
    s.update([], [at(flows, 4)]);
    const [fresh] = connectFlows(1, 50);
    const r = s.update([fresh as Flow]);
    const p = at(r.placements, 0);
    assert.deepEqual(p.change.ops.map((o) => o.op), ["remove", "add"], "a replacement");
    assert.equal(p.queue, freedQueue);
    assert.equal(s.config().filters.length, 9, "no new filter");
    assert.deepEqual(r.ops.map((o) => o.op), ["remove", "add"]);
    assert.equal(s.owned().every((o) => o.owner !== null), true);
  });
  await t.step("S6: early stop evaluates at least 6 candidates once the cost is acceptable", () => {
    const s = new IncrementalSearch({ ...setup82599(10), cost: balanceCost() });
    const r = s.update(connectFlows(30));
    assert.ok(r.placements.every((p) => p.evaluated === 6), "6 of the 9 candidates");
    const s2 = new IncrementalSearch({ ...setup82599(10), cost: balanceCost(), earlyStopAfter: 9 });
    assert.ok(s2.update(connectFlows(30)).placements.every((p) => p.evaluated === 9));
  });
  await t.step("rotating start queue advances modulo nq - 1 (quirk Q6 fixed)", () => {
    const firstQueues = (quirkQ6: boolean) => {
      const s = new IncrementalSearch({
        ...setup82599(4),
        cost: balanceCost(),
        earlyStopAfter: 1,
        quirkQ6,
      });
      return s.update(connectFlows(6)).placements.map((p) => p.queue);
    };
    assert.deepEqual(firstQueues(false), [1, 2, 3, 1, 2, 3]);
    assert.deepEqual(firstQueues(true), [1, 2, 3, 1, 1, 2], "original: start wraps at nq");
  });
  await t.step("balanced from scratch; the QMap equals mapping the configuration", () => {
    const s = new IncrementalSearch({ ...setup82599(10), cost: balanceCost() });
    const r = s.update(connectFlows(200));
    assert.ok(r.cost.value < 0.5, `sd ${r.cost.value}`);
    assert.ok(r.qmap.queues.every((q) => q >= 1 && q <= 9));
    assert.deepEqual(r.qmap, qmapOf(new NicConfigMapper(PLAN_82599), r.config, r.qmap.flows));
  });
  await t.step(
    "a rejected result jumps: every search filter is discarded and flows re-placed",
    () => {
      const cost = priorityCost({ isGold: goldBySrcIp(222), goldFlowsPerQ: 1 });
      const s = new IncrementalSearch({ ...setup82599(4), cost, earlyStopAfter: 1 });
      const be = connectFlows(3).map((f) => ({ ...f, srcIp: 100 }));
      s.update(be); // best effort spread over 1..3
      const gold = connectFlows(1, 10).map((f) => ({ ...f, srcIp: 222 }));
      const r = s.update(gold);
      assert.match(r.warnings.join(" "), /jumped/);
      assert.equal(r.cost.kind, 1, "acceptable after the jump");
      assert.equal(r.qmap.flows.length, 4);
      assert.equal(s.owned().length, 4);
    },
  );
  await t.step("FlowsState deltas: added and removed in one call", () => {
    const s = new IncrementalSearch({ ...setup82599(10), cost: balanceCost() });
    const [a, b] = connectFlows(2);
    let st = addFlow(addFlow(EMPTY_FLOWS, a as Flow).state, b as Flow).state;
    const one = s.updateFlows(st);
    assert.equal(one.result.placements.length, 2);
    st = removeFlow(one.state, a as Flow).state;
    const two = s.updateFlows(st);
    assert.deepEqual(two.state.current, [b]);
    assert.equal(s.size, 1);
    assert.match(s.update([], [a as Flow]).warnings[0] ?? "", /removed but not placed/);
  });
  await t.step("bad options are refused with the allowed range", () => {
    assert.throws(
      () => new IncrementalSearch({ ...setup82599(10), cost: balanceCost(), earlyStopAfter: 0 }),
      /earlyStopAfter must be an integer >= 1, got 0/,
    );
  });
  await t.step("each call's diff turns the previous configuration into the new one", () => {
    const keys = (c: NicConfig) => c.filters.map(ruleKey).sort();
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.array(fc.nat(40), { maxLength: 6 }), fc.array(fc.nat(40), { maxLength: 4 })),
        ),
        fc.boolean(),
        (calls, prio) => {
          const pool = connectFlows(41).map((f, i) => ({ ...f, srcIp: i % 5 === 0 ? 222 : 100 }));
          const cost = prio
            ? priorityCost({ isGold: goldBySrcIp(222), goldFlowsPerQ: 1 })
            : balanceCost();
          const s = new IncrementalSearch({ ...setup82599(5), cost });
          for (const [add, rem] of calls) {
            const before = s.config();
            const r = s.update(add.map((i) => at(pool, i)), rem.map((i) => at(pool, i)));
            assert.deepEqual(keys(applyOps(before, r.ops)), keys(r.config));
            assert.deepEqual(
              r.qmap,
              qmapOf(new NicConfigMapper(PLAN_82599), r.config, r.qmap.flows),
            );
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
