import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalJson, CanonicalJsonError, canonicalSha256 } from "./canonical_json.ts";

/** Rebuilds `v` with every object's keys inserted in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) {
      out[k] = reverseKeys((v as Record<string, unknown>)[k]);
    }
    return out;
  }
  return v;
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

Deno.test("canonicalJson", async (t) => {
  await t.step("sorts keys at every depth and indents by two spaces", () => {
    assert.equal(
      canonicalJson({ b: { d: 1, c: [true, null] }, a: "x" }),
      '{\n  "a": "x",\n  "b": {\n    "c": [\n      true,\n      null\n    ],\n    "d": 1\n  }\n}',
    );
    assert.equal(canonicalJson({}), "{}");
    assert.equal(canonicalJson([]), "[]");
  });

  await t.step("writes numbers in shortest round-trip form and -0 as 0", () => {
    assert.equal(
      canonicalJson([0.1, 1e21, 5e-7, -0, 123456789012345]),
      "[\n  0.1,\n  1e+21,\n  5e-7,\n  0,\n  123456789012345\n]",
    );
  });

  await t.step("is byte-identical whatever the key insertion order (property)", () => {
    fc.assert(
      fc.property(jsonValue, (v) => canonicalJson(v) === canonicalJson(reverseKeys(v))),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("parses back to the same value (property)", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const normalised = JSON.parse(JSON.stringify(v));
        assert.deepEqual(JSON.parse(canonicalJson(v)), normalised);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("rejects what JSON cannot hold, naming the path", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [unknown, string, RegExp][] = [
      [{ a: [1, NaN] }, "$.a[1]", /number NaN is not finite/],
      [{ "odd key": undefined }, '$["odd key"]', /got undefined/],
      [{ x: 1n }, "$.x", /bigint/],
      [{ d: new Date(0) }, "$.d", /instance of Date/],
      [cyclic, "$.self", /refers to itself/],
      [{ f: () => 1 }, "$.f", /a function/],
    ];
    for (const [value, path, message] of cases) {
      assert.throws(() => canonicalJson(value), (err: unknown) => {
        assert.ok(err instanceof CanonicalJsonError);
        assert.equal(err.path, path);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  await t.step("hashes equal values equally and different values differently", async () => {
    const a = await canonicalSha256({ queues: 16, rss: { key: 40 } });
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(await canonicalSha256({ rss: { key: 40 }, queues: 16 }), a);
    assert.notEqual(await canonicalSha256({ queues: 17, rss: { key: 40 } }), a);
  });
});
