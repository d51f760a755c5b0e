/**
 * Parses the Unicorn predicate syntax: `true`, `false`, `pred(KEY,VALUE)`, `and(...)`, `or(...)`,
 * `not(...)` (reference `dragonet-model.md` §2.5).
 *
 * @module
 */
import type { PredicateExpr } from "../types.ts";

const NAME = /[A-Za-z0-9_.\-]/;

/**
 * Parses a predicate string into the stored {@linkcode PredicateExpr} form.
 *
 * @throws {SyntaxError} naming the text, the offset and what was expected.
 * @example
 * ```ts
 * import { parsePredicate } from "./parse.ts";
 * parsePredicate("and(pred(EthType,IPv4),not(pred(IpProt,UDP)))");
 * ```
 */
export function parsePredicate(text: string): PredicateExpr {
  let pos = 0;
  const fail = (expected: string): never => {
    const found = pos < text.length ? `"${text[pos]}"` : "the end";
    throw new SyntaxError(
      `Cannot parse predicate "${text}": expected ${expected} at offset ${pos}, found ${found}`,
    );
  };
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const name = (): string => {
    ws();
    const start = pos;
    while (pos < text.length && NAME.test(text[pos] as string)) pos++;
    if (pos === start) fail("a name");
    return text.slice(start, pos);
  };
  const expect = (ch: string) => {
    ws();
    if (text[pos] !== ch) fail(`"${ch}"`);
    pos++;
  };
  const expr = (): PredicateExpr => {
    const word = name();
    switch (word) {
      case "true":
        return { op: "const", value: true };
      case "false":
        return { op: "const", value: false };
      case "pred": {
        expect("(");
        const key = name();
        expect(",");
        const value = name();
        expect(")");
        return { op: "atom", key, value };
      }
      case "not": {
        expect("(");
        const arg = expr();
        expect(")");
        return { op: "not", arg };
      }
      case "and":
      case "or": {
        expect("(");
        const args = [expr()];
        ws();
        while (text[pos] === ",") {
          pos++;
          args.push(expr());
          ws();
        }
        expect(")");
        return { op: word, args };
      }
      default:
        pos -= word.length;
        return fail("true, false, pred, and, or or not");
    }
  };
  const result = expr();
  ws();
  if (pos !== text.length) fail("the end");
  return result;
}

/** Renders a stored predicate in the syntax {@linkcode parsePredicate} reads. */
export function formatPredicate(expr: PredicateExpr): string {
  switch (expr.op) {
    case "const":
      return String(expr.value);
    case "atom":
      return `pred(${expr.key},${expr.value})`;
    case "not":
      return `not(${formatPredicate(expr.arg)})`;
    case "and":
    case "or":
      return `${expr.op}(${expr.args.map(formatPredicate).join(",")})`;
  }
}
