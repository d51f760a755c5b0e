/**
 * A NIC model attached to a host in simulated time: DMA latency, per-queue interrupts with
 * moderation (or none, for polling stacks), descriptor visibility, and the transmit path.
 *
 * @module
 */
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import {
  NIC_DROP_NAMES,
  type NicCapabilities,
  type NicModel,
  RxResult,
} from "../../nicmodels/_shared/nic.ts";
import type { Simulator } from "./simulator.ts";
import type { Transmit } from "./testbed.ts";

/**
 * Interrupt moderation of a queue's vector.
 * - `interval`: at most one interrupt per `intervalNs` (82599 EITR static, SFC event-queue timer);
 * - `dynamic`: like `interval`, the interval chosen after each interrupt from the packets it
 *   handled (ixgbe dynamic ITR as a parameterised step function);
 * - `none`: an interrupt for every visible descriptor while armed.
 */
export type Moderation =
  | { readonly kind: "none" }
  | { readonly kind: "interval"; readonly intervalNs: number; readonly source: string }
  | {
    readonly kind: "dynamic";
    /** Intervals of the lowest-latency, low-latency and bulk levels (ns). */
    readonly levelsNs: readonly [number, number, number];
    /** Packets per interrupt below which the lowest-latency, then the low-latency level applies. */
    readonly thresholds: readonly [number, number];
    readonly source: string;
  };

/**
 * Dynamic ITR levels: 100K, 20K and 8K interrupts/s = 10, 50 and 125 µs. source: nic-models.md
 * §2.9 (ixgbe constants [S]; level choice unverified, a parameterised step function).
 */
export const DYNAMIC_ITR_LEVELS_NS: readonly [number, number, number] = [10_000, 50_000, 125_000];

/**
 * Packets per interrupt separating the dynamic ITR levels. source: the lab's choice (ixgbe's
 * thresholds are bytes per µs and are not in the references; nic-models.md §7 lists them as
 * open), a parameter.
 */
export const DYNAMIC_ITR_THRESHOLDS: readonly [number, number] = [4, 32];

/**
 * The moderation a NIC's Linux driver uses by default, read from its capabilities:
 * "dynamic" gives {@link DYNAMIC_ITR_LEVELS_NS}; "<n> us RX ..." gives a static n µs interval.
 */
export function moderationFromCapabilities(caps: NicCapabilities): Moderation {
  const mode = caps.interrupts.defaultMode;
  if (mode.value.startsWith("dynamic")) {
    return {
      kind: "dynamic",
      levelsNs: DYNAMIC_ITR_LEVELS_NS,
      thresholds: DYNAMIC_ITR_THRESHOLDS,
      source: `${mode.source}; levels nic-models.md §2.9`,
    };
  }
  const m = /(\d+(?:\.\d+)?)\s*us\s+RX/.exec(mode.value);
  if (m !== null) {
    return {
      kind: "interval",
      intervalNs: Math.round(Number(m[1]) * 1000),
      source: mode.source,
    };
  }
  throw new Error(
    `NIC ${caps.id} default interrupt mode "${mode.value}" is not understood: expected "dynamic" or "<n> us RX"`,
  );
}

/** Returns `m` after checking its numbers; throws naming the bad field and what is allowed. */
export function checkModeration(m: Moderation): Moderation {
  const ok = (v: number) => Number.isFinite(v) && v >= 0;
  if (m.kind === "interval" && !ok(m.intervalNs)) {
    throw new RangeError(
      `Moderation intervalNs ${m.intervalNs} is invalid: must be a finite number >= 0`,
    );
  }
  if (m.kind === "dynamic") {
    if (m.levelsNs.length !== 3 || !m.levelsNs.every(ok)) {
      throw new RangeError(
        `Moderation levelsNs [${
          m.levelsNs.join(", ")
        }] is invalid: must be three finite numbers >= 0`,
      );
    }
    if (m.thresholds.length !== 2 || !m.thresholds.every(ok) || m.thresholds[0] > m.thresholds[1]) {
      throw new RangeError(
        `Moderation thresholds [${
          m.thresholds.join(", ")
        }] are invalid: must be two ascending numbers >= 0`,
      );
    }
  }
  if (m.kind !== "none" && m.kind !== "interval" && m.kind !== "dynamic") {
    throw new RangeError(
      `Moderation kind ${
        JSON.stringify((m as { kind: unknown }).kind)
      } is unknown: allowed none, interval, dynamic`,
    );
  }
  return m;
}

/**
 * Default NIC latency per direction (DMA, PCIe, descriptor write-back). source: host-stacks.md
 * §5.5 and nic-models.md §6 ("1–3 µs fixed, parameter", unverified); the low end.
 */
export const DEFAULT_NIC_LATENCY_NS = 1000;

/** Options of a {@link HostNic}. */
export interface HostNicOptions {
  /** NIC latency per direction in integer ns (default {@link DEFAULT_NIC_LATENCY_NS}). */
  readonly latencyNs?: number;
  /** Interrupt moderation (default {@link moderationFromCapabilities}). */
  readonly moderation?: Moderation;
  /** Pool owner id of the host's buffers (default 0). */
  readonly owner?: number;
}

/** Drop reasons of the host NIC beyond the model's own {@link NIC_DROP_NAMES}. */
export const HOST_NIC_TX_RING_FULL: number = NIC_DROP_NAMES.length;

/**
 * A {@link NicModel} in simulated time.
 *
 * Receive: a frame arriving from the wire is classified by the model on its real bytes and put
 * in an RX ring (or dropped with the model's reason, its buffer freed); its descriptor becomes
 * visible to the host `latencyNs` later. Then, if the queue's interrupt is armed, the interrupt
 * fires at once or when the moderation interval since the previous one has passed; firing
 * disarms it (NAPI masks it) and calls `onInterrupt(q)`. Polling stacks never arm interrupts
 * and learn of new descriptors through `onVisible(q)`.
 *
 * Transmit: `send(q, buf, len)` takes a TX descriptor (a full ring is a counted drop) and the
 * frame reaches the host's uplink `latencyNs` later.
 *
 * Counters: `rxFrames`, `rxDrops` (by NIC drop code, plus TX ring full), per-queue
 * `interrupts`, `rxPackets`, `txFrames`; the model's own `counters()`.
 */
export class HostNic {
  /** The behavioural model. */
  readonly model: NicModel;
  /** Queues in use. */
  readonly queues: number;
  /** Frames that reached the NIC. */
  rxFrames = 0;
  /** Frames given a TX descriptor that have not reached the uplink yet. */
  txInFlight = 0;
  /** Drops by code: {@link NIC_DROP_NAMES} indices, then {@link HOST_NIC_TX_RING_FULL}. */
  readonly drops: Uint32Array = new Uint32Array(NIC_DROP_NAMES.length + 1);
  /** Interrupts fired per queue. */
  readonly interrupts: Float64Array;
  /** Packets put in each RX ring. */
  readonly rxPackets: Float64Array;
  /** Frames transmitted per queue. */
  readonly txFrames: Float64Array;
  /** Called when queue `q`'s interrupt fires (set by the stack). */
  onInterrupt: (q: number) => void = () => {};
  /** Called whenever a descriptor of queue `q` becomes visible (set by polling stacks). */
  onVisible: (q: number) => void = () => {};
  #sim: Simulator;
  #pool: BufferPool;
  #transmit: Transmit;
  #latencyNs: number;
  #moderation: Moderation;
  #owner: number;
  #rx = new RxResult();
  #visible: Int32Array;
  #armed: Uint8Array;
  #irqPending: Uint8Array;
  #lastIrq: Float64Array;
  #intervalNs: Float64Array;
  #sinceIrq: Float64Array;
  #visibleKind: number;
  #irqKind: number;
  #txKind: number;

  /** Attaches `model` to a host whose frames leave through `transmit`. */
  constructor(
    sim: Simulator,
    name: string,
    model: NicModel,
    pool: BufferPool,
    transmit: Transmit,
    options: HostNicOptions = {},
  ) {
    this.model = model;
    this.queues = model.config().queues;
    this.#sim = sim;
    this.#pool = pool;
    this.#transmit = transmit;
    this.#latencyNs = options.latencyNs ?? DEFAULT_NIC_LATENCY_NS;
    if (!Number.isInteger(this.#latencyNs) || this.#latencyNs < 0) {
      throw new RangeError(
        `NIC latency ${this.#latencyNs} ns is invalid: must be an integer >= 0`,
      );
    }
    this.#moderation = checkModeration(
      options.moderation ?? moderationFromCapabilities(model.capabilities),
    );
    this.#owner = options.owner ?? 0;
    const q = this.queues;
    this.interrupts = new Float64Array(q);
    this.rxPackets = new Float64Array(q);
    this.txFrames = new Float64Array(q);
    this.#visible = new Int32Array(q);
    this.#armed = new Uint8Array(q);
    this.#irqPending = new Uint8Array(q);
    this.#lastIrq = new Float64Array(q).fill(-Infinity);
    this.#sinceIrq = new Float64Array(q);
    const m = this.#moderation;
    this.#intervalNs = new Float64Array(q).fill(
      m.kind === "none" ? 0 : m.kind === "interval" ? m.intervalNs : m.levelsNs[0],
    );
    this.#visibleKind = sim.on(`${name}.nic.rx-visible`, (queue) => {
      this.#visible[queue] = (this.#visible[queue] ?? 0) + 1;
      this.onVisible(queue);
      this.#maybeInterrupt(queue);
    });
    this.#irqKind = sim.on(`${name}.nic.irq`, (queue) => {
      this.#irqPending[queue] = 0;
      if (this.#armed[queue] === 0 || (this.#visible[queue] ?? 0) === 0) return;
      this.#armed[queue] = 0;
      this.#lastIrq[queue] = this.#sim.now;
      this.#sinceIrq[queue] = 0;
      this.interrupts[queue] = (this.interrupts[queue] ?? 0) + 1;
      this.onInterrupt(queue);
    });
    this.#txKind = sim.on(`${name}.nic.tx-wire`, (buf, packed) => {
      const len = packed % 65_536;
      const queue = (packed - len) / 65_536;
      this.txInFlight--;
      this.model.completeTx(queue, 1);
      this.#transmit(buf, len);
    });
  }

  /** The moderation in force. */
  get moderation(): Moderation {
    return this.#moderation;
  }

  /** A frame arrived from the wire; the NIC now owns buffer `buf`. */
  receive(buf: number, len: number): void {
    this.rxFrames++;
    const pool = this.#pool;
    const q = this.model.receive(pool.bytes, pool.start[buf] ?? 0, len, this.#rx, buf);
    if (q < 0) {
      this.drops[this.#rx.drop] = (this.drops[this.#rx.drop] ?? 0) + 1;
      pool.free(buf, pool.owner[buf] ?? this.#owner);
      return;
    }
    pool.length[buf] = len;
    this.rxPackets[q] = (this.rxPackets[q] ?? 0) + 1;
    this.#sim.after(this.#latencyNs, this.#visibleKind, q);
  }

  /** Descriptors of queue `q` the host can see now. */
  visible(q: number): number {
    return this.#visible[q] ?? 0;
  }

  /** Descriptors of queue `q` in the ring (visible or still in DMA). */
  pending(q: number): number {
    return this.model.rxPending(q);
  }

  /** Consumes up to `max` visible descriptors of queue `q` into `out` (buffer ids); returns how many. */
  pollRx(q: number, max: number, out: Int32Array): number {
    const n = Math.min(max, this.#visible[q] ?? 0, out.length);
    if (n <= 0) return 0;
    const got = this.model.pollRx(q, n, out);
    this.#visible[q] = (this.#visible[q] ?? 0) - got;
    this.#sinceIrq[q] = (this.#sinceIrq[q] ?? 0) + got;
    return got;
  }

  /**
   * Arms queue `q`'s interrupt (NAPI complete). With dynamic moderation the next interval is
   * chosen from the packets polled since the last interrupt.
   */
  enableInterrupt(q: number): void {
    const m = this.#moderation;
    if (m.kind === "dynamic") {
      const n = this.#sinceIrq[q] ?? 0;
      this.#intervalNs[q] = n < m.thresholds[0]
        ? m.levelsNs[0]
        : n < m.thresholds[1]
        ? m.levelsNs[1]
        : m.levelsNs[2];
    }
    this.#armed[q] = 1;
    this.#maybeInterrupt(q);
  }

  /** Disarms queue `q`'s interrupt. */
  disableInterrupt(q: number): void {
    this.#armed[q] = 0;
  }

  /** Whether queue `q`'s interrupt is armed. */
  interruptArmed(q: number): boolean {
    return this.#armed[q] === 1;
  }

  /** Current moderation interval of queue `q` (ns). */
  intervalNs(q: number): number {
    return this.#intervalNs[q] ?? 0;
  }

  /**
   * Transmits buffer `buf` (a frame of `len` bytes) on TX queue `q`; false when the TX ring is
   * full (counted, buffer freed).
   */
  send(q: number, buf: number, len: number): boolean {
    if (!this.model.transmit(q, len, buf)) {
      this.drops[HOST_NIC_TX_RING_FULL] = (this.drops[HOST_NIC_TX_RING_FULL] ?? 0) + 1;
      this.#pool.free(buf, this.#pool.owner[buf] ?? this.#owner);
      return false;
    }
    this.txFrames[q] = (this.txFrames[q] ?? 0) + 1;
    this.txInFlight++;
    this.#sim.after(this.#latencyNs, this.#txKind, buf, q * 65_536 + len);
    return true;
  }

  /** Names of the entries of {@link HostNic.drops}. */
  static dropNames(): readonly string[] {
    return [...NIC_DROP_NAMES, "tx_ring_full"];
  }

  #maybeInterrupt(q: number): void {
    if (this.#armed[q] === 0 || this.#irqPending[q] === 1 || (this.#visible[q] ?? 0) === 0) return;
    const at = Math.max(this.#sim.now, (this.#lastIrq[q] ?? 0) + (this.#intervalNs[q] ?? 0));
    this.#irqPending[q] = 1;
    this.#sim.at(Math.ceil(at), this.#irqKind, q);
  }
}
