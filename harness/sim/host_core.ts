/**
 * A host CPU core with a scheduler: softirq tasks before threads, one step at a time, busy time
 * accounted per category, and spinning (a polling thread burning the core while nothing else runs).
 *
 * @module
 */
import type { Simulator } from "./simulator.ts";

/** Work categories a core accounts busy time in (numeric codes for the hot path). */
export const CoreCat = {
  /** Driver receive/transmit work (interrupt handler, NAPI poll, ring access). */
  Driver: 0,
  /** Protocol processing (IP, UDP, socket enqueue/dequeue, wake-up bookkeeping). */
  Stack: 1,
  /** System call entry and return. */
  Syscall: 2,
  /** Copies between kernel and user buffers. */
  Copy: 3,
  /** Scheduler work and context switches. */
  Sched: 4,
  /** Application work (memcached engine, echo). */
  App: 5,
  /** Waiting for a spin lock held by another core, plus the acquisition cost. */
  LockWait: 6,
  /** Spinning: a polling thread with nothing to do. */
  Spin: 7,
} as const;

/** Names of {@link CoreCat} codes, for reports. */
export const CORE_CAT_NAMES: readonly string[] = [
  "driver",
  "stack",
  "syscall",
  "copy",
  "sched",
  "app",
  "lock-wait",
  "spin",
];

/** Something a core runs in steps: a softirq, a thread, a user-level stack's poll loop. */
export interface CoreTask {
  /** Name for reports. */
  readonly name: string;
  /** True when the task has a step to run now. */
  ready(): boolean;
  /**
   * Starts the next step at `sim.now` on `core`: performs its decisions and charges its costs
   * with {@link HostCore.charge}; the step lasts the sum of the charges.
   */
  start(core: HostCore): void;
  /** The step started last ended at `sim.now`; apply its effects. */
  finish(core: HostCore): void;
}

/**
 * One core: runs a step of the first ready high-priority task (softirq) if any, else of the next
 * ready normal task (threads, round robin). Steps are not pre-empted, so a softirq waits at most
 * one thread step (a modelling simplification: steps are a few µs at most).
 *
 * Busy time is exact (fractional ns) per category; a step ends at its start plus its charges
 * rounded to whole ns. When no step runs and a spinning task is
 * registered ({@link HostCore.addSpinner}), the core counts as busy in {@link CoreCat.Spin}.
 *
 * Counters: `steps`, `categoryNs` (busy per category), `busyNs()`, `idleNs()`.
 */
export class HostCore {
  /** Core number within its host. */
  readonly id: number;
  /** Busy ns per {@link CoreCat} code (spinning included up to the last state change). */
  readonly categoryNs: Float64Array = new Float64Array(CORE_CAT_NAMES.length);
  /** Steps run. */
  steps = 0;
  #sim: Simulator;
  #high: CoreTask[] = [];
  #normal: CoreTask[] = [];
  #rr = 0;
  #current: CoreTask | null = null;
  #stepNs = 0;
  #doneKind: number;
  #spinners = 0;
  #spinSince = -1;
  #inKick = false;

  /** Creates an idle core; `name` makes its event kind unique (e.g. "server.core3"). */
  constructor(sim: Simulator, id: number, name: string) {
    if (!Number.isInteger(id) || id < 0) {
      throw new RangeError(`Core id ${id} is invalid: must be an integer >= 0`);
    }
    this.id = id;
    this.#sim = sim;
    this.#doneKind = sim.on(`${name}.step-done`, () => this.#done());
  }

  /** Adds a task; `high` tasks (softirqs) run before normal ones. */
  addTask(task: CoreTask, high = false): void {
    (high ? this.#high : this.#normal).push(task);
  }

  /** Removes a normal task (a thread migrating away); false if it was not here. */
  removeTask(task: CoreTask): boolean {
    const i = this.#normal.indexOf(task);
    if (i < 0) return false;
    if (this.#current === task) {
      throw new Error(
        `Cannot remove task "${task.name}" from core ${this.id} while it runs a step`,
      );
    }
    this.#normal.splice(i, 1);
    if (this.#rr > i) this.#rr--;
    return true;
  }

  /** Whether a step is running now. */
  get running(): boolean {
    return this.#current !== null;
  }

  /** Whether the core has nothing to run (no step, no ready task); spinning counts as idle here. */
  get idle(): boolean {
    return this.#current === null && this.#pick(false) === null;
  }

  /** Charges `ns` (>= 0) of category `cat` to the step being started. */
  charge(cat: number, ns: number): void {
    this.#stepNs += ns;
    this.categoryNs[cat] = (this.categoryNs[cat] ?? 0) + ns;
  }

  /** Registers a spinning task: while nothing runs, the core burns time in {@link CoreCat.Spin}. */
  addSpinner(): void {
    this.#settleSpin();
    this.#spinners++;
    this.#settleSpin();
  }

  /** Unregisters a spinning task. */
  removeSpinner(): void {
    if (this.#spinners === 0) throw new Error(`Core ${this.id} has no spinner to remove`);
    this.#settleSpin();
    this.#spinners--;
    this.#settleSpin();
  }

  /** Starts a step if the core is free and a task is ready. Call after making a task ready. */
  kick(): void {
    if (this.#current !== null || this.#inKick) return;
    this.#inKick = true;
    try {
      const task = this.#pick(true);
      if (task === null) {
        this.#settleSpin();
        return;
      }
      this.#settleSpin();
      this.#current = task;
      this.#stepNs = 0;
      this.#stepStart = this.#sim.now;
      task.start(this);
      this.steps++;
      this.#spinSince = -1;
      const end = this.#sim.now + Math.max(0, Math.round(this.#stepNs));
      this.#sim.at(end, this.#doneKind);
    } finally {
      this.#inKick = false;
    }
  }

  /** Busy time from 0 to now (spinning included). */
  busyNs(): number {
    this.#settleSpin();
    let s = 0;
    for (const v of this.categoryNs) s += v;
    // Charges of a running step are accounted at its start; remove the part still ahead.
    if (this.#current !== null) s -= this.#pendingNs();
    return s;
  }

  /** Idle time from 0 to now. */
  idleNs(): number {
    return this.#sim.now - this.busyNs();
  }

  #pendingNs(): number {
    return Math.max(0, this.#stepEnd - this.#sim.now);
  }

  get #stepEnd(): number {
    return this.#stepStart + Math.round(this.#stepNs);
  }

  #stepStart = 0;

  #done(): void {
    const task = this.#current;
    if (task === null) return;
    this.#current = null;
    this.#spinSince = this.#spinners > 0 ? this.#sim.now : -1;
    task.finish(this);
    this.kick();
  }

  #pick(advance: boolean): CoreTask | null {
    const high = this.#high;
    for (let i = 0; i < high.length; i++) {
      if ((high[i] as CoreTask).ready()) return high[i] as CoreTask;
    }
    const n = this.#normal.length;
    for (let k = 0; k < n; k++) {
      const i = (this.#rr + k) % n;
      const t = this.#normal[i] as CoreTask;
      if (t.ready()) {
        if (advance) this.#rr = (i + 1) % n;
        return t;
      }
    }
    return null;
  }

  /** Accounts spinning up to now and restarts the spin interval if still spinning. */
  #settleSpin(): void {
    const now = this.#sim.now;
    if (this.#current === null && this.#spinSince >= 0) {
      this.categoryNs[CoreCat.Spin] = (this.categoryNs[CoreCat.Spin] ?? 0) +
        (now - this.#spinSince);
    }
    this.#spinSince = this.#current === null && this.#spinners > 0 ? now : -1;
  }
}
