/**
 * Groups a result's runs by stack and sweep point, merging repetitions: latency histograms are
 * merged by adding counts (never by averaging percentiles; STYLE.md point 12), throughput is
 * summarised over repetitions (mean, sample standard deviation, min, max).
 *
 * @module
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import { mergedLatencyMetrics } from "./histogram.ts";
import type { ClockKind, LatencyMetrics, ResultFile, RunParams, RunResult } from "./schema.ts";
import { pointKey } from "./validate.ts";

/** A set of numbers summarised over repetitions. */
export interface Spread {
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (0 with a single value). */
  readonly sd: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** How many values. */
  readonly n: number;
}

/** The repetitions of one stack at one sweep point. */
export interface PointGroup {
  /** `pointKey` of the group (stack and parameters). */
  readonly key: string;
  /** Stack name. */
  readonly stack: string;
  /** The sweep point. */
  readonly params: RunParams;
  /** Clock of the runs ("mixed" when they disagree, which comparisons treat as wall-clock). */
  readonly clock: ClockKind | "mixed";
  /** The runs, in result order. */
  readonly runs: readonly RunResult[];
  /** Achieved transactions per second over the repetitions. */
  readonly tps: Spread;
  /** Latency of the merged histogram of every repetition; null when none has samples. */
  readonly latency: LatencyMetrics | null;
  /** Drops per repetition (all reasons), over the repetitions. */
  readonly drops: Spread;
  /** Timeouts per repetition (all reasons), over the repetitions. */
  readonly timeouts: Spread;
}

/** Summarises numbers (at least one). */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("Cannot summarise 0 values: need at least 1");
  return {
    mean: mean(values as number[]),
    sd: values.length < 2 ? 0 : sampleStandardDeviation(values as number[]),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

function sum(o: Readonly<Record<string, number>>): number {
  let s = 0;
  for (const v of Object.values(o)) s += v;
  return s;
}

/** Compares two parameter values: numbers numerically before strings, strings by code unit. */
export function compareParamValues(
  a: number | string | undefined,
  b: number | string | undefined,
): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : 1;
}

/** Orders sweep points: by stack, then by each parameter name in order, values ascending. */
export function comparePoints(
  a: { readonly stack: string; readonly params: RunParams },
  b: { readonly stack: string; readonly params: RunParams },
): number {
  if (a.stack !== b.stack) return a.stack < b.stack ? -1 : 1;
  const names = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  for (const n of names) {
    const c = compareParamValues(a.params[n], b.params[n]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Groups the runs of a (valid) result by stack and sweep point, sorted by {@link comparePoints}.
 *
 * @throws {HistogramDecodeError} when a stored histogram cannot be decoded (a validated result
 *   never has one).
 */
export function groupRuns(result: ResultFile): PointGroup[] {
  const byKey = new Map<string, RunResult[]>();
  for (const run of result.runs) {
    const key = pointKey(run);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [run]);
    else list.push(run);
  }
  const groups: PointGroup[] = [];
  for (const [key, runs] of byKey) {
    const first = runs[0] as RunResult;
    const encoded: string[] = [];
    for (const r of runs) if (r.metrics.latency !== null) encoded.push(r.metrics.latency.histogram);
    const latency: LatencyMetrics | null = encoded.length === 0
      ? null
      : mergedLatencyMetrics(encoded);
    groups.push({
      key,
      stack: first.stack,
      params: first.params,
      clock: runs.every((r) => r.clock === first.clock) ? first.clock : "mixed",
      runs,
      tps: spreadOf(runs.map((r) => r.metrics.tps.value)),
      latency,
      drops: spreadOf(runs.map((r) => sum(r.metrics.drops))),
      timeouts: spreadOf(runs.map((r) => sum(r.metrics.timeouts))),
    });
  }
  return groups.sort(comparePoints);
}
