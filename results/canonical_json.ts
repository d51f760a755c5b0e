/**
 * Canonical JSON: object keys sorted by UTF-16 code unit at every depth, two-space indentation,
 * numbers in ECMAScript's shortest round-trip form (`-0` written as `0`), no `undefined`, `NaN`
 * or infinities. The same value always gives byte-identical text, so result files diff cleanly
 * and can be hashed.
 *
 * @module
 */

/** Thrown when a value cannot be written as canonical JSON; names the path of the bad part. */
export class CanonicalJsonError extends TypeError {
  /** Path of the offending value, e.g. `$.runs[2].metrics.tps.value`. */
  readonly path: string;

  /** Creates the error for `path` with a message that already names it. */
  constructor(path: string, message: string) {
    super(message);
    this.name = "CanonicalJsonError";
    this.path = path;
  }
}

/** Appends a key to a JSON path in `$.a.b["odd key"][3]` form. */
export function jsonPathKey(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n (a bigint)`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (value === undefined) return "undefined";
  return typeof value;
}

function write(
  value: unknown,
  path: string,
  indent: string,
  step: string,
  seen: Set<object>,
): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(
          path,
          `Cannot write ${path} as JSON: number ${value} is not finite; allowed: finite numbers`,
        );
      }
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "object":
      break;
    default:
      throw new CanonicalJsonError(
        path,
        `Cannot write ${path} as JSON: got ${
          describe(value)
        }; allowed: null, booleans, finite numbers, strings, arrays and plain objects`,
      );
  }
  const obj = value as object;
  if (seen.has(obj)) {
    throw new CanonicalJsonError(path, `Cannot write ${path} as JSON: the value refers to itself`);
  }
  seen.add(obj);
  const inner = indent + step;
  let text: string;
  if (Array.isArray(obj)) {
    if (obj.length === 0) {
      text = "[]";
    } else {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        parts.push(inner + write(obj[i], `${path}[${i}]`, inner, step, seen));
      }
      text = `[\n${parts.join(",\n")}\n${indent}]`;
    }
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw new CanonicalJsonError(
        path,
        `Cannot write ${path} as JSON: got an instance of ${name}; allowed: plain objects`,
      );
    }
    const keys = Object.keys(obj).sort();
    if (keys.length === 0) {
      text = "{}";
    } else {
      const parts: string[] = [];
      for (const key of keys) {
        const child = (obj as Record<string, unknown>)[key];
        parts.push(
          `${inner}${JSON.stringify(key)}: ${
            write(child, jsonPathKey(path, key), inner, step, seen)
          }`,
        );
      }
      text = `{\n${parts.join(",\n")}\n${indent}}`;
    }
  }
  seen.delete(obj);
  return text;
}

/**
 * Writes `value` as canonical JSON (sorted keys, two-space indentation, no trailing newline).
 *
 * @throws {CanonicalJsonError} for values JSON cannot hold (undefined, NaN, infinities, bigints,
 *   functions, class instances, cycles), naming the path of the first one.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * const a = canonicalJson({ b: 1, a: [2, -0] });
 * if (a !== '{\n  "a": [\n    2,\n    0\n  ],\n  "b": 1\n}') throw new Error(a);
 * ```
 */
export function canonicalJson(value: unknown, indentWidth = 2): string {
  return write(value, "$", "", " ".repeat(indentWidth), new Set());
}

/** SHA-256 (lower-case hex) of the compact canonical JSON of `value`; e.g. a capability hash. */
export async function canonicalSha256(value: unknown): Promise<string> {
  const text = write(value, "$", "", "", new Set()).replace(/\n/g, "");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
