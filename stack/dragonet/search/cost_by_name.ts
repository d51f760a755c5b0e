/**
 * Cost functions by name (`balance`, `priority`, `static`, `dummy`; dragonet-model.md §9, §12.1),
 * with the gold classification the experiments used reduced to a source address (search tests'
 * `isHp`, §9). The one place the stack's control loop and the `lab search` command set up a cost.
 *
 * @module
 */
import { balanceCost } from "./cost_balance.ts";
import { dummyCost } from "./cost_dummy.ts";
import type { CostFunction } from "./cost_function.ts";
import { priorityCost } from "./cost_priority.ts";
import { staticCost } from "./cost_static.ts";
import { goldBySrcIp } from "./gold.ts";
import type { Weighting } from "./queue_loads.ts";

/** Names {@link costByName} accepts. */
export const COST_FUNCTION_NAMES = ["balance", "priority", "static", "dummy"] as const;

/** One of {@link COST_FUNCTION_NAMES}. */
export type CostFunctionName = (typeof COST_FUNCTION_NAMES)[number];

/** Options of {@link costByName}. */
export interface CostChoice {
  /** Which cost function. */
  readonly name: CostFunctionName;
  /** Source address of gold flows (priority and static; unsigned 32-bit). */
  readonly goldSrc?: number;
  /** Gold flows per gold queue (priority); default 1, as the stack CLI used (§9). */
  readonly goldFlowsPerQ?: number;
  /** Gold queues (static); default the original's table by queue count (§9 item 3). */
  readonly goldQueues?: number;
  /** Reproduce quirk Q8 (priority); default off. */
  readonly originalBeQueues?: boolean;
  /** Weighting of flows (balance, priority, static); default `count`. */
  readonly weighting?: Weighting;
}

/**
 * Builds the named cost function.
 *
 * @throws {Error} when priority or static lacks `goldSrc`
 */
export function costByName(c: CostChoice): CostFunction {
  const w = c.weighting === undefined ? {} : { weighting: c.weighting };
  if (c.name === "balance") return balanceCost(w);
  if (c.name === "dummy") return dummyCost();
  if (c.goldSrc === undefined) {
    throw new Error(
      `Cost "${c.name}" needs the source address of gold flows (goldSrc); only "balance" and "dummy" work without`,
    );
  }
  const isGold = goldBySrcIp(c.goldSrc);
  if (c.name === "priority") {
    return priorityCost({
      isGold,
      goldFlowsPerQ: c.goldFlowsPerQ ?? 1,
      ...(c.originalBeQueues === undefined ? {} : { originalBeQueues: c.originalBeQueues }),
      ...w,
    });
  }
  return staticCost({
    isGold,
    ...(c.goldQueues === undefined ? {} : { goldQueues: c.goldQueues }),
    ...w,
  });
}
