/**
 * Constructors and text form of {@linkcode PredicateExpr} data (Unicorn predicate syntax,
 * reference §2.5: `true | false | pred(KEY,VALUE) | and(...) | or(...) | not(...)`).
 *
 * Only builds and prints data; computing with predicates is the job of `stack/graph/predicate/`.
 *
 * @module
 */
import type { PredicateExpr } from "./types.ts";

/** The constant `true` predicate. */
export const TRUE_EXPR: PredicateExpr = { op: "const", value: true };
/** The constant `false` predicate. */
export const FALSE_EXPR: PredicateExpr = { op: "const", value: false };

/** Makes the atom `pred(key,value)`. */
export function atom(key: string, value: string): PredicateExpr {
  return { op: "atom", key, value };
}

/** Makes the conjunction of its arguments. */
export function and(...args: PredicateExpr[]): PredicateExpr {
  return { op: "and", args };
}

/** Makes the disjunction of its arguments. */
export function or(...args: PredicateExpr[]): PredicateExpr {
  return { op: "or", args };
}

/** Makes the negation of its argument. */
export function not(arg: PredicateExpr): PredicateExpr {
  return { op: "not", arg };
}

/**
 * Prints an expression in Unicorn predicate syntax.
 *
 * @example
 * ```ts
 * import { and, atom, formatExpr, not } from "./expr.ts";
 * formatExpr(and(atom("EthType", "IPv4"), not(atom("IpProt", "UDP"))));
 * // "and(pred(EthType,IPv4),not(pred(IpProt,UDP)))"
 * ```
 */
export function formatExpr(expr: PredicateExpr): string {
  switch (expr.op) {
    case "const":
      return expr.value ? "true" : "false";
    case "atom":
      return `pred(${expr.key},${expr.value})`;
    case "and":
    case "or":
      return `${expr.op}(${expr.args.map(formatExpr).join(",")})`;
    case "not":
      return `not(${formatExpr(expr.arg)})`;
  }
}
