/**
 * The dataflow graph model: node specs, graph data, registries, builder, validation and graph
 * algorithms (reference `dragonet-model.md` §2-§5).
 *
 * @module
 */
export * from "./types.ts";
export * from "./registry.ts";
