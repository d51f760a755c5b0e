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

/** Smallest prefix kept per record (bytes, a multiple of 4). */
const MIN_PREFIX = 64;

/** Whether this machine stores 32-bit integers little-endian (`Int32Array` word order). */
const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Record values computed once and compared a word at a time. */
export class ValueTable {
  /** Records covered (indexes 0..records-1). */
  readonly records: number;
  /**
   * Per record, the longest prefix computed so far as native-endian 32-bit words (empty: none
   * yet); a caller's bytes are read as words in the same byte order, so equal words mean equal
   * bytes.
   */
  readonly #words: Int32Array[];
  /** The same prefixes as bytes (for a value's last 1..3 bytes). */
  readonly #bytes: Uint8Array[];
  // Views over the caller's buffers (the frame pool, reassembly buffers), made once per buffer
  // so the hot path reads them without allocating; the last one used is checked first.
  readonly #callerViews = new WeakMap<Uint8Array, DataView>();
  #lastArray: Uint8Array | null = null;
  #lastView: DataView | null = null;

  /** Creates an empty table for records 0..`records`-1. */
  constructor(records: number) {
    if (!Number.isInteger(records) || records < 1) {
      throw new RangeError(
        `Value table record count ${records} is invalid: must be an integer >= 1`,
      );
    }
    this.records = records;
    const none = new Int32Array(0);
    this.#words = new Array<Int32Array>(records).fill(none);
    this.#bytes = new Array<Uint8Array>(records).fill(new Uint8Array(0));
  }

  /** Writes the first `length` value bytes of record `index` at `out[offset..]` (as {@link fillValue}). */
  write(index: number, length: number, out: Uint8Array, offset: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= out.length)) {
      throw new RangeError(
        `Value of ${length} B at offset ${offset} does not fit a ${out.length}-byte buffer`,
      );
    }
    const words = this.#prefix(index, length);
    const bytes = this.#bytes[index] as Uint8Array;
    const dst = this.#viewOf(out);
    const whole = length >>> 2;
    for (let k = 0; k < whole; k++) {
      dst.setInt32(offset + 4 * k, words[k] as number, NATIVE_LITTLE_ENDIAN);
    }
    for (let j = 4 * whole; j < length; j++) out[offset + j] = bytes[j] as number;
  }

  /**
   * Whether `bytes[offset..offset+length)` is the value of record `index` of that length (as
   * {@link isValueOf}); false when the range does not lie within `bytes`.
   */
  matches(index: number, bytes: Uint8Array, offset: number, length: number): boolean {
    if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) return false;
    const words = this.#prefix(index, length);
    const want = this.#bytes[index] as Uint8Array;
    const got = this.#viewOf(bytes);
    const whole = length >>> 2;
    for (let k = 0; k < whole; k++) {
      if (got.getInt32(offset + 4 * k, NATIVE_LITTLE_ENDIAN) !== words[k]) return false;
    }
    for (let j = 4 * whole; j < length; j++) if (bytes[offset + j] !== want[j]) return false;
    return true;
  }

  /** The words of at least `length` value bytes of record `index`, extending the prefix if needed. */
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

  #viewOf(bytes: Uint8Array): DataView {
    if (bytes === this.#lastArray && this.#lastView !== null) return this.#lastView;
    let v = this.#callerViews.get(bytes);
    if (v === undefined) {
      v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.#callerViews.set(bytes, v);
    }
    this.#lastArray = bytes;
    this.#lastView = v;
    return v;
  }
}
