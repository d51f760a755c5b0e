/**
 * Configuration of C-nodes (reference `dragonet-model.md` §3): typed configuration spaces, value
 * validation and enumeration, applying a configuration through registered expansion functions,
 * the default switch expansion, incremental (one-element) configuration and finalisation, and
 * filter-table chain helpers.
 *
 * @module
 */
export * from "./space.ts";
export * from "./validate.ts";
export * from "./enumerate.ts";
export * from "./expansion.ts";
export * from "./default_expansion.ts";
export * from "./apply.ts";
export * from "./incremental.ts";
export * from "./filter_chain.ts";
export * from "./queue_expansion.ts";
export * from "./replace.ts";
