/**
 * Test helpers: a fake nanosecond clock, segment decoding, and an in-memory network between two
 * engines with optional loss, delay and reordering driven by a seeded generator.
 *
 * @module
 */
import { TcpFlag } from "../../packet/tcp.ts";
import type { TcpEngine } from "./engine.ts";

/** A clock tests advance by hand. */
export class FakeClock {
  /** Current time in ns. */
  now = 0;
  /** The function engines take as `clock`. */
  readonly read = (): number => this.now;
}

/** Decoded fields of one emitted segment. */
export interface Seg {
  readonly from: number;
  readonly srcIp: number;
  readonly dstIp: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly headerLen: number;
  readonly payload: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Decodes a TCP segment copy. */
export function decode(from: number, bytes: Uint8Array, srcIp: number, dstIp: number): Seg {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hl = (v.getUint8(12) >>> 4) * 4;
  return {
    from,
    srcIp,
    dstIp,
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    flags: v.getUint8(13),
    window: v.getUint16(14),
    headerLen: hl,
    payload: bytes.slice(hl),
    bytes,
  };
}

/** Takes every segment out of `e.tx` (decoded copies) and clears it. */
export function drain(e: TcpEngine, from = 0): Seg[] {
  const out: Seg[] = [];
  for (let i = 0; i < e.tx.count; i++) {
    out.push(decode(from, e.tx.copy(i), e.tx.srcIp[i] ?? 0, e.tx.dstIp[i] ?? 0));
  }
  e.tx.clear();
  return out;
}

/** Feeds a decoded segment to an engine. */
export function feed(e: TcpEngine, s: Seg): number {
  return e.input(s.bytes, 0, s.bytes.length, s.srcIp, s.dstIp);
}

/** Short text of a segment's flags (`SA`, `A`, `FA`, `R`). */
export function flagText(flags: number): string {
  let t = "";
  if (flags & TcpFlag.SYN) t += "S";
  if (flags & TcpFlag.FIN) t += "F";
  if (flags & TcpFlag.RST) t += "R";
  if (flags & TcpFlag.PSH) t += "P";
  if (flags & TcpFlag.ACK) t += "A";
  return t;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of the in-memory network. */
export interface NetOptions {
  /** One-way delay in ns (default 50 us). */
  readonly delayNs?: number;
  /** Extra uniform random delay in ns; non-zero reorders segments (default 0). */
  readonly jitterNs?: number;
  /** Probability a segment is lost (default 0). */
  readonly loss?: number;
  /** Seed of the loss/jitter generator (default 1). */
  readonly seed?: number;
  /** Drops a segment when it returns true (after random loss is decided). */
  readonly dropIf?: (s: Seg) => boolean;
}

interface InFlight {
  at: number;
  order: number;
  seg: Seg;
}

/** A segment with the virtual time it was emitted. */
export interface TimedSeg extends Seg {
  readonly time: number;
}

/** Two engines (index 0 and 1) on one virtual clock, joined by a lossy, reordering link. */
export class Net {
  /** Every segment either engine emitted, in emission order. */
  readonly trace: TimedSeg[] = [];
  /** Segments the link dropped. */
  dropped = 0;
  readonly #pending: InFlight[] = [];
  readonly #rand: () => number;
  #order = 0;

  /** Joins `engines[0]` and `engines[1]`, both driven by `clock`. */
  constructor(
    readonly engines: readonly [TcpEngine, TcpEngine],
    readonly clock: FakeClock,
    readonly options: NetOptions = {},
  ) {
    this.#rand = seeded(options.seed ?? 1);
  }

  /** Moves what both engines emitted onto the link. */
  collect(): void {
    const loss = this.options.loss ?? 0;
    const delay = this.options.delayNs ?? 50_000;
    const jitter = this.options.jitterNs ?? 0;
    for (let i = 0; i < 2; i++) {
      const e = this.engines[i];
      if (e === undefined) continue;
      for (const seg of drain(e, i)) {
        this.trace.push({ ...seg, time: this.clock.now });
        if ((loss > 0 && this.#rand() < loss) || this.options.dropIf?.(seg) === true) {
          this.dropped++;
          continue;
        }
        const at = this.clock.now + delay + Math.floor(this.#rand() * jitter);
        this.#pending.push({ at, order: this.#order++, seg });
      }
    }
  }

  /**
   * Advances the clock to the next delivery or timer, delivers or fires it, and collects the
   * output. Returns false when nothing is pending and no timer is armed.
   */
  step(): boolean {
    this.collect();
    let next = -1;
    for (const p of this.#pending) if (next < 0 || p.at < next) next = p.at;
    for (const e of this.engines) {
      const d = e.nextDeadline();
      if (d >= 0 && (next < 0 || d < next)) next = d;
    }
    if (next < 0) return false;
    if (next > this.clock.now) this.clock.now = next;
    const due = this.#pending.filter((p) => p.at <= this.clock.now).sort((a, b) =>
      a.at - b.at || a.order - b.order
    );
    for (const p of due) {
      this.#pending.splice(this.#pending.indexOf(p), 1);
      const e = this.engines[1 - p.seg.from];
      if (e !== undefined) feed(e, p.seg);
    }
    for (const e of this.engines) e.tick();
    this.collect();
    return true;
  }

  /** Steps until nothing is pending or the link is idle up to `untilNs`; returns steps taken. */
  run(maxSteps = 10_000, untilNs = Number.MAX_SAFE_INTEGER): number {
    let n = 0;
    while (n < maxSteps) {
      this.collect();
      if (this.#pending.length === 0) {
        const d = Math.min(
          ...this.engines.map((e) => e.nextDeadline()).filter((x) => x >= 0),
          Number.MAX_SAFE_INTEGER,
        );
        if (d > untilNs || d === Number.MAX_SAFE_INTEGER) break;
      }
      if (!this.step()) break;
      n++;
    }
    return n;
  }
}
