/**
 * A UDP socket in simulated time: a bounded receive queue of buffer ids with counted drops, its
 * spin lock, and the threads waiting on it.
 *
 * @module
 */
import { Lock } from "../sim/lock.ts";
import type { LockCosts } from "../sim/lock.ts";
import type { Simulator } from "../sim/simulator.ts";

/**
 * Default receive queue bound in datagrams. source: the lab's choice (Linux bounds the queue by
 * `SO_RCVBUF` in bytes of buffer truesize, net.core.rmem_default 212992; host-stacks.md does not
 * give a datagram count), a parameter (unverified).
 */
export const DEFAULT_SOCKET_QUEUE_DATAGRAMS = 256;

/** Something that waits on a socket and can be woken (a sleeping thread). */
export interface SocketWaiter {
  /** The socket has data (or, with wake-all, may have). */
  wake(): void;
}

/**
 * A UDP socket: FIFO receive queue of buffer ids bounded to `capacity` datagrams (overflow is
 * counted in `drops`), a {@link Lock} every enqueue and dequeue takes, and a list of sleeping
 * waiters. Counters: `enqueued`, `dequeued`, `drops`, `highWater`.
 */
export class UdpSocket {
  /** Name for reports. */
  readonly name: string;
  /** Local port. */
  readonly port: number;
  /** Receive queue bound (datagrams). */
  readonly capacity: number;
  /** The socket lock. */
  readonly lock: Lock;
  /** Datagrams queued. */
  enqueued = 0;
  /** Datagrams read. */
  dequeued = 0;
  /** Datagrams dropped because the queue was full. */
  drops = 0;
  /** Most datagrams queued at once. */
  highWater = 0;
  #ring: Int32Array;
  #head = 0;
  #len = 0;
  #waiters: SocketWaiter[] = [];

  /** Creates an empty socket on `port`. */
  constructor(
    sim: Simulator,
    name: string,
    port: number,
    lockCosts: LockCosts,
    capacity = DEFAULT_SOCKET_QUEUE_DATAGRAMS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_048_576) {
      throw new RangeError(
        `Socket "${name}" queue of ${capacity} datagrams is invalid: must be an integer 1..1048576`,
      );
    }
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
      throw new RangeError(`Socket "${name}" port ${port} is invalid: must be an integer 0..65535`);
    }
    this.name = name;
    this.port = port;
    this.capacity = capacity;
    this.lock = new Lock(sim, `${name}.lock`, lockCosts);
    this.#ring = new Int32Array(capacity);
  }

  /** Datagrams queued now. */
  get length(): number {
    return this.#len;
  }

  /** Queues buffer `buf`; false when full (counted; the caller frees the buffer). */
  push(buf: number): boolean {
    if (this.#len === this.capacity) {
      this.drops++;
      return false;
    }
    this.#ring[(this.#head + this.#len) % this.capacity] = buf;
    this.#len++;
    this.enqueued++;
    if (this.#len > this.highWater) this.highWater = this.#len;
    return true;
  }

  /** Takes the oldest buffer id, or -1 when empty. */
  shift(): number {
    if (this.#len === 0) return -1;
    const b = this.#ring[this.#head] as number;
    this.#head = (this.#head + 1) % this.capacity;
    this.#len--;
    this.dequeued++;
    return b;
  }

  /** Adds a sleeping waiter. */
  addWaiter(w: SocketWaiter): void {
    this.#waiters.push(w);
  }

  /** Removes a waiter (it stopped waiting); false if it was not waiting. */
  removeWaiter(w: SocketWaiter): boolean {
    const i = this.#waiters.indexOf(w);
    if (i < 0) return false;
    this.#waiters.splice(i, 1);
    return true;
  }

  /** Sleeping waiters now. */
  get waiters(): number {
    return this.#waiters.length;
  }

  /** Wakes the longest-waiting waiter (`all` = false) or every waiter; returns how many. */
  wake(all: boolean): number {
    if (this.#waiters.length === 0) return 0;
    if (!all) {
      const w = this.#waiters.shift() as SocketWaiter;
      w.wake();
      return 1;
    }
    const ws = this.#waiters;
    this.#waiters = [];
    for (let i = 0; i < ws.length; i++) (ws[i] as SocketWaiter).wake();
    return ws.length;
  }
}
