/**
 * The value bytes of every record ({@link fillValue}), computed once per record and kept, so
 * that writing a set's value is a copy and checking a get's value is a compare, 4 bytes at a
 * time, instead of one hash per byte (the hash costs about 2 ns a byte, 2 µs per 1 KiB value).
 *
 * A record's values of every length are prefixes of one byte sequence, so the table keeps for
 * each record the longest prefix asked for so far and extends it (to at least twice its length)
 * when a longer one is needed. The bytes are exactly {@link fillValue}'s: the table is a cache
 * of a pure function, shared read-only by every connection that addresses the same records.
 *
 * Layout: all prefixes live in one word arena, each record's at a start word noted in a dense
 * array, so a lookup reads two small arrays and then the value's own cache lines, instead of
 * first following a pointer to a per-record array object (with a thousand records and the rest
 * of the simulation in the cache, that header is a miss on most lookups). An extended prefix is
 * written anew at the arena's end; the arena doubles when full.
 *
 * @module
 */
import { fillValue } from "./value_pattern.ts";
import { CallerViews, copyWords, equalWords } from "../clients/byte_words.ts";

/** Smallest prefix kept per record (bytes, a multiple of 4). */
const MIN_PREFIX = 64;

/** Record values computed once and compared a word at a time. */
export class ValueTable {
  /** Records covered (indexes 0..records-1). */
  readonly records: number;
  /** Every record's prefix as native-endian words; `#bytes` views the same memory. */
  #words: Int32Array;
  #bytes: Uint8Array;
  /** Words of the arena in use. */
  #used = 0;
  /** Per record: first word of its prefix in the arena, and its length in bytes (0: none yet). */
  readonly #start: Int32Array;
  readonly #length: Int32Array;
  readonly #views = new CallerViews();

  /** Creates an empty table for records 0..`records`-1. */
  constructor(records: number) {
    if (!Number.isInteger(records) || records < 1) {
      throw new RangeError(
        `Value table record count ${records} is invalid: must be an integer >= 1`,
      );
    }
    this.records = records;
    this.#start = new Int32Array(records);
    this.#length = new Int32Array(records);
    this.#words = new Int32Array(records * (MIN_PREFIX / 4));
    this.#bytes = new Uint8Array(this.#words.buffer);
  }

  /** Writes the first `length` value bytes of record `index` at `out[offset..]`, as `fillValue`. */
  write(index: number, length: number, out: Uint8Array, offset: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= out.length)) {
      throw new RangeError(
        `Value of ${length} B at offset ${offset} does not fit a ${out.length}-byte buffer`,
      );
    }
    const from = this.#prefix(index, length);
    copyWords(this.#words, this.#bytes, from, length, out, this.#views.of(out), offset);
  }

  /**
   * Whether `bytes[offset..offset+length)` is the value of record `index` of that length (as
   * {@link isValueOf}); false when the range does not lie within `bytes`.
   */
  matches(index: number, bytes: Uint8Array, offset: number, length: number): boolean {
    if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) return false;
    const from = this.#prefix(index, length);
    const view = this.#views.of(bytes);
    return equalWords(this.#words, this.#bytes, from, length, bytes, view, offset);
  }

  /** First arena word of at least `length` value bytes of record `index` (extended if needed). */
  #prefix(index: number, length: number): number {
    const have = this.#length[index];
    if (have !== undefined && have >= length) return this.#start[index] as number;
    if (have === undefined || !Number.isInteger(index)) {
      throw new RangeError(
        `Record index ${index} is invalid: the value table covers 0..${this.records - 1}`,
      );
    }
    const size = Math.max((length + 3) & ~3, MIN_PREFIX, 2 * have);
    const need = this.#used + size / 4;
    if (need > this.#words.length) {
      const grown = new Int32Array(Math.max(need, 2 * this.#words.length));
      grown.set(this.#words.subarray(0, this.#used));
      this.#words = grown;
      this.#bytes = new Uint8Array(grown.buffer);
    }
    const start = this.#used;
    fillValue(index, size, this.#bytes, 4 * start);
    this.#used = need;
    this.#start[index] = start;
    this.#length[index] = size;
    return start;
  }
}
