/**
 * Helpers the UDP and TCP load clients share: option count checks, per-class counters and the
 * pieces of their reports that are computed the same way.
 *
 * @module
 */
import { reasonName } from "../../stack/packet/reason.ts";
import type { LatencyRecorder, LatencySummary } from "../metrics/latency_recorder.ts";

/** Per-class (or overall) results of one client. */
export interface ClassReport {
  /** "high-priority", "best-effort" or "overall". */
  readonly clientClass: string;
  /** Connections in the class. */
  readonly connections: number;
  /** Measured requests sent. */
  readonly sent: number;
  /** Measured requests answered correctly. */
  readonly completed: number;
  /** Correct completions inside the window per second. */
  readonly transactionsPerSecond: number;
  /** Measured requests answered wrongly. */
  readonly errors: number;
  /** Measured requests that timed out. */
  readonly timeouts: number;
  /** Measured requests answered with a miss. */
  readonly misses: number;
  /** Latency of measured correct completions, from the intended send time. */
  readonly latency: LatencySummary;
}

/** Returns `n` when it is an integer 1..`max`; throws naming `what` otherwise. */
export function checkCount(what: string, n: number, max = 4096): number {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(`${what} ${n} is invalid: must be an integer 1..${max}`);
  }
  return n;
}

/** Adds one to `a[i]`. */
export function inc(a: Float64Array, i: number): void {
  a[i] = (a[i] ?? 0) + 1;
}

/** Per-class counters, latency recorders and connections a class report is computed from. */
export interface ClassTotals {
  /** Connections with their class code. */
  readonly conns: readonly { readonly flow: { readonly clientClass: number } }[];
  /** Measurement window length (ns). */
  readonly windowNs: number;
  /** Requests sent, by class. */
  readonly sentBy: Float64Array;
  /** Replies completed, by class. */
  readonly completedBy: Float64Array;
  /** Replies completed inside the window, by class. */
  readonly inWindowBy: Float64Array;
  /** Error replies, by class. */
  readonly errorsBy: Float64Array;
  /** Timeouts, by class; null when the client has none (reported as 0). */
  readonly timeoutsBy: Float64Array | null;
  /** Misses, by class. */
  readonly missesBy: Float64Array;
  /** Latency recorder of each class. */
  readonly recorders: readonly LatencyRecorder[];
  /** Latency recorder over every class. */
  readonly overall: LatencyRecorder;
}

/** Report of class `cls` (named `name`), or of all classes together when `cls < 0`. */
export function classReport(t: ClassTotals, name: string, cls: number): ClassReport {
  const all = cls < 0;
  const sum = (a: Float64Array): number => all ? (a[0] ?? 0) + (a[1] ?? 0) : a[cls] ?? 0;
  return {
    clientClass: name,
    connections: t.conns.filter((c) => all || c.flow.clientClass === cls).length,
    sent: sum(t.sentBy),
    completed: sum(t.completedBy),
    transactionsPerSecond: sum(t.inWindowBy) * 1e9 / t.windowNs,
    errors: sum(t.errorsBy),
    timeouts: t.timeoutsBy === null ? 0 : sum(t.timeoutsBy),
    misses: sum(t.missesBy),
    latency: (all ? t.overall : t.recorders[cls] as LatencyRecorder).summary(),
  };
}

/** The non-zero entries of a per-reason counter array, keyed by reason name. */
export function reasonCounts(byReason: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  byReason.forEach((v, r) => {
    if (v > 0) out[reasonName(r as Parameters<typeof reasonName>[0])] = v;
  });
  return out;
}

/** Sums every connection's protocol counters by name. */
export function sumProtocolCounters(
  conns: readonly { readonly protocol: { counters(): Readonly<Record<string, number>> } }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of conns) {
    for (const [k, v] of Object.entries(c.protocol.counters())) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}
