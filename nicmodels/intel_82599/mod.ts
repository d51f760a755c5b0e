/**
 * The Intel 82599 model: capabilities (each with its source), settings, validator, behavioural
 * classifier (EtherType, SYN, five-tuple, Flow Director perfect/signature, RSS, default queue)
 * and the oracle that proposes filters for a flow.
 *
 * @example
 * ```ts
 * import { dragonetIntel82599Config, Intel82599 } from "./mod.ts";
 * const nic = new Intel82599({
 *   ...dragonetIntel82599Config(4),
 *   filters: [{ table: "five-tuple", match: { proto: 17, dstPort: 11211 }, queue: 2, priority: 1 }],
 * });
 * console.log(nic.config().filters.length); // 1
 * ```
 *
 * @module
 */
export * from "./capabilities.ts";
export * from "./settings.ts";
export * from "./default_config.ts";
export * from "./fdir_hash.ts";
export * from "./validate.ts";
export * from "./model.ts";
export * from "./oracle.ts";
export * from "./prg.ts";
export * from "./prg_configure.ts";
export { fdirFilterFn } from "./prg_nodes.ts";
