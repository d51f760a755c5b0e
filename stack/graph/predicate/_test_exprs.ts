/**
 * Test helper: random predicate expressions (Unicorn syntax) over a few atoms, two keys of which
 * have two values each, so single-valuedness matters.
 *
 * @module
 */
import fc from "fast-check";

/** Random expressions of nesting depth at most `depth`. */
export function arbExpr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.constantFrom(
    "true",
    "false",
    "pred(a,a)",
    "pred(a,A)",
    "pred(b,b)",
    "pred(c,c)",
    "pred(d,d)",
    "pred(d,D)",
  );
  if (depth === 0) return leaf;
  const sub = arbExpr(depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: sub.map((s) => `not(${s})`) },
    {
      weight: 2,
      arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((xs) => `and(${xs})`),
    },
    {
      weight: 2,
      arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((xs) => `or(${xs})`),
    },
  );
}
