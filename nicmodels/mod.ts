/**
 * NIC models: the shared interface and conformance suite, the plain RSS NIC, the Intel 82599 and the Solarflare SFC9020.
 *
 * @module
 */
export * from "./_shared/mod.ts";
export * from "./rss/mod.ts";
export * from "./intel_82599/mod.ts";
export * from "./solarflare_sfc9020/mod.ts";
