/**
 * Static cost: a fixed set of k gold queues 1..k, best effort on k+1..nq−1
 * (dragonet-model.md §9 item 3, `Search.hs` `staticCost isGold nq`).
 *
 * Any gold flow outside the gold set, or best-effort flow outside the rest set, gives
 * `reject(1)`; otherwise `val(sd(goldSet, G) + sd(restSet, B))`, with only the non-empty
 * class's term when one class is empty (val(0) when both are). k is a parameter; by default it
 * is the original's hard-coded value (nq = 5 → 2; nq = 9 or 10 → 4) and any other nq is an
 * error.
 *
 * @module
 */
import { type Cost, costReject, costVal } from "./cost.ts";
import type { CostFunction } from "./cost_function.ts";
import type { Flow } from "./flow.ts";
import type { GoldPredicate } from "./gold.ts";
import { populationSd, type QueueLoads, type Weighting } from "./queue_loads.ts";

/** Options of {@link staticCost}. */
export interface StaticOptions {
  /** Which flows are gold. */
  readonly isGold: GoldPredicate;
  /** Gold queues k (1..nq−2); default: the original's table (nq 5 → 2, nq 9 or 10 → 4). */
  readonly goldQueues?: number;
  /** "count" (original, default) or "rate" (extension). */
  readonly weighting?: Weighting;
}

/** The original's hard-coded gold-queue counts by nq (dragonet-model.md §9 item 3). */
export const ORIGINAL_STATIC_GOLD_QUEUES: Readonly<Record<number, number>> = { 5: 2, 9: 4, 10: 4 };

/** The gold-queue count k for `nq` queues: `explicit` when given, else the original's table. */
export function staticGoldQueues(nq: number, explicit?: number): number {
  if (explicit !== undefined) {
    if (!Number.isInteger(explicit) || explicit < 1 || explicit > nq - 2) {
      throw new RangeError(
        `Static cost gold queues must be an integer 1..${nq - 2} for ${nq} queues, got ${explicit}`,
      );
    }
    return explicit;
  }
  const k = ORIGINAL_STATIC_GOLD_QUEUES[nq];
  if (k === undefined) {
    throw new RangeError(
      `Static cost has no default gold-queue count for ${nq} queues: the original knows 5, 9 ` +
        `and 10; set goldQueues (1..${Math.max(1, nq - 2)})`,
    );
  }
  return k;
}

const BE = 0;
const GOLD = 1;

/** The static cost function (see module doc). Errors for an unsupported nq at evaluation. */
export function staticCost(options: StaticOptions): CostFunction {
  const isGold = options.isGold;
  const classOf = (f: Flow) => (isGold(f) ? GOLD : BE);
  const kOpt = options.goldQueues;
  if (kOpt !== undefined && (!Number.isInteger(kOpt) || kOpt < 1)) {
    throw new RangeError(`Static cost gold queues must be an integer >= 1, got ${kOpt}`);
  }
  let goldSet = new Uint8Array(0);
  let restSet = new Uint8Array(0);
  let k = 0;
  return {
    name: "static",
    classes: 2,
    weighting: options.weighting ?? "count",
    classOf,
    evaluate(loads: QueueLoads): Cost {
      const nq = loads.queues;
      if (goldSet.length !== nq) {
        k = staticGoldQueues(nq, options.goldQueues);
        goldSet = new Uint8Array(nq);
        restSet = new Uint8Array(nq);
        for (let q = 1; q < nq; q++) {
          if (q <= k) goldSet[q] = 1;
          else restSet[q] = 1;
        }
      }
      for (let q = 0; q < nq; q++) {
        if (goldSet[q] === 0 && loads.countOf(GOLD, q) > 0) return costReject(1);
        if (restSet[q] === 0 && loads.countOf(BE, q) > 0) return costReject(1);
      }
      // A flow dropped by the NIC (queue -1) is outside both sets too.
      let placedG = 0;
      let placedB = 0;
      for (let q = 0; q < nq; q++) {
        placedG += loads.countOf(GOLD, q);
        placedB += loads.countOf(BE, q);
      }
      if (placedG !== loads.classTotal[GOLD] || placedB !== loads.classTotal[BE]) {
        return costReject(1);
      }
      const g = placedG > 0 ? populationSd(loads.load, GOLD * nq, nq, goldSet) : 0;
      const b = placedB > 0 ? populationSd(loads.load, BE * nq, nq, restSet) : 0;
      return costVal(g + b);
    },
  };
}
