/**
 * The task queue of one pipeline: a deque of (start node, buffer) pairs in typed arrays, where a
 * high-priority task goes to the front and a low-priority one to the back, so restarts and ARP
 * requests overtake queued polls (reference `dragonet-model.md` §12.3, runtime fact R2).
 *
 * @module
 */
import { Priority, type PriorityCode } from "./types.ts";

/** A bounded deque of tasks; allocation-free after construction. */
export class TaskQueue {
  /** Capacity in tasks. */
  readonly capacity: number;
  readonly #node: Int32Array;
  readonly #buf: Int32Array;
  #head = 0;
  #size = 0;
  /** Tasks refused because the queue was full. */
  overflows = 0;

  /** Makes an empty queue of `capacity` tasks (1..1 048 576). */
  constructor(capacity = 4096) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1_048_576)) {
      throw new RangeError(`Cannot create task queue: capacity ${capacity} must be 1..1048576`);
    }
    this.capacity = capacity;
    this.#node = new Int32Array(capacity);
    this.#buf = new Int32Array(capacity);
  }

  /** Number of queued tasks. */
  get size(): number {
    return this.#size;
  }

  /** Queues a task; high priority at the front, low at the back. Returns false when full (counted). */
  push(node: number, buf: number, priority: PriorityCode): boolean {
    if (this.#size === this.capacity) {
      this.overflows++;
      return false;
    }
    // Wraps by comparison, not `%` (an integer division on the per-packet path).
    if (priority === Priority.High) {
      const head = this.#head === 0 ? this.capacity - 1 : this.#head - 1;
      this.#head = head;
      this.#node[head] = node;
      this.#buf[head] = buf;
    } else {
      let tail = this.#head + this.#size;
      if (tail >= this.capacity) tail -= this.capacity;
      this.#node[tail] = node;
      this.#buf[tail] = buf;
    }
    this.#size++;
    return true;
  }

  /** Node of the front task (-1 when empty); read before {@linkcode TaskQueue.shift}. */
  peekNode(): number {
    return this.#size === 0 ? -1 : this.#node[this.#head] ?? -1;
  }

  /** Buffer of the front task (-1 when empty or none). */
  peekBuf(): number {
    return this.#size === 0 ? -1 : this.#buf[this.#head] ?? -1;
  }

  /** Removes the front task. */
  shift(): void {
    if (this.#size === 0) return;
    const head = this.#head + 1;
    this.#head = head === this.capacity ? 0 : head;
    this.#size--;
  }
}
