/**
 * Every record's key bytes ({@link writeKey}) laid out once, so a request copies its key and a
 * reply's key is compared with it, 4 bytes at a time, instead of formatting the decimal index
 * digit by digit (a division per digit) each time.
 *
 * @module
 */
import { writeKey } from "../dist/keys.ts";
import { CallerViews, copyWords, equalWords } from "../clients/byte_words.ts";

/** The keys of records 0..n-1, built from their lengths (`keyLengths` in dist/keys.ts). */
export class KeyTable {
  /** Key length of every record (the table it was built from, shared read-only). */
  readonly lengths: Uint8Array;
  /** All keys, each starting at a word boundary. */
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  /** First word of each record's key. */
  readonly #start: Int32Array;
  readonly #views = new CallerViews();

  /** Formats every record's key once (each record's decimal index, zero-padded to its length). */
  constructor(lengths: Uint8Array) {
    this.lengths = lengths;
    this.#start = new Int32Array(lengths.length);
    let words = 0;
    for (let i = 0; i < lengths.length; i++) {
      this.#start[i] = words;
      words += ((lengths[i] as number) + 3) >>> 2;
    }
    this.#words = new Int32Array(words);
    this.#bytes = new Uint8Array(this.#words.buffer);
    for (let i = 0; i < lengths.length; i++) {
      writeKey(i, lengths[i] as number, this.#bytes, 4 * (this.#start[i] as number));
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
    const from = this.#start[index] as number;
    copyWords(this.#words, this.#bytes, from, n, out, this.#views.of(out), offset);
    return n;
  }

  /** Whether `bytes[offset..]` starts with the key of record `index` (false when too short). */
  matches(index: number, bytes: Uint8Array, offset: number): boolean {
    const n = this.#lengthOf(index);
    if (!(offset >= 0 && offset + n <= bytes.length)) return false;
    const from = this.#start[index] as number;
    return equalWords(this.#words, this.#bytes, from, n, bytes, this.#views.of(bytes), offset);
  }

  #lengthOf(index: number): number {
    const n = this.lengths[index];
    if (n === undefined) {
      throw new RangeError(
        `Record index ${index} is invalid: the key table covers 0..${this.lengths.length - 1}`,
      );
    }
    return n;
  }
}
