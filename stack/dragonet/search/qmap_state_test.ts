import assert from "node:assert/strict";
import fc from "fast-check";
import type { ConfigOp, FilterRule } from "../../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { formatIpv4Address } from "../../../nicmodels/_shared/addr.ts";
import { balanceCost } from "./cost_balance.ts";
import { costOfQMap } from "./cost_function.ts";
import type { Flow } from "./flow.ts";
import { PLAN_82599 } from "./mapper_plan.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { qmapOf } from "./queue_mapper.ts";
import { QMapState } from "./qmap_state.ts";

const NQ = 5;
const ALL = [0, 1, 2, 3, 4];
const small = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const flowArb: fc.Arbitrary<Flow> = fc.record({
  srcIp: small(fc.integer({ min: 1, max: 2 })),
  srcPort: small(fc.integer({ min: 1, max: 2 })),
  dstPort: small(fc.integer({ min: 7, max: 8 })),
}).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
const ruleArb: fc.Arbitrary<FilterRule> = fc.tuple(
  flowArb,
  fc.integer({ min: 1, max: NQ - 1 }),
  fc.integer({ min: 1, max: 3 }),
  fc.boolean(),
).map(([f, queue, priority, fdir]) => {
  const match = {
    proto: 17,
    ...(f.srcIp === undefined ? {} : { srcIp: formatIpv4Address(f.srcIp) }),
    ...(f.srcPort === undefined ? {} : { srcPort: f.srcPort }),
    ...(f.dstPort === undefined ? {} : { dstPort: f.dstPort }),
  };
  return fdir
    ? { table: "fdir-perfect", match, queue }
    : { table: "five-tuple", match, queue, priority };
});
type Step =
  | { kind: "flow"; flow: Flow }
  | { kind: "add"; rule: FilterRule; flow: Flow | null }
  | { kind: "remove"; pick: number; add: FilterRule | null }
  | { kind: "drop"; pick: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  flowArb.map((flow): Step => ({ kind: "flow", flow })),
  fc.tuple(ruleArb, fc.option(flowArb, { nil: null })).map(([rule, flow]): Step => ({
    kind: "add",
    rule,
    flow,
  })),
  fc.tuple(fc.nat(), fc.option(ruleArb, { nil: null })).map(([pick, add]): Step => ({
    kind: "remove",
    pick,
    add,
  })),
  fc.nat().map((pick): Step => ({ kind: "drop", pick })),
);

Deno.test("incremental flow -> queue state", async (t) => {
  await t.step(
    "always equals mapping the configuration from scratch; evaluate predicts commit",
    () => {
      const mapper = new NicConfigMapper(PLAN_82599);
      const cost = balanceCost();
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
          const st = new QMapState(PLAN_82599, dragonetIntel82599Config(NQ), cost);
          for (const s of steps) {
            const flows = st.qmap().flows;
            if (s.kind === "flow") {
              if (!st.has(s.flow)) st.add(s.flow);
            } else if (s.kind === "drop") {
              const f = flows[s.pick % Math.max(1, flows.length)];
              if (f !== undefined) st.remove(f);
            } else {
              const installed = st.config().filters;
              const ops: ConfigOp[] = [];
              if (s.kind === "remove") {
                const r = installed[s.pick % Math.max(1, installed.length)];
                if (r === undefined) continue;
                ops.push({ op: "remove", rule: r });
                if (s.add !== null) ops.push({ op: "add", rule: s.add });
              } else ops.push({ op: "add", rule: s.rule });
              const change = { ops, queue: 1, affectedQueues: ALL };
              const pendFlow = s.kind === "add" && s.flow !== null && !st.has(s.flow)
                ? s.flow
                : null;
              const pending = pendFlow === null ? null : st.pend(pendFlow);
              const predicted = st.evaluate(change, pending);
              st.commit(change, pending);
              assert.deepEqual(st.cost(), predicted);
            }
            const q = st.qmap();
            assert.deepEqual(q, qmapOf(mapper, st.config(), q.flows));
            assert.deepEqual(st.cost(), costOfQMap(cost, NQ, q.flows, q.queues));
          }
        }),
        { seed: 42, numRuns: 150 },
      );
    },
  );
  await t.step(
    "exact rules on fully specified flows (found by hash) move flows as the scan does",
    () => {
      const mapper = new NicConfigMapper(PLAN_82599);
      const cost = balanceCost();
      const full = fc.record({
        srcIp: fc.integer({ min: 1, max: 3 }),
        dstIp: fc.integer({ min: 1, max: 2 }),
        srcPort: fc.integer({ min: 1, max: 2 }),
        dstPort: fc.constant(7),
      });
      const exactStep = fc.record({
        flow: full,
        ruleFlow: full,
        queue: fc.integer({ min: 1, max: NQ - 1 }),
        priority: fc.integer({ min: 1, max: 3 }),
        fdir: fc.boolean(),
        // affected queues as the caller states them: all, or the default and target queue only
        narrow: fc.boolean(),
        pend: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(exactStep, { maxLength: 30 }), (steps) => {
          // `st` gets one added rule per change (hash path); `ref` the same rule twice, which
          // takes the scan over the affected queues (the second copy never outranks the first)
          const st = new QMapState(PLAN_82599, dragonetIntel82599Config(NQ), cost);
          const ref = new QMapState(PLAN_82599, dragonetIntel82599Config(NQ), cost);
          let exact = true; // every change so far named all queues as affected
          for (const s of steps) {
            if (!s.pend && !st.has(s.flow)) {
              st.add(s.flow);
              ref.add(s.flow);
            }
            const f = s.ruleFlow;
            const match = {
              proto: 17,
              srcIp: formatIpv4Address(f.srcIp),
              dstIp: formatIpv4Address(f.dstIp),
              srcPort: f.srcPort,
              dstPort: f.dstPort,
            };
            const rule: FilterRule = s.fdir
              ? { table: "fdir-perfect", match, queue: s.queue }
              : { table: "five-tuple", match, queue: s.queue, priority: s.priority };
            const affectedQueues = s.narrow ? [0, s.queue] : ALL;
            const one = { ops: [{ op: "add" as const, rule }], queue: s.queue, affectedQueues };
            const two = { ...one, ops: [...one.ops, ...one.ops] };
            const pend = s.pend && !st.has(s.flow);
            const p1 = pend ? st.pend(s.flow) : null;
            const p2 = pend ? ref.pend(s.flow) : null;
            const predicted = st.evaluate(one, p1);
            assert.deepEqual(predicted, ref.evaluate(two, p2));
            st.commit(one, p1);
            ref.commit(two, p2);
            assert.deepEqual(st.cost(), predicted);
            assert.deepEqual(st.qmap(), ref.qmap());
            exact &&= !s.narrow;
            const q = st.qmap();
            if (exact) assert.deepEqual(q, qmapOf(mapper, st.config(), q.flows));
            assert.deepEqual(st.cost(), costOfQMap(cost, NQ, q.flows, q.queues));
          }
        }),
        { seed: 42, numRuns: 150 },
      );
    },
  );
  await t.step("removing a rule that is not installed is a clear error", () => {
    const st = new QMapState(PLAN_82599, dragonetIntel82599Config(NQ), balanceCost());
    const rule: FilterRule = { table: "five-tuple", match: { dstPort: 1 }, queue: 1, priority: 1 };
    assert.throws(
      () => st.evaluate({ ops: [{ op: "remove", rule }], queue: 1, affectedQueues: [1] }, null),
      /Cannot remove rule .*: it is not installed/,
    );
  });
});
