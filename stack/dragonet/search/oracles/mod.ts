/**
 * Search-side oracles with incremental state, one file per NIC.
 *
 * @module
 */
export * from "./intel_82599.ts";
