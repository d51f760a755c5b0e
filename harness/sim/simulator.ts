/**
 * The discrete-event simulator: a virtual clock in integer nanoseconds and typed events.
 *
 * @module
 */
import { EventQueue } from "./event_queue.ts";

/** Handles one event; `a` and `b` are the two numeric arguments given when it was scheduled. */
export type EventHandler = (a: number, b: number) => void;

/** Numeric code of a registered event kind (1, 2, ...); 0 is {@link NO_EVENT}. */
export type EventKind = number;

/** Event kind meaning "schedule nothing", accepted where a continuation event is optional. */
export const NO_EVENT: EventKind = 0;

/** Called for every dispatched event when tracing is on: time, kind, the two arguments. */
export type EventTracer = (timeNs: number, kind: EventKind, a: number, b: number) => void;

/** Slots per handle generation: a handle is `generation * SLOT_SPACE + slot`. */
const SLOT_SPACE = 2 ** 24;
/** Generations wrap at this value so handles stay exact integers. */
const GENERATION_SPACE = 2 ** 28;
/** Kind stored in a slot whose event was cancelled. */
const CANCELLED = 0;
/** Latest representable instant: every integer nanosecond up to it is exact in a double. */
const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;

/**
 * A discrete-event simulator with a virtual clock in integer nanoseconds.
 *
 * Components register a handler per event kind once ({@link Simulator.on}) and then schedule
 * events as (time, kind, a, b) with two numeric arguments, so scheduling allocates nothing. Events
 * at the same nanosecond run in the order they were scheduled (a sequence number breaks ties),
 * which with seeded random streams makes every run byte-identical.
 *
 * Config: none. Counters: `dispatched` (events run), `scheduled`, `cancelled`.
 *
 * @example
 * ```ts
 * import { Simulator } from "./simulator.ts";
 * const sim = new Simulator();
 * const seen: number[] = [];
 * const tick = sim.on("tick", (a) => {
 *   seen.push(sim.now);
 *   if (a < 3) sim.after(10, tick, a + 1);
 * });
 * sim.at(5, tick, 1);
 * sim.run();
 * if (seen.join() !== "5,15,25") throw new Error("unexpected trace");
 * ```
 */
export class Simulator {
  /** Events run so far. */
  dispatched = 0;
  /** Events scheduled so far. */
  scheduled = 0;
  /** Events cancelled before they ran. */
  cancelled = 0;
  /** Called for every dispatched event when set; `null` (the default) costs one branch. */
  tracer: EventTracer | null = null;

  #now = 0;
  #seq = 0;
  #stopped = false;
  #handlers: EventHandler[] = [noop];
  #names: string[] = ["cancelled"];
  #queue = new EventQueue();
  #kind: Uint32Array;
  #a: Float64Array;
  #b: Float64Array;
  #generation: Uint32Array;
  #free: Uint32Array;
  #freeTop = 0;
  #slotsUsed = 0;

  /** Creates a simulator at time 0 with room for `initialSlots` pending events (it grows). */
  constructor(initialSlots = 1024) {
    if (!Number.isInteger(initialSlots) || initialSlots < 1 || initialSlots > SLOT_SPACE) {
      throw new RangeError(
        `Initial event slots must be an integer in 1..${SLOT_SPACE}, got ${initialSlots}`,
      );
    }
    this.#kind = new Uint32Array(initialSlots);
    this.#a = new Float64Array(initialSlots);
    this.#b = new Float64Array(initialSlots);
    this.#generation = new Uint32Array(initialSlots);
    this.#free = new Uint32Array(initialSlots);
  }

  /** Current virtual time in integer nanoseconds. */
  get now(): number {
    return this.#now;
  }

  /** Number of scheduled events that have not run (cancelled ones until their time comes). */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Registers the handler of a new event kind and returns its code.
   *
   * `name` is for diagnostics and traces; names must be unique so traces stay readable.
   */
  on(name: string, handler: EventHandler): EventKind {
    if (name.length === 0) throw new Error("Event kind name must not be empty");
    if (this.#names.includes(name)) {
      throw new Error(`Event kind "${name}" is already registered; give each kind its own name`);
    }
    this.#handlers.push(handler);
    this.#names.push(name);
    return this.#handlers.length - 1;
  }

  /** Name under which `kind` was registered. */
  kindName(kind: EventKind): string {
    const name = this.#names[kind];
    if (name === undefined) {
      throw new RangeError(
        `Unknown event kind ${kind}: registered kinds are 1..${this.#names.length - 1}`,
      );
    }
    return name;
  }

  /**
   * Schedules `kind` with arguments `a`, `b` at absolute time `timeNs` and returns a handle for
   * {@link Simulator.cancel}.
   *
   * `timeNs` must be an integer no earlier than {@link Simulator.now}.
   */
  at(timeNs: number, kind: EventKind, a = 0, b = 0): number {
    // Kept this small on purpose: V8 inlines it into its callers, so a caller that ignores the
    // handle (a number beyond the small-integer range) does not allocate a heap number for it.
    const slot = this.#schedule(timeNs, kind, a, b);
    return (this.#generation[slot] as number) * SLOT_SPACE + slot;
  }

  /** Schedules `kind` `delayNs` (a non-negative integer) after now; see {@link Simulator.at}. */
  after(delayNs: number, kind: EventKind, a = 0, b = 0): number {
    const slot = this.#schedule(this.#now + delayNs, kind, a, b); // small for inlining, as `at`
    return (this.#generation[slot] as number) * SLOT_SPACE + slot;
  }

  /** Cancels a scheduled event; returns false if it already ran or was cancelled. */
  cancel(handle: number): boolean {
    const slot = handle % SLOT_SPACE;
    const generation = (handle - slot) / SLOT_SPACE;
    if (
      !Number.isInteger(handle) || handle < 0 || slot >= this.#slotsUsed ||
      this.#generation[slot] !== generation || this.#kind[slot] === CANCELLED
    ) {
      return false;
    }
    this.#kind[slot] = CANCELLED;
    this.cancelled++;
    return true;
  }

  /**
   * Runs events in time order until none is left, the next one is later than `untilNs`, `stop()`
   * is called or `maxEvents` have run; returns the number of events run.
   *
   * When it stops because of `untilNs` (finite), the clock is advanced to `untilNs`, so
   * busy/idle accounting covers the whole interval.
   */
  run(untilNs = Infinity, maxEvents = Infinity): number {
    if (!(untilNs >= this.#now)) {
      throw new RangeError(`Run limit ${untilNs} ns is before now (${this.#now} ns)`);
    }
    if (untilNs !== Infinity && untilNs !== Math.floor(untilNs)) {
      throw new RangeError(`Run limit ${untilNs} ns is invalid: must be an integer or Infinity`);
    }
    this.#stopped = false;
    const queue = this.#queue;
    const handlers = this.#handlers;
    let ran = 0;
    while (ran < maxEvents && !this.#stopped) {
      if (queue.length === 0) break;
      const t = queue.peekTime();
      if (t > untilNs) break;
      const slot = queue.pop();
      this.#now = t;
      const kind = this.#kind[slot] as number; // not cached: the pool may grow in a handler
      const a = this.#a[slot] as number;
      const b = this.#b[slot] as number;
      this.#freeSlot(slot);
      if (kind === CANCELLED) continue;
      ran++;
      this.dispatched++;
      if (this.tracer !== null) this.tracer(t, kind, a, b);
      (handlers[kind] as EventHandler)(a, b);
    }
    if (!this.#stopped && ran < maxEvents && untilNs !== Infinity && this.#now < untilNs) {
      this.#now = untilNs;
    }
    return ran;
  }

  /** Makes the current {@link Simulator.run} return after the event being handled. */
  stop(): void {
    this.#stopped = true;
  }

  /** Validates and queues one event; returns its slot. */
  #schedule(timeNs: number, kind: EventKind, a: number, b: number): number {
    if (!(timeNs >= this.#now && timeNs <= MAX_TIME_NS) || timeNs !== Math.floor(timeNs)) {
      throw new RangeError(
        `Event time ${timeNs} ns is invalid: must be an integer in ${this.#now}..${MAX_TIME_NS} (now..max)`,
      );
    }
    if (!(kind >= 1 && kind < this.#handlers.length) || kind !== (kind | 0)) {
      throw new RangeError(
        `Event kind ${kind} is not registered: registered kinds are 1..${
          this.#handlers.length - 1
        }`,
      );
    }
    const slot = this.#allocSlot();
    this.#kind[slot] = kind;
    this.#a[slot] = a;
    this.#b[slot] = b;
    this.#queue.push(slot, timeNs, this.#seq++);
    this.scheduled++;
    return slot;
  }

  #allocSlot(): number {
    if (this.#freeTop > 0) return this.#free[--this.#freeTop] as number;
    if (this.#slotsUsed === this.#kind.length) this.#grow();
    return this.#slotsUsed++;
  }

  #freeSlot(slot: number): void {
    this.#generation[slot] = ((this.#generation[slot] as number) + 1) % GENERATION_SPACE;
    this.#kind[slot] = CANCELLED;
    this.#free[this.#freeTop++] = slot;
  }

  #grow(): void {
    const n = this.#kind.length * 2;
    if (n > SLOT_SPACE) {
      throw new RangeError(
        `Too many pending events: the simulator holds at most ${SLOT_SPACE}, ${
          this.#kind.length + 1
        } requested`,
      );
    }
    this.#kind = grownU32(this.#kind, n);
    this.#generation = grownU32(this.#generation, n);
    this.#free = grownU32(this.#free, n);
    this.#a = grownF64(this.#a, n);
    this.#b = grownF64(this.#b, n);
  }
}

function noop(): void {}

function grownU32(a: Uint32Array, n: number): Uint32Array {
  const next = new Uint32Array(n);
  next.set(a);
  return next;
}

function grownF64(a: Float64Array, n: number): Float64Array {
  const next = new Float64Array(n);
  next.set(a);
  return next;
}
