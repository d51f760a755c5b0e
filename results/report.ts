/**
 * The HTML report: one self-contained page (vega, vega-lite and vega-embed inlined, no network)
 * from one or more canonical result files. Per experiment: the context (git sha, Deno version,
 * seeds, the experiment description collapsible), the summary table, interactive figures with
 * their data embedded (throughput against clients per stack, latency CDF per stack and point,
 * per-queue and per-core counters where present), drops and timeouts by reason, and, given a
 * baseline, the three-valued comparison with coloured verdicts. The same inputs give the same
 * bytes (no clock, no randomness, no absolute paths beyond those given).
 *
 * @module
 */
import { dirname } from "node:path";
import { escapeHtml, jsonForScript, scriptForInline } from "./_html.ts";
import { groupDigits, nsToUs } from "./_table.ts";
import { canonicalJson } from "./canonical_json.ts";
import {
  type CompareOptions,
  compareResults,
  type Comparison,
  formatChange,
  formatCompareValue,
} from "./compare.ts";
import { groupRuns, type PointGroup } from "./group.ts";
import { PlotError, type VegaLiteSpec } from "./plots.ts";
import { loadReportAssets, type ReportAssets } from "./report_assets.ts";
import {
  counterBarsFigure,
  interactiveCdfSpec,
  interactiveThroughputSpec,
  pointLabel,
} from "./report_figures.ts";
import type { ResultFile } from "./schema.ts";
import { readResultFile } from "./validate.ts";
import { writeTextAtomic } from "./writer.ts";

/** A result and the name it is shown under (usually its file path as given). */
export interface ReportSource {
  /** Name shown in the report. */
  readonly file: string;
  /** The (valid) result. */
  readonly result: ResultFile;
}

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Page title (default "dragonet-lab report"). */
  readonly title?: string;
  /** Numeric parameter on the throughput figure's x axis (default "clients"). */
  readonly x?: string;
  /** Compare every source with this result. */
  readonly baseline?: ReportSource;
  /** Noise model knobs of the comparison. */
  readonly compare?: CompareOptions;
}

const CSS = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#1a1a1a}
h1{font-size:1.5em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.2em .5em}th{background:#f3f3f3}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.nz{background:#fff1d6}
dl.context{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;font-size:.9em}
dl.context dt{font-weight:bold}dl.context dd{margin:0;font-family:monospace}
pre{background:#f7f7f7;padding:.5em;overflow:auto;max-height:30em;font-size:.85em}
.partial{background:#ffe0e0;border:1px solid #d33;padding:.3em .6em;display:inline-block}
.figure{margin:1em 0}.figure.error{color:#b00}
.note{color:#555;font-size:.9em}
.verdict-improved{background:#d8f5d0;color:#145214}
.verdict-regressed{background:#ffd6d6;color:#8a0c0c;font-weight:bold}
.verdict-unchanged{color:#777}
tr.unchanged td{color:#777}
`.trim();

const BOOT = `
(function () {
  var specs = document.querySelectorAll("script.vl-spec");
  var jobs = [];
  specs.forEach(function (el) {
    var target = document.getElementById(el.getAttribute("data-target"));
    var spec = JSON.parse(el.textContent);
    jobs.push(vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: true, compiled: true, editor: false }
    }).then(function () { return true; }, function (err) {
      target.className += " error";
      target.textContent = "Figure failed to render: " + (err && err.message ? err.message : err);
      return false;
    }));
  });
  Promise.all(jobs).then(function (ok) {
    document.body.setAttribute("data-figures", String(ok.length));
    document.body.setAttribute("data-figures-failed", String(ok.filter(function (x) { return !x; }).length));
  });
})();
`.trim();

function num(text: string, extra = ""): string {
  return `<td class="num${extra}">${escapeHtml(text)}</td>`;
}

function cell(text: string): string {
  return `<td>${escapeHtml(text)}</td>`;
}

function headerRow(headers: readonly string[], numeric: ReadonlySet<number>): string {
  return `<tr>${
    headers.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`)
      .join("")
  }</tr>`;
}

function paramNamesOf(result: ResultFile): string[] {
  const names = new Set<string>();
  for (const r of result.runs) for (const n of Object.keys(r.params)) names.add(n);
  return [...names].sort();
}

function countText(n: number): string {
  return groupDigits(n, n % 1 === 0 ? 0 : 1);
}

function contextHtml(source: ReportSource): string {
  const { result, file } = source;
  const c = result.context;
  const shownSeeds = c.seeds.length <= 8
    ? c.seeds.join(", ")
    : `${c.seeds.slice(0, 8).join(", ")}, ... (${c.seeds.length} seeds)`;
  const rows: [string, string][] = [
    ["file", file],
    ["status", result.complete ? "complete" : "partial"],
    ["runs", String(result.runs.length)],
    ["git sha", c.gitSha],
    ["Deno", c.denoVersion],
    ["started", c.startedAt],
    ["NIC capabilities", c.nicCapabilityHash],
    ["seeds", shownSeeds],
  ];
  const experiment = c.experiment;
  const description = experiment !== null && typeof experiment === "object" &&
      !Array.isArray(experiment) &&
      typeof (experiment as Record<string, unknown>).description === "string"
    ? (experiment as Record<string, string>).description ?? ""
    : "";
  return [
    result.complete
      ? ""
      : '<p class="partial">Partial result: the experiment was still running or was interrupted</p>',
    description === "" ? "" : `<p>${escapeHtml(description)}</p>`,
    `<dl class="context">${
      rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")
    }</dl>`,
    c.seeds.length > 8
      ? `<details><summary>All ${c.seeds.length} seeds</summary><pre>${
        escapeHtml(c.seeds.join(", "))
      }</pre></details>`
      : "",
    `<details><summary>Experiment description (JSON)</summary><pre>${
      escapeHtml(canonicalJson(experiment))
    }</pre></details>`,
  ].filter((s) => s !== "").join("\n");
}

function summaryHtml(result: ResultFile, groups: readonly PointGroup[]): string {
  if (groups.length === 0) return '<p class="note">No runs yet.</p>';
  const params = paramNamesOf(result);
  const headers = [
    "stack",
    ...params,
    "reps",
    "clock",
    "TPS",
    "±sd",
    "mean µs",
    "p50 µs",
    "p99 µs",
    "p99.9 µs",
    "drops",
    "timeouts",
  ];
  const numeric = new Set(headers.map((_, i) => i).filter((i) => i > 0 && i !== params.length + 2));
  const body = groups.map((g) => {
    const lat = g.latency;
    const latCells = lat === null
      ? [num("-"), num("-"), num("-"), num("-")]
      : [lat.mean, lat.p50, lat.p99, lat.p999].map((v) => num(nsToUs(v)));
    return `<tr>${
      [
        cell(g.stack),
        ...params.map((p) => num(g.params[p] === undefined ? "-" : String(g.params[p]))),
        num(String(g.tps.n)),
        cell(g.clock),
        num(groupDigits(g.tps.mean)),
        num(groupDigits(g.tps.sd)),
        ...latCells,
        num(countText(g.drops.mean), g.drops.mean > 0 ? " nz" : ""),
        num(countText(g.timeouts.mean), g.timeouts.mean > 0 ? " nz" : ""),
      ].join("")
    }</tr>`;
  });
  return [
    '<table class="summary">',
    `<thead>${headerRow(headers, numeric)}</thead>`,
    `<tbody>\n${body.join("\n")}\n</tbody>`,
    "</table>",
    '<p class="note">TPS: mean and sample standard deviation over the repetitions. Latency: ' +
    "statistics of the histogram merged over the repetitions. Drops and timeouts: all reasons, " +
    "mean per repetition.</p>",
  ].join("\n");
}

function reasonsHtml(groups: readonly PointGroup[]): string {
  const kinds = ["drops", "timeouts"] as const;
  const columns: { kind: typeof kinds[number]; reason: string }[] = [];
  for (const kind of kinds) {
    const reasons = new Set<string>();
    for (const g of groups) {
      for (const r of g.runs) {
        for (const reason of Object.keys(r.metrics[kind])) reasons.add(reason);
      }
    }
    for (const reason of [...reasons].sort()) columns.push({ kind, reason });
  }
  if (columns.length === 0) return '<p class="note">No run recorded a drop or timeout reason.</p>';
  const headers = [
    "stack",
    "point",
    "reps",
    ...columns.map((c) => `${c.kind === "drops" ? "drop" : "timeout"}: ${c.reason}`),
  ];
  const numeric = new Set(headers.map((_, i) => i).filter((i) => i >= 2));
  const body = groups.map((g) => {
    const cells = columns.map(({ kind, reason }) => {
      let sum = 0;
      for (const r of g.runs) sum += r.metrics[kind][reason] ?? 0;
      const mean = sum / g.runs.length;
      return num(countText(mean), mean > 0 ? " nz" : "");
    });
    return `<tr>${
      [cell(g.stack), cell(pointLabel(g.params)), num(String(g.runs.length)), ...cells].join("")
    }</tr>`;
  });
  return [
    '<table class="reasons">',
    `<thead>${headerRow(headers, numeric)}</thead>`,
    `<tbody>\n${body.join("\n")}\n</tbody>`,
    "</table>",
    '<p class="note">Mean count per repetition; a reason a run does not report counts as 0.</p>',
  ].join("\n");
}

function figuresHtml(id: string, result: ResultFile, x: string): string {
  const makers: [string, string, () => VegaLiteSpec][] = [
    ["throughput", `Throughput against ${x} per stack`, () => interactiveThroughputSpec(result, x)],
    ["latency-cdf", "Latency CDF per stack and point", () => interactiveCdfSpec(result)],
    ["queues", "Per-queue counters", () => counterBarsFigure(result, "queues").spec],
    ["cores", "Per-core counters", () => counterBarsFigure(result, "cores").spec],
  ];
  const out: string[] = [];
  const skipped: string[] = [];
  for (const [name, title, make] of makers) {
    let spec: VegaLiteSpec;
    try {
      spec = make();
    } catch (err) {
      if (!(err instanceof PlotError)) throw err;
      skipped.push(`${title}: ${err.message}`);
      continue;
    }
    const target = `${id}-${name}`;
    out.push(
      `<div class="figure" id="${target}" aria-label="${escapeHtml(title)}"></div>`,
      `<script type="application/json" class="vl-spec" data-target="${target}">${
        jsonForScript(spec)
      }</script>`,
    );
  }
  if (skipped.length > 0) {
    out.push(
      `<p class="note">Not shown: ${skipped.map((s) => escapeHtml(s)).join("; ")}</p>`,
    );
  }
  if (out.length > 0) {
    out.unshift(
      '<p class="note">Click a legend entry to highlight a series (shift-click for several); ' +
        "drag and scroll on the CDF to pan and zoom; the ... menu exports SVG/PNG and shows the " +
        "vega-lite spec with its data.</p>",
    );
  }
  return out.join("\n");
}

function compareHtml(c: Comparison, baseline: string): string {
  const out: string[] = [
    `<p>Baseline <code>${escapeHtml(baseline)}</code>: ` +
    `<span class="verdict-improved">${c.counts.improved} improved</span>, ` +
    `<span class="verdict-regressed">${c.counts.regressed} regressed</span>, ` +
    `<span class="verdict-unchanged">${c.counts.unchanged} unchanged</span>; ` +
    `gating regressions: ${c.gatingRegressions}</p>`,
  ];
  const notes = [
    ...c.notes,
    ...c.onlyOld.map((p) => `Only in the baseline: ${p}`),
    ...c.onlyNew.map((p) => `Only in this result: ${p}`),
  ];
  if (notes.length > 0) {
    out.push(`<ul class="note">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`);
  }
  if (c.metrics.length === 0) {
    out.push('<p class="note">No point in common to compare.</p>');
    return out.join("\n");
  }
  const headers = ["point", "metric", "baseline", "this", "change", "verdict", "gates", "basis"];
  const body = c.metrics.map((m) =>
    `<tr class="${m.verdict}">${
      [
        cell(m.point),
        cell(m.metric),
        num(formatCompareValue(m.metric, m.old)),
        num(formatCompareValue(m.metric, m.new)),
        num(formatChange(m)),
        `<td class="verdict-${m.verdict}">${m.verdict}</td>`,
        cell(m.gating ? "yes" : "trend only"),
        cell(m.basis),
      ].join("")
    }</tr>`
  );
  out.push(
    '<table class="compare">',
    `<thead>${headerRow(headers, new Set([2, 3, 4]))}</thead>`,
    `<tbody>\n${body.join("\n")}\n</tbody>`,
    "</table>",
    '<p class="note">Simulated points with the same seeds gate (exact or within the simulated ' +
      "tolerance); wall-clock points are trended against the relative tolerance and the noise " +
      "of the repetitions.</p>",
  );
  return out.join("\n");
}

/**
 * Builds the HTML report of `sources` (deterministic: the same arguments give the same text).
 *
 * @throws {RangeError} when there is no source or a comparison knob is invalid.
 */
export function buildReport(
  sources: readonly ReportSource[],
  assets: ReportAssets,
  options: ReportOptions = {},
): string {
  if (sources.length === 0) {
    throw new RangeError("Cannot build a report from 0 result files: need at least 1");
  }
  const title = options.title ?? "dragonet-lab report";
  const x = options.x ?? "clients";
  const sections: string[] = [];
  const toc: string[] = [];
  sources.forEach((source, i) => {
    const id = `exp-${i + 1}`;
    const groups = groupRuns(source.result);
    const heading = `Experiment ${i + 1}: ${source.file}`;
    toc.push(`<li><a href="#${id}">${escapeHtml(heading)}</a></li>`);
    const parts = [
      `<section id="${id}">`,
      `<h2>${escapeHtml(heading)}</h2>`,
      contextHtml(source),
      "<h3>Summary</h3>",
      summaryHtml(source.result, groups),
      "<h3>Figures</h3>",
      figuresHtml(id, source.result, x),
      "<h3>Drops and timeouts by reason</h3>",
      reasonsHtml(groups),
    ];
    if (options.baseline !== undefined) {
      const c = compareResults(options.baseline.result, source.result, options.compare ?? {});
      parts.push("<h3>Compared with the baseline</h3>", compareHtml(c, options.baseline.file));
    }
    parts.push("</section>");
    sections.push(parts.join("\n"));
  });
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="note">${sources.length} result file${sources.length === 1 ? "" : "s"}${
      options.baseline === undefined
        ? ""
        : `, compared with the baseline <code>${escapeHtml(options.baseline.file)}</code>`
    }. Self-contained: vega, vega-lite and vega-embed are inlined; nothing is fetched.</p>`,
    `<nav><ol>${toc.join("")}</ol></nav>`,
    ...sections,
    `<script>\n${scriptForInline(assets.vega, "the vega build")}\n</script>`,
    `<script>\n${scriptForInline(assets.vegaLite, "the vega-lite build")}\n</script>`,
    `<script>\n${scriptForInline(assets.vegaEmbed, "the vega-embed build")}\n</script>`,
    `<script>\n${BOOT}\n</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Options of {@link writeReport}. */
export interface WriteReportOptions extends Omit<ReportOptions, "baseline"> {
  /** Baseline result file to compare every input with. */
  readonly baseline?: string;
  /** Where the vega builds are (default the project's `node_modules`). */
  readonly nodeModulesDir?: string;
}

/**
 * Reads and validates the result files (and the baseline), builds the report and writes it to
 * `out` atomically (its folder is created if needed).
 *
 * @throws {ResultFileError} naming the file when an input is missing, unreadable or invalid
 * @throws {Error} naming the missing build when vega, vega-lite or vega-embed is not installed
 *
 * @example
 * ```ts ignore
 * await writeReport(["results/out/run.json"], "results/out/report.html");
 * ```
 */
export async function writeReport(
  files: readonly string[],
  out: string,
  options: WriteReportOptions = {},
): Promise<void> {
  if (files.length === 0) {
    throw new RangeError("Cannot build a report from 0 result files: need at least 1");
  }
  const sources: ReportSource[] = [];
  for (const file of files) sources.push({ file, result: await readResultFile(file) });
  const { baseline, nodeModulesDir, ...rest } = options;
  const base = baseline === undefined
    ? undefined
    : { file: baseline, result: await readResultFile(baseline) };
  const assets = await loadReportAssets(nodeModulesDir);
  const html = buildReport(
    sources,
    assets,
    base === undefined ? rest : { ...rest, baseline: base },
  );
  await Deno.mkdir(dirname(out), { recursive: true });
  await writeTextAtomic(out, html);
}
