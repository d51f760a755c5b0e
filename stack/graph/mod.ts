/**
 * The dataflow graph model: node specs, graph data, registries, builder, JSON, validation, graph
 * algorithms and DOT export (reference `dragonet-model.md` §2-§5).
 *
 * @module
 */
export * from "./types.ts";
export * from "./registry.ts";
export * from "./expr.ts";
export * from "./builder.ts";
export * from "./json.ts";
export * from "./graph_index.ts";
export * from "./validate.ts";
export * from "./cycles.ts";
export * from "./topological_order.ts";
export * from "./reachability.ts";
export * from "./dominance.ts";
export * from "./cleanup.ts";
export * from "./subgraph.ts";
export * from "./dot.ts";
