/**
 * Key popularity: which record a request addresses. Uniform over the records (mutilate, memaslap)
 * or Zipf with exponent s (P(rank k) ∝ 1 / k^s, rank 1 = record 0), drawn by inverse CDF over a
 * table computed once, so a draw allocates nothing.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { openUnit } from "../dist/unit.ts";

/** How keys are chosen. */
export type KeyPopularity =
  | { readonly kind: "uniform" }
  | { readonly kind: "zipf"; readonly exponent: number };

/** Draws record indexes 0..records-1. */
export interface KeyChooser {
  /** Record count. */
  readonly records: number;
  /** Draws one record index. */
  next(rng: RandomGenerator): number;
  /** Probability of record `index`. */
  probability(index: number): number;
}

/** Largest record count a Zipf table is built for (8 MB of doubles). */
export const MAX_ZIPF_RECORDS = 1_000_000;

/** Creates the chooser of `popularity` over `records` records. */
export function createKeyChooser(popularity: KeyPopularity, records: number): KeyChooser {
  if (!Number.isInteger(records) || records < 1) {
    throw new RangeError(`Record count ${records} is invalid: must be an integer >= 1`);
  }
  if (popularity.kind === "uniform") {
    return {
      records,
      next: (rng) => Math.min(Math.floor(openUnit(rng) * records), records - 1),
      probability: (i) => (i >= 0 && i < records ? 1 / records : 0),
    };
  }
  if (popularity.kind !== "zipf") {
    throw new RangeError(
      `Key popularity "${
        String((popularity as { kind: unknown }).kind)
      }" is unknown: allowed uniform, zipf`,
    );
  }
  const s = popularity.exponent;
  if (!(s > 0 && s <= 10)) {
    throw new RangeError(`Zipf exponent ${s} is invalid: must be in (0, 10]`);
  }
  if (records > MAX_ZIPF_RECORDS) {
    throw new RangeError(
      `Zipf over ${records} records is too large: at most ${MAX_ZIPF_RECORDS} records`,
    );
  }
  const cdf = new Float64Array(records);
  let acc = 0;
  for (let k = 0; k < records; k++) {
    acc += 1 / Math.pow(k + 1, s);
    cdf[k] = acc;
  }
  const total = acc;
  for (let k = 0; k < records; k++) cdf[k] = (cdf[k] as number) / total;
  cdf[records - 1] = 1;
  return {
    records,
    next(rng) {
      const u = openUnit(rng);
      let lo = 0;
      let hi = records - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cdf[mid] as number) > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    probability: (i) =>
      i >= 0 && i < records ? (cdf[i] as number) - (i > 0 ? cdf[i - 1] as number : 0) : 0,
  };
}
