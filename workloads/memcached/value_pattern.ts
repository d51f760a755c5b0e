/**
 * Value bytes a client stores and later checks: byte j of the value of record i is a printable
 * character determined by (i, j), so a get reply proves it carries this key's data, whatever
 * length the last set chose (memaslap and mutilate fill values from a random buffer and cannot
 * check them; the lab checks every reply).
 *
 * These functions define the bytes; the clients write and check values through `ValueTable`
 * (value_table.ts), which keeps these same bytes per record so both are word copies.
 *
 * @module
 */

const ALNUM = new TextEncoder().encode(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
);

function seedOf(index: number): number {
  return Math.imul(index + 1, 0x9e3779b1);
}

/** Byte j of the value with seed h: a 32-bit mix of (h, j) mapped to an alphanumeric character. */
function byteAt(h: number, j: number): number {
  let x = Math.imul(h ^ Math.imul(j + 1, 0x85ebca6b), 0xc2b2ae35);
  x ^= x >>> 15;
  x = Math.imul(x, 0x27d4eb2f);
  x ^= x >>> 13;
  return ALNUM[(x >>> 0) % 62] as number;
}

/** Writes the first `length` value bytes of record `index` at `out[offset..]`. */
export function fillValue(index: number, length: number, out: Uint8Array, offset: number): void {
  const h = seedOf(index);
  for (let j = 0; j < length; j++) {
    out[offset + j] = byteAt(h, j);
  }
}

/** Whether `bytes[offset..offset+length)` is a value of record `index` (of that length). */
export function isValueOf(
  index: number,
  bytes: Uint8Array,
  offset: number,
  length: number,
): boolean {
  const h = seedOf(index);
  for (let j = 0; j < length; j++) {
    if (bytes[offset + j] !== byteAt(h, j)) return false;
  }
  return true;
}
