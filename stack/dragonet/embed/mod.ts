/**
 * Dragonet's embedding (reference `dragonet-model.md` §5): the LPG merged into a configured PRG
 * with one copy per hardware queue, pruned and collapsed by path predicates (Algorithm B, and the
 * simple Algorithm A as a cross-check), TX offload by predicate equivalence, constant folding
 * with dominance, cleanup, dropping the hardware and splitting the software into pipelines.
 *
 * @module
 */
export * from "./conventions.ts";
export * from "./embed.ts";
export * from "./embed_simple.ts";
export * from "./fold_constants.ts";
export * from "./tx_offload.ts";
export * from "./cleanup_embedded.ts";
export * from "./drop_hardware.ts";
export * from "./const_impls.ts";
export * from "./make_graph.ts";
export * from "./transforms.ts";
export * from "./lpg_predicates.ts";
