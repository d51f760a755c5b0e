/**
 * Open-loop arrival schedules: intended send times from an inter-arrival distribution rescaled to
 * a target rate (mutilate's `-i` with `set_lambda`, workloads.md §4.2 "Rate rescaling", §8).
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler, type Sampler } from "../dist/sampler.ts";

/**
 * The inter-arrival sampler for `ratePerSecond` arrivals per second: `distribution` in mutilate's
 * syntax (default "exponential", i.e. Poisson arrivals; "fb_ia" for Facebook ETC) rescaled so its
 * mean gap is 1 / rate seconds.
 */
export function interArrivalSampler(distribution: string, ratePerSecond: number): Sampler {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    throw new RangeError(
      `Open-loop rate ${ratePerSecond}/s is invalid: must be a finite number > 0`,
    );
  }
  // The rate given to parse is replaced by withRate; "exponential" alone needs a parameter.
  const text = distribution === "exponential" ? "exponential:1" : distribution;
  return createSampler(parseDistribution(text)).withRate(ratePerSecond);
}

/**
 * Intended send times of one connection: exact (fractional) times accumulated from sampled gaps,
 * handed out rounded to integer ns so rounding never drifts the rate.
 */
export class ArrivalSchedule {
  #exactNs: number;
  readonly #sampler: Sampler;
  readonly #rng: RandomGenerator;

  /** Starts at `startNs`; the first arrival comes one sampled gap later. */
  constructor(sampler: Sampler, rng: RandomGenerator, startNs: number) {
    this.#sampler = sampler;
    this.#rng = rng;
    this.#exactNs = startNs;
  }

  /** Restarts the schedule at `startNs` (the first arrival comes one sampled gap later). */
  restart(startNs: number): void {
    this.#exactNs = startNs;
  }

  /** The next intended send time in integer ns (non-decreasing). */
  next(): number {
    const gapS = this.#sampler.sample(this.#rng);
    this.#exactNs += gapS > 0 ? gapS * 1e9 : 0;
    return Math.round(this.#exactNs);
  }
}
