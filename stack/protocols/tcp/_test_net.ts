/**
 * Test helpers: a fake nanosecond clock, segment decoding, and an in-memory network between two
 * engines with optional loss, delay and reordering driven by a seeded generator.
 *
 * @module
 */
import { TcpFlag } from "../../packet/tcp.ts";
import type { TcpEngine } from "./engine.ts";
import { TcpLink, VirtualClock } from "./link.ts";

/** A clock tests advance by hand. */
export const FakeClock = VirtualClock;

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

/** A segment with the virtual time it was emitted. */
export interface TimedSeg extends Seg {
  readonly time: number;
}

/** `TcpLink` that records every segment, with decoded access for assertions. */
export class Net {
  /** The link. */
  readonly link: TcpLink;
  readonly #trace: TimedSeg[] = [];

  /** Joins `engines[0]` and `engines[1]`, both driven by `clock`. */
  constructor(
    readonly engines: readonly [TcpEngine, TcpEngine],
    readonly clock: VirtualClock,
    options: NetOptions = {},
  ) {
    const dropIf = options.dropIf;
    this.link = new TcpLink(engines, clock, {
      delayNs: options.delayNs ?? 50_000,
      jitterNs: options.jitterNs ?? 0,
      loss: options.loss ?? 0,
      seed: options.seed ?? 1,
      record: true,
      ...(dropIf === undefined ? {} : {
        dropIf: (from: number, b: Uint8Array, src: number, dst: number) =>
          dropIf(decode(from, b, src, dst)),
      }),
    });
  }

  /** Every segment either engine emitted (lost ones included), in emission order. */
  get trace(): TimedSeg[] {
    const r = this.link.records;
    for (let i = this.#trace.length; i < r.length; i++) {
      const x = r[i];
      if (x !== undefined) {
        this.#trace.push({ ...decode(x.from, x.bytes, x.srcIp, x.dstIp), time: x.time });
      }
    }
    return this.#trace;
  }

  /** Segments the link lost. */
  get dropped(): number {
    return this.link.dropped;
  }

  /** One link step (see `TcpLink.step`). */
  step(): boolean {
    return this.link.step();
  }

  /** Runs the link (see `TcpLink.run`). */
  run(maxSteps = 10_000, untilNs = Number.MAX_SAFE_INTEGER): number {
    return this.link.run(maxSteps, untilNs);
  }
}
