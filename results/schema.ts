/**
 * The canonical result of an experiment: one versioned JSON document from which every other
 * rendering (tidy CSV, summary table, plots, comparisons) is derived.
 *
 * Shape (STYLE.md points 10-13; workloads.md §9 "For the lab"):
 * - `schemaVersion`: {@link SCHEMA_VERSION}; readers refuse newer versions.
 * - `context`: what is needed to replay the run exactly: git sha, Deno version, start time, every
 *   seed, the NIC capability hash and the experiment description itself as JSON.
 * - `runs`: one entry per (stack, sweep point, repetition), each with its seed and its metrics,
 *   every metric with a unit. Latency is stored as an HDR histogram (HdrHistogram compressed
 *   base64, as `hdr-histogram-js` `encodeIntoCompressedBase64` writes it) so repetitions can be
 *   merged; the derived statistics beside it are for readers, never for merging.
 * - `complete`: false while an experiment is still writing (partial results after every run).
 *
 * @module
 */

/** Version of the result format this code writes and reads. */
export const SCHEMA_VERSION = 1 as const;

/** A JSON value (what the experiment description may contain). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Units a metric may carry. */
export const UNITS = [
  "1/s",
  "ns",
  "count",
  "bytes",
  "bit/s",
  "cycles",
  "fraction",
] as const;

/** A unit a metric may carry: rates per second, nanoseconds, counts, bytes, ... */
export type Unit = typeof UNITS[number];

/**
 * Where a run's numbers come from, which decides how they may be compared:
 * `simulated` runs are deterministic given their seed (compare exactly or within a tolerance),
 * `wall` runs are measured on a real clock (noisy; trend only).
 */
export type ClockKind = "simulated" | "wall";

/** The clock kinds, for validation and CLI help. */
export const CLOCK_KINDS: readonly ClockKind[] = ["simulated", "wall"];

/** A number with its unit. */
export interface Measure {
  /** The value (finite). */
  readonly value: number;
  /** Its unit. */
  readonly unit: Unit;
}

/** Latency of one run: the HDR histogram and statistics derived from it. */
export interface LatencyMetrics {
  /** Unit of the histogram's values and of every statistic here. */
  readonly unit: "ns";
  /** HdrHistogram compressed base64 (`encodeIntoCompressedBase64`); merge these, not the stats. */
  readonly histogram: string;
  /** Samples in the histogram. */
  readonly count: number;
  /** Smallest sample (at the histogram's precision). */
  readonly min: number;
  /** Mean. */
  readonly mean: number;
  /** Median. */
  readonly p50: number;
  /** 90th percentile. */
  readonly p90: number;
  /** 99th percentile. */
  readonly p99: number;
  /** 99.9th percentile. */
  readonly p999: number;
  /** 99.99th percentile. */
  readonly p9999: number;
  /** Largest sample (at the histogram's precision). */
  readonly max: number;
}

/** Counters of one queue or one core, by counter name. */
export type CounterSet = Readonly<Record<string, Measure>>;

/** What one run measured. */
export interface RunMetrics {
  /** Achieved transactions per second over the measurement window (unit "1/s"). */
  readonly tps: Measure;
  /** Latency histogram and derived statistics; null when the run completed no transaction. */
  readonly latency: LatencyMetrics | null;
  /** Dropped packets or requests by reason (counts). */
  readonly drops: Readonly<Record<string, number>>;
  /** Timed-out requests by reason (counts). */
  readonly timeouts: Readonly<Record<string, number>>;
  /** Per-queue counters, index = queue number. */
  readonly queues: readonly CounterSet[];
  /** Per-core counters, index = core number. */
  readonly cores: readonly CounterSet[];
  /** Further scalar metrics by name (e.g. offered load, skips). */
  readonly other: Readonly<Record<string, Measure>>;
}

/**
 * Sweep parameters of a run (clients, payload, burst, ...). Values are finite numbers or
 * non-empty strings that do not read as numbers, so the tidy CSV round-trips them exactly.
 */
export type RunParams = Readonly<Record<string, number | string>>;

/** One run: a stack at one sweep point, one repetition. */
export interface RunResult {
  /** Stack model or implementation name (e.g. "dragonet", "linux"). */
  readonly stack: string;
  /** The sweep point. */
  readonly params: RunParams;
  /** Repetition number, from 0. */
  readonly repetition: number;
  /** The seed this run used (a non-negative safe integer). */
  readonly seed: number;
  /** Simulated (deterministic) or wall-clock (noisy) numbers. */
  readonly clock: ClockKind;
  /** What it measured. */
  readonly metrics: RunMetrics;
}

/** What a run needs to be replayed exactly. */
export interface ResultContext {
  /** Git commit the experiment ran from (hex, 7..64 digits, optionally followed by "-dirty"). */
  readonly gitSha: string;
  /** `Deno.version.deno` of the process that ran it. */
  readonly denoVersion: string;
  /** When the experiment started, ISO 8601 UTC (`2026-11-22T02:40:00.000Z`), supplied by caller. */
  readonly startedAt: string;
  /** Every seed the experiment used (root seed first), non-negative safe integers. */
  readonly seeds: readonly number[];
  /** Hash of the NIC capabilities in use (hex), e.g. from `canonicalSha256(capabilities)`. */
  readonly nicCapabilityHash: string;
  /** The experiment description as JSON, so the run replays exactly. */
  readonly experiment: JsonValue;
}

/** The canonical result document. */
export interface ResultFile {
  /** Format version, always {@link SCHEMA_VERSION}. */
  readonly schemaVersion: typeof SCHEMA_VERSION;
  /** Replay context. */
  readonly context: ResultContext;
  /** False while the experiment is still running (partial results). */
  readonly complete: boolean;
  /** Runs so far, in the order they finished. */
  readonly runs: readonly RunResult[];
}

/** Names of the latency statistics derived from the histogram, in report order. */
export const LATENCY_STATS = [
  "count",
  "min",
  "mean",
  "p50",
  "p90",
  "p99",
  "p999",
  "p9999",
  "max",
] as const;

/** One derived latency statistic. */
export type LatencyStat = typeof LATENCY_STATS[number];
