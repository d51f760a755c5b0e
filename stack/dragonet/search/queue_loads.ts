/**
 * Per-queue, per-class flow counts and loads: the summary of a flow -> queue map that every cost
 * function reads (dragonet-model.md §9).
 *
 * Class 0 is best effort, class 1 gold (high priority) for two-class cost functions. `count`
 * holds flow counts; `load` holds the weights the cost function asked for: flow counts (the
 * original's model, default) or declared packet rates (an extension). `total` sums the classes
 * per queue, and `totalSum` / `totalSumSq` its sum and sum of squares over all queues, so a
 * balance over all queues but a few is O(1) to read (exact while weights are integers, see
 * `integral`). Updating is O(1) and allocates nothing, so the search can apply a candidate's
 * moves, evaluate and revert.
 *
 * @module
 */

/** How a flow contributes to a queue's load. */
export type Weighting = "count" | "rate";

/** Per-class per-queue flow counts and loads over queues 0..queues-1. */
export class QueueLoads {
  /** Queues (0..queues-1). */
  readonly queues: number;
  /** Flow classes. */
  readonly classes: number;
  /** Flow count per class and queue, index `cls * queues + q`. */
  readonly count: Int32Array;
  /** Load per class and queue (flow count or summed rate), index `cls * queues + q`. */
  readonly load: Float64Array;
  /** Flows per class over every queue. */
  readonly classTotal: Int32Array;
  /** Load of all classes per queue (the sum of `load` over classes), index `q`. */
  readonly total: Float64Array;
  /** Σ of `total` over every queue, kept up to date by {@link QueueLoads.add}. */
  totalSum = 0;
  /** Σ of `total[q]²` over every queue, kept up to date by {@link QueueLoads.add}. */
  totalSumSq = 0;
  /**
   * True while every weight added since construction (or {@link QueueLoads.clear}) was an
   * integer: then `totalSum` and `totalSumSq` are exact (integers below 2^53), equal to sums
   * computed from scratch in any order, so a cost may read them instead of scanning the queues.
   */
  integral = true;

  /** Empty loads for `queues` queues and `classes` classes. */
  constructor(queues: number, classes: number) {
    if (!Number.isInteger(queues) || queues < 2 || queues > 4096) {
      throw new RangeError(`Queue count must be an integer 2..4096, got ${queues}`);
    }
    if (!Number.isInteger(classes) || classes < 1 || classes > 8) {
      throw new RangeError(`Flow class count must be an integer 1..8, got ${classes}`);
    }
    this.queues = queues;
    this.classes = classes;
    this.count = new Int32Array(queues * classes);
    this.load = new Float64Array(queues * classes);
    this.classTotal = new Int32Array(classes);
    this.total = new Float64Array(queues);
  }

  /** Adds (sign 1) or removes (sign -1) one flow of class `cls` with weight `w` on queue `q`. */
  add(cls: number, q: number, w: number, sign: 1 | -1): void {
    this.classTotal[cls] = (this.classTotal[cls] ?? 0) + sign;
    if (q < 0 || q >= this.queues) return; // dropped flows count in the class total only
    const i = cls * this.queues + q;
    this.count[i] = (this.count[i] ?? 0) + sign;
    this.load[i] = (this.load[i] ?? 0) + sign * w;
    const x = this.total[q] ?? 0;
    const y = x + sign * w;
    this.total[q] = y;
    this.totalSum += sign * w;
    this.totalSumSq += y * y - x * x;
    if (!Number.isInteger(w)) this.integral = false;
  }

  /** Flow count of class `cls` on queue `q`. */
  countOf(cls: number, q: number): number {
    return this.count[cls * this.queues + q] ?? 0;
  }

  /** Load of class `cls` on queue `q`. */
  loadOf(cls: number, q: number): number {
    return this.load[cls * this.queues + q] ?? 0;
  }

  /** Load of all classes on queue `q`. */
  totalLoadOf(q: number): number {
    return this.total[q] ?? 0;
  }

  /** Clears every count and load. */
  clear(): void {
    this.count.fill(0);
    this.load.fill(0);
    this.classTotal.fill(0);
    this.total.fill(0);
    this.totalSum = 0;
    this.totalSumSq = 0;
    this.integral = true;
  }
}

/**
 * Population standard deviation (divide by the set size) of `values[offset + q]` over the queues
 * `q` in 0..queues-1 with `inSet[q] !== 0`; 0 for an empty set (dragonet-model.md §9 `sd`).
 *
 * Computed as sqrt(n·Σx² − (Σx)²) / n, which is exact and independent of queue order for integer
 * loads, so permuted distributions tie exactly (the greedy search breaks ties by candidate order).
 */
export function populationSd(
  values: Float64Array,
  offset: number,
  queues: number,
  inSet: Uint8Array,
): number {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let q = 0; q < queues; q++) {
    if (inSet[q] === 0) continue;
    const x = values[offset + q] ?? 0;
    n++;
    sum += x;
    sumSq += x * x;
  }
  if (n === 0) return 0;
  const v = n * sumSq - sum * sum;
  return v <= 0 ? 0 : Math.sqrt(v) / n;
}
