/**
 * A first-in-first-out queue of numbers with a capacity and counted drops.
 *
 * @module
 */

/** Initial ring size of an unbounded queue; it doubles when full. */
const INITIAL_RING = 16;

/**
 * A FIFO ring of numbers (packet ids, timestamps, ...) that refuses pushes beyond its capacity
 * and counts them as drops.
 *
 * Config: `capacity` (integer >= 0, or `Infinity` for a queue that grows).
 * Counters: `pushed` (accepted), `drops` (refused because full), `maxLength` (high-water mark).
 *
 * @example
 * ```ts
 * import { BoundedQueue } from "./bounded_queue.ts";
 * const q = new BoundedQueue(2);
 * q.push(1); q.push(2);
 * if (q.push(3) || q.drops !== 1 || q.shift() !== 1) throw new Error("unexpected");
 * ```
 */
export class BoundedQueue {
  /** Most items held at once (`Infinity` = unbounded). */
  readonly capacity: number;
  /** Items accepted. */
  pushed = 0;
  /** Items refused because the queue was full. */
  drops = 0;
  /** Largest length seen. */
  maxLength = 0;
  #ring: Float64Array;
  #head = 0;
  #length = 0;

  /** Creates an empty queue holding at most `capacity` items. */
  constructor(capacity: number) {
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 0))) {
      throw new RangeError(
        `Queue capacity ${capacity} is invalid: must be an integer >= 0 or Infinity`,
      );
    }
    this.capacity = capacity;
    this.#ring = new Float64Array(capacity === Infinity ? INITIAL_RING : Math.max(1, capacity));
  }

  /** Number of items in the queue. */
  get length(): number {
    return this.#length;
  }

  /** Appends `value`; returns false (and counts a drop) when the queue is full. */
  push(value: number): boolean {
    if (this.#length >= this.capacity) {
      this.drops++;
      return false;
    }
    if (this.#length === this.#ring.length) this.#grow();
    const ring = this.#ring;
    let tail = this.#head + this.#length;
    if (tail >= ring.length) tail -= ring.length;
    ring[tail] = value;
    this.#length++;
    this.pushed++;
    if (this.#length > this.maxLength) this.maxLength = this.#length;
    return true;
  }

  /** The oldest item without removing it; throws when empty. */
  peek(): number {
    if (this.#length === 0) throw new RangeError("Cannot peek an empty queue: length is 0");
    return this.#ring[this.#head] as number;
  }

  /** Removes and returns the oldest item; throws when empty. */
  shift(): number {
    if (this.#length === 0) throw new RangeError("Cannot shift an empty queue: length is 0");
    const value = this.#ring[this.#head] as number;
    this.#head++;
    if (this.#head === this.#ring.length) this.#head = 0;
    this.#length--;
    return value;
  }

  /** Removes every item (counters are kept). */
  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }

  #grow(): void {
    const old = this.#ring;
    const next = new Float64Array(old.length * 2);
    for (let i = 0; i < this.#length; i++) {
      let j = this.#head + i;
      if (j >= old.length) j -= old.length;
      next[i] = old[j] as number;
    }
    this.#ring = next;
    this.#head = 0;
  }
}
