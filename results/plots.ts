/**
 * Figures of a result: throughput versus a sweep parameter (clients by default) per stack, and
 * the latency CDF per stack and point. Each figure is a vega-lite spec stored as JSON beside the
 * CSV it reads (`data.url`), so a reader can tweak and re-render it; it is also rendered here to
 * SVG with vega (`renderer: "none"`) and to PNG with resvg (byte-deterministic for the same
 * SVG and fonts).
 *
 * @module
 */
import { parse as parseVega, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { stringify } from "csv-stringify/sync";
import { join } from "node:path";
import { canonicalJson } from "./canonical_json.ts";
import { mergedCdf } from "./histogram.ts";
import { groupRuns, type PointGroup } from "./group.ts";
import type { JsonValue, ResultFile, RunParams } from "./schema.ts";

/**
 * A vega-lite top-level spec as JSON data (built and type-checked here as vega-lite's
 * `TopLevelSpec`; kept opaque in the public surface).
 */
export type VegaLiteSpec = { readonly [key: string]: JsonValue };

/** One row of the throughput figure's CSV. */
export interface ThroughputRow {
  /** Series label: the stack, plus any other parameter that varies in the result. */
  readonly series: string;
  /** Stack name. */
  readonly stack: string;
  /** Value of the x parameter. */
  readonly x: number;
  /** Mean TPS over the repetitions. */
  readonly tps_mean: number;
  /** Smallest TPS of a repetition. */
  readonly tps_min: number;
  /** Largest TPS of a repetition. */
  readonly tps_max: number;
  /** Repetitions. */
  readonly reps: number;
}

/** One row of the latency CDF figure's CSV. */
export interface CdfRow {
  /** Series label: stack and sweep point. */
  readonly series: string;
  /** Stack name. */
  readonly stack: string;
  /** Latency in microseconds. */
  readonly latency_us: number;
  /** Fraction of requests at or below it. */
  readonly fraction: number;
}

/** A figure: the vega-lite spec (reading `csvFile`), its data and file stem. */
export interface Figure<Row> {
  /** File stem: `<name>.vl.json`, `<name>.csv`, `<name>.svg`, `<name>.png`. */
  readonly name: string;
  /** The vega-lite spec, with `data.url` naming the CSV beside it. */
  readonly spec: VegaLiteSpec;
  /** The rows of the CSV. */
  readonly rows: readonly Row[];
  /** Column order of the CSV. */
  readonly columns: readonly (keyof Row & string)[];
}

/** Thrown when a figure cannot be made from a result (e.g. the x parameter is absent). */
export class PlotError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PlotError";
  }
}

const WIDTH = 480;
const HEIGHT = 300;
const FONT = "DejaVu Sans";

/** Parameter names that take more than one value in `groups`, sorted. */
function varyingParams(groups: readonly PointGroup[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const g of groups) {
    for (const [k, v] of Object.entries(g.params)) {
      const set = values.get(k) ?? new Set<string>();
      set.add(String(v));
      values.set(k, set);
    }
  }
  for (const g of groups) {
    for (const k of values.keys()) if (!(k in g.params)) values.get(k)?.add("(none)");
  }
  return [...values].filter(([, s]) => s.size > 1).map(([k]) => k).sort();
}

function label(stack: string, params: RunParams, names: readonly string[]): string {
  const parts = names.filter((n) => n in params).map((n) => `${n}=${params[n]}`);
  return parts.length === 0 ? stack : `${stack} ${parts.join(" ")}`;
}

/** Parameters the throughput figure can use as its x axis: numeric in every run that has them. */
export function numericParams(result: ResultFile): string[] {
  const ok = new Map<string, boolean>();
  for (const r of result.runs) {
    for (const [k, v] of Object.entries(r.params)) {
      ok.set(k, (ok.get(k) ?? true) && typeof v === "number");
    }
  }
  return [...ok].filter(([, numeric]) => numeric).map(([k]) => k).sort();
}

/**
 * The throughput figure: mean TPS (with the min-max range of the repetitions) against the
 * numeric parameter `x`, one line per stack (and per value of any other varying parameter).
 *
 * @throws {PlotError} when no run has a numeric parameter `x`.
 */
export function throughputFigure(result: ResultFile, x = "clients"): Figure<ThroughputRow> {
  const candidates = numericParams(result);
  if (!candidates.includes(x)) {
    throw new PlotError(
      `Cannot plot throughput against "${x}": no run has it as a numeric parameter; allowed: ${
        candidates.length === 0 ? "(none in this result)" : candidates.join(", ")
      }`,
    );
  }
  const groups = groupRuns(result).filter((g) => typeof g.params[x] === "number");
  const others = varyingParams(groups).filter((n) => n !== x);
  const rows: ThroughputRow[] = groups.map((g) => ({
    series: label(g.stack, g.params, others),
    stack: g.stack,
    x: g.params[x] as number,
    tps_mean: g.tps.mean,
    tps_min: g.tps.min,
    tps_max: g.tps.max,
    reps: g.tps.n,
  }));
  const seriesOrder = [...new Set(rows.map((r) => r.series))];
  const name = "throughput";
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Throughput against ${x}, one line per stack; band = min..max of repetitions`,
    title: `Throughput vs ${x}`,
    width: WIDTH,
    height: HEIGHT,
    data: {
      url: `${name}.csv`,
      format: {
        type: "csv",
        parse: {
          x: "number",
          tps_mean: "number",
          tps_min: "number",
          tps_max: "number",
          reps: "number",
        },
      },
    },
    encoding: {
      x: { field: "x", type: "quantitative", title: x },
    },
    layer: [
      {
        mark: { type: "errorband", opacity: 0.2 },
        encoding: {
          y: { field: "tps_min", type: "quantitative", title: "transactions per second" },
          y2: { field: "tps_max" },
          color: { field: "series", type: "nominal", scale: { domain: seriesOrder }, legend: null },
        },
      },
      {
        mark: { type: "line", point: true },
        encoding: {
          y: { field: "tps_mean", type: "quantitative", title: "transactions per second" },
          color: {
            field: "series",
            type: "nominal",
            title: "stack",
            scale: { domain: seriesOrder },
          },
          tooltip: [
            { field: "series" },
            { field: "x", title: x },
            { field: "tps_mean", format: ",.0f" },
            { field: "reps" },
          ],
        },
      },
    ],
    resolve: { legend: { color: "independent" } },
    config: { font: FONT },
  };
  return {
    name,
    spec: spec as unknown as VegaLiteSpec,
    rows,
    columns: ["series", "stack", "x", "tps_mean", "tps_min", "tps_max", "reps"],
  };
}

/**
 * The latency CDF figure: for each stack and sweep point (optionally only the points matching
 * `where`), the CDF of the histogram merged over its repetitions.
 *
 * @throws {PlotError} when no point matches `where` or no point has latency samples.
 */
export function latencyCdfFigure(result: ResultFile, where: RunParams = {}): Figure<CdfRow> {
  const all = groupRuns(result);
  const groups = all.filter((g) => Object.entries(where).every(([k, v]) => g.params[k] === v));
  if (groups.length === 0) {
    throw new PlotError(
      `Cannot plot latency CDF: no point matches ${
        Object.entries(where).map(([k, v]) => `${k}=${v}`).join(" ")
      }; points: ${all.map((g) => g.key).join("; ")}`,
    );
  }
  const names = varyingParams(groups);
  const rows: CdfRow[] = [];
  for (const g of groups) {
    const encoded = g.runs.flatMap((r) =>
      r.metrics.latency === null ? [] : [r.metrics.latency.histogram]
    );
    if (encoded.length === 0) continue;
    const series = label(g.stack, g.params, names);
    for (const p of mergedCdf(encoded)) {
      rows.push({ series, stack: g.stack, latency_us: p.latencyNs / 1000, fraction: p.fraction });
    }
  }
  if (rows.length === 0) {
    throw new PlotError("Cannot plot latency CDF: no selected run has latency samples");
  }
  const name = "latency_cdf";
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "Latency CDF per stack and point (histograms merged over repetitions)",
    title: "Latency CDF",
    width: WIDTH,
    height: HEIGHT,
    data: {
      url: `${name}.csv`,
      format: { type: "csv", parse: { latency_us: "number", fraction: "number" } },
    },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: {
        field: "latency_us",
        type: "quantitative",
        title: "latency (µs, log scale)",
        scale: { type: "log" },
      },
      y: {
        field: "fraction",
        type: "quantitative",
        title: "fraction of requests ≤ latency",
        scale: { domain: [0, 1] },
      },
      color: {
        field: "series",
        type: "nominal",
        title: "stack, point",
        scale: { domain: [...new Set(rows.map((r) => r.series))] },
      },
    },
    config: { font: FONT },
  };
  return {
    name,
    spec: spec as unknown as VegaLiteSpec,
    rows,
    columns: ["series", "stack", "latency_us", "fraction"],
  };
}

/** The CSV text of a figure's rows (header first, shortest round-trip numbers). */
export function figureCsv<Row>(figure: Figure<Row>): string {
  const header = [...figure.columns];
  const records = figure.rows.map((r) =>
    header.map((c) => {
      const v = r[c as keyof Row];
      return typeof v === "number" ? (Object.is(v, -0) ? "0" : String(v)) : String(v);
    })
  );
  return stringify([header, ...records], { record_delimiter: "unix" });
}

/** The figure's spec with its rows inlined instead of `data.url` (what is rendered). */
export function inlineSpec<Row>(figure: Figure<Row>): VegaLiteSpec {
  return {
    ...figure.spec,
    data: { values: figure.rows as unknown as JsonValue[] },
  };
}

/**
 * Renders a vega-lite spec (with inline data) to SVG text with vega's headless renderer.
 *
 * @throws {Error} from vega-lite when the spec is not a valid vega-lite spec.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vega = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parseVega(vega), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Why PNG rendering is unavailable in this process, or null when it is available: resvg is a
 * native module, so it needs the `--allow-ffi` permission.
 */
export async function pngUnavailableReason(): Promise<string | null> {
  const status = await Deno.permissions.query({ name: "ffi" });
  return status.state === "granted"
    ? null
    : "PNG rendering needs --allow-ffi (resvg is a native module); rerun with " +
      "`deno run -A harness/cli.ts ...` to get PNGs, the SVG and spec are written anyway";
}

/**
 * Renders SVG text to PNG bytes with resvg at `scale` (fonts: system, DejaVu Sans default).
 * Loads resvg on first use; needs `--allow-ffi` (see {@link pngUnavailableReason}).
 */
export async function renderPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
  });
  return resvg.render().asPng();
}

/** Options of {@link writePlots}. */
export interface PlotOptions {
  /** Numeric parameter on the throughput figure's x axis (default "clients"). */
  readonly x?: string;
  /** Only these points on the latency CDF (default all). */
  readonly where?: RunParams;
  /** PNG zoom factor (default 2). */
  readonly scale?: number;
  /** Whether to render PNGs (default true; skipped with a reason without `--allow-ffi`). */
  readonly png?: boolean;
}

/**
 * Writes every figure of a result into `outDir` (created if needed): `<name>.vl.json`,
 * `<name>.csv`, `<name>.svg`, `<name>.png`; returns the paths written. A figure that cannot be
 * made (e.g. no "clients" parameter) is skipped and its reason returned in `skipped`, as are
 * PNGs when resvg cannot load.
 */
export async function writePlots(
  result: ResultFile,
  outDir: string,
  options: PlotOptions = {},
): Promise<{ written: string[]; skipped: string[] }> {
  await Deno.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const skipped: string[] = [];
  const noPng = options.png === false ? "PNG not requested" : await pngUnavailableReason();
  if (noPng !== null && options.png !== false) skipped.push(noPng);
  const makers: (() => Figure<unknown>)[] = [
    () => throughputFigure(result, options.x) as Figure<unknown>,
    () => latencyCdfFigure(result, options.where) as Figure<unknown>,
  ];
  for (const make of makers) {
    let figure: Figure<unknown>;
    try {
      figure = make();
    } catch (err) {
      if (!(err instanceof PlotError)) throw err;
      skipped.push(err.message);
      continue;
    }
    const svg = await renderSvg(inlineSpec(figure));
    const files: [string, string | Uint8Array][] = [
      [`${figure.name}.vl.json`, canonicalJson(figure.spec) + "\n"],
      [`${figure.name}.csv`, figureCsv(figure)],
      [`${figure.name}.svg`, svg],
    ];
    if (noPng === null) files.push([`${figure.name}.png`, await renderPng(svg, options.scale)]);
    for (const [file, data] of files) {
      const path = join(outDir, file);
      if (typeof data === "string") await Deno.writeTextFile(path, data);
      else await Deno.writeFile(path, data);
      written.push(path);
    }
  }
  return { written, skipped };
}
