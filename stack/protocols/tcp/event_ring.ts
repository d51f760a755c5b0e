/**
 * `TcpEventRing`: a bounded FIFO of application events (`TcpEvent` code + id) over typed arrays.
 *
 * @module
 */

/** Bounded ring of (event code, id) pairs. */
export class TcpEventRing {
  /** Entries the ring holds at most. */
  readonly capacity: number;
  readonly #code: Uint8Array;
  readonly #id: Int32Array;
  #head = 0;
  #size = 0;
  /** Code of the event last returned by `shift`. */
  code = 0;
  /** Id of the event last returned by `shift`. */
  id = -1;

  /** Makes an empty ring of `capacity` entries. */
  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1 << 22)) {
      throw new RangeError(`Cannot create TCP event ring: capacity ${capacity} must be 1..4194304`);
    }
    this.capacity = capacity;
    this.#code = new Uint8Array(capacity);
    this.#id = new Int32Array(capacity);
  }

  /** Events queued. */
  get size(): number {
    return this.#size;
  }

  /** Appends an event; false when the ring is full. */
  push(code: number, id: number): boolean {
    if (this.#size === this.capacity) return false;
    const i = (this.#head + this.#size) % this.capacity;
    this.#code[i] = code;
    this.#id[i] = id;
    this.#size++;
    return true;
  }

  /** Removes the oldest event into `code`/`id`; false when empty. */
  shift(): boolean {
    if (this.#size === 0) return false;
    this.code = this.#code[this.#head] ?? 0;
    this.id = this.#id[this.#head] ?? -1;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return true;
  }
}
