/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4, RFC 1982 serial numbers).
 *
 * Sequence numbers are unsigned 32-bit values held in JavaScript numbers; comparisons look at the
 * signed 32-bit difference, so they stay correct across the wrap from 0xffffffff to 0 as long as
 * the two numbers are less than 2^31 apart (the windows TCP allows are far smaller).
 *
 * @module
 */

/** `a + n` modulo 2^32, as an unsigned 32-bit number. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Signed distance `a - b` (in -2^31 .. 2^31 - 1): positive when `a` is after `b`. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Whether `a` comes before `b`. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** Whether `a` comes before or equals `b`. */
export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** Whether `a` comes after `b`. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** Whether `a` comes after or equals `b`. */
export function seqGeq(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** Whether `lo <= x < hi` in sequence space (an empty range when `lo === hi`). */
export function seqInRange(x: number, lo: number, hi: number): boolean {
  return ((x - lo) | 0) >= 0 && ((x - hi) | 0) < 0;
}
