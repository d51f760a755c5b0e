/**
 * A min-priority queue of event slots ordered by (time, sequence number).
 *
 * Two `flatqueue` heaps backed by typed arrays: the main heap is keyed by event time; events that
 * share the earliest time are moved into a second heap keyed by their sequence number, so events
 * at the same instant come out in the order they were scheduled. The order is total, hence a run
 * is reproducible whatever the heap does with equal keys.
 *
 * @module
 */
import FlatQueue from "flatqueue";

/** Largest slot id the queue accepts (slots are stored in a `Uint32Array`). */
export const MAX_SLOT = 0xffff_ffff;

/** Initial capacity of each heap; both double when full. */
const INITIAL_CAPACITY = 1024;

/**
 * A time-ordered queue of numeric slot ids with first-in-first-out order among equal times.
 *
 * The caller owns the slots (their payload lives in its own typed arrays); the queue stores the
 * slot id, its time and its sequence number. Nothing is allocated per push or pop once the heaps
 * have grown to the working size.
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
  #byTime: FlatQueue<number>;
  #bySeq: FlatQueue<number>;
  /** Sequence number of each slot, read when a tie is resolved. */
  #slotSeq: Float64Array;
  /** Time of the events currently held in the tie heap. */
  #tieTime = 0;

  /** Creates an empty queue. */
  constructor() {
    this.#byTime = new FlatQueue<number>(INITIAL_CAPACITY, Float64Array, Uint32Array);
    this.#bySeq = new FlatQueue<number>(INITIAL_CAPACITY, Float64Array, Uint32Array);
    this.#slotSeq = new Float64Array(INITIAL_CAPACITY);
  }

  /** Number of slots in the queue. */
  get length(): number {
    return this.#byTime.length + this.#bySeq.length;
  }

  /**
   * Adds `slot` at `time` with sequence number `seq`.
   *
   * Sequence numbers must increase across pushes and `time` must not be earlier than the time of
   * the last popped slot (the simulator's clock guarantees both); the queue relies on that to keep
   * a slot pushed at the instant being drained behind the ones already waiting at that instant.
   * A slot id must not be in the queue twice.
   */
  push(slot: number, time: number, seq: number): void {
    if (slot >= this.#slotSeq.length) this.#growSlots(slot);
    this.#slotSeq[slot] = seq;
    if (this.#bySeq.length > 0 && time === this.#tieTime) {
      if (this.#bySeq.length === this.#bySeq.capacity) this.#bySeq = grown(this.#bySeq);
      this.#bySeq.push(slot, seq);
      return;
    }
    if (this.#byTime.length === this.#byTime.capacity) this.#byTime = grown(this.#byTime);
    this.#byTime.push(slot, time);
  }

  /** Time of the earliest slot, or `Infinity` when the queue is empty. */
  peekTime(): number {
    if (this.#bySeq.length > 0) return this.#tieTime;
    const t = this.#byTime.peekValue();
    return t === undefined ? Infinity : t;
  }

  /** Removes and returns the earliest slot (lowest sequence number among equal times), or -1. */
  pop(): number {
    if (this.#bySeq.length === 0) {
      const byTime = this.#byTime;
      if (byTime.length === 0) return -1;
      const t = byTime.peekValue() as number;
      const first = byTime.pop() as number;
      if (byTime.length === 0 || byTime.peekValue() !== t) return first;
      // Several events share time t: order them by sequence number.
      this.#tieTime = t;
      this.#bySeq.push(first, this.#slotSeq[first] as number);
      while (byTime.length > 0 && byTime.peekValue() === t) {
        const slot = byTime.pop() as number;
        if (this.#bySeq.length === this.#bySeq.capacity) this.#bySeq = grown(this.#bySeq);
        this.#bySeq.push(slot, this.#slotSeq[slot] as number);
      }
    }
    return this.#bySeq.pop() as number;
  }

  /** Removes every slot. */
  clear(): void {
    this.#byTime.clear();
    this.#bySeq.clear();
  }

  #growSlots(slot: number): void {
    if (slot > MAX_SLOT || !Number.isInteger(slot) || slot < 0) {
      throw new RangeError(`Event slot ${slot} is out of range: allowed 0..${MAX_SLOT}`);
    }
    let n = this.#slotSeq.length * 2;
    while (n <= slot) n *= 2;
    const next = new Float64Array(n);
    next.set(this.#slotSeq);
    this.#slotSeq = next;
  }
}

/** Returns a heap with twice the capacity holding the same items (a heap array stays a heap). */
function grown(q: FlatQueue<number>): FlatQueue<number> {
  const next = new FlatQueue<number>(q.capacity * 2, Float64Array, Uint32Array);
  for (let i = 0; i < q.length; i++) next.push(q.ids[i] as number, q.values[i] as number);
  return next;
}
