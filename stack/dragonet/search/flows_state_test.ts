import assert from "node:assert/strict";
import fc from "fast-check";
import { checkFlow, flowKey, flowProblem, flowSpecOf, formatFlow } from "./flow.ts";
import {
  addFlow,
  EMPTY_FLOWS,
  FlowsOutcome,
  type FlowsState,
  removeFlow,
  resetFlows,
} from "./flows_state.ts";

const a = { srcIp: 0x0a000002, srcPort: 4000, dstPort: 7 };
const b = { dstPort: 8 };

Deno.test("flows", async (t) => {
  await t.step("wildcards format as * and identity ignores rate", () => {
    assert.equal(formatFlow(a), "UDP 10.0.0.2:4000 -> *:7");
    assert.equal(flowKey({ ...a, rate: 5 }), flowKey(a));
    assert.deepEqual(flowSpecOf(a), { proto: 17, srcIp: "10.0.0.2", srcPort: 4000, dstPort: 7 });
  });
  await t.step("bad fields are named with the allowed range", () => {
    assert.equal(flowProblem({ dstPort: 70000 }), "dstPort must be an integer 0..65535, got 70000");
    assert.equal(flowProblem({ srcIp: -1 }), "srcIp must be an integer 0..4294967295, got -1");
    assert.equal(flowProblem({ rate: 0 }), "rate must be a finite number > 0, got 0");
    assert.throws(() => checkFlow({ srcPort: 1.5 }), /Invalid flow .*srcPort must be an integer/);
    assert.equal(flowProblem(a), null);
  });
});

Deno.test("pending flow set", async (t) => {
  await t.step("add then reset makes the flow current", () => {
    const { state, outcome } = addFlow(EMPTY_FLOWS, a);
    assert.equal(outcome, FlowsOutcome.Added);
    assert.deepEqual(resetFlows(state), { current: [a], added: [], removed: [] });
  });
  await t.step("removing a pending addition cancels it", () => {
    const s1 = addFlow(EMPTY_FLOWS, a).state;
    const { state, outcome } = removeFlow(s1, a);
    assert.equal(outcome, FlowsOutcome.CancelledAddition);
    assert.deepEqual(state, EMPTY_FLOWS);
  });
  await t.step("adding a pending removal cancels it", () => {
    const cur: FlowsState = { current: [a, b], added: [], removed: [] };
    const s1 = removeFlow(cur, a);
    assert.equal(s1.outcome, FlowsOutcome.Removed);
    const s2 = addFlow(s1.state, a);
    assert.equal(s2.outcome, FlowsOutcome.CancelledRemoval);
    assert.deepEqual(s2.state, cur);
  });
  await t.step("duplicates and absent flows change nothing", () => {
    const cur: FlowsState = { current: [a], added: [], removed: [] };
    assert.equal(addFlow(cur, a).outcome, FlowsOutcome.AlreadyPresent);
    assert.equal(removeFlow(cur, b).outcome, FlowsOutcome.NotPresent);
    const gone = removeFlow(cur, a).state;
    assert.equal(removeFlow(gone, a).outcome, FlowsOutcome.NotPresent);
  });
  await t.step("reset = (current - removed) + added, for any operation sequence", () => {
    const flow = fc.integer({ min: 0, max: 5 }).map((p) => ({ dstPort: p }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), flow), { maxLength: 30 }), (ops) => {
        let st: FlowsState = EMPTY_FLOWS;
        const model = new Set<number>();
        for (const [i, [add, f]] of ops.entries()) {
          if (add) model.add(f.dstPort);
          else model.delete(f.dstPort);
          st = (add ? addFlow(st, f) : removeFlow(st, f)).state;
          if (i % 4 === 3) st = resetFlows(st);
        }
        const got = resetFlows(st).current.map((f) => f.dstPort as number).sort();
        assert.deepEqual(got, [...model].sort());
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
