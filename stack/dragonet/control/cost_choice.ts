/**
 * The cost functions the stack's command line offers (`balance`, `priority`, `static`;
 * dragonet-model.md §9, §12.1), built by the search's {@linkcode costByName}.
 *
 * @module
 */
export { costByName, type CostChoice } from "../search/cost_by_name.ts";

/** Cost function names the stack accepts. */
export const COST_NAMES = ["balance", "priority", "static"] as const;

/** One of {@link COST_NAMES}. */
export type CostName = (typeof COST_NAMES)[number];
