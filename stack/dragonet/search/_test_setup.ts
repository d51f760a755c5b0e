/**
 * Test helpers: flows and the 82599 search setup used by the search tests and benchmarks.
 *
 * @module
 */
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import type { Flow } from "./flow.ts";
import { PLAN_82599 } from "./mapper_plan.ts";
import { Intel82599SearchOracle } from "./oracles/intel_82599.ts";

/** `n` distinct fully specified "connect" flows from 10.1.x.y:1000+k to 10.0.0.1:7. */
export function connectFlows(n: number, offset = 0): Flow[] {
  return Array.from({ length: n }, (_, i) => ({
    srcIp: (0x0a010000 + i + offset) >>> 0,
    dstIp: 0x0a000001,
    srcPort: 1000 + ((i + offset) % 60000),
    dstPort: 7,
  }));
}

/** Plan, configuration and a fresh oracle for an 82599 with `queues` queues (Dragonet bring-up). */
export function setup82599(queues = 10, pballoc = 1): {
  plan: typeof PLAN_82599;
  config: NicConfig;
  oracle: Intel82599SearchOracle;
} {
  const config = dragonetIntel82599Config(queues, pballoc);
  return { plan: PLAN_82599, config, oracle: new Intel82599SearchOracle(config) };
}

/** `list[i]`, failing the test when it is absent. */
export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`Test list has no element ${i} (length ${list.length})`);
  return v;
}
