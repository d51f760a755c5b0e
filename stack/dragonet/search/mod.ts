/**
 * Dragonet's queue-allocation search: flows, the flow -> queue map, cost functions, oracles and
 * the greedy and incremental searches (dragonet-model.md §8-§11).
 *
 * Pure cores: cost functions are pure functions of per-queue loads of a flow -> queue map; the
 * oracle only proposes configuration changes; the search only chooses. The result is a NIC
 * configuration and the diff that gets there.
 *
 * Scale: the greedy search places 10,000 flows on 128 queues in well under a second. On the
 * 82599 (128 queues, but at most 128 five-tuple + 8,190 Flow Director perfect filters at PBALLOC
 * 3) only 8,318 flows can get a filter; `greedySearch({ ..., overflow: "unfiltered" })` leaves
 * the rest on the default queue instead of throwing (RSS, which would spread them over at most
 * 16 queues, is not modelled by queue mapping). `search_bench.ts` measures both that case and a
 * synthetic NIC where all 10,000 flows get a filter.
 *
 * @example
 * ```ts
 * import { balanceCost, greedySearch, Intel82599SearchOracle, PLAN_82599 } from "./mod.ts";
 * import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
 * const config = dragonetIntel82599Config(10);
 * const flows = [1, 2, 3].map((i) => ({ srcIp: 0x0a000100 + i, srcPort: 4000 + i, dstPort: 7 }));
 * const r = greedySearch({
 *   plan: PLAN_82599,
 *   config,
 *   oracle: new Intel82599SearchOracle(config),
 *   cost: balanceCost(),
 *   flows,
 * });
 * console.log([...r.qmap.queues]); // [1, 2, 3]
 * ```
 *
 * @module
 */
export * from "./flow.ts";
export * from "./flows_state.ts";
export * from "./cost.ts";
export * from "./queue_loads.ts";
export * from "./cost_function.ts";
export * from "./gold.ts";
export * from "./cost_balance.ts";
export * from "./cost_priority.ts";
export * from "./cost_static.ts";
export * from "./cost_dummy.ts";
export * from "./cost_by_name.ts";
export * from "./queue_mapper.ts";
export * from "./mapper_plan.ts";
export * from "./nic_config_mapper.ts";
export * from "./qmap_state.ts";
export * from "./oracle.ts";
export * from "./oracles/mod.ts";
export * from "./search_result.ts";
export * from "./greedy_search.ts";
export * from "./incremental_search.ts";
export * from "./prg_walk_mapper.ts";
