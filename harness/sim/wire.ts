/**
 * The wire: Ethernet framing overheads, line-rate arithmetic and a point-to-point link.
 *
 * Sources: host-stacks.md §5.4 "Line-rate arithmetic" (IEEE 802.3: preamble + SFD 8 B,
 * inter-frame gap 12 B, minimum frame 64 B including the 4-byte FCS).
 *
 * @module
 */
import { BoundedQueue } from "./bounded_queue.ts";
import type { Simulator } from "./simulator.ts";

/** Preamble (7 B) + start-of-frame delimiter (1 B). source: host-stacks.md §5.4 (IEEE 802.3). */
export const PREAMBLE_SFD_BYTES = 8;
/** Minimum inter-frame gap in byte times. source: host-stacks.md §5.4 (IEEE 802.3). */
export const INTER_FRAME_GAP_BYTES = 12;
/** Frame check sequence. source: host-stacks.md §5.4 (IEEE 802.3). */
export const FCS_BYTES = 4;
/** Minimum frame including FCS; shorter frames are padded. source: host-stacks.md §5.4. */
export const MIN_FRAME_WITH_FCS_BYTES = 64;
/** Largest untagged frame including FCS (1500-byte MTU). source: host-stacks.md §5.4 table. */
export const MAX_FRAME_WITH_FCS_BYTES = 1518;
/** Default line rate: 10 GbE. source: host-stacks.md §5.4. */
export const DEFAULT_RATE_BPS = 10e9;
/**
 * Default propagation delay: 2 m of cable at about 5 ns/m. source: modelling assumption
 * (unverified; signal speed about two thirds of c); a parameter.
 */
export const DEFAULT_PROPAGATION_NS = 10;

/**
 * Bytes a frame occupies on the wire: the frame as the stack builds it (destination MAC through
 * payload, without FCS) plus FCS, padding to the 64-byte minimum, preamble, SFD and gap.
 *
 * @example
 * ```ts
 * import { wireBytes } from "./wire.ts";
 * if (wireBytes(60) !== 84 || wireBytes(1514) !== 1538) throw new Error("unexpected");
 * ```
 */
export function wireBytes(frameBytesWithoutFcs: number): number {
  return PREAMBLE_SFD_BYTES + frameWithFcs(frameBytesWithoutFcs) + INTER_FRAME_GAP_BYTES;
}

/** Frame length on the wire including FCS and minimum-size padding. */
export function frameWithFcs(frameBytesWithoutFcs: number): number {
  if (!Number.isInteger(frameBytesWithoutFcs) || frameBytesWithoutFcs < 0) {
    throw new RangeError(
      `Frame length ${frameBytesWithoutFcs} B is invalid: must be an integer >= 0 (without FCS)`,
    );
  }
  return Math.max(frameBytesWithoutFcs + FCS_BYTES, MIN_FRAME_WITH_FCS_BYTES);
}

/** Time one frame holds the wire at `rateBps`, gap included (ns, fractional). */
export function frameTimeNs(frameBytesWithoutFcs: number, rateBps = DEFAULT_RATE_BPS): number {
  return (wireBytes(frameBytesWithoutFcs) * 8) / (checkRate(rateBps) / 1e9);
}

/** Most frames per second a link at `rateBps` carries back to back. */
export function lineRatePps(frameBytesWithoutFcs: number, rateBps = DEFAULT_RATE_BPS): number {
  return checkRate(rateBps) / (wireBytes(frameBytesWithoutFcs) * 8);
}

function checkRate(rateBps: number): number {
  if (!(rateBps > 0 && rateBps <= 1e13)) {
    throw new RangeError(`Line rate ${rateBps} b/s is invalid: must be in (0, 1e13]`);
  }
  return rateBps;
}

/** Options of a {@link Link}. */
export interface LinkOptions {
  /** Line rate in bits per second (default 10e9). */
  readonly rateBps?: number;
  /** Propagation delay in integer ns (default {@link DEFAULT_PROPAGATION_NS}). */
  readonly propagationNs?: number;
  /** Frames that may wait to be sent (not counting the one on the wire); default `Infinity`. */
  readonly queueFrames?: number;
}

/** Receives a frame at the far end: the sender's tag (e.g. a buffer id) and its length. */
export type FrameReceiver = (tag: number, frameBytesWithoutFcs: number) => void;

/**
 * One direction of a full-duplex Ethernet link with a transmit queue.
 *
 * Frames are sent back to back at the line rate, never faster: each occupies the wire for its
 * preamble, frame (padded, with FCS) and gap. Times are tracked exactly as bits sent since the
 * current busy period began, so rounding never accumulates; a frame's last bit arrives at the far
 * end at ceil(exact time) + propagation. A frame that finds `queueFrames` frames already waiting
 * is dropped and counted.
 *
 * Ports: `send()` in; the receiver callback out at the frame's arrival time.
 * Config: `rateBps`, `propagationNs`, `queueFrames`.
 * Counters: `framesSent`, `framesDelivered`, `bytesSent` (frames with FCS), `wireBytesSent`,
 * `drops`.
 */
export class Link {
  /** Name for reports. */
  readonly name: string;
  /** Line rate (b/s). */
  readonly rateBps: number;
  /** Propagation delay (ns). */
  readonly propagationNs: number;
  /** Frames accepted for transmission. */
  framesSent = 0;
  /** Frames handed to the receiver. */
  framesDelivered = 0;
  /** Bytes of accepted frames, FCS and padding included. */
  bytesSent = 0;
  /** Wire bytes of accepted frames (preamble, SFD and gap included). */
  wireBytesSent = 0;
  #sim: Simulator;
  #bitsPerNs: number;
  #busyStart = 0;
  #busyBits = 0;
  #waiting: BoundedQueue;
  #deliverKind: number;
  #receiver: FrameReceiver;

  /** Creates an idle link on `sim` delivering to `receiver`. */
  constructor(sim: Simulator, name: string, receiver: FrameReceiver, options: LinkOptions = {}) {
    this.name = name;
    this.rateBps = options.rateBps ?? DEFAULT_RATE_BPS;
    checkRate(this.rateBps);
    this.propagationNs = options.propagationNs ?? DEFAULT_PROPAGATION_NS;
    if (!Number.isInteger(this.propagationNs) || this.propagationNs < 0) {
      throw new RangeError(
        `Link "${name}" propagation delay ${this.propagationNs} ns is invalid: must be an integer >= 0`,
      );
    }
    const queueFrames = options.queueFrames ?? Infinity;
    if (!(queueFrames === Infinity || (Number.isInteger(queueFrames) && queueFrames >= 0))) {
      throw new RangeError(
        `Link "${name}" queue of ${queueFrames} frames is invalid: must be an integer >= 0 or Infinity`,
      );
    }
    this.#sim = sim;
    this.#bitsPerNs = this.rateBps / 1e9;
    this.#waiting = new BoundedQueue(queueFrames);
    this.#receiver = receiver;
    this.#deliverKind = sim.on(`link.${name}.deliver`, (tag, len) => {
      this.framesDelivered++;
      this.#receiver(tag, len);
    });
  }

  /** Frames dropped because the transmit queue was full. */
  get drops(): number {
    return this.#waiting.drops;
  }

  /**
   * Queues a frame (length without FCS) for transmission; returns false when it is dropped.
   * `tag` is handed to the receiver with the frame.
   */
  send(tag: number, frameBytesWithoutFcs: number): boolean {
    const now = this.#sim.now;
    const bitsPerNs = this.#bitsPerNs;
    let start = this.#busyStart + this.#busyBits / bitsPerNs;
    if (start <= now) {
      // Idle: a new busy period begins now.
      this.#busyStart = now;
      this.#busyBits = 0;
      this.#waiting.clear();
      start = now;
    } else {
      this.#retireStarted(now);
      if (!this.#waiting.push(start)) return false;
    }
    const frame = frameWithFcs(frameBytesWithoutFcs);
    const lastBitBits = this.#busyBits + (PREAMBLE_SFD_BYTES + frame) * 8;
    this.#busyBits = lastBitBits + INTER_FRAME_GAP_BYTES * 8;
    this.framesSent++;
    this.bytesSent += frame;
    this.wireBytesSent += frame + PREAMBLE_SFD_BYTES + INTER_FRAME_GAP_BYTES;
    const arrival = Math.ceil(this.#busyStart + lastBitBits / bitsPerNs) + this.propagationNs;
    this.#sim.at(arrival, this.#deliverKind, tag, frameBytesWithoutFcs);
    return true;
  }

  /** Frames waiting to start transmission now. */
  queued(): number {
    this.#retireStarted(this.#sim.now);
    return this.#waiting.length;
  }

  /** Exact time (ns, fractional) at which the transmitter is free again. */
  freeAtNs(): number {
    return Math.max(this.#sim.now, this.#busyStart + this.#busyBits / this.#bitsPerNs);
  }

  /** Time the wire was busy (preamble, frame and gap) from 0 to now (ns, fractional). */
  busyNs(): number {
    const pending = this.#busyStart + this.#busyBits / this.#bitsPerNs - this.#sim.now;
    return (this.wireBytesSent * 8) / this.#bitsPerNs - Math.max(0, pending);
  }

  #retireStarted(now: number): void {
    const waiting = this.#waiting;
    while (waiting.length > 0 && waiting.peek() <= now) waiting.shift();
  }
}
