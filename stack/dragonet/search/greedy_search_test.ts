import assert from "node:assert/strict";
import fc from "fast-check";
import { balanceCost } from "./cost_balance.ts";
import { dummyCost } from "./cost_dummy.ts";
import { priorityCost } from "./cost_priority.ts";
import { staticCost } from "./cost_static.ts";
import { goldBySrcIp } from "./gold.ts";
import { greedySearch } from "./greedy_search.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { PLAN_82599 } from "./mapper_plan.ts";
import { qmapOf } from "./queue_mapper.ts";
import { SearchError } from "./search_result.ts";
import { Intel82599SearchOracle } from "./oracles/intel_82599.ts";
import { at, connectFlows, setup82599 } from "./_test_setup.ts";
import { costOfQMap } from "./cost_function.ts";

Deno.test("greedy search", async (t) => {
  await t.step("S1: balance, nq = 10: flow k lands on queue 1 + (k mod 9)", () => {
    const flows = connectFlows(300);
    const r = greedySearch({ ...setup82599(10), cost: balanceCost(), flows });
    r.placements.forEach((p, k) => assert.equal(p.queue, 1 + (k % 9), `flow ${k}`));
    const tables = r.placements.map((p) =>
      p.change.ops[0]?.op === "add" && p.change.ops[0].rule.table
    );
    assert.ok(tables.slice(0, 128).every((x) => x === "five-tuple"));
    assert.ok(tables.slice(128).every((x) => x === "fdir-perfect"));
    assert.equal(r.ops.length, 300);
    assert.ok(r.ops.every((op) => op.op === "add"));
  });
  await t.step("S1: after 128 five-tuple + 2046 Flow Director filters no candidate is left", () => {
    const flows = connectFlows(128 + 2046 + 1);
    assert.throws(
      () => greedySearch({ ...setup82599(10, 1), cost: dummyCost(), flows }),
      (e: unknown) =>
        e instanceof SearchError &&
        /no change for flow #2174 .* after 2174 placed flows/.test(e.message),
    );
  });
  await t.step("the QMap equals mapping the final configuration from scratch", () => {
    const flows = [{ dstPort: 53 }, { srcIp: 5, dstPort: 53 }, ...connectFlows(140)];
    const r = greedySearch({ ...setup82599(10), cost: balanceCost(), flows });
    assert.deepEqual(r.qmap, qmapOf(new NicConfigMapper(PLAN_82599), r.config, r.qmap.flows));
    assert.deepEqual(r.cost, costOfQMap(balanceCost(), 10, r.qmap.flows, r.qmap.queues));
  });
  await t.step("queue 0 is never chosen; each step keeps the cheapest candidate", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 12 }),
        (ports, nq) => {
          const flows = ports.map((p) => ({
            srcIp: p % 3 === 0 ? 222 : 100,
            srcPort: p,
            dstPort: 7,
          }));
          const cost = priorityCost({ isGold: goldBySrcIp(222), goldFlowsPerQ: 1 });
          const r = greedySearch({ ...setup82599(nq), cost, flows });
          assert.ok(r.qmap.queues.every((q) => q >= 1 && q < nq));
          assert.equal(r.evaluated, flows.length * (nq - 1));
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
  await t.step("S2: priority, gold flows first, each on its own exclusive queue", () => {
    const gold = connectFlows(4).map((f) => ({ ...f, srcIp: 222 }));
    const be = connectFlows(12, 100).map((f) => ({ ...f, srcIp: 100 }));
    const cost = priorityCost({ isGold: goldBySrcIp(222), goldFlowsPerQ: 1 });
    const r = greedySearch({ ...setup82599(10), cost, flows: [...be, ...gold] });
    const goldQs = r.placements.slice(0, 4).map((p) => p.queue);
    assert.deepEqual(r.placements.slice(0, 4).map((p) => p.flow.srcIp), [222, 222, 222, 222]);
    assert.equal(goldQs[0], 1, "the first gold flow goes to queue 1");
    assert.equal(new Set(goldQs).size, 4, "gold flows spread");
    const beQs = new Set(r.placements.slice(4).map((p) => p.queue));
    assert.ok(goldQs.every((q) => !beQs.has(q)), "no gold queue carries best effort");
    assert.equal(r.cost.kind, 1);
    const mixed = Int32Array.from(r.qmap.queues);
    mixed[mixed.length - 1] = goldQs[0] as number;
    assert.equal(costOfQMap(cost, 10, r.qmap.flows, mixed).kind, 2, "mixing is a rejection");
  });
  await t.step("ties go to the first candidate: dummy cost puts everything on queue 1", () => {
    const r = greedySearch({ ...setup82599(10), cost: dummyCost(), flows: connectFlows(20) });
    assert.ok(r.qmap.queues.every((q) => q === 1));
  });
  await t.step("flows given twice are placed once with a warning", () => {
    const f = connectFlows(2);
    const r = greedySearch({ ...setup82599(4), cost: balanceCost(), flows: [...f, at(f, 0)] });
    assert.equal(r.qmap.flows.length, 2);
    assert.match(r.warnings[0] ?? "", /given twice/);
  });
  await t.step(
    "overflow unfiltered: flows beyond the filter tables stay on the default queue, with no ops",
    () => {
      const flows = connectFlows(128 + 2046 + 5);
      const r = greedySearch({
        ...setup82599(10, 1),
        cost: balanceCost(),
        flows,
        overflow: "unfiltered",
      });
      const bare = r.placements.filter((p) => p.change.ops.length === 0);
      assert.equal(bare.length, 5);
      assert.ok(bare.every((p) => p.queue === 0 && p.evaluated === 0));
      assert.deepEqual(r.placements.slice(-5).map((p) => p.flow), flows.slice(-5));
      assert.equal(r.ops.length, 128 + 2046);
      assert.ok(r.warnings.some((w) => /^5 of 2179 flows found no room/.test(w)));
      assert.deepEqual(r.qmap, qmapOf(new NicConfigMapper(PLAN_82599), r.config, r.qmap.flows));
      assert.deepEqual(r.cost, costOfQMap(balanceCost(), 10, r.qmap.flows, r.qmap.queues));
    },
  );
  await t.step("overflow unfiltered: an installed wildcard rule still claims such a flow", () => {
    const config = {
      ...setup82599(10, 1).config,
      filters: [{ table: "five-tuple", match: { proto: 17, dstPort: 9 }, queue: 4, priority: 1 }],
    };
    const flows = [...connectFlows(127 + 2046), { srcIp: 77, srcPort: 1, dstIp: 5, dstPort: 9 }];
    const r = greedySearch({
      plan: PLAN_82599,
      config,
      oracle: new Intel82599SearchOracle(config),
      cost: balanceCost(),
      flows,
      overflow: "unfiltered",
    });
    const last = at(r.placements, r.placements.length - 1);
    assert.deepEqual([last.change.ops.length, last.queue], [0, 4]);
  });
  await t.step("an unknown overflow value is a clear error", () => {
    assert.throws(
      () =>
        greedySearch({
          ...setup82599(10),
          cost: balanceCost(),
          flows: connectFlows(1),
          overflow: "rss" as "error",
        }),
      /Overflow "rss" is unknown: use "error" or "unfiltered"/,
    );
  });
});

Deno.test("greedy search with the static cost", async (t) => {
  await t.step("S5: nq = 10 puts gold flows on queues 1-4 and the rest on 5-9", () => {
    const gold = connectFlows(8).map((f) => ({ ...f, srcIp: 222 }));
    const be = connectFlows(10, 50).map((f) => ({ ...f, srcIp: 100 }));
    const cost = staticCost({ isGold: goldBySrcIp(222) });
    const r = greedySearch({ ...setup82599(10), cost, flows: [...gold, ...be] });
    for (const p of r.placements) {
      if (p.flow.srcIp === 222) assert.ok(p.queue >= 1 && p.queue <= 4, `gold on ${p.queue}`);
      else assert.ok(p.queue >= 5 && p.queue <= 9, `best effort on ${p.queue}`);
    }
    assert.equal(r.cost.kind, 1);
    assert.equal(r.cost.value, 0, "8 gold over 4 queues, 10 BE over 5 queues: both even");
  });
});

Deno.test("greedy search weighing flows by declared rate (extension)", () => {
  const flows = [
    { srcIp: 1, srcPort: 1, dstPort: 7, rate: 300 },
    { srcIp: 2, srcPort: 2, dstPort: 7, rate: 100 },
    { srcIp: 3, srcPort: 3, dstPort: 7, rate: 100 },
    { srcIp: 4, srcPort: 4, dstPort: 7, rate: 100 },
  ];
  const byCount = greedySearch({ ...setup82599(3), cost: balanceCost(), flows });
  assert.deepEqual([...byCount.qmap.queues], [1, 2, 1, 2]);
  const byRate = greedySearch({
    ...setup82599(3),
    cost: balanceCost({ weighting: "rate" }),
    flows,
  });
  assert.deepEqual([...byRate.qmap.queues], [1, 2, 2, 2], "the heavy flow gets a queue of its own");
});
