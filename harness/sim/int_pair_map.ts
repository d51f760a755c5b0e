/**
 * A map from pairs of 32-bit integers to non-negative integers, for per-packet lookups keyed by
 * two header fields (a MAC address as 16 + 32 bits, a flow as IPv4 address + port).
 *
 * Open addressing over typed arrays (linear probing, power-of-two capacity, grown at half full):
 * a lookup hashes two integers and compares them. A `Map<number, ...>` keyed by a 48-bit value
 * (`hi * 2^32 + lo`) stores that key as a heap number and hashes it on every lookup.
 *
 * @module
 */

/** Initial slots (a power of two). */
const INITIAL_SLOTS = 64;

/**
 * Pairs (`hi`, `lo`) of 32-bit integers (signed or unsigned: compared as 32-bit patterns) mapped
 * to integers 0..2^31-2.
 *
 * @example
 * ```ts
 * import { IntPairMap } from "./int_pair_map.ts";
 * const m = new IntPairMap();
 * m.set(0x0200, 0x00000001, 3);
 * if (m.get(0x0200, 0x00000001) !== 3 || m.get(0x0200, 2) !== -1) throw new Error("get");
 * ```
 */
export class IntPairMap {
  #hi = new Int32Array(INITIAL_SLOTS);
  #lo = new Int32Array(INITIAL_SLOTS);
  /** Value + 1 per slot: 0 marks an empty slot. */
  #value = new Int32Array(INITIAL_SLOTS);
  #size = 0;

  /** Entries in the map. */
  get size(): number {
    return this.#size;
  }

  /** Value of (`hi`, `lo`), or -1 when absent. */
  get(hi: number, lo: number): number {
    const s = this.#find(hi | 0, lo | 0);
    return s < 0 ? -1 : (this.#value[s] as number) - 1;
  }

  /** Whether (`hi`, `lo`) is in the map. */
  has(hi: number, lo: number): boolean {
    return this.#find(hi | 0, lo | 0) >= 0;
  }

  /** Maps (`hi`, `lo`) to `value` (an integer 0..2^31-2), replacing an earlier value. */
  set(hi: number, lo: number, value: number): void {
    if (!(value >= 0 && value < 0x7fff_ffff) || value !== Math.floor(value)) {
      throw new RangeError(`Map value ${value} is invalid: must be an integer 0..${0x7fff_fffe}`);
    }
    const h = hi | 0;
    const l = lo | 0;
    const s = this.#find(h, l);
    if (s >= 0) {
      this.#value[s] = value + 1;
      return;
    }
    if (2 * (this.#size + 1) > this.#value.length) this.#grow();
    this.#insert(h, l, value + 1);
    this.#size++;
  }

  /** Adds (`hi`, `lo`) with value 0 when absent; returns false when it was already there. */
  add(hi: number, lo: number): boolean {
    if (this.has(hi, lo)) return false;
    this.set(hi, lo, 0);
    return true;
  }

  /** Slot holding (`h`, `l`), or -1. */
  #find(h: number, l: number): number {
    const his = this.#hi;
    const los = this.#lo;
    const values = this.#value;
    const mask = values.length - 1;
    for (let s = slotOf(h, l, mask);; s = (s + 1) & mask) {
      if (values[s] === 0) return -1;
      if (los[s] === l && his[s] === h) return s;
    }
  }

  #insert(h: number, l: number, v: number): void {
    const values = this.#value;
    const mask = values.length - 1;
    let s = slotOf(h, l, mask);
    while (values[s] !== 0) s = (s + 1) & mask;
    this.#hi[s] = h;
    this.#lo[s] = l;
    values[s] = v;
  }

  #grow(): void {
    const his = this.#hi;
    const los = this.#lo;
    const values = this.#value;
    const n = values.length * 2;
    this.#hi = new Int32Array(n);
    this.#lo = new Int32Array(n);
    this.#value = new Int32Array(n);
    for (let s = 0; s < values.length; s++) {
      const v = values[s] as number;
      if (v !== 0) this.#insert(his[s] as number, los[s] as number, v);
    }
  }
}

/** Home slot of a pair: a multiplicative hash of both fields, high bits folded into the low. */
function slotOf(h: number, l: number, mask: number): number {
  const x = Math.imul(l ^ Math.imul(h, 0x9e3779b1), 0x85ebca6b);
  return (x ^ (x >>> 15)) & mask;
}
