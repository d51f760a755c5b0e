/**
 * Results over several client machines: counts summed, latency histograms merged (never
 * percentiles averaged, workloads.md §9), and memaslap's aggregates (workloads.md §5): total
 * TPS, per-connection minimum, and the "valid total" (0 when any connection completed nothing).
 *
 * @module
 */
import { LatencyRecorder, type LatencySummary } from "../metrics/latency_recorder.ts";
import type { ClassReport, LoadClientReport } from "./load_client.ts";
import { CLIENT_CLASS_NAMES } from "./types.ts";

/** Aggregate of several clients. */
export interface AggregateReport {
  /** All classes. */
  readonly overall: ClassReport;
  /** High priority, then best effort. */
  readonly classes: readonly ClassReport[];
  /** Lowest per-connection transactions per second. */
  readonly minConnectionTps: number;
  /** Total TPS, or 0 when any connection completed nothing in the window (memaslap's valid total). */
  readonly validTotalTps: number;
  /** Merged histograms encoded (`LatencyRecorder.encode`), class order then overall, for the result JSON. */
  readonly histograms: Readonly<Record<string, string>>;
}

/** What aggregation needs of a client machine (a `LoadClient` or a `TcpLoadClient`). */
export interface ReportingClient {
  /** The client's results. */
  report(): LoadClientReport;
  /** Its latency recorders, class order then overall. */
  recorders(): { readonly byClass: readonly LatencyRecorder[]; readonly overall: LatencyRecorder };
}

/** A merged histogram's summary and encoded form. */
type MergedLatency = { readonly summary: LatencySummary; readonly encoded: string };

/**
 * Sums the reports of `clients` and merges their histograms. `reports`, when given, are the
 * clients' `report()` results in the same order (so a caller that already has them does not make
 * each client report twice).
 */
export function aggregateClients(
  clients: readonly ReportingClient[],
  reports: readonly LoadClientReport[] = clients.map((c) => c.report()),
): AggregateReport {
  if (clients.length === 0) {
    throw new RangeError("Cannot aggregate 0 clients: give at least one");
  }
  if (reports.length !== clients.length) {
    throw new RangeError(
      `Cannot aggregate ${clients.length} clients with ${reports.length} reports: give one per client`,
    );
  }
  // Merges already made, by their sources: when every client's overall recorder is its recorder
  // of one class (ClassRecorders, all connections of one class), the overall merge has exactly
  // that class's sources, and merging is a pure function of them, so its result is reused.
  const done: { sources: LatencyRecorder[]; result: MergedLatency }[] = [];
  const merged = (pick: (c: ReportingClient) => LatencyRecorder): MergedLatency => {
    const sources = clients.map(pick);
    const same = done.find((d) => d.sources.every((r, i) => r === sources[i]));
    if (same !== undefined) return same.result;
    const result = LatencyRecorder.mergedSummary(sources);
    done.push({ sources, result });
    return result;
  };
  const histograms: Record<string, string> = {};
  const combine = (name: string, rows: readonly ClassReport[], latency: LatencySummary) => ({
    clientClass: name,
    connections: sum(rows, (r) => r.connections),
    sent: sum(rows, (r) => r.sent),
    completed: sum(rows, (r) => r.completed),
    transactionsPerSecond: sum(rows, (r) => r.transactionsPerSecond),
    errors: sum(rows, (r) => r.errors),
    timeouts: sum(rows, (r) => r.timeouts),
    misses: sum(rows, (r) => r.misses),
    latency,
  });
  const classes = CLIENT_CLASS_NAMES.map((name, cls) => {
    const m = merged((c) => c.recorders().byClass[cls] as LatencyRecorder);
    histograms[name] = m.encoded;
    return combine(name, reports.map((r) => r.classes[cls] as ClassReport), m.summary);
  });
  const all = merged((c) => c.recorders().overall);
  histograms.overall = all.encoded;
  const overall = combine("overall", reports.map((r) => r.overall), all.summary);
  const perConn = reports.flatMap((r) => r.connections.map((c) => c.transactionsPerSecond));
  const minTps = Math.min(...perConn);
  return {
    overall,
    classes,
    minConnectionTps: minTps,
    validTotalTps: minTps > 0 ? overall.transactionsPerSecond : 0,
    histograms,
  };
}

function sum<T>(rows: readonly T[], f: (r: T) => number): number {
  let s = 0;
  for (const r of rows) s += f(r);
  return s;
}
