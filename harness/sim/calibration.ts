/**
 * The one cost model: what every modelled operation costs, with its source.
 *
 * Every stack model charges its work from this table, so an operation costs the same in every
 * model. Values come from host-stacks.md §5 ("Cost calibration for a Linux-like model"); values
 * tagged unverified there (or chosen here as modelling assumptions) are marked
 * `verified: false` and can be overridden per run; a run records the calibration it used
 * ({@link calibrationRecord}).
 *
 * @module
 */
import type { LockCosts } from "./lock.ts";

/** Unit of a cost entry. */
export type CostUnit = "ns" | "cycles" | "ns_per_byte";

/** One operation's cost with its provenance. */
export interface CostEntry {
  /** What the operation is. */
  readonly description: string;
  /** Cost in `unit`. */
  readonly value: number;
  /** `ns`, `cycles` (converted at the calibration's clock) or `ns_per_byte`. */
  readonly unit: CostUnit;
  /** False when the source marks it unverified or it is a modelling assumption. */
  readonly verified: boolean;
  /** Where the value comes from (reference section and original source). */
  readonly source: string;
}

/** Default costs, in the order of their numeric codes ({@link Op}). */
export const DEFAULT_COSTS = {
  driver_rx: {
    description: "driver receive per packet: descriptor, buffer, skb",
    value: 300,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.2 (split of Arrakis Table 1's 3.36 µs; split unverified)",
  },
  l3l4_rx: {
    description: "protocol nodes in: IPv4 + UDP receive and demultiplexing per packet",
    value: 600,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.2 (split of Arrakis Table 1's 3.36 µs; split unverified)",
  },
  socket_enqueue: {
    description: "socket enqueue + wake-up bookkeeping per packet",
    value: 360,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.2 (split of Arrakis Table 1's 3.36 µs; split unverified)",
  },
  sched_running: {
    description: "scheduler work per request when the application is already running",
    value: 170,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1 (Arrakis share ~5% [S]; value unverified)",
  },
  wakeup_context_switch: {
    description: "extra when the receiving thread was asleep: wake-up and context switch",
    value: 2200,
    unit: "ns",
    verified: true,
    source: "host-stacks.md §5.1 (Arrakis, via reading notes)",
  },
  cold_stack: {
    description: "extra on the stack stages of a request that woke a sleeping thread",
    value: 600,
    unit: "ns",
    verified: true,
    source: "host-stacks.md §5.1 (Arrakis, via reading notes)",
  },
  syscall: {
    description: "system call entry + return, per call",
    value: 100,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1 (kernel crossing 0.10 µs, unverified)",
  },
  copy_in_base: {
    description: "recvfrom copy to user, fixed part (plus copy_per_byte per payload byte)",
    value: 230.4,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1/§5.2: copy in 0.24 µs at a 64-byte payload (unverified) " +
      "minus 64 × copy_per_byte [C]",
  },
  copy_out_base: {
    description: "sendto copy from user, fixed part (plus copy_per_byte per payload byte)",
    value: 430.4,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1/§5.2: copy out 0.44 µs at a 64-byte payload (unverified) " +
      "minus 64 × copy_per_byte [C]",
  },
  copy_per_byte: {
    description: "copy cost per payload byte (5–10 GB/s per core)",
    value: 0.15,
    unit: "ns_per_byte",
    verified: false,
    source: "host-stacks.md §5.1 (0.1–0.2 ns/B, default 0.15; modelling assumption, unverified)",
  },
  l3l4_tx: {
    description: "protocol nodes out: UDP/IP output and qdisc per packet",
    value: 800,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.2 stack out 1.05 µs (split unverified) minus driver_tx [C]",
  },
  driver_tx: {
    description: "driver transmit per packet: descriptor and doorbell",
    value: 250,
    unit: "ns",
    verified: true,
    source: "host-stacks.md §5.1 (Linux pktgen ~4 Mpps per core, netmap paper ATC 2012 [S]; " +
      "per packet [C])",
  },
  ring_access_bypass: {
    description: "kernel-bypass batched ring access per packet (replaces driver_rx/driver_tx)",
    value: 60,
    unit: "cycles",
    verified: true,
    source: "host-stacks.md §5.1 (netmap 14.88 Mpps on one 900 MHz core [S]; cycles [C])",
  },
  lock_uncontended: {
    description: "lock acquire + release when the lock's cache line is local",
    value: 50,
    unit: "cycles",
    verified: false,
    source: "modelling assumption (unverified): an uncontended atomic read-modify-write on a " +
      "local line costs tens of cycles; not given in host-stacks.md",
  },
  cache_line_transfer: {
    description: "moving one cache line from another core (lock hand-off, shared counters)",
    value: 500,
    unit: "cycles",
    verified: false,
    source: "host-stacks.md §5.1 (hundreds of cycles, ≈100–300 ns; Affinity-Accept rationale " +
      "[S], value unverified)",
  },
  socket_lock_hold: {
    description: "critical section under a shared socket's lock (enqueue or dequeue)",
    value: 200,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.2 adders (0.1–0.3 µs, unverified)",
  },
  ipi: {
    description: "inter-processor interrupt latency (remote wake-up, RPS hop)",
    value: 1000,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1 (~1 µs, unverified)",
  },
  memcached_get: {
    description: "memcached application work per GET: hash lookup, LRU update, reply formatting",
    value: 2000,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §5.1 (1–3 µs, unverified; midpoint)",
  },
  tcp_segment_extra: {
    description: "TCP over UDP per segment, in or out: state machine, ACK and timer bookkeeping",
    value: 100,
    unit: "ns",
    verified: false,
    source: 'host-stacks.md §5.3 ("charge per-packet stack costs as in §5.2, TCP slightly ' +
      'above UDP"; no sourced figure: a modelling assumption, unverified)',
  },
  control_search_candidate: {
    description: "Dragonet control plane: evaluating one candidate configuration in the search",
    value: 10_000,
    unit: "ns",
    verified: false,
    source: "dragonet-model.md §11 (the original greedy search took 9.2 ms for 10 flows on 10 " +
      "queues; the lab's search evaluates a few hundred candidates for that, so ~10 µs per " +
      "candidate [C]; a modelling assumption, unverified)",
  },
  nic_filter_write: {
    description: "programming one NIC configuration operation (filter add/remove) from the driver",
    value: 1000,
    unit: "ns",
    verified: false,
    source: 'nic-models.md §6 ("filter programming latency: a parameter, register writes are ' +
      'fast"; 1 µs per operation, unverified)',
  },
  accept_conn: {
    description: "accept4 per connection: socket file, inode/dentry, descriptor install, epoll_ctl",
    value: 1000,
    unit: "ns",
    verified: false,
    source: "host-stacks.md §2.5, §5.3 (per-connection VFS and epoll costs named, no sourced " +
      "total: a modelling assumption, unverified)",
  },
} as const satisfies Record<string, CostEntry>;

/** Name of a calibrated operation. */
export type OpName = keyof typeof DEFAULT_COSTS;

/** Every operation name, in numeric-code order. */
export const OP_NAMES: readonly OpName[] = Object.keys(DEFAULT_COSTS) as OpName[];

/** Numeric code of each operation, for per-packet lookups in {@link Calibration.ns}. */
export const Op: { readonly [K in OpName]: number } = Object.freeze(
  Object.fromEntries(OP_NAMES.map((name, i) => [name, i])) as { [K in OpName]: number },
);

/**
 * Default core clock used to convert cycles to ns. source: host-stacks.md §5.2 ("for a
 * ~2.5–3 GHz core"; the low end, unverified), a parameter.
 */
export const DEFAULT_CPU_GHZ = 2.5;

/** A resolved calibration: the entries (after overrides) and their costs in ns by code. */
export interface Calibration {
  /** Name recorded with results. */
  readonly name: string;
  /** Clock used for cycle entries (GHz). */
  readonly cpuGhz: number;
  /** Entries after overrides. */
  readonly entries: { readonly [K in OpName]: CostEntry };
  /** Names of the overridden entries. */
  readonly overridden: readonly OpName[];
  /** Cost in ns (per byte for `ns_per_byte` entries), indexed by {@link Op} code. */
  readonly ns: Float64Array;
}

/** Options of {@link makeCalibration}. */
export interface CalibrationOptions {
  /** Name recorded with results (default "default"). */
  readonly name?: string;
  /** Clock in GHz for cycle entries (default {@link DEFAULT_CPU_GHZ}); 0.1..10. */
  readonly cpuGhz?: number;
  /** Replacement values, in each entry's own unit. */
  readonly overrides?: { readonly [K in OpName]?: number };
}

/**
 * Builds a calibration from the defaults and `overrides`; throws on unknown names or values
 * that are not finite and >= 0.
 *
 * @example
 * ```ts
 * import { makeCalibration, Op } from "./calibration.ts";
 * const cal = makeCalibration({ overrides: { memcached_get: 1000 } });
 * if (cal.ns[Op.memcached_get] !== 1000) throw new Error("override ignored");
 * ```
 */
export function makeCalibration(options: CalibrationOptions = {}): Calibration {
  const cpuGhz = options.cpuGhz ?? DEFAULT_CPU_GHZ;
  if (!(cpuGhz >= 0.1 && cpuGhz <= 10)) {
    throw new RangeError(`Calibration cpuGhz ${cpuGhz} is invalid: must be in 0.1..10`);
  }
  const overrides = options.overrides ?? {};
  const entries = { ...DEFAULT_COSTS } as { [K in OpName]: CostEntry };
  const overridden: OpName[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_COSTS)) {
      throw new Error(
        `Calibration override "${name}" is not an operation: allowed ${OP_NAMES.join(", ")}`,
      );
    }
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `Calibration override "${name}" = ${value} is invalid: must be a finite number >= 0`,
      );
    }
    const op = name as OpName;
    entries[op] = {
      ...DEFAULT_COSTS[op],
      value,
      verified: false,
      source: `override of ${DEFAULT_COSTS[op].value} ${DEFAULT_COSTS[op].unit} ` +
        `(${DEFAULT_COSTS[op].source})`,
    };
    overridden.push(op);
  }
  const ns = new Float64Array(OP_NAMES.length);
  OP_NAMES.forEach((name, i) => {
    const e = entries[name];
    ns[i] = e.unit === "cycles" ? e.value / cpuGhz : e.value;
  });
  return Object.freeze({
    name: options.name ?? "default",
    cpuGhz,
    entries: Object.freeze(entries),
    overridden: Object.freeze(overridden),
    ns,
  });
}

/** Cost of operation `op` (an {@link Op} code) in ns. */
export function opNs(cal: Calibration, op: number): number {
  const v = cal.ns[op];
  if (v === undefined) {
    throw new RangeError(`Operation code ${op} is unknown: allowed 0..${OP_NAMES.length - 1}`);
  }
  return v;
}

/** Cost of copying `bytes` of payload into (`recvfrom`) or out of (`sendto`) user space, ns. */
export function copyNs(cal: Calibration, direction: "in" | "out", bytes: number): number {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) {
    throw new RangeError(`Copy length ${bytes} B is invalid: must be a finite number >= 0`);
  }
  const base = direction === "in" ? Op.copy_in_base : Op.copy_out_base;
  return (cal.ns[base] as number) + bytes * (cal.ns[Op.copy_per_byte] as number);
}

/**
 * Lock costs in integer ns: uncontended = `lock_uncontended`; contended = `lock_uncontended`
 * + one `cache_line_transfer`.
 */
export function lockCosts(cal: Calibration): LockCosts {
  const uncontended = cal.ns[Op.lock_uncontended] as number;
  const transfer = cal.ns[Op.cache_line_transfer] as number;
  return {
    uncontendedNs: Math.round(uncontended),
    contendedNs: Math.round(uncontended + transfer),
  };
}

/** JSON-ready record of a calibration, stored with every run. */
export interface CalibrationRecord {
  /** Calibration name. */
  readonly name: string;
  /** Clock for cycle entries (GHz). */
  readonly cpuGhz: number;
  /** Every entry with its cost in ns and whether it was overridden. */
  readonly ops: Readonly<
    Record<OpName, CostEntry & { readonly ns: number; readonly overridden: boolean }>
  >;
}

/** The record of `cal` to store beside results so the run can be replayed. */
export function calibrationRecord(cal: Calibration): CalibrationRecord {
  const ops = {} as Record<OpName, CostEntry & { ns: number; overridden: boolean }>;
  OP_NAMES.forEach((name, i) => {
    ops[name] = {
      ...cal.entries[name],
      ns: cal.ns[i] as number,
      overridden: cal.overridden.includes(name),
    };
  });
  return { name: cal.name, cpuGhz: cal.cpuGhz, ops };
}
