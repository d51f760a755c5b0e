/**
 * The tidy CSV rendering of a result: one row per run x metric, with fixed columns
 * (`run,stack,repetition,seed,clock`), one `param.<name>` column per sweep parameter used in the
 * file (sorted by name; empty when a run lacks it), then `metric,unit,value`. Numbers are written
 * in ECMAScript's shortest round-trip form, so reading the CSV back gives the same rows.
 *
 * Metric names: `tps`; `latency.<stat>` (count, min, mean, p50, p90, p99, p999, p9999, max);
 * `drops.<reason>`; `timeouts.<reason>`; `queue.<i>.<counter>`; `core.<i>.<counter>`;
 * `other.<name>`.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";
import {
  CLOCK_KINDS,
  type ClockKind,
  LATENCY_STATS,
  type ResultFile,
  type Unit,
  UNITS,
} from "./schema.ts";
import { looksNumeric, type Problem } from "./validate.ts";

/** One row of the tidy CSV. */
export interface TidyRow {
  /** Index of the run in the result's `runs`. */
  readonly run: number;
  /** Stack name. */
  readonly stack: string;
  /** Repetition number. */
  readonly repetition: number;
  /** The run's seed. */
  readonly seed: number;
  /** Simulated or wall-clock. */
  readonly clock: ClockKind;
  /** Sweep parameters of the run. */
  readonly params: Readonly<Record<string, number | string>>;
  /** Metric name (see the module doc). */
  readonly metric: string;
  /** Unit of `value`. */
  readonly unit: Unit;
  /** The value. */
  readonly value: number;
}

/** Columns before the parameter columns. */
export const TIDY_LEAD_COLUMNS = ["run", "stack", "repetition", "seed", "clock"] as const;
/** Columns after the parameter columns. */
export const TIDY_TAIL_COLUMNS = ["metric", "unit", "value"] as const;
/** Prefix of parameter column names. */
export const PARAM_PREFIX = "param.";

/** Thrown when a tidy CSV cannot be read; lists every problem with its line. */
export class TidyCsvError extends Error {
  /** Problems, with `line N` or `line N, column "c"` as path. */
  readonly problems: readonly Problem[];

  /** Creates the error for `file`. */
  constructor(file: string, problems: readonly Problem[]) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.path}: ${p.message}`).join("\n");
    const more = problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : "";
    super(
      problems.length === 1
        ? `Tidy CSV "${file}" is invalid: ${problems[0]?.path}: ${problems[0]?.message}`
        : `Tidy CSV "${file}" has ${problems.length} problems:\n${shown}${more}`,
    );
    this.name = "TidyCsvError";
    this.problems = problems;
  }
}

/** The tidy rows of a (valid) result, runs in order, metrics in the documented order. */
export function tidyRows(result: ResultFile): TidyRow[] {
  const rows: TidyRow[] = [];
  result.runs.forEach((run, index) => {
    const base = {
      run: index,
      stack: run.stack,
      repetition: run.repetition,
      seed: run.seed,
      clock: run.clock,
      params: run.params,
    };
    const push = (metric: string, unit: Unit, value: number) =>
      rows.push({ ...base, metric, unit, value });
    const m = run.metrics;
    push("tps", m.tps.unit, m.tps.value);
    if (m.latency !== null) {
      for (const stat of LATENCY_STATS) {
        push(`latency.${stat}`, stat === "count" ? "count" : "ns", m.latency[stat]);
      }
    }
    for (const reason of Object.keys(m.drops).sort()) {
      push(`drops.${reason}`, "count", m.drops[reason] as number);
    }
    for (const reason of Object.keys(m.timeouts).sort()) {
      push(`timeouts.${reason}`, "count", m.timeouts[reason] as number);
    }
    m.queues.forEach((set, q) => {
      for (const name of Object.keys(set).sort()) {
        const v = set[name];
        if (v !== undefined) push(`queue.${q}.${name}`, v.unit, v.value);
      }
    });
    m.cores.forEach((set, c) => {
      for (const name of Object.keys(set).sort()) {
        const v = set[name];
        if (v !== undefined) push(`core.${c}.${name}`, v.unit, v.value);
      }
    });
    for (const name of Object.keys(m.other).sort()) {
      const v = m.other[name];
      if (v !== undefined) push(`other.${name}`, v.unit, v.value);
    }
  });
  return rows;
}

function num(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

/** The parameter names used by any of `rows`, sorted. */
export function paramNames(rows: readonly Pick<TidyRow, "params">[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.params)) names.add(k);
  return [...names].sort();
}

/** Writes tidy rows as CSV text (header line first, `\n` line ends). */
export function stringifyTidyRows(rows: readonly TidyRow[]): string {
  const params = paramNames(rows);
  const header = [
    ...TIDY_LEAD_COLUMNS,
    ...params.map((p) => PARAM_PREFIX + p),
    ...TIDY_TAIL_COLUMNS,
  ];
  const records = rows.map((r) => [
    String(r.run),
    r.stack,
    String(r.repetition),
    String(r.seed),
    r.clock,
    ...params.map((p) => {
      const v = r.params[p];
      return v === undefined ? "" : typeof v === "number" ? num(v) : v;
    }),
    r.metric,
    r.unit,
    num(r.value),
  ]);
  return stringify([header, ...records], { record_delimiter: "unix" });
}

/** The tidy CSV text of a result. */
export function resultToTidyCsv(result: ResultFile): string {
  return stringifyTidyRows(tidyRows(result));
}

const INT = /^(?:0|[1-9]\d*)$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads tidy CSV text back into rows (parameter cells that read as numbers become numbers;
 * empty cells mean the run lacks the parameter).
 *
 * @throws {TidyCsvError} naming the file, line and column of every problem.
 */
export function parseTidyCsv(text: string, file: string): TidyRow[] {
  let table: string[][];
  try {
    table = parse(text, { skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new TidyCsvError(file, [{
      path: "CSV",
      message: `cannot be parsed: ${err instanceof Error ? err.message : String(err)}`,
    }]);
  }
  const header = table[0];
  if (header === undefined) {
    throw new TidyCsvError(file, [{ path: "line 1", message: "the file is empty" }]);
  }
  const problems: Problem[] = [];
  const lead = header.slice(0, TIDY_LEAD_COLUMNS.length);
  const tail = header.slice(header.length - TIDY_TAIL_COLUMNS.length);
  const params = header.slice(TIDY_LEAD_COLUMNS.length, header.length - TIDY_TAIL_COLUMNS.length);
  const want = `${TIDY_LEAD_COLUMNS.join(",")},${PARAM_PREFIX}<name>...,${
    TIDY_TAIL_COLUMNS.join(",")
  }`;
  if (
    header.length < TIDY_LEAD_COLUMNS.length + TIDY_TAIL_COLUMNS.length ||
    lead.join(",") !== TIDY_LEAD_COLUMNS.join(",") ||
    tail.join(",") !== TIDY_TAIL_COLUMNS.join(",") ||
    !params.every((p) => p.startsWith(PARAM_PREFIX) && p.length > PARAM_PREFIX.length)
  ) {
    throw new TidyCsvError(file, [{
      path: "line 1",
      message: `header is "${header.join(",")}"; expected ${want}`,
    }]);
  }
  const rows: TidyRow[] = [];
  for (let i = 1; i < table.length; i++) {
    const cells = table[i] as string[];
    const line = `line ${i + 1}`;
    if (cells.length !== header.length) {
      problems.push({
        path: line,
        message: `has ${cells.length} cells, the header has ${header.length}`,
      });
      continue;
    }
    const cell = (c: number) => cells[c] as string;
    const bad = (column: string, message: string) =>
      problems.push({ path: `${line}, column "${column}"`, message });
    const int = (c: number, column: string): number => {
      const s = cell(c);
      if (!INT.test(s) || !Number.isSafeInteger(Number(s))) {
        bad(column, `must be a non-negative integer, got "${s}"`);
      }
      return Number(s);
    };
    const run = int(0, "run");
    const stack = cell(1);
    if (stack === "") bad("stack", "is empty");
    const repetition = int(2, "repetition");
    const seed = int(3, "seed");
    const clock = cell(4);
    if (!(CLOCK_KINDS as readonly string[]).includes(clock)) {
      bad("clock", `must be one of ${CLOCK_KINDS.join(", ")}, got "${clock}"`);
    }
    const rowParams: Record<string, number | string> = {};
    params.forEach((column, j) => {
      const s = cell(TIDY_LEAD_COLUMNS.length + j);
      if (s === "") return;
      const name = column.slice(PARAM_PREFIX.length);
      rowParams[name] = NUMBER.test(s) ? Number(s) : looksNumeric(s) ? Number(s) : s;
    });
    const t = TIDY_LEAD_COLUMNS.length + params.length;
    const metric = cell(t);
    if (metric === "") bad("metric", "is empty");
    const unit = cell(t + 1);
    if (!(UNITS as readonly string[]).includes(unit)) {
      bad("unit", `must be one of ${UNITS.join(", ")}, got "${unit}"`);
    }
    const valueText = cell(t + 2);
    const value = Number(valueText);
    if (!NUMBER.test(valueText) || !Number.isFinite(value)) {
      bad("value", `must be a finite number, got "${valueText}"`);
    }
    rows.push({
      run,
      stack,
      repetition,
      seed,
      clock: clock as ClockKind,
      params: rowParams,
      metric,
      unit: unit as Unit,
      value,
    });
  }
  if (problems.length > 0) throw new TidyCsvError(file, problems);
  return rows;
}
