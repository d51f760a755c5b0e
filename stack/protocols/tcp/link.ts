/**
 * `TcpLink`: two engines on one virtual clock joined by an in-memory link with a fixed delay,
 * optional random extra delay (which reorders segments), random loss and a drop hook. For tests,
 * tools and demonstrations; the simulator models real wires.
 *
 * Randomness comes from a seeded xoroshiro128+ stream (`pure-rand`), so one seed gives the same
 * run. Segments with equal arrival times are delivered in the order they were sent.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { TcpEngine } from "./engine.ts";

/** A clock the caller (or `TcpLink`) advances: integer nanoseconds. */
export class VirtualClock {
  /** Current time in ns. */
  now = 0;
  /** The function engines take as their `clock` option. */
  readonly read = (): number => this.now;
}

/** One segment that went onto the link. */
export interface LinkRecord {
  /** Virtual time it was sent (ns). */
  readonly time: number;
  /** Index of the sending engine (0 or 1). */
  readonly from: number;
  /** IPv4 source (u32). */
  readonly srcIp: number;
  /** IPv4 destination (u32). */
  readonly dstIp: number;
  /** The TCP segment (a copy). */
  readonly bytes: Uint8Array;
  /** Whether the link lost it. */
  readonly dropped: boolean;
}

/** Link options. */
export interface TcpLinkOptions {
  /** One-way delay in ns (default 50 000). */
  readonly delayNs?: number;
  /** Extra uniform random delay in [0, jitterNs) ns; non-zero reorders segments (default 0). */
  readonly jitterNs?: number;
  /** Probability a segment is lost, 0..1 (default 0). */
  readonly loss?: number;
  /** Seed of the loss and jitter stream (default 1). */
  readonly seed?: number;
  /** Keep a copy of every segment in `records` (default false). */
  readonly record?: boolean;
  /** Loses a segment when it returns true (decided after random loss). */
  readonly dropIf?: (from: number, segment: Uint8Array, srcIp: number, dstIp: number) => boolean;
}

interface InFlight {
  readonly at: number;
  readonly order: number;
  readonly to: number;
  readonly bytes: Uint8Array;
  readonly srcIp: number;
  readonly dstIp: number;
}

/** Two engines (0 and 1) joined by a lossy, reordering in-memory link. */
export class TcpLink {
  /** Every segment sent, when `record` is on. */
  readonly records: LinkRecord[] = [];
  /** Segments lost. */
  dropped = 0;
  /** Segments delivered. */
  delivered = 0;
  readonly #pending: InFlight[] = [];
  readonly #rng;
  readonly #delay: number;
  readonly #jitter: number;
  readonly #loss: number;
  #order = 0;

  /** Joins `engines[0]` and `engines[1]`, both reading `clock`; throws on bad options. */
  constructor(
    readonly engines: readonly [TcpEngine, TcpEngine],
    readonly clock: VirtualClock,
    readonly options: TcpLinkOptions = {},
  ) {
    this.#delay = options.delayNs ?? 50_000;
    this.#jitter = options.jitterNs ?? 0;
    this.#loss = options.loss ?? 0;
    const seed = options.seed ?? 1;
    if (!(Number.isInteger(this.#delay) && this.#delay >= 0)) {
      throw new RangeError(`Invalid link delay ${this.#delay} ns: must be an integer >= 0`);
    }
    if (!(Number.isInteger(this.#jitter) && this.#jitter >= 0)) {
      throw new RangeError(`Invalid link jitter ${this.#jitter} ns: must be an integer >= 0`);
    }
    if (!(this.#loss >= 0 && this.#loss <= 1)) {
      throw new RangeError(`Invalid link loss ${this.#loss}: must be a probability 0..1`);
    }
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
      throw new RangeError(`Invalid link seed ${seed}: must be an integer 0..4294967295`);
    }
    this.#rng = xoroshiro128plus(seed | 0);
  }

  /** Segments in flight. */
  get inFlight(): number {
    return this.#pending.length;
  }

  /** Moves what both engines emitted onto the link (and clears their TX batches). */
  collect(): void {
    for (let from = 0; from < 2; from++) {
      const e = this.engines[from];
      if (e === undefined) continue;
      const tx = e.tx;
      for (let i = 0; i < tx.count; i++) {
        const bytes = tx.copy(i);
        const srcIp = tx.srcIp[i] ?? 0;
        const dstIp = tx.dstIp[i] ?? 0;
        let lost = this.#loss > 0 && uniformFloat64(this.#rng) < this.#loss;
        if (!lost && this.options.dropIf?.(from, bytes, srcIp, dstIp) === true) lost = true;
        if (this.options.record === true) {
          this.records.push({ time: this.clock.now, from, srcIp, dstIp, bytes, dropped: lost });
        }
        if (lost) {
          this.dropped++;
          continue;
        }
        const extra = this.#jitter > 0 ? Math.floor(uniformFloat64(this.#rng) * this.#jitter) : 0;
        this.#insert({
          at: this.clock.now + this.#delay + extra,
          order: this.#order++,
          to: 1 - from,
          bytes,
          srcIp,
          dstIp,
        });
      }
      tx.clear();
    }
  }

  /** Keeps `#pending` sorted by (arrival time, send order). */
  #insert(p: InFlight): void {
    const a = this.#pending;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = a[mid];
      if (m !== undefined && (m.at < p.at || (m.at === p.at && m.order < p.order))) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, p);
  }

  /** The next delivery or timer deadline (ns), or -1 when nothing is pending. */
  nextEvent(): number {
    this.collect();
    let next = this.#pending[0]?.at ?? -1;
    for (const e of this.engines) {
      const d = e.nextDeadline();
      if (d >= 0 && (next < 0 || d < next)) next = d;
    }
    return next;
  }

  /**
   * Advances the clock to the next delivery or timer, delivers every segment due, runs both
   * engines' timers and collects their output. Returns false when nothing is pending.
   */
  step(): boolean {
    const next = this.nextEvent();
    if (next < 0) return false;
    if (next > this.clock.now) this.clock.now = next;
    const now = this.clock.now;
    let n = 0;
    const a = this.#pending;
    while (n < a.length && (a[n]?.at ?? Infinity) <= now) n++;
    const due = a.splice(0, n);
    for (const p of due) {
      this.engines[p.to]?.input(p.bytes, 0, p.bytes.length, p.srcIp, p.dstIp);
      this.delivered++;
    }
    for (const e of this.engines) e.tick();
    this.collect();
    return true;
  }

  /**
   * Steps until nothing is pending, `maxSteps` steps were taken, or the next event lies after
   * `untilNs`; returns the steps taken.
   */
  run(maxSteps = 100_000, untilNs = Number.MAX_SAFE_INTEGER): number {
    let n = 0;
    while (n < maxSteps) {
      const next = this.nextEvent();
      if (next < 0 || next > untilNs) break;
      this.step();
      n++;
    }
    return n;
  }
}
