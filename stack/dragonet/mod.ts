/**
 * Dragonet's stack: the queue-allocation search (flows, cost functions, oracles, greedy and
 * incremental search) and the control loop that turns application events into NIC
 * configuration diffs and rebuilt pipelines (dragonet-model.md §8-§12).
 *
 * @module
 */
export * from "./search/mod.ts";
export * from "./control/mod.ts";
