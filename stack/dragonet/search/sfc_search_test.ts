import assert from "node:assert/strict";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { SFC9020_CAPABILITIES } from "../../../nicmodels/solarflare_sfc9020/capabilities.ts";
import { ipData0, ipData1 } from "../../../nicmodels/solarflare_sfc9020/filter_key.ts";
import { Sfc9020Oracle } from "../../../nicmodels/solarflare_sfc9020/oracle.ts";
import { balanceCost } from "./cost_balance.ts";
import type { Flow } from "./flow.ts";
import { greedySearch } from "./greedy_search.ts";
import { IncrementalSearch } from "./incremental_search.ts";
import { PLAN_SFC9020 } from "./mapper_plan.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { NicOracleAdapter } from "./oracle.ts";
import { qmapOf } from "./queue_mapper.ts";
import { at, connectFlows } from "./_test_setup.ts";

/** The i-th UDP flow whose SFC full-filter key is `key`: all walk one probe sequence. */
function collidingFlow(key: number, i: number): Flow {
  const srcIp = (0x0a000001 + i) >>> 0;
  const srcPort = 1000 + i;
  const dstPort = 7777;
  const dstIp = (key ^ ipData0(srcIp, srcPort) ^ ipData1(dstPort, srcIp) ^ 1) >>> 0;
  return { srcIp, srcPort, dstIp, dstPort };
}

const DEPTH = SFC9020_CAPABILITIES.sfc.ipTable.maxInsertDepth.value;

function sfc(queues: number) {
  const config = sfcDragonetConfig(queues);
  return {
    plan: PLAN_SFC9020,
    config,
    oracle: new NicOracleAdapter("sfc9020", new Sfc9020Oracle(), config),
  };
}

Deno.test("search on the SFC9020", async (t) => {
  await t.step("balance with full filters: flow k on queue 1 + (k mod (nq - 1))", () => {
    const r = greedySearch({ ...sfc(10), cost: balanceCost(), flows: connectFlows(60) });
    r.placements.forEach((p, k) => assert.equal(p.queue, 1 + (k % 9)));
    assert.ok(r.config.filters.every((f) => f.match.srcIp !== undefined), "full filters");
  });
  await t.step("a refused full filter falls back to a wildcard filter; the search goes on", () => {
    const flows = Array.from({ length: DEPTH + 2 }, (_, i) => collidingFlow(0x2468ace0, i));
    const r = greedySearch({ ...sfc(4), cost: balanceCost(), flows });
    const refusedAt = r.placements.findIndex((p) =>
      p.change.ops.some((op) => op.op === "add" && op.rule.match.srcIp === undefined)
    );
    assert.ok(refusedAt >= DEPTH - 1 && refusedAt <= DEPTH, `first wildcard at ${refusedAt}`);
    const p = at(r.placements, refusedAt);
    assert.ok(p.queue >= 1, "still steered off the default queue");
    assert.deepEqual(p.change.affectedQueues, [0, 1, 2, 3], "a wildcard may affect every queue");
    assert.deepEqual(r.qmap, qmapOf(new NicConfigMapper(PLAN_SFC9020), r.config, r.qmap.flows));
  });
  await t.step("the incremental search uses the same fallback", () => {
    const flows = Array.from({ length: DEPTH + 2 }, (_, i) => collidingFlow(0x13579bdf, i));
    const s = new IncrementalSearch({ ...sfc(4), cost: balanceCost() });
    const r = s.update(flows);
    assert.ok(r.config.filters.some((f) => f.match.srcIp === undefined), "a wildcard was used");
    assert.ok(r.qmap.queues.every((q) => q >= 1));
  });
});
