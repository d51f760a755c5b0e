import assert from "node:assert/strict";
import { applyOps } from "../_shared/config_diff.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import { type FilterRule, type NicConfig, RxResult } from "../_shared/nic.ts";
import { Intel82599 } from "./model.ts";
import { Intel82599Oracle } from "./oracle.ts";
import { dragonetIntel82599Config } from "./default_config.ts";

Deno.test("Intel 82599 oracle", async (t) => {
  const oracle = new Intel82599Oracle();
  const flow = { srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };
  const frame = buildTestFrame({ proto: 17, ...flow });
  const out = new RxResult();
  const fullFive: FilterRule[] = Array.from({ length: 128 }, (_, i) => ({
    table: "five-tuple",
    match: { proto: 17, dstPort: 2000 + i },
    queue: 1,
    priority: 1,
  }));

  await t.step("five-tuple candidates for queues 1..n-1, each steering the flow", () => {
    const cfg = dragonetIntel82599Config(10, 1);
    const cands = oracle.propose(cfg, flow);
    assert.deepEqual(cands.map((c) => c.queue), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const c of cands) {
      assert.equal(c.ops[0]?.op === "add" && c.ops[0].rule.table, "five-tuple");
      assert.deepEqual(c.affectedQueues, [0, c.queue]);
      const nic = new Intel82599(applyOps(cfg, c.ops));
      assert.equal(nic.classify(frame, 0, frame.length, out), c.queue);
    }
  });

  await t.step("Flow Director once the five-tuple table is full", () => {
    const cfg: NicConfig = { ...dragonetIntel82599Config(4, 1), filters: fullFive };
    const cands = oracle.propose(cfg, flow);
    assert.equal(cands.length, 3);
    for (const c of cands) {
      assert.equal(c.ops[0]?.op === "add" && c.ops[0].rule.table, "fdir-perfect");
      const nic = new Intel82599(applyOps(cfg, c.ops));
      assert.equal(nic.classify(frame, 0, frame.length, out), c.queue);
    }
  });

  await t.step("nothing when Flow Director cannot take the flow", () => {
    const cfg: NicConfig = { ...dragonetIntel82599Config(4, 1), filters: fullFive };
    assert.deepEqual(oracle.propose(cfg, { dstPort: 11211 }), [], "wildcard flow vs full mask");
    const sig = { ...cfg, settings: { fdirMode: "signature" } };
    assert.deepEqual(oracle.propose(sig, flow), [], "signature mode");
    const installed = {
      ...cfg,
      filters: [...fullFive, { table: "fdir-perfect", match: { proto: 17, ...flow }, queue: 1 }],
    };
    assert.deepEqual(oracle.propose(installed, flow), [], "tuple already installed");
  });
});
