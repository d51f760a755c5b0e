/**
 * The cost-function interface and its evaluation on a flow -> queue map (dragonet-model.md §9).
 *
 * A cost function is pure: it sees only the per-class per-queue summary ({@link QueueLoads}) of
 * a flow -> queue map, built with its own {@link CostFunction.classOf} and weighting. The search
 * keeps that summary up to date incrementally; {@link costOfQMap} computes it from scratch. A new
 * cost function is one file implementing this interface.
 *
 * @module
 */
import type { Cost } from "./cost.ts";
import type { Flow } from "./flow.ts";
import { QueueLoads, type Weighting } from "./queue_loads.ts";

/** A pure cost function over per-class per-queue loads. */
export interface CostFunction {
  /** Short name, e.g. "balance". */
  readonly name: string;
  /** Number of flow classes (1, or 2 for best effort / gold). */
  readonly classes: number;
  /** How flows weigh: "count" (the original) or "rate" (declared packet rates, extension). */
  readonly weighting: Weighting;
  /** Class of a flow, 0..classes-1 (0 = best effort, 1 = gold). */
  classOf(flow: Flow): number;
  /** Cost of a placement summarised by `loads` (its queue count is the `nq` of the reference). */
  evaluate(loads: QueueLoads): Cost;
  /** Order in which the greedy search places flows (stable); identity when absent. */
  order?(flows: readonly Flow[]): Flow[];
}

/** Weight of `flow` under `weighting`; throws when rate weighting meets a flow without a rate. */
export function flowWeight(flow: Flow, weighting: Weighting): number {
  if (weighting === "count") return 1;
  if (flow.rate === undefined) {
    throw new RangeError(
      `Flow ${
        JSON.stringify(flow)
      } declares no rate: weighting "rate" needs a rate > 0 on every flow`,
    );
  }
  return flow.rate;
}

/** Builds the loads of `fn`'s classes for flows on `queueOf[i]` (queues 0..queues-1). */
export function loadsOf(
  fn: CostFunction,
  queues: number,
  flows: readonly Flow[],
  queueOf: ArrayLike<number>,
): QueueLoads {
  const loads = new QueueLoads(queues, fn.classes);
  flows.forEach((f, i) => {
    loads.add(fn.classOf(f), queueOf[i] ?? -1, flowWeight(f, fn.weighting), 1);
  });
  return loads;
}

/** The cost of placing `flows[i]` on queue `queueOf[i]` with `queues` queues configured. */
export function costOfQMap(
  fn: CostFunction,
  queues: number,
  flows: readonly Flow[],
  queueOf: ArrayLike<number>,
): Cost {
  return fn.evaluate(loadsOf(fn, queues, flows, queueOf));
}

/** Stable order with gold (class 1) flows first (`prioritySort` of the original). */
export function goldFirst(classOf: (f: Flow) => number, flows: readonly Flow[]): Flow[] {
  return [...flows.filter((f) => classOf(f) === 1), ...flows.filter((f) => classOf(f) !== 1)];
}
