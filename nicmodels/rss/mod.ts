/**
 * The plain RSS-only NIC: N queues, configurable Toeplitz key and indirection table, no filters.
 *
 * @example
 * ```ts
 * import { RssNic } from "./mod.ts";
 * const nic = new RssNic({ queues: 8 });
 * console.log(nic.config().rss?.table.length); // 128
 * ```
 *
 * @module
 */
export * from "./capabilities.ts";
export * from "./model.ts";
export * from "./prg.ts";
export * from "./prg_configure.ts";
