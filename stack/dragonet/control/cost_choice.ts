/**
 * Cost functions by the names of the original stack's command line (`balance`, `priority`,
 * `static`; dragonet-model.md §9, §12.1), with the gold classification the experiments used
 * reduced to a source address (search tests' `isHp`, §9).
 *
 * @module
 */
import { balanceCost } from "../search/cost_balance.ts";
import type { CostFunction } from "../search/cost_function.ts";
import { priorityCost } from "../search/cost_priority.ts";
import { staticCost } from "../search/cost_static.ts";
import { goldBySrcIp } from "../search/gold.ts";

/** Cost function names the stack accepts. */
export const COST_NAMES = ["balance", "priority", "static"] as const;

/** One of {@link COST_NAMES}. */
export type CostName = (typeof COST_NAMES)[number];

/** Options of {@link costByName}. */
export interface CostChoice {
  /** Which cost function. */
  readonly name: CostName;
  /** Source address of gold flows (priority and static; unsigned 32-bit). */
  readonly goldSrc?: number;
  /** Gold flows per gold queue (priority); the stack CLI used 1 (§9). */
  readonly goldFlowsPerQ?: number;
  /** Gold queues (static); default the original's table by queue count (§9 item 3). */
  readonly goldQueues?: number;
}

/** Builds the named cost function; throws when priority or static lacks `goldSrc`. */
export function costByName(c: CostChoice): CostFunction {
  if (c.name === "balance") return balanceCost();
  if (c.goldSrc === undefined) {
    throw new Error(
      `Cost "${c.name}" needs the source address of gold flows (goldSrc); only "balance" works without`,
    );
  }
  const isGold = goldBySrcIp(c.goldSrc);
  if (c.name === "priority") {
    return priorityCost({ isGold, goldFlowsPerQ: c.goldFlowsPerQ ?? 1 });
  }
  return staticCost({
    isGold,
    ...(c.goldQueues === undefined ? {} : { goldQueues: c.goldQueues }),
  });
}
