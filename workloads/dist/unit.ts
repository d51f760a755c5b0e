/**
 * Uniform draws on the open interval (0, 1) from a pure-rand stream.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

const MASK26 = 0x3ff_ffff;
const TWO26 = 2 ** 26;
const TWO_M52 = 2 ** -52;

/**
 * A uniform number in the open interval (0, 1): the midpoint of one of 2^52 equal cells, so it
 * is never 0 or 1 and `-Math.log(u)` and `u ** -shape` stay finite. Consumes two outputs of `rng`
 * (26 bits of each).
 *
 * @example
 * ```ts
 * import { openUnit } from "./unit.ts";
 * import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
 * const u = openUnit(xoroshiro128plus(42));
 * if (!(u > 0 && u < 1)) throw new Error("out of range");
 * ```
 */
export function openUnit(rng: RandomGenerator): number {
  const hi = rng.next() & MASK26;
  const lo = rng.next() & MASK26;
  return (hi * TWO26 + lo + 0.5) * TWO_M52;
}
