/**
 * A CPU core: a FIFO server of work items with busy/idle accounting per category.
 *
 * @module
 */
import { FifoServer } from "./fifo_server.ts";
import type { EventKind, Simulator } from "./simulator.ts";

/**
 * A core that runs work items one at a time in arrival order, accounting busy time per work
 * category (driver, stack, application, spin, ...).
 *
 * Categories are small integers given by the caller; `categories` names them for reports. Work
 * is accounted in full when it is submitted, so per-category totals include work scheduled to
 * finish after now; `busyNs()` and `idleNs()` are exact at any time from now on.
 *
 * Ports: `run()` in; the work's continuation event out when it completes.
 * Config: `categories` (names, index = category code). Counters: `items`, `categoryNs`.
 */
export class Core {
  /** Core number. */
  readonly id: number;
  /** Names of the work categories, indexed by category code. */
  readonly categories: readonly string[];
  /** Busy nanoseconds per category code. */
  readonly categoryNs: Float64Array;
  #server: FifoServer;
  #sim: Simulator;

  /** Creates an idle core; `categories` must name at least one category. */
  constructor(sim: Simulator, id: number, categories: readonly string[] = ["work"]) {
    if (!Number.isInteger(id) || id < 0) {
      throw new RangeError(`Core id ${id} is invalid: must be an integer >= 0`);
    }
    if (categories.length === 0) {
      throw new RangeError(`Core ${id} needs at least one work category, got none`);
    }
    this.id = id;
    this.categories = categories.slice();
    this.categoryNs = new Float64Array(categories.length);
    this.#sim = sim;
    this.#server = new FifoServer(sim, `core${id}`);
  }

  /**
   * Queues `ns` (integer >= 0) of work of `category` and returns its completion time; at
   * completion schedules `doneKind` with (`a`, `b`) unless it is `NO_EVENT`.
   */
  run(ns: number, category: number, doneKind: EventKind, a = 0, b = 0): number {
    if (!(category >= 0 && category < this.categoryNs.length) || category !== (category | 0)) {
      throw new RangeError(
        `Core ${this.id} work category ${category} is unknown: allowed 0..${
          this.categoryNs.length - 1
        }`,
      );
    }
    const end = this.#server.submit(ns, doneKind, a, b);
    this.categoryNs[category] = (this.categoryNs[category] as number) + ns;
    return end;
  }

  /** Work items run or queued. */
  get items(): number {
    return this.#server.accepted;
  }

  /** Time at which the core runs out of queued work (ns). */
  get freeAt(): number {
    return this.#server.freeAt;
  }

  /** Busy time from 0 to `atNs` (default now). */
  busyNs(atNs = this.#sim.now): number {
    return this.#server.busyNs(atNs);
  }

  /** Idle time from 0 to `atNs` (default now). */
  idleNs(atNs = this.#sim.now): number {
    return atNs - this.#server.busyNs(atNs);
  }

  /** Fraction of [0, `atNs`] the core was busy (0 at time 0). */
  utilisation(atNs = this.#sim.now): number {
    return atNs === 0 ? 0 : this.#server.busyNs(atNs) / atNs;
  }

  /** Mean time work waited for the core (ns). */
  meanWaitNs(): number {
    return this.#server.meanWaitNs();
  }
}
