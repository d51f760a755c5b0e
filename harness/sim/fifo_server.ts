/**
 * A single first-come-first-served server with a waiting room: the shape of a core, a lock or a
 * link.
 *
 * @module
 */
import { BoundedQueue } from "./bounded_queue.ts";
import { type EventKind, NO_EVENT, type Simulator } from "./simulator.ts";

/** Options of a {@link FifoServer}. */
export interface FifoServerOptions {
  /** Jobs that may wait (not counting the one in service); `Infinity` (default) never drops. */
  readonly waitingRoom?: number;
}

/** Returned by {@link FifoServer.submit} when the waiting room is full and the job is dropped. */
export const DROPPED = -1;

/**
 * A non-preemptive FIFO single server whose jobs declare their service time on arrival.
 *
 * Because service times are known when a job arrives, its start and completion follow at once
 * from Lindley's recursion (start = max(now, previous completion)): the server schedules only the
 * job's completion event, and waiting emerges from contention without per-job bookkeeping
 * events. Jobs that would wait while `waitingRoom` jobs already wait are dropped and counted.
 *
 * Ports: `submit()` in; the job's completion event (kind, a, b) out at its completion time.
 * Config: `waitingRoom` (default `Infinity`).
 * Counters: `accepted`, `drops`, `waited` (jobs that did not start at once), `waitNsSum`,
 * `waitNsMax`, `serviceNsSum`.
 */
export class FifoServer {
  /** Name for reports. */
  readonly name: string;
  /** Jobs accepted. */
  accepted = 0;
  /** Jobs that had to wait for the server. */
  waited = 0;
  /** Total waiting time of accepted jobs (ns). */
  waitNsSum = 0;
  /** Longest wait of an accepted job (ns). */
  waitNsMax = 0;
  /** Total service time of accepted jobs (ns). */
  serviceNsSum = 0;
  #sim: Simulator;
  #freeAt = 0;
  /** Start times of accepted jobs that have not started yet. */
  #starts: BoundedQueue;

  /** Creates an idle server attached to `sim`. */
  constructor(sim: Simulator, name: string, options: FifoServerOptions = {}) {
    this.#sim = sim;
    this.name = name;
    const room = options.waitingRoom ?? Infinity;
    if (!(room === Infinity || (Number.isInteger(room) && room >= 0))) {
      throw new RangeError(
        `Server "${name}" waiting room ${room} is invalid: must be an integer >= 0 or Infinity`,
      );
    }
    this.#starts = new BoundedQueue(room);
  }

  /** Jobs dropped because the waiting room was full. */
  get drops(): number {
    return this.#starts.drops;
  }

  /** Time at which all accepted work is done (integer ns). */
  get freeAt(): number {
    return Math.max(this.#freeAt, this.#sim.now);
  }

  /** Jobs accepted that have not started by now. */
  waiting(): number {
    this.#retireStarted();
    return this.#starts.length;
  }

  /**
   * Offers a job needing `serviceNs` (integer >= 0) and returns its completion time, or
   * {@link DROPPED}. At completion the server schedules event `doneKind` with (`a`, `b`), unless
   * `doneKind` is {@link NO_EVENT}.
   */
  submit(serviceNs: number, doneKind: EventKind, a = 0, b = 0): number {
    if (!(serviceNs >= 0) || serviceNs !== Math.floor(serviceNs)) {
      throw new RangeError(
        `Server "${this.name}" service time ${serviceNs} ns is invalid: must be an integer >= 0`,
      );
    }
    const now = this.#sim.now;
    const start = this.#freeAt > now ? this.#freeAt : now;
    if (start > now) {
      this.#retireStarted();
      if (!this.#starts.push(start)) return DROPPED;
      const wait = start - now;
      this.waited++;
      this.waitNsSum += wait;
      if (wait > this.waitNsMax) this.waitNsMax = wait;
    }
    const end = start + serviceNs;
    this.#freeAt = end;
    this.accepted++;
    this.serviceNsSum += serviceNs;
    if (doneKind !== NO_EVENT) this.#sim.at(end, doneKind, a, b);
    return end;
  }

  /** Busy time from 0 to `atNs` (default now; must not be earlier than now). */
  busyNs(atNs = this.#sim.now): number {
    if (atNs < this.#sim.now) {
      throw new RangeError(`Busy time asked at ${atNs} ns, before now (${this.#sim.now} ns)`);
    }
    // All work not yet done lies in one contiguous busy period ending at freeAt.
    return this.serviceNsSum - Math.max(0, this.#freeAt - atNs);
  }

  /** Mean wait of accepted jobs (ns), 0 before any job. */
  meanWaitNs(): number {
    return this.accepted === 0 ? 0 : this.waitNsSum / this.accepted;
  }

  #retireStarted(): void {
    const now = this.#sim.now;
    const starts = this.#starts;
    while (starts.length > 0 && starts.peek() <= now) starts.shift();
  }
}
