/**
 * Balance cost: the population standard deviation of the per-queue load over queues 1..nq−1
 * (dragonet-model.md §9 item 1, `Search.hs` `balanceCost`). Queue 0, the catch-all default, is
 * not part of the set.
 *
 * With integer weights (flow counts, or integer rates) the cost is read in O(1) from the loads'
 * running sums ({@link QueueLoads.totalSum}, {@link QueueLoads.totalSumSq}); otherwise the
 * queues are scanned, so fractional rates never accumulate rounding drift across moves.
 *
 * @module
 */
import { type Cost, costVal } from "./cost.ts";
import type { CostFunction } from "./cost_function.ts";
import { populationSd, type QueueLoads, type Weighting } from "./queue_loads.ts";

/** Options of {@link balanceCost}. */
export interface BalanceOptions {
  /** "count" (original, default) or "rate" (extension: weigh flows by declared packet rate). */
  readonly weighting?: Weighting;
}

/** `val(sd(1..nq−1, all flows))`. */
export function balanceCost(options: BalanceOptions = {}): CostFunction {
  let mask = new Uint8Array(0);
  let sums = new Float64Array(0);
  return {
    name: "balance",
    classes: 1,
    weighting: options.weighting ?? "count",
    classOf: () => 0,
    evaluate(loads: QueueLoads): Cost {
      const nq = loads.queues;
      if (mask.length !== nq) {
        mask = new Uint8Array(nq).fill(1);
        mask[0] = 0;
        sums = new Float64Array(nq);
      }
      if (loads.integral) {
        // O(1): the running sums over all queues minus queue 0; exact for integer loads, so
        // equal to the scan below (same formula, same sums)
        const x0 = loads.total[0] ?? 0;
        const n = nq - 1;
        const sum = loads.totalSum - x0;
        const v = n * (loads.totalSumSq - x0 * x0) - sum * sum;
        return costVal(v <= 0 ? 0 : Math.sqrt(v) / n);
      }
      for (let q = 0; q < nq; q++) sums[q] = loads.totalLoadOf(q);
      return costVal(populationSd(sums, 0, nq, mask));
    },
  };
}
