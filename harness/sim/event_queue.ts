/**
 * A min-priority queue of event slots ordered by (time, sequence number).
 *
 * One binary heap over three parallel typed arrays (slot, time, sequence number), compared
 * lexicographically: earlier time first, then lower sequence number. The order is total, so
 * events at the same instant come out in the order they were scheduled and a run is
 * reproducible whatever the heap's shape. (An earlier version used two `flatqueue` heaps, one
 * keyed by time and one by sequence number for the events of the instant being drained; the order
 * is the same, and one heap is simpler and measured as fast. A single numeric key
 * `time * 2^k + seq` is not exact: times and sequence numbers together need more than a double's
 * 53 bits.)
 *
 * @module
 */

/** Largest slot id the queue accepts (slots are stored in a `Uint32Array`). */
export const MAX_SLOT = 0xffff_ffff;

/** Initial capacity of the heap; it doubles when full. */
const INITIAL_CAPACITY = 1024;

/**
 * A time-ordered queue of numeric slot ids with first-in-first-out order among equal times.
 *
 * The caller owns the slots (their payload lives in its own typed arrays); the queue stores the
 * slot id, its time and its sequence number. Nothing is allocated per push or pop once the heap
 * has grown to the working size.
 *
 * @example
 * ```ts
 * import { EventQueue } from "./event_queue.ts";
 * const q = new EventQueue();
 * q.push(7, 100, 0);
 * q.push(3, 100, 1);
 * q.push(5, 50, 2);
 * const order = [q.pop(), q.pop(), q.pop()];
 * if (order.join() !== "5,7,3") throw new Error("unexpected order");
 * ```
 */
export class EventQueue {
  /** Heap entries: entry `i`'s children are `2i + 1` and `2i + 2`. */
  #slot: Uint32Array;
  #time: Float64Array;
  #seq: Float64Array;
  #length = 0;

  /** Creates an empty queue. */
  constructor() {
    this.#slot = new Uint32Array(INITIAL_CAPACITY);
    this.#time = new Float64Array(INITIAL_CAPACITY);
    this.#seq = new Float64Array(INITIAL_CAPACITY);
  }

  /** Number of slots in the queue. */
  get length(): number {
    return this.#length;
  }

  /**
   * Adds `slot` at `time` with sequence number `seq`.
   *
   * Sequence numbers must be distinct (the simulator numbers its events 0, 1, ...); among equal
   * times the lowest comes out first. A slot id must not be in the queue twice.
   */
  push(slot: number, time: number, seq: number): void {
    if (!(slot >= 0 && slot <= MAX_SLOT) || slot !== Math.floor(slot)) {
      throw new RangeError(`Event slot ${slot} is out of range: allowed 0..${MAX_SLOT}`);
    }
    if (this.#length === this.#slot.length) this.#grow();
    const slots = this.#slot;
    const times = this.#time;
    const seqs = this.#seq;
    // Sift up: move parents that come later down into the hole until the entry fits.
    let i = this.#length++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (time > pt || (time === pt && seq > (seqs[p] as number))) break;
      slots[i] = slots[p] as number;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    slots[i] = slot;
    times[i] = time;
    seqs[i] = seq;
  }

  /** Time of the earliest slot, or `Infinity` when the queue is empty. */
  peekTime(): number {
    return this.#length > 0 ? this.#time[0] as number : Infinity;
  }

  /** Removes and returns the earliest slot (lowest sequence number among equal times), or -1. */
  pop(): number {
    if (this.#length === 0) return -1;
    const slots = this.#slot;
    const times = this.#time;
    const seqs = this.#seq;
    const first = slots[0] as number;
    const n = --this.#length;
    if (n === 0) return first;
    // Floyd's variant: walk the hole from the root down to a leaf, always moving the earlier
    // child up (one comparison per level), then sift the last entry up from that leaf. The last
    // entry is usually among the latest, so it rarely climbs: fewer comparisons than sifting it
    // down from the root, with the same resulting order.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        const rt = times[r] as number;
        const ct = times[c] as number;
        if (rt < ct || (rt === ct && (seqs[r] as number) < (seqs[c] as number))) c = r;
      }
      slots[i] = slots[c] as number;
      times[i] = times[c] as number;
      seqs[i] = seqs[c] as number;
      i = c;
    }
    const slot = slots[n] as number;
    const time = times[n] as number;
    const seq = seqs[n] as number;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (time > pt || (time === pt && seq > (seqs[p] as number))) break;
      slots[i] = slots[p] as number;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    slots[i] = slot;
    times[i] = time;
    seqs[i] = seq;
    return first;
  }

  /** Removes every slot. */
  clear(): void {
    this.#length = 0;
  }

  #grow(): void {
    const n = this.#slot.length * 2;
    const slots = new Uint32Array(n);
    slots.set(this.#slot);
    this.#slot = slots;
    const times = new Float64Array(n);
    times.set(this.#time);
    this.#time = times;
    const seqs = new Float64Array(n);
    seqs.set(this.#seq);
    this.#seq = seqs;
  }
}
