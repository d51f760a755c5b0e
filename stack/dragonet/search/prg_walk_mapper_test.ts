import assert from "node:assert/strict";
import fc from "fast-check";
import { formatIpv4Address } from "../../../nicmodels/_shared/addr.ts";
import type { FilterRule, NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { configureSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg_configure.ts";
import { balanceCost } from "./cost_balance.ts";
import type { Flow } from "./flow.ts";
import { greedySearch } from "./greedy_search.ts";
import { PLAN_82599, PLAN_SFC9020 } from "./mapper_plan.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { PrgWalkMapper } from "./prg_walk_mapper.ts";
import { qmapOf } from "./queue_mapper.ts";
import { connectFlows, setup82599 } from "./_test_setup.ts";

const NQ = 5;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const flowArb: fc.Arbitrary<Flow> = fc.record({
  srcIp: opt(fc.integer({ min: 1, max: 2 })),
  dstIp: opt(fc.constant(9)),
  srcPort: opt(fc.integer({ min: 1, max: 2 })),
  dstPort: opt(fc.integer({ min: 7, max: 8 })),
}).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
const matchOf = (f: Flow, proto: number) => ({
  proto,
  ...(f.srcIp === undefined ? {} : { srcIp: formatIpv4Address(f.srcIp) }),
  ...(f.dstIp === undefined ? {} : { dstIp: formatIpv4Address(f.dstIp) }),
  ...(f.srcPort === undefined ? {} : { srcPort: f.srcPort }),
  ...(f.dstPort === undefined ? {} : { dstPort: f.dstPort }),
});
// Flow Director rules give every field the (default, full) global mask compares.
const fullFlow = (f: Flow): Flow => ({ srcIp: 1, dstIp: 9, srcPort: 1, dstPort: 7, ...f });
const rule82599: fc.Arbitrary<FilterRule> = fc.tuple(
  flowArb,
  fc.integer({ min: 0, max: NQ - 1 }),
  fc.integer({ min: 1, max: 7 }),
  fc.constantFrom(17, 17, 6),
  fc.boolean(),
).map(([f, queue, priority, proto, fdir]) =>
  fdir
    ? { table: "fdir-perfect", match: matchOf(fullFlow(f), proto), queue }
    : { table: "five-tuple", match: matchOf(f, proto), queue, priority }
);
// SFC IP filters: the local address and port always, both remote fields or neither.
const ruleSfc: fc.Arbitrary<FilterRule> = fc.tuple(
  flowArb,
  fc.integer({ min: 0, max: NQ - 1 }),
  fc.boolean(),
).map(([f, queue, full]) => {
  const local = { dstIp: f.dstIp ?? 9, dstPort: f.dstPort ?? 7 };
  const flow = full ? { srcIp: f.srcIp ?? 1, srcPort: f.srcPort ?? 1, ...local } : local;
  return { table: "ip", match: matchOf(flow, 17), queue };
});

function agree(
  plan: typeof PLAN_82599,
  build: (c: NicConfig) => ReturnType<typeof configure82599Prg>,
  base: NicConfig,
  rules: fc.Arbitrary<FilterRule>,
  unique = false,
) {
  const direct = new NicConfigMapper(plan);
  const walk = new PrgWalkMapper(plan, build);
  fc.assert(
    fc.property(
      fc.array(rules, { maxLength: 8 }),
      fc.array(flowArb, { maxLength: 8 }),
      (rules, flows) => {
        // The SFC table holds one filter per match (a second equal insert is refused).
        const fs: FilterRule[] = [];
        const seen = new Set<string>();
        for (const r of rules) {
          const key = JSON.stringify(r.match);
          if (unique && seen.has(key)) continue;
          seen.add(key);
          fs.push(r);
        }
        const config = { ...base, filters: fs };
        for (const f of flows) {
          assert.equal(
            walk.queueOf(config, f),
            direct.queueOf(config, f),
            JSON.stringify({ fs, f }),
          );
        }
      },
    ),
    { seed: 42, numRuns: 80 },
  );
}

Deno.test("queue mapping by walking the configured PRG", async (t) => {
  await t.step("82599: the PRG walk and the configuration mapper agree", () => {
    agree(PLAN_82599, configure82599Prg, dragonetIntel82599Config(NQ), rule82599);
  });
  await t.step("SFC9020: the PRG walk and the configuration mapper agree", () => {
    agree(PLAN_SFC9020, configureSfc9020Prg, sfcDragonetConfig(NQ), ruleSfc, true);
  });
  await t.step(
    "they agree on a searched configuration (S1, 140 flows, Flow Director in use)",
    () => {
      const r = greedySearch({ ...setup82599(10), cost: balanceCost(), flows: connectFlows(140) });
      const walk = new PrgWalkMapper(PLAN_82599, configure82599Prg);
      assert.deepEqual(qmapOf(walk, r.config, r.qmap.flows), r.qmap);
    },
  );
  await t.step(
    "the original's satisfiable-port rule sends a wildcard flow into an overlapping filter",
    () => {
      const config = {
        ...dragonetIntel82599Config(NQ),
        filters: [{
          table: "five-tuple",
          match: { proto: 17, srcPort: 1000, dstPort: 53 },
          queue: 2,
          priority: 1,
        }],
      };
      const flow = { dstPort: 53 };
      assert.equal(
        new PrgWalkMapper(PLAN_82599, configure82599Prg, "satisfiable").queueOf(config, flow),
        2,
      );
      assert.equal(new PrgWalkMapper(PLAN_82599, configure82599Prg).queueOf(config, flow), 0);
    },
  );
  await t.step("the configured PRG has one filter node per rule, in precedence order", () => {
    const config = {
      ...dragonetIntel82599Config(NQ),
      filters: [
        { table: "five-tuple", match: { proto: 17, dstPort: 7 }, queue: 1, priority: 1 },
        { table: "five-tuple", match: { proto: 17, dstPort: 8 }, queue: 2, priority: 3 },
      ],
    };
    const g = new PrgWalkMapper(PLAN_82599, configure82599Prg).configuredPrg(config);
    const filters = g.nodes.filter((n) => n.spec === "nic.rx.filter.five-tuple");
    assert.deepEqual(filters.map((n) => n.id), ["rx.c.five-tuple.f1", "rx.c.five-tuple.f0"]);
    assert.deepEqual(filters.map((n) => n.label), [
      "5T(17,*,*,*,8) p3 -> Q2",
      "5T(17,*,*,*,7) p1 -> Q1",
    ]);
  });
});
