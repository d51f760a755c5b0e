/**
 * Validates unknown JSON against the result schema (`schema.ts`), reporting every problem with
 * its path at once, and reads result files with errors that name the file and the problem
 * (empty, truncated, not JSON, not UTF-8, wrong version) instead of crashing.
 *
 * @module
 */
import { jsonPathKey } from "./canonical_json.ts";
import { HistogramDecodeError, latencyMetricsFromEncoded } from "./histogram.ts";
import {
  CLOCK_KINDS,
  LATENCY_STATS,
  type ResultFile,
  type RunResult,
  SCHEMA_VERSION,
  UNITS,
} from "./schema.ts";

/** One thing wrong with a document: where (`$.runs[2].seed`) and what. */
export interface Problem {
  /** JSON path of the offending value. */
  readonly path: string;
  /** What is wrong and what is allowed, sentence case. */
  readonly message: string;
}

/** Thrown when a result file cannot be read or is not a valid result; lists every problem. */
export class ResultFileError extends Error {
  /** The file (or source name) concerned. */
  readonly file: string;
  /** The problems found (one for unreadable files). */
  readonly problems: readonly Problem[];

  /** Creates the error; the message names the file and lists the problems. */
  constructor(file: string, problems: readonly Problem[]) {
    const head = problems.length === 1
      ? `Result file "${file}" is invalid: ${formatProblem(problems[0] as Problem)}`
      : `Result file "${file}" has ${problems.length} problems:\n${formatProblems(problems)}`;
    super(head);
    this.name = "ResultFileError";
    this.file = file;
    this.problems = problems;
  }
}

/** Renders one problem as `path: message` (just the message for the whole document). */
export function formatProblem(p: Problem): string {
  return p.path === "$" ? p.message : `${p.path}: ${p.message}`;
}

/** Renders problems one per line, indented by two spaces. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${formatProblem(p)}`).join("\n");
}

/** Whether a parameter string would read back from CSV as a number (so it is not allowed). */
export function looksNumeric(s: string): boolean {
  return /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(s);
}

const GIT_SHA = /^(?:[0-9a-f]{7,64}(?:-dirty)?|unknown)$/;
const DENO_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const HASH = /^(?:[0-9a-f]{8,128}|none)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[^\s,"](?:[^,"\n\r]*[^\s,"])?$/;

type Obj = Record<string, unknown>;

class Checker {
  readonly problems: Problem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  kind(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    if (typeof v === "object") return "an object";
    if (typeof v === "string") return `the string ${JSON.stringify(truncate(v))}`;
    if (typeof v === "number") return `the number ${v}`;
    return `${typeof v} ${String(v)}`;
  }

  object(v: unknown, path: string): Obj | null {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      this.add(path, `must be an object, got ${this.kind(v)}`);
      return null;
    }
    return v as Obj;
  }

  array(v: unknown, path: string): unknown[] | null {
    if (!Array.isArray(v)) {
      this.add(path, `must be an array, got ${this.kind(v)}`);
      return null;
    }
    return v;
  }

  /** Reports missing required keys and unknown keys of `o`. */
  fields(o: Obj, path: string, required: readonly string[], optional: readonly string[] = []) {
    for (const key of required) {
      if (!(key in o)) this.add(jsonPathKey(path, key), "is missing");
    }
    const allowed = [...required, ...optional];
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) {
        this.add(jsonPathKey(path, key), `is not a known field; allowed: ${allowed.join(", ")}`);
      }
    }
  }

  string(v: unknown, path: string, pattern: RegExp, what: string): v is string {
    if (typeof v !== "string") {
      if (v !== undefined) this.add(path, `must be a string (${what}), got ${this.kind(v)}`);
      return false;
    }
    if (!pattern.test(v)) {
      this.add(path, `must be ${what}, got ${JSON.stringify(truncate(v))}`);
      return false;
    }
    return true;
  }

  number(v: unknown, path: string, min = 0): v is number {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      if (v !== undefined) this.add(path, `must be a finite number, got ${this.kind(v)}`);
      return false;
    }
    if (v < min) {
      this.add(path, `must be >= ${min}, got ${v}`);
      return false;
    }
    return true;
  }

  integer(v: unknown, path: string): v is number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      if (v !== undefined) {
        this.add(path, `must be an integer in 0..${Number.MAX_SAFE_INTEGER}, got ${this.kind(v)}`);
      }
      return false;
    }
    return true;
  }

  measure(v: unknown, path: string, unit?: string): void {
    const o = this.object(v, path);
    if (o === null) return;
    this.fields(o, path, ["value", "unit"]);
    this.number(o.value, `${path}.value`, -Number.MAX_VALUE);
    if (unit !== undefined) {
      if (o.unit !== undefined && o.unit !== unit) {
        this.add(`${path}.unit`, `must be "${unit}", got ${this.kind(o.unit)}`);
      }
    } else if (o.unit !== undefined && !(UNITS as readonly unknown[]).includes(o.unit)) {
      this.add(`${path}.unit`, `must be one of ${UNITS.join(", ")}; got ${this.kind(o.unit)}`);
    }
  }

  measures(v: unknown, path: string): void {
    const o = this.object(v, path);
    if (o === null) return;
    for (const [key, m] of Object.entries(o)) {
      if (!NAME.test(key)) this.add(jsonPathKey(path, key), nameMessage("metric name", key));
      this.measure(m, jsonPathKey(path, key));
    }
  }

  counts(v: unknown, path: string): void {
    const o = this.object(v, path);
    if (o === null) return;
    for (const [key, n] of Object.entries(o)) {
      if (!NAME.test(key)) this.add(jsonPathKey(path, key), nameMessage("reason", key));
      this.integer(n, jsonPathKey(path, key));
    }
  }

  json(v: unknown, path: string, depth: number): void {
    if (depth > 64) {
      this.add(path, "is nested more than 64 levels deep");
      return;
    }
    if (v === null || typeof v === "boolean" || typeof v === "string") return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) this.add(path, `must be a finite number, got ${v}`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => this.json(x, `${path}[${i}]`, depth + 1));
      return;
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) this.json(x, jsonPathKey(path, k), depth + 1);
      return;
    }
    this.add(path, `must be JSON data, got ${this.kind(v)}`);
  }
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function nameMessage(what: string, key: string): string {
  return `${what} ${
    JSON.stringify(truncate(key))
  } is not allowed; use a letter or "_" then letters, digits or "_"`;
}

function checkContext(c: Checker, v: unknown, path: string): Set<number> {
  const seeds = new Set<number>();
  const o = c.object(v, path);
  if (o === null) return seeds;
  c.fields(o, path, [
    "gitSha",
    "denoVersion",
    "startedAt",
    "seeds",
    "nicCapabilityHash",
    "experiment",
  ]);
  c.string(
    o.gitSha,
    `${path}.gitSha`,
    GIT_SHA,
    'a lower-case hex commit id (7..64 digits, optional "-dirty") or "unknown"',
  );
  c.string(o.denoVersion, `${path}.denoVersion`, DENO_VERSION, 'a version like "2.9.6"');
  if (
    c.string(
      o.startedAt,
      `${path}.startedAt`,
      ISO_UTC,
      'an ISO 8601 UTC time like "2026-11-22T02:40:00.000Z"',
    )
  ) {
    if (Number.isNaN(Date.parse(o.startedAt))) {
      c.add(`${path}.startedAt`, `is not a real date, got ${JSON.stringify(o.startedAt)}`);
    }
  }
  if (o.seeds !== undefined) {
    const arr = c.array(o.seeds, `${path}.seeds`);
    if (arr !== null) {
      if (arr.length === 0) c.add(`${path}.seeds`, "must list at least one seed");
      arr.forEach((s, i) => {
        if (c.integer(s, `${path}.seeds[${i}]`)) seeds.add(s);
      });
    }
  }
  c.string(
    o.nicCapabilityHash,
    `${path}.nicCapabilityHash`,
    HASH,
    'lower-case hex (8..128 digits) or "none"',
  );
  if ("experiment" in o) c.json(o.experiment, `${path}.experiment`, 0);
  return seeds;
}

const LATENCY_FIELDS = ["unit", "histogram", ...LATENCY_STATS] as const;

function checkLatency(c: Checker, v: unknown, path: string): void {
  if (v === null) return;
  const o = c.object(v, path);
  if (o === null) return;
  c.fields(o, path, LATENCY_FIELDS);
  if (o.unit !== undefined && o.unit !== "ns") {
    c.add(`${path}.unit`, `must be "ns", got ${c.kind(o.unit)}`);
  }
  c.integer(o.count, `${path}.count`);
  let numbersOk = true;
  for (const key of ["min", "mean", "p50", "p90", "p99", "p999", "p9999", "max"] as const) {
    if (!c.number(o[key], `${path}.${key}`)) numbersOk = false;
  }
  if (numbersOk) {
    const order = ["min", "p50", "p90", "p99", "p999", "p9999", "max"] as const;
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1] as typeof order[number];
      const b = order[i] as typeof order[number];
      if ((o[a] as number) > (o[b] as number)) {
        c.add(`${path}.${b}`, `must be >= ${a} (${o[a]}), got ${o[b]}`);
      }
    }
    if ((o.mean as number) < (o.min as number) || (o.mean as number) > (o.max as number)) {
      c.add(`${path}.mean`, `must lie between min (${o.min}) and max (${o.max}), got ${o.mean}`);
    }
  }
  if (typeof o.histogram !== "string") {
    if (o.histogram !== undefined) {
      c.add(
        `${path}.histogram`,
        `must be a string (compressed base64), got ${c.kind(o.histogram)}`,
      );
    }
    return;
  }
  let derived;
  try {
    derived = latencyMetricsFromEncoded(o.histogram);
  } catch (err) {
    if (!(err instanceof HistogramDecodeError)) throw err;
    c.add(`${path}.histogram`, err.message);
    return;
  }
  if (derived === null) {
    c.add(`${path}.histogram`, "holds no samples; a run without samples has latency null");
    return;
  }
  if (typeof o.count === "number" && o.count !== derived.count) {
    c.add(`${path}.count`, `is ${o.count} but the histogram holds ${derived.count} samples`);
  }
  for (const key of ["min", "mean", "p50", "p90", "p99", "p999", "p9999", "max"] as const) {
    const got = o[key];
    const want = derived[key];
    if (typeof got === "number" && Number.isFinite(got) && !sameStat(got, want)) {
      c.add(`${path}.${key}`, `is ${got} but the histogram gives ${want}`);
    }
  }
}

function sameStat(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

function checkCounterSets(c: Checker, v: unknown, path: string): void {
  const arr = c.array(v, path);
  if (arr === null) return;
  arr.forEach((set, i) => c.measures(set, `${path}[${i}]`));
}

function checkMetrics(c: Checker, v: unknown, path: string): void {
  const o = c.object(v, path);
  if (o === null) return;
  c.fields(o, path, ["tps", "latency", "drops", "timeouts", "queues", "cores", "other"]);
  if (o.tps !== undefined) {
    c.measure(o.tps, `${path}.tps`, "1/s");
    const tps = (o.tps as { value?: unknown } | null)?.value;
    if (typeof tps === "number" && tps < 0) c.add(`${path}.tps.value`, `must be >= 0, got ${tps}`);
  }
  if (o.latency !== undefined) checkLatency(c, o.latency, `${path}.latency`);
  if (o.drops !== undefined) c.counts(o.drops, `${path}.drops`);
  if (o.timeouts !== undefined) c.counts(o.timeouts, `${path}.timeouts`);
  if (o.queues !== undefined) checkCounterSets(c, o.queues, `${path}.queues`);
  if (o.cores !== undefined) checkCounterSets(c, o.cores, `${path}.cores`);
  if (o.other !== undefined) c.measures(o.other, `${path}.other`);
}

function checkParams(
  c: Checker,
  v: unknown,
  path: string,
  kinds: Map<string, { kind: string; path: string }>,
): void {
  const o = c.object(v, path);
  if (o === null) return;
  for (const [key, value] of Object.entries(o)) {
    const p = jsonPathKey(path, key);
    if (!NAME.test(key)) c.add(p, nameMessage("parameter name", key));
    let kind: string;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        c.add(p, `must be a finite number or a string, got ${value}`);
        continue;
      }
      kind = "number";
    } else if (typeof value === "string") {
      if (value === "" || looksNumeric(value) || !LABEL.test(value)) {
        c.add(
          p,
          `string ${
            JSON.stringify(truncate(value))
          } is not allowed; write numbers as numbers, and strings non-empty without commas, quotes, line breaks or edge spaces`,
        );
        continue;
      }
      kind = "string";
    } else {
      c.add(p, `must be a finite number or a string, got ${c.kind(value)}`);
      continue;
    }
    const first = kinds.get(key);
    if (first === undefined) kinds.set(key, { kind, path: p });
    else if (first.kind !== kind) {
      c.add(p, `is a ${kind} but ${first.path} is a ${first.kind}; a parameter keeps one type`);
    }
  }
}

/** Stable identity of a run within a result: stack, sweep point and repetition. */
export function runKey(run: Pick<RunResult, "stack" | "params" | "repetition">): string {
  return `${pointKey(run)} #${run.repetition}`;
}

/** Stable identity of a sweep point of a stack (parameters in name order). */
export function pointKey(run: Pick<RunResult, "stack" | "params">): string {
  const names = Object.keys(run.params).sort();
  return `${run.stack} ${names.map((n) => `${n}=${run.params[n]}`).join(" ")}`.trim();
}

function checkRun(
  c: Checker,
  v: unknown,
  path: string,
  seeds: Set<number> | null,
  kinds: Map<string, { kind: string; path: string }>,
): void {
  const o = c.object(v, path);
  if (o === null) return;
  c.fields(o, path, ["stack", "params", "repetition", "seed", "clock", "metrics"]);
  c.string(
    o.stack,
    `${path}.stack`,
    LABEL,
    "a non-empty name without commas, quotes or line breaks",
  );
  if (o.params !== undefined) checkParams(c, o.params, `${path}.params`, kinds);
  c.integer(o.repetition, `${path}.repetition`);
  if (c.integer(o.seed, `${path}.seed`) && seeds !== null && !seeds.has(o.seed)) {
    c.add(`${path}.seed`, `${o.seed} is not listed in $.context.seeds`);
  }
  if (o.clock !== undefined && !(CLOCK_KINDS as readonly unknown[]).includes(o.clock)) {
    c.add(`${path}.clock`, `must be one of ${CLOCK_KINDS.join(", ")}; got ${c.kind(o.clock)}`);
  }
  if (o.metrics !== undefined) checkMetrics(c, o.metrics, `${path}.metrics`);
}

/**
 * Checks an unknown value (parsed JSON) against the result schema and returns every problem
 * found, each with its path; an empty list means the value is a valid {@link ResultFile}.
 *
 * @example
 * ```ts
 * import { validateResult } from "./validate.ts";
 * const problems = validateResult({ schemaVersion: 1, complete: "yes" });
 * if (!problems.some((p) => p.path === "$.complete")) throw new Error("missed");
 * ```
 */
export function validateResult(value: unknown): Problem[] {
  const c = new Checker();
  const o = c.object(value, "$");
  if (o === null) return c.problems;
  if (!("schemaVersion" in o)) {
    c.add("$.schemaVersion", `is missing; this does not look like a dragonet-lab result`);
    return c.problems;
  }
  if (o.schemaVersion !== SCHEMA_VERSION) {
    const v = o.schemaVersion;
    c.add(
      "$.schemaVersion",
      typeof v === "number" && Number.isInteger(v) && v > SCHEMA_VERSION
        ? `is ${v}, newer than this lab reads (${SCHEMA_VERSION}); update the lab`
        : `must be ${SCHEMA_VERSION}, got ${c.kind(v)}`,
    );
    return c.problems;
  }
  c.fields(o, "$", ["schemaVersion", "context", "complete", "runs"]);
  const seeds = "context" in o ? checkContext(c, o.context, "$.context") : null;
  if ("complete" in o && typeof o.complete !== "boolean") {
    c.add("$.complete", `must be true or false, got ${c.kind(o.complete)}`);
  }
  if ("runs" in o) {
    const runs = c.array(o.runs, "$.runs");
    if (runs !== null) {
      const kinds = new Map<string, { kind: string; path: string }>();
      const seen = new Map<string, number>();
      runs.forEach((run, i) => {
        const before = c.problems.length;
        checkRun(c, run, `$.runs[${i}]`, seeds, kinds);
        if (c.problems.length === before) {
          const key = runKey(run as RunResult);
          const first = seen.get(key);
          if (first !== undefined) {
            c.add(`$.runs[${i}]`, `repeats $.runs[${first}] (${key}); give it another repetition`);
          } else {
            seen.set(key, i);
          }
        }
      });
    }
  }
  return c.problems;
}

/** Checks one run on its own (e.g. before appending it); problems are relative to `path`. */
export function validateRun(value: unknown, path = "$.run"): Problem[] {
  const c = new Checker();
  checkRun(c, value, path, null, new Map());
  return c.problems;
}

/**
 * Returns `value` typed as a result when valid.
 *
 * @throws {ResultFileError} listing every problem, naming `source`.
 */
export function checkResult(value: unknown, source = "result"): ResultFile {
  const problems = validateResult(value);
  if (problems.length > 0) throw new ResultFileError(source, problems);
  return value as ResultFile;
}

/**
 * Parses JSON text read from `file`, without schema checks.
 *
 * @throws {ResultFileError} when the text is empty, truncated or not JSON.
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") {
    throw new ResultFileError(file, [{ path: "$", message: "the file is empty" }]);
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const truncated = /end of (JSON )?input|Unterminated/i.test(detail);
    throw new ResultFileError(file, [{
      path: "$",
      message: truncated
        ? `the JSON ends early (truncated file?): ${detail}`
        : `the file is not valid JSON: ${detail}`,
    }]);
  }
}

/**
 * Parses result text read from `file` and validates it.
 *
 * @throws {ResultFileError} when the text is empty, truncated, not JSON or not a valid result.
 */
export function parseResult(text: string, file: string): ResultFile {
  return checkResult(parseJsonText(text, file), file);
}

/**
 * Reads a JSON file without schema checks (for reporting every schema problem yourself).
 *
 * @throws {ResultFileError} when the file is missing, unreadable, not UTF-8, empty or not JSON.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (err) {
    const message = err instanceof Deno.errors.NotFound
      ? "no such file"
      : err instanceof Deno.errors.IsADirectory
      ? "it is a directory; give a result .json file"
      : `cannot be read (${err instanceof Error ? err.message : String(err)})`;
    throw new ResultFileError(path, [{ path: "$", message }]);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ResultFileError(path, [{ path: "$", message: "the file is not UTF-8 text" }]);
  }
  return parseJsonText(text, path);
}

/**
 * Reads and validates a result file.
 *
 * @throws {ResultFileError} when the file is missing, unreadable, not UTF-8, or invalid.
 */
export async function readResultFile(path: string): Promise<ResultFile> {
  return checkResult(await readJsonFile(path), path);
}
