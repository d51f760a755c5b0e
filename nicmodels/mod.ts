/**
 * NIC models: the shared interface and conformance suite, the plain RSS NIC and the Intel 82599.
 *
 * @module
 */
export * from "./_shared/mod.ts";
export * from "./rss/mod.ts";
export * from "./intel_82599/mod.ts";
