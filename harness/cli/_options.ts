/**
 * Typed option-value parsers for the `lab` command groups: integers and numbers in a range, a
 * choice among names, an IPv4 address and comma-separated lists of those. Each parser throws
 * commander's `InvalidArgumentError` with a message naming the option, the value and what is
 * allowed, so commander reports it as a usage error.
 *
 * @example
 * ```ts ignore
 * cmd.option("--queues <n>", "queues", integerOption("--queues", { min: 2, max: 128 }), 10)
 * ```
 *
 * @module
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { parseIpv4 } from "../../stack/packet/addr.ts";

/** Parses one option value; `allowed` says what it accepts ("an integer in 1..128"). */
export interface OptionParser<T> {
  /** Returns the parsed value or throws `InvalidArgumentError`. */
  (value: string): T;
  /** What the parser accepts, as a phrase after "must be". */
  readonly allowed: string;
}

/** Bounds of a numeric option; a missing bound is unlimited. */
export interface OptionRange {
  /** Smallest value allowed (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  /** Largest value allowed (inclusive). */
  readonly max?: number;
  /** Whether `min` itself is refused (for "a number > 0"). */
  readonly exclusiveMin?: boolean;
}

function parser<T>(allowed: string, parse: (value: string) => T): OptionParser<T> {
  return Object.assign(parse, { allowed });
}

function fail(name: string, allowed: string, value: string): never {
  throw new InvalidArgumentError(`${name} must be ${allowed}, got "${value}"`);
}

function rangeText(range: OptionRange): string {
  const { min, max } = range;
  if (min !== undefined && max !== undefined && range.exclusiveMin !== true) {
    return ` in ${min}..${max}`;
  }
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${range.exclusiveMin === true ? ">" : ">="} ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  return parts.length === 0 ? "" : ` ${parts.join(" and ")}`;
}

function inRange(v: number, range: OptionRange): boolean {
  const { min, max } = range;
  if (min !== undefined && (range.exclusiveMin === true ? v <= min : v < min)) return false;
  return max === undefined || v <= max;
}

/**
 * A parser of a finite number in `range` (decimal or exponent notation, as `Number` reads it).
 *
 * @param name the option as the user writes it (`--loss`)
 */
export function numberOption(name: string, range: OptionRange = {}): OptionParser<number> {
  const allowed = `a number${rangeText(range)}`;
  return parser(allowed, (value) => {
    const v = Number(value);
    if (value.trim() === "" || !Number.isFinite(v) || !inRange(v, range)) {
      fail(name, allowed, value);
    }
    return v;
  });
}

/**
 * A parser of a safe integer in `range`.
 *
 * @param name the option as the user writes it (`--queues`)
 */
export function integerOption(name: string, range: OptionRange = {}): OptionParser<number> {
  const allowed = `an integer${rangeText(range)}`;
  return parser(allowed, (value) => {
    const v = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(v) || !inRange(v, range)) {
      fail(name, allowed, value);
    }
    return v;
  });
}

/**
 * A parser accepting exactly one of `choices` (case-sensitive), typed as their union.
 *
 * @param name the option as the user writes it (`--model`)
 */
export function choiceOption<const T extends string>(
  name: string,
  choices: readonly T[],
): OptionParser<T> {
  const allowed = choices.length === 2
    ? `${choices[0]} or ${choices[1]}`
    : `one of ${choices.join(", ")}`;
  return parser(allowed, (value) => {
    if (!(choices as readonly string[]).includes(value)) fail(name, allowed, value);
    return value as T;
  });
}

/**
 * A parser of a dotted-quad IPv4 address, returned as an unsigned 32-bit number in host order.
 *
 * @param name the option as the user writes it (`--gold-src`)
 */
export function ipv4Option(name: string): OptionParser<number> {
  const allowed = "an IPv4 address like 10.0.0.1";
  return parser(allowed, (value) => {
    try {
      return parseIpv4(value);
    } catch {
      return fail(name, allowed, value);
    }
  });
}

/**
 * A parser of a comma-separated list (spaces around entries ignored), each entry read by `item`;
 * the message of a bad entry names the option, the whole value and the entry.
 *
 * @param name the option as the user writes it (`--sizes`)
 * @param item the parser of one entry (its option name is not used in messages)
 */
export function listOption<T>(name: string, item: OptionParser<T>): OptionParser<T[]> {
  const allowed = `a comma-separated list where each entry is ${item.allowed}`;
  return parser(allowed, (value) =>
    value.split(",").map((entry, i) => {
      try {
        return item(entry.trim());
      } catch {
        throw new InvalidArgumentError(
          `${name} must be ${allowed}, got "${value}" (entry ${i + 1} is "${entry.trim()}")`,
        );
      }
    }));
}
