/**
 * Priority cost: gold flows get exclusive queues, one per `goldFlowsPerQ` gold flows; best-effort
 * flows share the rest; each class is balanced (dragonet-model.md §9 item 2, `Search.hs`
 * `priorityCost isGold goldFlowsPerQ nq`).
 *
 * With G, B the gold and best-effort flows, goldQs/beQs the queues they use, allQs = 1..nq−1,
 * restQs = allQs \ goldQs, goldExcl = goldQs \ beQs, beExcl = beQs \ goldQs:
 * goldNQs = min(nq−1, ⌈|G|/goldFlowsPerQ⌉), goldNeeded = goldNQs − |goldExcl|,
 * goldNonExcl = |goldQs| − |goldExcl|, beNQs = min(nq−1−goldNQs, |B|) (original, quirk Q8:
 * min(nq−goldNQs, |B|)), beNeeded = beNQs − |beExcl|. First matching rule:
 * 1. |G| = 0: val(sd(allQs, B));
 * 2. |B| = 0: val(sd(allQs, G) + max(0, −goldNeeded));
 * 3. goldNeeded > 0: reject(100·goldNeeded);
 * 4. goldNonExcl > 0: reject(goldNonExcl);
 * 5. beNeeded > 0: val(100·beNeeded + sd(restQs, B));
 * 6. otherwise val(sd(goldQs, G) + sd(restQs, B)).
 * Sets of queues cover 0..nq−1 (a gold flow left on the default queue 0 makes 0 a gold queue).
 * Flow counts (|G|, |B|, which queues are used) always count flows; sd uses the weighting.
 *
 * @module
 */
import { type Cost, costReject, costVal } from "./cost.ts";
import { type CostFunction, goldFirst } from "./cost_function.ts";
import type { Flow } from "./flow.ts";
import type { GoldPredicate } from "./gold.ts";
import { populationSd, type QueueLoads, type Weighting } from "./queue_loads.ts";

/** Options of {@link priorityCost}. */
export interface PriorityOptions {
  /** Which flows are gold. */
  readonly isGold: GoldPredicate;
  /** Gold flows per gold queue, integer >= 1 (the stack CLI used 1; tests 1 or 2). */
  readonly goldFlowsPerQ: number;
  /**
   * Reproduce quirk Q8 (best-effort queues computed as nq − goldNQs instead of nq − 1 −
   * goldNQs), as needed to reproduce the original's test S4. Default false.
   */
  readonly originalBeQueues?: boolean;
  /** "count" (original, default) or "rate" (extension). */
  readonly weighting?: Weighting;
}

const BE = 0;
const GOLD = 1;

/** The priority cost function (see module doc). */
export function priorityCost(options: PriorityOptions): CostFunction {
  const gfpq = options.goldFlowsPerQ;
  if (!Number.isInteger(gfpq) || gfpq < 1) {
    throw new RangeError(`goldFlowsPerQ must be an integer >= 1, got ${gfpq}`);
  }
  const isGold = options.isGold;
  const classOf = (f: Flow) => (isGold(f) ? GOLD : BE);
  const beSlack = options.originalBeQueues === true ? 0 : 1;
  let all = new Uint8Array(0);
  let goldQs = new Uint8Array(0);
  let rest = new Uint8Array(0);
  return {
    name: "priority",
    classes: 2,
    weighting: options.weighting ?? "count",
    classOf,
    order: (flows) => goldFirst(classOf, flows),
    evaluate(loads: QueueLoads): Cost {
      const nq = loads.queues;
      if (all.length !== nq) {
        all = new Uint8Array(nq).fill(1);
        all[0] = 0;
        goldQs = new Uint8Array(nq);
        rest = new Uint8Array(nq);
      }
      const nG = loads.classTotal[GOLD] ?? 0;
      const nB = loads.classTotal[BE] ?? 0;
      const loadArr = loads.load;
      const goldOff = GOLD * nq;
      const beOff = BE * nq;
      if (nG === 0) return costVal(populationSd(loadArr, beOff, nq, all));
      let nGoldQs = 0;
      let nGoldExcl = 0;
      let nBeExcl = 0;
      for (let q = 0; q < nq; q++) {
        const g = loads.countOf(GOLD, q) > 0;
        const b = loads.countOf(BE, q) > 0;
        goldQs[q] = g ? 1 : 0;
        rest[q] = q !== 0 && !g ? 1 : 0;
        if (g) nGoldQs++;
        if (g && !b) nGoldExcl++;
        if (b && !g) nBeExcl++;
      }
      const goldNQs = Math.min(nq - 1, Math.ceil(nG / gfpq));
      const goldNeeded = goldNQs - nGoldExcl;
      if (nB === 0) {
        return costVal(populationSd(loadArr, goldOff, nq, all) + Math.max(0, -goldNeeded));
      }
      if (goldNeeded > 0) return costReject(100 * goldNeeded);
      const goldNonExcl = nGoldQs - nGoldExcl;
      if (goldNonExcl > 0) return costReject(goldNonExcl);
      const beNQs = Math.min(nq - beSlack - goldNQs, nB);
      const beNeeded = beNQs - nBeExcl;
      const beSd = populationSd(loadArr, beOff, nq, rest);
      if (beNeeded > 0) return costVal(100 * beNeeded + beSd);
      return costVal(populationSd(loadArr, goldOff, nq, goldQs) + beSd);
    },
  };
}
