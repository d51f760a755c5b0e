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
 * @module
 */
import { fillValue } from "./value_pattern.ts";
import { CallerViews, copyWords, equalWords } from "./_words.ts";

/** Smallest prefix kept per record (bytes, a multiple of 4). */
const MIN_PREFIX = 64;

/** Record values computed once and compared a word at a time. */
export class ValueTable {
  /** Records covered (indexes 0..records-1). */
  readonly records: number;
  /** Per record, the longest prefix computed so far as native-endian words (empty: none yet). */
  readonly #words: Int32Array[];
  /** The same prefixes as bytes. */
  readonly #bytes: Uint8Array[];
  readonly #views = new CallerViews();

  /** Creates an empty table for records 0..`records`-1. */
  constructor(records: number) {
    if (!Number.isInteger(records) || records < 1) {
      throw new RangeError(
        `Value table record count ${records} is invalid: must be an integer >= 1`,
      );
    }
    this.records = records;
    this.#words = new Array<Int32Array>(records).fill(new Int32Array(0));
    this.#bytes = new Array<Uint8Array>(records).fill(new Uint8Array(0));
  }

  /** Writes the first `length` value bytes of record `index` at `out[offset..]`, as `fillValue`. */
  write(index: number, length: number, out: Uint8Array, offset: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= out.length)) {
      throw new RangeError(
        `Value of ${length} B at offset ${offset} does not fit a ${out.length}-byte buffer`,
      );
    }
    const words = this.#prefix(index, length);
    const bytes = this.#bytes[index] as Uint8Array;
    copyWords(words, bytes, 0, length, out, this.#views.of(out), offset);
  }

  /**
   * Whether `bytes[offset..offset+length)` is the value of record `index` of that length (as
   * {@link isValueOf}); false when the range does not lie within `bytes`.
   */
  matches(index: number, bytes: Uint8Array, offset: number, length: number): boolean {
    if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) return false;
    const words = this.#prefix(index, length);
    const want = this.#bytes[index] as Uint8Array;
    return equalWords(words, want, 0, length, bytes, this.#views.of(bytes), offset);
  }

  /** Words of at least `length` value bytes of record `index`, its prefix extended if needed. */
  #prefix(index: number, length: number): Int32Array {
    const old = this.#words[index];
    if (old !== undefined && 4 * old.length >= length) return old;
    if (old === undefined || !Number.isInteger(index)) {
      throw new RangeError(
        `Record index ${index} is invalid: the value table covers 0..${this.records - 1}`,
      );
    }
    const size = Math.max((length + 3) & ~3, MIN_PREFIX, 8 * old.length);
    const bytes = new Uint8Array(size);
    fillValue(index, size, bytes, 0);
    const words = new Int32Array(bytes.buffer);
    this.#words[index] = words;
    this.#bytes[index] = bytes;
    return words;
  }
}
