/**
 * A lock as a FIFO resource with hold times; waiting emerges from contention.
 *
 * @module
 */
import { FifoServer } from "./fifo_server.ts";
import type { EventKind, Simulator } from "./simulator.ts";

/** Acquisition costs of a lock, in integer ns; take them from the calibration. */
export interface LockCosts {
  /** Acquire + release when the lock's cache line is already local (calibration `lock_uncontended`). */
  readonly uncontendedNs: number;
  /**
   * Acquire + release when the line last belonged to another owner, so it must cross cores
   * (calibration `lock_contended`).
   */
  readonly contendedNs: number;
}

/** Owner id meaning "nobody has held the lock yet". */
const NO_OWNER = -1;

/**
 * A mutual-exclusion lock granted in FIFO order, each holder keeping it for a declared time.
 *
 * A holder's critical section lasts its hold time plus the acquisition cost: the uncontended cost
 * when the previous holder was the same owner (or there was none), the contended cost (a cache
 * line transfer) otherwise. Waiting is not modelled separately: it is the time between asking
 * and being granted, which emerges when holders overlap.
 *
 * Ports: `acquire()` in; the holder's continuation event out at release time.
 * Config: costs (see {@link LockCosts}). Counters: `acquisitions`, `waited`, `lineTransfers`,
 * `waitNsSum`, `waitNsMax`, `heldNsSum`.
 */
export class Lock {
  /** Name for reports. */
  readonly name: string;
  /** Cache-line transfers paid (holder differs from the previous one). */
  lineTransfers = 0;
  #server: FifoServer;
  #costs: LockCosts;
  #lastOwner = NO_OWNER;

  /** Creates a free lock. */
  constructor(sim: Simulator, name: string, costs: LockCosts) {
    for (const [key, value] of Object.entries(costs)) {
      if (!Number.isInteger(value) || value < 0) {
        throw new RangeError(
          `Lock "${name}" cost ${key} ${value} ns is invalid: must be an integer >= 0`,
        );
      }
    }
    this.name = name;
    this.#costs = costs;
    this.#server = new FifoServer(sim, name);
  }

  /**
   * Asks for the lock on behalf of `owner` (e.g. a core id, integer >= 0) to hold it `holdNs`;
   * returns the release time. At release the lock schedules event `doneKind` with (`a`, `b`)
   * unless it is `NO_EVENT`. A spinning owner is busy until the returned time; a sleeping one
   * is idle while waiting.
   */
  acquire(owner: number, holdNs: number, doneKind: EventKind, a = 0, b = 0): number {
    if (!Number.isInteger(owner) || owner < 0) {
      throw new RangeError(
        `Lock "${this.name}" owner ${owner} is invalid: must be an integer >= 0`,
      );
    }
    let cost = this.#costs.uncontendedNs;
    if (this.#lastOwner !== NO_OWNER && this.#lastOwner !== owner) {
      cost = this.#costs.contendedNs;
      this.lineTransfers++;
    }
    this.#lastOwner = owner;
    return this.#server.submit(holdNs + cost, doneKind, a, b);
  }

  /** Grants so far. */
  get acquisitions(): number {
    return this.#server.accepted;
  }

  /** Grants that had to wait. */
  get waited(): number {
    return this.#server.waited;
  }

  /** Total wait before grants (ns). */
  get waitNsSum(): number {
    return this.#server.waitNsSum;
  }

  /** Longest wait before a grant (ns). */
  get waitNsMax(): number {
    return this.#server.waitNsMax;
  }

  /** Total time the lock was held, acquisition costs included (ns). */
  get heldNsSum(): number {
    return this.#server.serviceNsSum;
  }

  /** Owners waiting now (not counting the holder). */
  waiting(): number {
    return this.#server.waiting();
  }

  /** Time the lock becomes free if nobody else asks (ns). */
  get freeAt(): number {
    return this.#server.freeAt;
  }
}
