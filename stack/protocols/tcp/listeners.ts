/**
 * `ListenerTable`: listening sockets by port, each with a bounded accept queue of connection ids
 * (a ring over a typed array) and a count of its embryonic (SYN-RECEIVED) connections.
 *
 * @module
 */

/** Fixed-capacity table of listeners. */
export class ListenerTable {
  /** Listeners, at most. */
  readonly capacity: number;
  readonly #byPort: Int32Array = new Int32Array(65536).fill(-1);
  readonly #ip: Uint32Array;
  readonly #port: Int32Array;
  readonly #queue: Int32Array[] = [];
  readonly #head: Int32Array;
  readonly #size: Int32Array;
  readonly #syn: Int32Array;

  /** Makes an empty table of `capacity` listeners (1..65536). */
  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 65536)) {
      throw new RangeError(`Cannot create listener table: capacity ${capacity} must be 1..65536`);
    }
    this.capacity = capacity;
    this.#ip = new Uint32Array(capacity);
    this.#port = new Int32Array(capacity).fill(-1);
    for (let i = 0; i < capacity; i++) this.#queue.push(new Int32Array(0));
    this.#head = new Int32Array(capacity);
    this.#size = new Int32Array(capacity);
    this.#syn = new Int32Array(capacity);
  }

  /**
   * Opens a listener on `port` for `localIp` (0 = any) with an accept queue of `queueCapacity`
   * entries; returns its id. Throws when the port is taken or every listener is in use.
   */
  open(port: number, localIp: number, queueCapacity: number): number {
    if ((this.#byPort[port] ?? -1) >= 0) {
      throw new Error(`Cannot listen on port ${port}: a listener already uses it`);
    }
    const id = this.#port.indexOf(-1);
    if (id < 0) {
      throw new Error(
        `Cannot listen on port ${port}: all ${this.capacity} listeners ("maxListeners") are in use`,
      );
    }
    this.#ip[id] = localIp >>> 0;
    this.#port[id] = port;
    this.#queue[id] = new Int32Array(queueCapacity);
    this.#head[id] = 0;
    this.#size[id] = 0;
    this.#syn[id] = 0;
    this.#byPort[port] = id;
    return id;
  }

  /** Closes listener `id` (its queue is dropped; the caller handles the queued connections). */
  close(id: number): void {
    if (!this.isOpen(id)) return;
    this.#byPort[this.#port[id] ?? 0] = -1;
    this.#port[id] = -1;
    this.#queue[id] = new Int32Array(0);
    this.#size[id] = 0;
    this.#syn[id] = 0;
  }

  /** Whether `id` names an open listener. */
  isOpen(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.capacity && (this.#port[id] ?? -1) >= 0;
  }

  /** Whether a listener uses `port`. */
  portInUse(port: number): boolean {
    return (this.#byPort[port] ?? -1) >= 0;
  }

  /** The listener accepting on `port` at `localIp`, or -1. */
  match(port: number, localIp: number): number {
    const id = this.#byPort[port] ?? -1;
    if (id < 0) return -1;
    const ip = this.#ip[id] ?? 0;
    return ip === 0 || ip === localIp ? id : -1;
  }

  /** Accept-queue capacity of listener `id`. */
  queueCapacity(id: number): number {
    return this.#queue[id]?.length ?? 0;
  }

  /** Connections waiting in listener `id`'s accept queue. */
  queueLength(id: number): number {
    return this.#size[id] ?? 0;
  }

  /** Appends a connection to the accept queue; false when full. */
  push(id: number, conn: number): boolean {
    const q = this.#queue[id];
    const size = this.#size[id] ?? 0;
    if (q === undefined || size >= q.length) return false;
    q[((this.#head[id] ?? 0) + size) % q.length] = conn;
    this.#size[id] = size + 1;
    return true;
  }

  /** Removes and returns the oldest queued connection, or -1. */
  shift(id: number): number {
    const q = this.#queue[id];
    const size = this.#size[id] ?? 0;
    if (q === undefined || size === 0) return -1;
    const head = this.#head[id] ?? 0;
    this.#head[id] = (head + 1) % q.length;
    this.#size[id] = size - 1;
    return q[head] ?? -1;
  }

  /** Embryonic connections of listener `id`. */
  synCount(id: number): number {
    return this.#syn[id] ?? 0;
  }

  /** Adds `delta` (+1 or -1) to listener `id`'s embryonic count. */
  addSyn(id: number, delta: number): void {
    if (this.isOpen(id)) this.#syn[id] = (this.#syn[id] ?? 0) + delta;
  }
}
