/**
 * Transactions per second over a measurement window.
 *
 * @module
 */

/** Rate of `count` transactions over `durationNs` simulated nanoseconds (per second). */
export function transactionsPerSecond(count: number, durationNs: number): number {
  if (!(count >= 0) || !Number.isFinite(count)) {
    throw new RangeError(`Transaction count ${count} is invalid: must be a finite number >= 0`);
  }
  if (!(durationNs > 0) || !Number.isFinite(durationNs)) {
    throw new RangeError(`Duration ${durationNs} ns is invalid: must be a finite number > 0`);
  }
  return (count * 1e9) / durationNs;
}

/**
 * Counts completions inside a measurement window [startNs, endNs), so warm-up and drain are
 * left out, and reports transactions per second.
 *
 * Counters: `count` (inside), `before` (warm-up), `after` (past the end).
 *
 * @example
 * ```ts
 * import { ThroughputMeter } from "./throughput.ts";
 * const m = new ThroughputMeter(1_000_000, 2_000_000);
 * for (let t = 0; t < 3_000_000; t += 1000) m.record(t);
 * if (m.perSecond() !== 1e6) throw new Error(String(m.perSecond()));
 * ```
 */
export class ThroughputMeter {
  /** Window start (ns, inclusive). */
  readonly startNs: number;
  /** Window end (ns, exclusive). */
  readonly endNs: number;
  /** Completions inside the window. */
  count = 0;
  /** Completions before the window (warm-up). */
  before = 0;
  /** Completions at or after the window end. */
  after = 0;

  /** Creates a meter for [startNs, endNs). */
  constructor(startNs: number, endNs: number) {
    if (!(startNs >= 0) || !(endNs > startNs) || !Number.isFinite(endNs)) {
      throw new RangeError(
        `Measurement window [${startNs}, ${endNs}) ns is invalid: need 0 <= start < end, both finite`,
      );
    }
    this.startNs = startNs;
    this.endNs = endNs;
  }

  /** Counts one completion at `atNs`. */
  record(atNs: number): void {
    if (atNs < this.startNs) this.before++;
    else if (atNs < this.endNs) this.count++;
    else this.after++;
  }

  /** Transactions per second inside the window. */
  perSecond(): number {
    return transactionsPerSecond(this.count, this.endNs - this.startNs);
  }
}
