/**
 * Parses mutilate's distribution mini-language with precise errors.
 *
 * Grammar (workloads.md §8): a bare number (fixed), or `<name>[:p1[,p2[,p3]]]` with name one of
 * fixed, uniform, normal, exponential, pareto, gev (with exactly their parameters) or the presets
 * fb_key, fb_value, fb_ia (no parameters). Names are case-insensitive. Unlike mutilate, which
 * fills missing parameters with 0 and matches names by substring, a wrong count, an unknown name
 * or a malformed number is an error naming its column and token.
 *
 * @module
 */
import { DIST_KINDS, DIST_PARAMS, type DistKind, type DistSpec } from "./spec.ts";

/** Why a distribution string was rejected. */
export class DistributionParseError extends Error {
  /** The whole input. */
  readonly input: string;
  /** 1-based column of the offending token (input length + 1 for "missing at the end"). */
  readonly column: number;
  /** The offending token ("" when something is missing). */
  readonly token: string;
  /** What would have been accepted there. */
  readonly allowed: string;

  /** Creates the error; the message names input, column, token, problem and what is allowed. */
  constructor(input: string, column: number, token: string, problem: string, allowed: string) {
    const at = token === "" ? `at column ${column}` : `at column ${column}, token "${token}"`;
    super(`Cannot parse distribution "${input}" ${at}: ${problem}; allowed: ${allowed}`);
    this.name = "DistributionParseError";
    this.input = input;
    this.column = column;
    this.token = token;
    this.allowed = allowed;
  }
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_HELP = "a decimal number such as 15, -2.5 or 1e-3";
const SYNTAX_HELP = `a number, or <name>[:p1[,p2[,p3]]] with name one of ${DIST_KINDS.join(", ")}`;

/** Constraint on one parameter: its test and how to say it. */
interface Rule {
  readonly ok: (v: number) => boolean;
  readonly text: string;
}

const ANY: Rule = { ok: () => true, text: "any finite number" };
const POSITIVE: Rule = { ok: (v) => v > 0, text: "a number > 0" };
const NON_NEGATIVE: Rule = { ok: (v) => v >= 0, text: "a number >= 0" };

const RULES: { readonly [K in DistKind]: readonly Rule[] } = {
  fixed: [ANY],
  uniform: [NON_NEGATIVE],
  normal: [ANY, NON_NEGATIVE],
  exponential: [POSITIVE],
  pareto: [ANY, POSITIVE, ANY],
  gev: [ANY, POSITIVE, ANY],
  fb_key: [],
  fb_value: [],
  fb_ia: [],
};

/**
 * Parses `text` into a {@link DistSpec}; throws {@link DistributionParseError} on bad input.
 *
 * @example
 * ```ts
 * import { parseDistribution } from "./parse.ts";
 * const spec = parseDistribution("pareto:15,214.476,0.348238");
 * if (spec.kind !== "pareto" || spec.scale !== 214.476) throw new Error("unexpected");
 * ```
 */
export function parseDistribution(text: string): DistSpec {
  if (text.length === 0) {
    throw new DistributionParseError(text, 1, "", "the distribution is empty", SYNTAX_HELP);
  }
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new DistributionParseError(text, 1, text, "the number is not finite", NUMBER_HELP);
    }
    return { kind: "fixed", value };
  }
  const colon = text.indexOf(":");
  const nameToken = colon < 0 ? text : text.slice(0, colon);
  const kind = DIST_KINDS.find((k) => k === nameToken.toLowerCase());
  if (kind === undefined) {
    const problem = nameToken === "" ? "the distribution name is missing" : "unknown distribution";
    throw new DistributionParseError(text, 1, nameToken, problem, SYNTAX_HELP);
  }
  const names: readonly string[] = DIST_PARAMS[kind];
  const usage = names.length === 0 ? kind : `${kind}:${names.join(",")}`;
  if (names.length === 0) {
    if (colon >= 0) {
      throw new DistributionParseError(
        text,
        colon + 1,
        text.slice(colon),
        `${kind} takes no parameters`,
        kind,
      );
    }
    return { kind } as DistSpec;
  }
  if (colon < 0) {
    throw new DistributionParseError(
      text,
      text.length + 1,
      "",
      `${kind} needs ${names.length} parameter(s), got none`,
      usage,
    );
  }
  const values: number[] = [];
  let start = colon + 1;
  const rules = RULES[kind];
  for (let i = 0;; i++) {
    const comma = text.indexOf(",", start);
    const end = comma < 0 ? text.length : comma;
    const token = text.slice(start, end);
    if (i >= names.length) {
      throw new DistributionParseError(
        text,
        start + 1,
        token,
        `${kind} takes ${names.length} parameter(s), this is parameter ${i + 1}`,
        usage,
      );
    }
    const name = names[i] as string;
    if (token === "") {
      throw new DistributionParseError(
        text,
        start + 1,
        "",
        `parameter ${name} of ${kind} is empty`,
        `${usage} with ${name} ${NUMBER_HELP}`,
      );
    }
    if (!NUMBER.test(token) || !Number.isFinite(Number(token))) {
      throw new DistributionParseError(
        text,
        start + 1,
        token,
        `parameter ${name} of ${kind} is not a number`,
        NUMBER_HELP,
      );
    }
    const value = Number(token);
    const rule = rules[i] as Rule;
    if (!rule.ok(value)) {
      throw new DistributionParseError(
        text,
        start + 1,
        token,
        `parameter ${name} of ${kind} is out of range`,
        `${name} ${rule.text}`,
      );
    }
    values.push(value);
    if (comma < 0) break;
    start = comma + 1;
  }
  if (values.length < names.length) {
    throw new DistributionParseError(
      text,
      text.length + 1,
      "",
      `${kind} needs ${names.length} parameters (${names.join(",")}), got ${values.length}`,
      usage,
    );
  }
  const out: Record<string, number | string> = { kind };
  names.forEach((n, i) => (out[n] = values[i] as number));
  return out as unknown as DistSpec;
}
