/**
 * A plain-text summary of a result for the terminal: a context header, then one aligned row per
 * stack and sweep point with throughput over the repetitions and latency of the merged
 * histogram (mean, p50, p99), plus drops and timeouts.
 *
 * @module
 */
import { type Column, formatTable, groupDigits, nsToUs } from "./_table.ts";
import { groupRuns } from "./group.ts";
import type { ResultFile } from "./schema.ts";

function paramColumns(result: ResultFile): string[] {
  const names = new Set<string>();
  for (const r of result.runs) for (const n of Object.keys(r.params)) names.add(n);
  return [...names].sort();
}

/** The context lines of a summary: status, git sha, Deno version, start time, seeds. */
export function formatContext(result: ResultFile): string {
  const c = result.context;
  const seeds = c.seeds.length <= 4
    ? c.seeds.join(", ")
    : `${c.seeds.slice(0, 3).join(", ")}, ... (${c.seeds.length} seeds)`;
  const status = result.complete
    ? `complete, ${result.runs.length} runs`
    : `PARTIAL (experiment still running or interrupted), ${result.runs.length} runs so far`;
  return [
    `Result: ${status}`,
    `git ${c.gitSha}  deno ${c.denoVersion}  started ${c.startedAt}`,
    `seeds ${seeds}  NIC capabilities ${c.nicCapabilityHash}`,
  ].join("\n") + "\n";
}

/**
 * Renders the summary table of a (valid) result: TPS mean and standard deviation over the
 * repetitions, latency mean/p50/p99 in microseconds from the merged histogram, drops and
 * timeouts per repetition (mean). A point without latency samples shows "-".
 *
 * @example
 * ```ts ignore
 * console.log(formatSummary(await readResultFile("results/out/run.json")));
 * ```
 */
export function formatSummary(result: ResultFile): string {
  const params = paramColumns(result);
  const columns: Column[] = [
    { header: "stack", align: "left" },
    ...params.map((p): Column => ({ header: p, align: "right" })),
    { header: "reps", align: "right" },
    { header: "clock", align: "left" },
    { header: "TPS", align: "right" },
    { header: "±sd", align: "right" },
    { header: "mean µs", align: "right" },
    { header: "p50 µs", align: "right" },
    { header: "p99 µs", align: "right" },
    { header: "drops", align: "right" },
    { header: "timeouts", align: "right" },
  ];
  const rows = groupRuns(result).map((g) => {
    const lat = g.latency;
    return [
      g.stack,
      ...params.map((p) => {
        const v = g.params[p];
        return v === undefined ? "-" : String(v);
      }),
      String(g.tps.n),
      g.clock,
      groupDigits(g.tps.mean),
      groupDigits(g.tps.sd),
      lat === null ? "-" : nsToUs(lat.mean),
      lat === null ? "-" : nsToUs(lat.p50),
      lat === null ? "-" : nsToUs(lat.p99),
      groupDigits(g.drops.mean, g.drops.mean % 1 === 0 ? 0 : 1),
      groupDigits(g.timeouts.mean, g.timeouts.mean % 1 === 0 ? 0 : 1),
    ];
  });
  const body = rows.length === 0 ? "(no runs yet)\n" : formatTable(columns, rows);
  return `${formatContext(result)}\n${body}`;
}
