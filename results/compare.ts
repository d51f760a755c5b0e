/**
 * Compares two results point by point with three-valued verdicts (improved / regressed /
 * unchanged) under a noise model (STYLE.md point 13):
 *
 * - Simulated points (every run `clock: "simulated"`, same seeds on both sides) are
 *   deterministic: unchanged only when equal, or within the relative tolerance knob
 *   `simTolerance` (default 0, exact). Their verdicts gate (CI may fail on a regression).
 * - Wall-clock points (or simulated ones whose seeds differ, or mixed clocks) are noisy and
 *   only trended: unchanged when the difference is within `wallTolerance` (relative, default
 *   0.05) or within `noiseSigmas` standard errors of the per-run values (default 2); their
 *   verdicts never gate.
 *
 * Compared per stack and point (repetitions merged): TPS (higher is better), latency mean, p50
 * and p99 of the merged histogram (lower is better; the per-run spread of each statistic is used
 * only as the noise estimate, never averaged into the reported value), drops and timeouts per
 * repetition (lower is better).
 *
 * @module
 */
import { type Column, formatTable, groupDigits, nsToUs } from "./_table.ts";
import { groupRuns, type PointGroup, spreadOf } from "./group.ts";
import type { ResultFile, RunParams, RunResult } from "./schema.ts";
import { canonicalJson } from "./canonical_json.ts";

/** A three-valued verdict. */
export type Verdict = "improved" | "regressed" | "unchanged";

/** Metrics compared, in report order. */
export const COMPARED_METRICS = [
  "tps",
  "latency.mean",
  "latency.p50",
  "latency.p99",
  "drops",
  "timeouts",
] as const;

/** One compared metric name. */
export type ComparedMetric = typeof COMPARED_METRICS[number];

/** Options (noise model knobs) of {@link compareResults}. */
export interface CompareOptions {
  /** Relative tolerance for deterministic simulated metrics, >= 0 (default 0: exact). */
  readonly simTolerance?: number;
  /** Relative change below which wall-clock metrics are unchanged, >= 0 (default 0.05). */
  readonly wallTolerance?: number;
  /** Standard errors of the per-run values a wall-clock change must exceed (default 2). */
  readonly noiseSigmas?: number;
}

/** How a metric moved at one point. */
export interface MetricComparison {
  /** Point key (stack and parameters). */
  readonly point: string;
  /** Stack name. */
  readonly stack: string;
  /** Sweep point. */
  readonly params: RunParams;
  /** Metric compared. */
  readonly metric: ComparedMetric;
  /** Old value (TPS in 1/s, latency in ns, drops and timeouts as counts per repetition). */
  readonly old: number;
  /** New value. */
  readonly new: number;
  /** Relative change (new − old) / |old|; null when old is 0. */
  readonly change: number | null;
  /** The verdict. */
  readonly verdict: Verdict;
  /** Whether the verdict may gate CI (deterministic simulated metric, same seeds). */
  readonly gating: boolean;
  /** The rule that decided: "exact", "tolerance 1%", "trend 5%/2σ", ... */
  readonly basis: string;
}

/** The outcome of comparing two results. */
export interface Comparison {
  /** Every metric at every point both results have. */
  readonly metrics: readonly MetricComparison[];
  /** Points only the old result has. */
  readonly onlyOld: readonly string[];
  /** Points only the new result has. */
  readonly onlyNew: readonly string[];
  /** Caveats (partial results, different experiments, seeds differ, ...). */
  readonly notes: readonly string[];
  /** Count of each verdict. */
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Regressions among gating comparisons (what a CI gate fails on). */
  readonly gatingRegressions: number;
}

const LOWER_IS_BETTER: ReadonlySet<ComparedMetric> = new Set([
  "latency.mean",
  "latency.p50",
  "latency.p99",
  "drops",
  "timeouts",
]);

function checkKnob(name: string, v: number | undefined, def: number): number {
  const x = v ?? def;
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new RangeError(`Comparison option ${name} is ${x}: must be a finite number >= 0`);
  }
  return x;
}

function sumOf(o: Readonly<Record<string, number>>): number {
  let s = 0;
  for (const v of Object.values(o)) s += v;
  return s;
}

/** The reported value of a metric for a group, and the per-run values for the noise estimate. */
function valuesOf(
  g: PointGroup,
  metric: ComparedMetric,
): { value: number; perRun: number[] } | null {
  const runs: readonly RunResult[] = g.runs;
  switch (metric) {
    case "tps":
      return { value: g.tps.mean, perRun: runs.map((r) => r.metrics.tps.value) };
    case "drops":
      return { value: g.drops.mean, perRun: runs.map((r) => sumOf(r.metrics.drops)) };
    case "timeouts":
      return { value: g.timeouts.mean, perRun: runs.map((r) => sumOf(r.metrics.timeouts)) };
    default: {
      if (g.latency === null) return null;
      const stat = metric.slice("latency.".length) as "mean" | "p50" | "p99";
      const perRun = runs.flatMap((r) =>
        r.metrics.latency === null ? [] : [r.metrics.latency[stat]]
      );
      return { value: g.latency[stat], perRun };
    }
  }
}

function seedsOf(g: PointGroup): string {
  return g.runs.map((r) => r.seed).sort((a, b) => a - b).join(",");
}

function standardError(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const s = spreadOf(values);
  return s.sd / Math.sqrt(values.length);
}

/**
 * Compares `older` with `newer` (both valid results) point by point.
 *
 * @throws {RangeError} when a noise knob is negative or not finite.
 *
 * @example
 * ```ts ignore
 * const c = compareResults(await readResultFile("old.json"), await readResultFile("new.json"));
 * if (c.gatingRegressions > 0) Deno.exit(1);
 * ```
 */
export function compareResults(
  older: ResultFile,
  newer: ResultFile,
  options: CompareOptions = {},
): Comparison {
  const simTol = checkKnob("simTolerance", options.simTolerance, 0);
  const wallTol = checkKnob("wallTolerance", options.wallTolerance, 0.05);
  const sigmas = checkKnob("noiseSigmas", options.noiseSigmas, 2);
  const oldGroups = new Map(groupRuns(older).map((g) => [g.key, g]));
  const newGroups = groupRuns(newer);
  const notes: string[] = [];
  if (!older.complete) notes.push("The old result is partial (the experiment had not finished)");
  if (!newer.complete) notes.push("The new result is partial (the experiment had not finished)");
  if (canonicalJson(older.context.experiment) !== canonicalJson(newer.context.experiment)) {
    notes.push("The experiment descriptions differ; points are matched by stack and parameters");
  }
  if (older.context.nicCapabilityHash !== newer.context.nicCapabilityHash) {
    notes.push(
      `The NIC capability hashes differ (${older.context.nicCapabilityHash} vs ${newer.context.nicCapabilityHash})`,
    );
  }
  const metrics: MetricComparison[] = [];
  const onlyNew: string[] = [];
  let seedNote = false;
  for (const ng of newGroups) {
    const og = oldGroups.get(ng.key);
    if (og === undefined) {
      onlyNew.push(ng.key);
      continue;
    }
    const simulated = og.clock === "simulated" && ng.clock === "simulated";
    const sameSeeds = seedsOf(og) === seedsOf(ng);
    if (simulated && !sameSeeds) seedNote = true;
    const gating = simulated && sameSeeds;
    for (const metric of COMPARED_METRICS) {
      const a = valuesOf(og, metric);
      const b = valuesOf(ng, metric);
      if (a === null || b === null) continue;
      const diff = b.value - a.value;
      let unchanged: boolean;
      let basis: string;
      if (gating) {
        unchanged = simTol === 0 ? diff === 0 : Math.abs(diff) <= simTol * Math.abs(a.value);
        basis = simTol === 0 ? "exact" : `tolerance ${formatPercent(simTol)}`;
      } else {
        const noise = sigmas *
          Math.sqrt(standardError(a.perRun) ** 2 + standardError(b.perRun) ** 2);
        unchanged = Math.abs(diff) <= Math.max(wallTol * Math.abs(a.value), noise);
        basis = `trend ${formatPercent(wallTol)}/${sigmas}σ${simulated ? " (seeds differ)" : ""}`;
      }
      const better = LOWER_IS_BETTER.has(metric) ? diff < 0 : diff > 0;
      metrics.push({
        point: ng.key,
        stack: ng.stack,
        params: ng.params,
        metric,
        old: a.value,
        new: b.value,
        change: a.value === 0 ? null : diff / Math.abs(a.value),
        verdict: unchanged ? "unchanged" : better ? "improved" : "regressed",
        gating,
        basis,
      });
    }
    oldGroups.delete(ng.key);
  }
  if (seedNote) {
    notes.push("Some simulated points ran with different seeds; they are trended, not gated");
  }
  const counts: Record<Verdict, number> = { improved: 0, regressed: 0, unchanged: 0 };
  for (const m of metrics) counts[m.verdict]++;
  return {
    metrics,
    onlyOld: [...oldGroups.keys()],
    onlyNew,
    notes,
    counts,
    gatingRegressions: metrics.filter((m) => m.gating && m.verdict === "regressed").length,
  };
}

function formatPercent(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}

/** A compared value for display: latency in µs, TPS and counts with thousands separators. */
export function formatCompareValue(metric: ComparedMetric, v: number): string {
  if (metric.startsWith("latency.")) return `${nsToUs(v)} µs`;
  if (metric === "tps") return groupDigits(v);
  return groupDigits(v, v % 1 === 0 ? 0 : 1);
}

/** The relative change of a comparison for display: `+12.5%`, `-3%`, `0%`, or `new` from 0. */
export function formatChange(m: Pick<MetricComparison, "change" | "new">): string {
  return m.change === null
    ? (m.new === 0 ? "0%" : "new")
    : `${m.change > 0 ? "+" : ""}${formatPercent(m.change)}`;
}

/** Options of {@link formatComparison}. */
export interface FormatComparisonOptions {
  /** Also list unchanged metrics (default false: only changes are listed). */
  readonly all?: boolean;
}

/** Renders a comparison for the terminal: notes, a table of changes, and a verdict line. */
export function formatComparison(c: Comparison, options: FormatComparisonOptions = {}): string {
  const out: string[] = [];
  for (const n of c.notes) out.push(`note: ${n}`);
  for (const p of c.onlyOld) out.push(`only in old: ${p}`);
  for (const p of c.onlyNew) out.push(`only in new: ${p}`);
  if (out.length > 0) out.push("");
  const shown = c.metrics.filter((m) => options.all === true || m.verdict !== "unchanged");
  const columns: Column[] = [
    { header: "point", align: "left" },
    { header: "metric", align: "left" },
    { header: "old", align: "right" },
    { header: "new", align: "right" },
    { header: "change", align: "right" },
    { header: "verdict", align: "left" },
    { header: "basis", align: "left" },
  ];
  if (shown.length > 0) {
    const rows = shown.map((m) => [
      m.point,
      m.metric,
      formatCompareValue(m.metric, m.old),
      formatCompareValue(m.metric, m.new),
      formatChange(m),
      m.gating ? m.verdict : `${m.verdict} (trend)`,
      m.basis,
    ]);
    out.push(formatTable(columns, rows).trimEnd());
  } else {
    out.push(
      c.metrics.length === 0 ? "No point in common to compare" : "No metric changed",
    );
  }
  out.push("");
  out.push(
    `${c.counts.improved} improved, ${c.counts.regressed} regressed, ${c.counts.unchanged} unchanged; ` +
      `gating regressions: ${c.gatingRegressions}`,
  );
  return out.join("\n") + "\n";
}
