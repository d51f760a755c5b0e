/**
 * Record keys as mutilate builds them: the decimal record index, zero-padded to a length drawn
 * from the key-size distribution at a uniform derived from a hash of the index, so each key
 * always has the same length.
 *
 * Source: workloads.md §4.2 "Keys" (mutilate Generator.h `KeyGenerator`, util.cc `fnv_64_buf`:
 * FNV-1a 64 over the index's 8 little-endian bytes; U = hash / ULLONG_MAX; length
 * max(round(G), digits(records))).
 *
 * @module
 */
import type { Sampler } from "./sampler.ts";

/**
 * Longest key produced: mutilate formats keys into a 250-byte buffer with `snprintf`, which
 * leaves room for 249 characters (memcached's own limit is 250).
 */
export const MAX_KEY_BYTES = 249;

/** Largest record count accepted (keys are computed once per record). */
export const MAX_RECORDS = 100_000_000;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = 0xffff_ffff_ffff_ffffn;

/** FNV-1a 64-bit hash of `bytes`. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK64;
  return h;
}

/** FNV-1a 64 of a record index's 8 little-endian bytes, as mutilate's `fnv_64(ind)`. */
export function fnv1a64OfIndex(index: number): bigint {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(index), true);
  return fnv1a64(bytes);
}

/** Decimal digits of `n` (n >= 1), as mutilate's floor(log10(n)) + 1. */
function digits(n: number): number {
  return String(Math.floor(n)).length;
}

/**
 * Key length of every record 0..records-1 for key-size distribution `keySize` (computed once;
 * look lengths up by index on the hot path).
 *
 * U is clamped into (0, 1) so a hash of 0 or near 2^64 gives a finite size; lengths are clamped
 * to {@link MAX_KEY_BYTES}.
 *
 * @example
 * ```ts
 * import { createSampler, keyLengths, parseDistribution } from "./mod.ts";
 * const lengths = keyLengths(10_000, createSampler(parseDistribution("fb_key")));
 * if (lengths.length !== 10_000 || Math.min(...lengths) < 5) throw new Error("unexpected");
 * ```
 */
export function keyLengths(records: number, keySize: Sampler): Uint8Array {
  if (!Number.isInteger(records) || records < 1 || records > MAX_RECORDS) {
    throw new RangeError(
      `Record count ${records} is invalid: must be an integer in 1..${MAX_RECORDS}`,
    );
  }
  const minLength = digits(records);
  const out = new Uint8Array(records);
  for (let i = 0; i < records; i++) {
    let u = Number(fnv1a64OfIndex(i)) / 18446744073709551615;
    if (u >= 1) u = 1 - 2 ** -53;
    if (u <= 0) u = 2 ** -53;
    const g = keySize.fromUniform(u);
    const len = Math.max(Number.isFinite(g) ? Math.round(g) : MAX_KEY_BYTES, minLength);
    out[i] = Math.min(len, MAX_KEY_BYTES);
  }
  return out;
}

/**
 * Writes the key of record `index` — its decimal digits zero-padded on the left to `length` —
 * as ASCII into `out` at `offset`; returns the bytes written. Allocates nothing.
 */
export function writeKey(index: number, length: number, out: Uint8Array, offset: number): number {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`Key index ${index} is invalid: must be a safe integer >= 0`);
  }
  if (!Number.isInteger(length) || length < 1 || length > MAX_KEY_BYTES) {
    throw new RangeError(
      `Key length ${length} is invalid: must be an integer in 1..${MAX_KEY_BYTES}`,
    );
  }
  if (offset < 0 || offset + length > out.length) {
    throw new RangeError(
      `Key of ${length} B at offset ${offset} does not fit a ${out.length}-byte buffer`,
    );
  }
  let n = index;
  let need = 1;
  for (let m = Math.floor(index / 10); m > 0; m = Math.floor(m / 10)) need++;
  if (need > length) {
    throw new RangeError(
      `Key length ${length} is too short for index ${index}: needs ${need} digits`,
    );
  }
  for (let i = offset + length - 1; i >= offset; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return length;
}
