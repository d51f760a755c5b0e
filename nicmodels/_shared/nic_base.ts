/**
 * Shared machinery of a behavioural NIC model: configuration by diff, RX/TX rings, and
 * `ethtool -S`-like counters (per queue, per drop reason, per filter slot hits).
 *
 * A concrete model supplies `validate` (capability checks), `install` (update its lookup
 * structures for a new configuration) and `classify` (the per-frame decision).
 *
 * @module
 */
import { applyOps, diffConfig } from "./config_diff.ts";
import { DescriptorRings } from "./rings.ts";
import {
  type ConfigOp,
  type CounterEntry,
  NIC_DROP_NAMES,
  type NicCapabilities,
  type NicConfig,
  NicConfigError,
  NicDrop,
  type NicModel,
  type RxResult,
  type ValidationIssue,
} from "./nic.ts";

/** Base class implementing rings, counters and configuration-by-diff for a NIC model. */
export abstract class NicBase implements NicModel {
  /** The NIC's capabilities. */
  readonly capabilities: NicCapabilities;
  /** Configuration in force. */
  protected cfg: NicConfig;
  /** RX rings, one per configured queue. */
  protected rxRings: DescriptorRings;
  /** TX rings, one per configured queue. */
  protected txRings: DescriptorRings;
  private rxPackets: Float64Array;
  private rxBytes: Float64Array;
  private rxRingDrops: Float64Array;
  private txPackets: Float64Array;
  private txBytes: Float64Array;
  private txBusy: Float64Array;
  private readonly drops = new Float64Array(NIC_DROP_NAMES.length);
  private readonly hits: Float64Array[];

  /** Sets up rings and counters; the subclass constructor must call `this.start(config)`. */
  protected constructor(capabilities: NicCapabilities, config: NicConfig) {
    this.capabilities = capabilities;
    this.cfg = config;
    // Placeholder rings: `start` sizes them after validation, so an impossible queue count or
    // ring size fails with a validation message rather than an allocation error.
    const q = 1;
    this.rxRings = new DescriptorRings(q, 1);
    this.txRings = new DescriptorRings(q, 1);
    this.rxPackets = new Float64Array(q);
    this.rxBytes = new Float64Array(q);
    this.rxRingDrops = new Float64Array(q);
    this.txPackets = new Float64Array(q);
    this.txBytes = new Float64Array(q);
    this.txBusy = new Float64Array(q);
    this.hits = capabilities.filterTables.map((t) => new Float64Array(t.capacity.value));
  }

  /** Validates and installs the initial configuration (call once from the subclass constructor). */
  protected start(config: NicConfig): void {
    const issues = this.validate(config);
    if (issues.length > 0) throw new NicConfigError(issues);
    this.cfg = { queues: 0, ringSize: 0, rss: null, filters: [], settings: {} };
    const ops = diffConfig(this.cfg, config);
    this.install(config, ops);
    this.resize(config);
    this.cfg = config;
  }

  /** Every problem with `config` for this NIC (empty = valid). */
  abstract validate(config: NicConfig): readonly ValidationIssue[];

  /**
   * Updates the model's lookup structures from the configuration in force (`this.cfg`) to
   * `next`, given the ops between them. Throws {@link NicConfigError} when the hardware refuses
   * (e.g. a full hash bucket), leaving the old state in force.
   */
  protected abstract install(next: NicConfig, ops: readonly ConfigOp[]): void;

  /** Decides the queue of one frame (see {@link NicModel.classify}). */
  abstract classify(bytes: Uint8Array, off: number, len: number, out: RxResult): number;

  /** The configuration in force. */
  config(): NicConfig {
    return this.cfg;
  }

  /** Moves to `next` by diff; returns the applied ops. */
  configure(next: NicConfig): readonly ConfigOp[] {
    const issues = this.validate(next);
    if (issues.length > 0) throw new NicConfigError(issues);
    const ops = diffConfig(this.cfg, next);
    this.install(next, ops);
    this.resize(next);
    this.cfg = next;
    return ops;
  }

  /** Applies ops to the configuration in force. */
  apply(ops: readonly ConfigOp[]): void {
    const next = applyOps(this.cfg, ops);
    const issues = this.validate(next);
    if (issues.length > 0) throw new NicConfigError(issues);
    this.install(next, ops);
    this.resize(next);
    this.cfg = next;
  }

  /** Reallocates rings and per-queue counters when the queue count or ring size changes. */
  private resize(next: NicConfig): void {
    if (next.queues === this.rxRings.queues && next.ringSize === this.rxRings.size) return;
    // Reallocating rings drops their contents, as a driver's ring re-initialisation does.
    this.rxRings = new DescriptorRings(next.queues, next.ringSize);
    this.txRings = new DescriptorRings(next.queues, next.ringSize);
    if (next.queues !== this.rxPackets.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(next.queues);
        b.set(a.subarray(0, Math.min(a.length, b.length)));
        return b;
      };
      this.rxPackets = grow(this.rxPackets);
      this.rxBytes = grow(this.rxBytes);
      this.rxRingDrops = grow(this.rxRingDrops);
      this.txPackets = grow(this.txPackets);
      this.txBytes = grow(this.txBytes);
      this.txBusy = grow(this.txBusy);
    }
  }

  /** Classifies, counts, and queues one frame; returns the queue or -1 (drop counted). */
  receive(bytes: Uint8Array, off: number, len: number, out: RxResult, cookie = -1): number {
    const q = this.classify(bytes, off, len, out);
    if (q < 0) {
      this.drops[out.drop] = (this.drops[out.drop] ?? 0) + 1;
      return -1;
    }
    if (!this.rxRings.push(q, cookie, len, out.flags, out.hash)) {
      out.drop = NicDrop.RxRingFull;
      out.queue = -1;
      this.drops[NicDrop.RxRingFull] = (this.drops[NicDrop.RxRingFull] ?? 0) + 1;
      this.rxRingDrops[q] = (this.rxRingDrops[q] ?? 0) + 1;
      return -1;
    }
    this.rxPackets[q] = (this.rxPackets[q] ?? 0) + 1;
    this.rxBytes[q] = (this.rxBytes[q] ?? 0) + len;
    if (out.table >= 0 && out.slot >= 0) {
      const h = this.hits[out.table];
      if (h !== undefined) h[out.slot] = (h[out.slot] ?? 0) + 1;
    }
    return q;
  }

  /** Frames waiting on RX queue `q`. */
  rxPending(q: number): number {
    return this.rxRings.pending(q);
  }

  /** Consumes up to `max` RX descriptors of queue `q` into `cookies`. */
  pollRx(q: number, max: number, cookies: Int32Array): number {
    return this.rxRings.pop(q, max, cookies);
  }

  /** Queues a frame for transmission on queue `q`; false (counted as busy) when the ring is full. */
  transmit(q: number, len: number, cookie = -1): boolean {
    if (q < 0 || q >= this.txRings.queues) {
      throw new RangeError(
        `TX queue ${q} does not exist: configured queues are 0..${this.txRings.queues - 1}`,
      );
    }
    if (!this.txRings.push(q, cookie, len, 0, 0)) {
      this.txBusy[q] = (this.txBusy[q] ?? 0) + 1;
      return false;
    }
    return true;
  }

  /** Completes up to `max` TX descriptors of queue `q`; returns how many were sent. */
  completeTx(q: number, max: number): number {
    let n = 0;
    while (n < max) {
      const length = this.txRings.lengthAt(q, 0);
      if (length < 0) break;
      this.txRings.pop(q, 1);
      this.txPackets[q] = (this.txPackets[q] ?? 0) + 1;
      this.txBytes[q] = (this.txBytes[q] ?? 0) + length;
      n++;
    }
    return n;
  }

  /** Counters, `ethtool -S` style: totals, drops by reason, per queue, per filter-slot hits. */
  counters(): readonly CounterEntry[] {
    const out: CounterEntry[] = [];
    const sum = (a: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] as number;
      return s;
    };
    out.push({ name: "rx_packets", value: sum(this.rxPackets) });
    out.push({ name: "rx_bytes", value: sum(this.rxBytes) });
    out.push({ name: "tx_packets", value: sum(this.txPackets) });
    out.push({ name: "tx_bytes", value: sum(this.txBytes) });
    NIC_DROP_NAMES.forEach((name, i) => {
      if (i !== NicDrop.None) out.push({ name, value: this.drops[i] ?? 0 });
    });
    for (let q = 0; q < this.rxPackets.length; q++) {
      out.push({ name: `rx_queue_${q}_packets`, value: this.rxPackets[q] ?? 0 });
      out.push({ name: `rx_queue_${q}_bytes`, value: this.rxBytes[q] ?? 0 });
      out.push({ name: `rx_queue_${q}_no_dma_resources`, value: this.rxRingDrops[q] ?? 0 });
      out.push({ name: `tx_queue_${q}_packets`, value: this.txPackets[q] ?? 0 });
      out.push({ name: `tx_queue_${q}_bytes`, value: this.txBytes[q] ?? 0 });
      out.push({ name: `tx_queue_${q}_restart_queue`, value: this.txBusy[q] ?? 0 });
    }
    this.capabilities.filterTables.forEach((t, ti) => {
      const h = this.hits[ti] ?? new Float64Array(0);
      out.push({ name: `${t.id}_hits`, value: sum(h) });
      // An indexed loop: the tables have thousands of slots, few of them hit.
      for (let slot = 0; slot < h.length; slot++) {
        const v = h[slot] as number;
        if (v > 0) out.push({ name: `${t.id}[${slot}]_hits`, value: v });
      }
    });
    out.push(...this.extraCounters());
    return out;
  }

  /** Model-specific counters appended to {@link counters} (none by default). */
  protected extraCounters(): CounterEntry[] {
    return [];
  }

  /** Sets every counter to zero. */
  resetCounters(): void {
    for (
      const a of [
        this.rxPackets,
        this.rxBytes,
        this.rxRingDrops,
        this.txPackets,
        this.txBytes,
        this.txBusy,
        this.drops,
        ...this.hits,
      ]
    ) a.fill(0);
  }

  /** Zeroes the hit counter of one filter slot (call when a slot is reused by a new rule). */
  protected clearHits(table: number, slot: number): void {
    const h = this.hits[table];
    if (h !== undefined && slot >= 0 && slot < h.length) h[slot] = 0;
  }
}
