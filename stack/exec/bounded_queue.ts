/**
 * A bounded single-producer single-consumer queue of buffer ids linking two pipelines: pushing
 * moves the buffer's ownership to the consumer (no copy); a full queue refuses and counts.
 *
 * Source: `/work/shared/reference/dragonet-model.md` §12.4 (inter-pipeline queues of up to
 * 81 920 slots; buffers are moved, zero copy, and returned when freed).
 *
 * @module
 */
import type { BufferPool } from "../packet/buffer_pool.ts";

/** Default capacity of an inter-pipeline queue (the original's 81 920 slots, §12.4). */
export const DEFAULT_QUEUE_SLOTS = 81_920;

/** A bounded queue of buffer ids between two pipelines. */
export class BoundedQueue {
  /** Queue name, `<src>_to_<dst>`. */
  readonly name: string;
  /** Capacity. */
  readonly capacity: number;
  /** Owner id of the consumer in the pool. */
  readonly consumer: number;
  readonly #pool: BufferPool;
  readonly #ids: Int32Array;
  #head = 0;
  #size = 0;
  /** Buffers refused because the queue was full. */
  fullDrops = 0;
  /** Buffers moved through the queue. */
  moved = 0;

  /** Makes an empty queue of `capacity` (1..1 048 576) buffers moving to owner `consumer`. */
  constructor(name: string, pool: BufferPool, consumer: number, capacity = DEFAULT_QUEUE_SLOTS) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1_048_576)) {
      throw new RangeError(
        `Cannot create queue "${name}": capacity ${capacity} must be 1..1048576`,
      );
    }
    this.name = name;
    this.capacity = capacity;
    this.consumer = consumer;
    this.#pool = pool;
    this.#ids = new Int32Array(capacity);
  }

  /** Buffers queued. */
  get size(): number {
    return this.#size;
  }

  /** Moves buffer `id` from owner `from` into the queue; false when full (counted, not moved). */
  push(id: number, from: number): boolean {
    if (this.#size === this.capacity) {
      this.fullDrops++;
      return false;
    }
    this.#pool.move(id, from, this.consumer);
    this.#ids[(this.#head + this.#size) % this.capacity] = id;
    this.#size++;
    this.moved++;
    return true;
  }

  /** Takes the oldest buffer id, or -1 when empty. */
  shift(): number {
    if (this.#size === 0) return -1;
    const id = this.#ids[this.#head] ?? -1;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return id;
  }
}
