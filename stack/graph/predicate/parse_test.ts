import assert from "node:assert/strict";
import fc from "fast-check";
import { formatPredicate, parsePredicate } from "./parse.ts";

Deno.test("parsePredicate", async (t) => {
  await t.step("reads the Unicorn syntax with whitespace", () => {
    assert.deepEqual(parsePredicate(" and( pred(EthType , IPv4), not(pred(IpProt,UDP)) ) "), {
      op: "and",
      args: [
        { op: "atom", key: "EthType", value: "IPv4" },
        { op: "not", arg: { op: "atom", key: "IpProt", value: "UDP" } },
      ],
    });
    assert.deepEqual(parsePredicate("false"), { op: "const", value: false });
  });
  await t.step("errors name the text, the offset and what was expected", () => {
    assert.throws(
      () => parsePredicate("and(pred(a,b)"),
      /^SyntaxError: Cannot parse predicate "and\(pred\(a,b\)": expected "\)" at offset 13, found the end$/,
    );
    assert.throws(() => parsePredicate("xor(a)"), /expected true, false, pred, and, or or not/);
    assert.throws(() => parsePredicate("true false"), /expected the end at offset 5/);
  });
  await t.step("format then parse is the identity; junk never crashes", () => {
    const leaf = fc.record({
      op: fc.constant("atom" as const),
      key: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,5}$/),
      value: fc.stringMatching(/^[A-Za-z0-9_]{1,4}$/),
    });
    fc.assert(
      fc.property(leaf, fc.boolean(), (a, neg) => {
        const atom = { op: "atom" as const, key: a.key, value: a.value };
        const e = neg ? { op: "not" as const, arg: atom } : atom;
        assert.deepEqual(parsePredicate(formatPredicate(e)), e);
      }),
      { seed: 42, numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parsePredicate(s);
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
