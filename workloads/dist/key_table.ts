/**
 * Every record's key bytes ({@link writeKey}) laid out once in one buffer, so a request copies its
 * key and a reply's key is compared byte for byte against it, instead of formatting the decimal
 * index digit by digit (a division per digit) each time.
 *
 * @module
 */
import { writeKey } from "./keys.ts";

/** The keys of records 0..n-1, built from their lengths ({@link keyLengths}). */
export class KeyTable {
  /** Key length of every record (the table it was built from, shared read-only). */
  readonly lengths: Uint8Array;
  readonly #bytes: Uint8Array;
  readonly #start: Int32Array;

  /** Formats every record's key once (each record's decimal index, zero-padded to its length). */
  constructor(lengths: Uint8Array) {
    this.lengths = lengths;
    let total = 0;
    for (const n of lengths) total += n;
    this.#bytes = new Uint8Array(total);
    this.#start = new Int32Array(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      this.#start[i] = at;
      at += writeKey(i, lengths[i] as number, this.#bytes, at);
    }
  }

  /** Records covered. */
  get records(): number {
    return this.lengths.length;
  }

  /** Writes the key of record `index` at `out[offset..]`; returns its length. */
  write(index: number, out: Uint8Array, offset: number): number {
    const n = this.#lengthOf(index);
    if (!(offset >= 0 && offset + n <= out.length)) {
      throw new RangeError(
        `Key of ${n} B at offset ${offset} does not fit a ${out.length}-byte buffer`,
      );
    }
    const src = this.#bytes;
    const from = this.#start[index] as number;
    for (let i = 0; i < n; i++) out[offset + i] = src[from + i] as number;
    return n;
  }

  /** Whether `bytes[offset..]` starts with the key of record `index` (false when too short). */
  matches(index: number, bytes: Uint8Array, offset: number): boolean {
    const n = this.#lengthOf(index);
    if (!(offset >= 0 && offset + n <= bytes.length)) return false;
    const src = this.#bytes;
    const from = this.#start[index] as number;
    for (let i = 0; i < n; i++) if (bytes[offset + i] !== src[from + i]) return false;
    return true;
  }

  #lengthOf(index: number): number {
    const n = this.lengths[index];
    if (n === undefined || !Number.isInteger(index)) {
      throw new RangeError(
        `Record index ${index} is invalid: the key table covers 0..${this.lengths.length - 1}`,
      );
    }
    return n;
  }
}
