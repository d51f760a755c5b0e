/**
 * The report's interactive figures: the throughput and latency CDF figures of `plots.ts` with a
 * legend that highlights a series (and zoom on the CDF), and per-queue and per-core counter bars
 * with a menu choosing the sweep point. Every spec carries its data inline (`data.values`).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { groupRuns } from "./group.ts";
import {
  type Figure,
  inlineSpec,
  latencyCdfFigure,
  PlotError,
  throughputFigure,
  type VegaLiteSpec,
} from "./plots.ts";
import type { JsonValue, ResultFile, RunParams } from "./schema.ts";

/** Which per-unit counters a bar figure shows. */
export type CounterKind = "queues" | "cores";

/** One bar of a counter figure: a counter of one queue or core at one point, mean over reps. */
export interface CounterRow {
  /** The sweep point without the stack (`clients=8 payload=64`, or `(no parameters)`). */
  readonly point: string;
  /** Stack name. */
  readonly stack: string;
  /** Queue or core number. */
  readonly index: number;
  /** Counter name and unit (`rx_packets (count)`). */
  readonly counter: string;
  /** Mean of the counter over the repetitions that report it. */
  readonly value: number;
  /** How many repetitions report it. */
  readonly reps: number;
}

const FONT = "DejaVu Sans";
const ALL_POINTS = "(all points)";
const HIGHLIGHT = "pick";

/** The sweep point's label without the stack, parameters in name order. */
export function pointLabel(params: RunParams): string {
  const names = Object.keys(params).sort();
  return names.length === 0 ? "(no parameters)" : names.map((n) => `${n}=${params[n]}`).join(" ");
}

/** Opacity that keeps the legend-picked series bright and dims the others. */
const PICKED_OPACITY: JsonValue = { condition: { param: HIGHLIGHT, value: 1 }, value: 0.15 };
const PICK_PARAM: JsonValue = {
  name: HIGHLIGHT,
  select: { type: "point", fields: ["series"] },
  bind: "legend",
};

function asObject(v: JsonValue | undefined): { readonly [key: string]: JsonValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? v as { readonly [key: string]: JsonValue }
    : {};
}

/**
 * The throughput figure of {@link throughputFigure} with its data inline and a legend that
 * highlights the clicked series (shift-click for several).
 *
 * @throws {PlotError} when no run has the numeric parameter `x`.
 */
export function interactiveThroughputSpec(result: ResultFile, x = "clients"): VegaLiteSpec {
  const spec = inlineSpec(throughputFigure(result, x));
  const layers = Array.isArray(spec.layer) ? spec.layer as readonly JsonValue[] : [];
  const layer = layers.map((l, i) => {
    const o = asObject(l);
    if (i !== layers.length - 1) return o;
    return {
      ...o,
      params: [PICK_PARAM],
      encoding: { ...asObject(o.encoding), opacity: PICKED_OPACITY },
    };
  });
  return { ...spec, layer };
}

/** Series beyond which the CDF starts on one sweep point instead of all of them. */
export const CDF_ALL_POINTS_MAX_SERIES = 10;

/**
 * The latency CDF of {@link latencyCdfFigure} with its data inline (each row also names its
 * sweep point without the stack), a menu choosing one sweep point or all (all by default up to
 * {@link CDF_ALL_POINTS_MAX_SERIES} series, else the first point), a legend that highlights the
 * clicked series, drag-to-pan and wheel-to-zoom, and a tooltip.
 *
 * @throws {PlotError} when no run has latency samples.
 */
export function interactiveCdfSpec(result: ResultFile): VegaLiteSpec {
  const figure = latencyCdfFigure(result);
  const rows = figure.rows.map((r) => ({
    ...r,
    point: r.series === r.stack ? ALL_POINTS : r.series.slice(r.stack.length + 1),
  }));
  const points = [...new Set(rows.map((r) => r.point))];
  const series = new Set(rows.map((r) => r.series)).size;
  const choices = points.length > 1 ? [ALL_POINTS, ...points] : points;
  const first = series <= CDF_ALL_POINTS_MAX_SERIES ? ALL_POINTS : points[0] ?? ALL_POINTS;
  const spec = inlineSpec({ ...figure, rows });
  const encoding = asObject(spec.encoding);
  const color = asObject(encoding.color);
  return {
    ...spec,
    params: [
      PICK_PARAM,
      { name: "zoom", select: "interval", bind: "scales" },
      {
        name: "cdf_point",
        value: first,
        bind: { input: "select", options: choices, name: "sweep point " },
      },
    ],
    transform: [{
      filter: `cdf_point === ${JSON.stringify(ALL_POINTS)} || datum.point === cdf_point`,
    }],
    encoding: {
      ...encoding,
      color: series > 10
        ? { ...color, scale: { ...asObject(color.scale), scheme: "tableau20" } }
        : color,
      opacity: PICKED_OPACITY,
      tooltip: [
        { field: "series" },
        { field: "latency_us", title: "latency (µs)", format: ",.2f" },
        { field: "fraction", format: ".4f" },
      ],
    },
  };
}

/**
 * Per-queue or per-core counters as bars: one row of bars per counter, queue (or core) number
 * on x, one bar per stack, for the sweep point chosen in a menu (the first by default).
 *
 * @throws {PlotError} when no run reports counters of that kind.
 */
export function counterBarsFigure(result: ResultFile, kind: CounterKind): Figure<CounterRow> {
  const rows: CounterRow[] = [];
  for (const g of groupRuns(result)) {
    const sums = new Map<string, { index: number; counter: string; sum: number; n: number }>();
    for (const run of g.runs) {
      run.metrics[kind].forEach((set, index) => {
        for (const name of Object.keys(set).sort()) {
          const m = set[name];
          if (m === undefined) continue;
          const counter = `${name} (${m.unit})`;
          const key = `${index} ${counter}`;
          const s = sums.get(key) ?? { index, counter, sum: 0, n: 0 };
          s.sum += m.value;
          s.n += 1;
          sums.set(key, s);
        }
      });
    }
    const point = pointLabel(g.params);
    const sorted = [...sums.values()].sort((a, b) =>
      a.counter !== b.counter ? (a.counter < b.counter ? -1 : 1) : a.index - b.index
    );
    for (const s of sorted) {
      rows.push({
        point,
        stack: g.stack,
        index: s.index,
        counter: s.counter,
        value: s.sum / s.n,
        reps: s.n,
      });
    }
  }
  const unit = kind === "queues" ? "queue" : "core";
  if (rows.length === 0) {
    throw new PlotError(`Cannot plot per-${unit} counters: no run reports ${kind} counters`);
  }
  const points = [...new Set(rows.map((r) => r.point))];
  const stacks = [...new Set(rows.map((r) => r.stack))].sort();
  const name = `${unit}_counters`;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Per-${unit} counters (mean over repetitions) at the chosen sweep point`,
    title: `Per-${unit} counters`,
    data: { values: rows as unknown as Record<string, unknown>[] },
    params: [{
      name: "point",
      value: points[0] as string,
      bind: { input: "select", options: points, name: "sweep point " },
    }],
    transform: [{ filter: "datum.point === point" }],
    facet: { row: { field: "counter", type: "nominal", title: null, sort: null } },
    spec: {
      width: { step: 14 },
      height: 110,
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { field: "index", type: "ordinal", title: unit },
        xOffset: { field: "stack", type: "nominal", scale: { domain: stacks } },
        y: { field: "value", type: "quantitative", title: "mean per repetition" },
        color: { field: "stack", type: "nominal", title: "stack", scale: { domain: stacks } },
      },
    },
    resolve: { scale: { y: "independent" } },
    config: { font: FONT },
  };
  return {
    name,
    spec: spec as unknown as VegaLiteSpec,
    rows,
    columns: ["point", "stack", "index", "counter", "value", "reps"],
  };
}
