/**
 * Checks a value against a configuration space and reports every problem at once.
 *
 * @module
 */
import { type ConfSpace, intBounds, showSpace, type ValueOf } from "./space.ts";

/** One reason a value is not in a space: where, what was there, and what is allowed. */
export interface ConfIssue {
  /** Path to the failing element, e.g. `value[3].prio` (root is `value`). */
  readonly path: string;
  /** The offending value rendered as JSON (shortened). */
  readonly got: string;
  /** What the space allows at that path, e.g. `an integer 1..7`. */
  readonly allowed: string;
}

/** Result of {@linkcode validateValue}. */
export type ConfCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: readonly ConfIssue[] };

function render(v: unknown): string {
  let s: string;
  if (v === undefined) s = "nothing";
  else if (typeof v === "number" && !Number.isFinite(v)) s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function check(space: ConfSpace, v: unknown, path: string, out: ConfIssue[]): void {
  const fail = (allowed: string) => out.push({ path, got: render(v), allowed });
  switch (space.kind) {
    case "int":
    case "uint":
    case "sint": {
      const [lo, hi] = intBounds(space);
      if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
        fail(`an integer ${lo}..${hi} (${showSpace(space)})`);
      }
      return;
    }
    case "bool":
      if (typeof v !== "boolean") fail("true or false");
      return;
    case "enum":
      if (typeof v !== "string" || !space.values.includes(v)) {
        fail(`one of ${space.values.join(", ")}`);
      }
      return;
    case "maybe":
      if (v !== null) check(space.inner, v, path, out);
      return;
    case "list": {
      if (!Array.isArray(v)) {
        fail(`a list of ${space.min}..${space.max} elements (${showSpace(space)})`);
        return;
      }
      if (v.length < space.min || v.length > space.max) {
        out.push({
          path,
          got: `a list of ${v.length} elements`,
          allowed: `${space.min}..${space.max} elements`,
        });
      }
      for (let i = 0; i < v.length; i++) check(space.element, v[i], `${path}[${i}]`, out);
      return;
    }
    case "tuple": {
      const labels = Object.keys(space.fields);
      if (!isRecord(v)) {
        fail(`a tuple with fields ${labels.join(", ")}`);
        return;
      }
      for (const [label, fieldSpace] of Object.entries(space.fields)) {
        if (!Object.hasOwn(v, label)) {
          out.push({ path: `${path}.${label}`, got: "nothing", allowed: showSpace(fieldSpace) });
        } else check(fieldSpace, v[label], `${path}.${label}`, out);
      }
      for (const k of Object.keys(v)) {
        if (!Object.hasOwn(space.fields, k)) {
          out.push({
            path: `${path}.${k}`,
            got: render(v[k]),
            allowed: `no such field (fields: ${labels.join(", ")})`,
          });
        }
      }
      return;
    }
    case "sum": {
      const tags = Object.keys(space.alternatives);
      if (!isRecord(v) || typeof v.tag !== "string") {
        fail(`{ tag, value } with tag one of ${tags.join(", ")}`);
        return;
      }
      const alt = Object.hasOwn(space.alternatives, v.tag) ? space.alternatives[v.tag] : undefined;
      if (alt === undefined) {
        out.push({ path: `${path}.tag`, got: render(v.tag), allowed: `one of ${tags.join(", ")}` });
        return;
      }
      if (!Object.hasOwn(v, "value")) {
        out.push({ path: `${path}.value`, got: "nothing", allowed: showSpace(alt) });
        return;
      }
      check(alt, v.value, `${path}<${v.tag}>`, out);
      for (const k of Object.keys(v)) {
        if (k !== "tag" && k !== "value") {
          out.push({ path: `${path}.${k}`, got: render(v[k]), allowed: "only tag and value" });
        }
      }
      return;
    }
  }
}

/** Checks `value` against `space`, collecting every issue (never throws on bad input). */
export function validateValue(space: ConfSpace, value: unknown): ConfCheck {
  const issues: ConfIssue[] = [];
  check(space, value, "value", issues);
  return issues.length === 0 ? { ok: true } : { ok: false, issues };
}

/** Renders issues one per line, at most `limit` of them (then "... and N more"). */
export function formatIssues(issues: readonly ConfIssue[], limit = 10): string {
  const lines = issues.slice(0, limit).map((i) => `${i.path} must be ${i.allowed}, got ${i.got}`);
  if (issues.length > limit) lines.push(`... and ${issues.length - limit} more`);
  return lines.join("\n");
}

/** Checks `value` against `space` and throws a `TypeError` naming every issue when it is not in it. */
export function checkValue(space: ConfSpace, value: unknown, what = "Configuration value"): void {
  const r = validateValue(space, value);
  if (!r.ok) {
    const n = r.issues.length;
    throw new TypeError(
      `${what} is not in ${showSpace(space)} (${n} issue${n === 1 ? "" : "s"}):\n${
        formatIssues(r.issues)
      }`,
    );
  }
}

/** Checks `value` against `space` and returns it typed, or throws naming every issue. */
export function assertValue<S extends ConfSpace>(
  space: S,
  value: unknown,
  what = "Configuration value",
): ValueOf<S> {
  checkValue(space, value, what);
  return value as ValueOf<S>;
}
