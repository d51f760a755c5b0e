/**
 * Path predicates: interned single-valued atoms, the plain, folding and DNF builders,
 * satisfiability, equivalence checks, and node/port/spawn-edge predicates of a graph
 * (reference `dragonet-model.md` §4).
 *
 * @module
 */
export * from "./atoms.ts";
export * from "./expr.ts";
export * from "./parse.ts";
export * from "./algebra.ts";
export * from "./dnf.ts";
export * from "./equiv.ts";
export * from "./node_predicates.ts";
export * from "./sat.ts";
export * from "./vocabulary.ts";
