import assert from "node:assert/strict";
import fc from "fast-check";
import { DistributionParseError, parseDistribution } from "./parse.ts";
import { type DistSpec, formatDistribution } from "./spec.ts";

function errorOf(text: string): DistributionParseError {
  try {
    parseDistribution(text);
  } catch (err) {
    if (err instanceof DistributionParseError) return err;
    throw err;
  }
  throw new Error(`"${text}" parsed without error`);
}

Deno.test("parseDistribution", async (t) => {
  await t.step("parses every kind of mutilate's syntax", () => {
    const cases: [string, DistSpec][] = [
      ["30", { kind: "fixed", value: 30 }],
      ["0", { kind: "fixed", value: 0 }],
      ["2.5e2", { kind: "fixed", value: 250 }],
      ["fixed:200", { kind: "fixed", value: 200 }],
      ["uniform:1000", { kind: "uniform", max: 1000 }],
      ["normal:100,15", { kind: "normal", mean: 100, sd: 15 }],
      ["exponential:0.5", { kind: "exponential", lambda: 0.5 }],
      ["pareto:15,214.476,0.348238", { kind: "pareto", loc: 15, scale: 214.476, shape: 0.348238 }],
      ["gev:30.7984,8.20449,0.078688", {
        kind: "gev",
        loc: 30.7984,
        scale: 8.20449,
        shape: 0.078688,
      }],
      ["GEV:1,2,-0.5", { kind: "gev", loc: 1, scale: 2, shape: -0.5 }],
      ["fb_key", { kind: "fb_key" }],
      ["fb_value", { kind: "fb_value" }],
      ["FB_IA", { kind: "fb_ia" }],
    ];
    for (const [text, spec] of cases) assert.deepEqual(parseDistribution(text), spec, text);
  });

  await t.step("errors name the column, the token and what is allowed", () => {
    const cases: [string, number, string, RegExp][] = [
      ["", 1, "", /the distribution is empty; allowed: a number, or <name>/],
      ["foo:1", 1, "foo", /unknown distribution; allowed: .*fixed, uniform, normal/],
      [":1", 1, "", /the distribution name is missing/],
      ["normal", 7, "", /normal needs 2 parameter\(s\), got none; allowed: normal:mean,sd/],
      ["normal:1", 9, "", /normal needs 2 parameters \(mean,sd\), got 1/],
      ["normal:1,2,3", 12, "3", /normal takes 2 parameter\(s\), this is parameter 3/],
      ["pareto:15,x,0.3", 11, "x", /parameter scale of pareto is not a number; allowed: a decimal/],
      ["pareto:15,,0.3", 11, "", /parameter scale of pareto is empty/],
      [
        "exponential:0",
        13,
        "0",
        /parameter lambda of exponential is out of range; allowed: lambda a number > 0/,
      ],
      ["uniform:-3", 9, "-3", /allowed: max a number >= 0/],
      ["gev:1,2,3 ", 9, "3 ", /parameter shape of gev is not a number/],
      ["fb_key:3", 7, ":3", /fb_key takes no parameters; allowed: fb_key/],
      ["1e999", 1, "1e999", /the number is not finite/],
    ];
    for (const [text, column, token, message] of cases) {
      const err = errorOf(text);
      assert.equal(err.column, column, `column of "${text}"`);
      assert.equal(err.token, token, `token of "${text}"`);
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(`Cannot parse distribution "${text}" at column ${column}`));
      assert.ok(!err.message.endsWith("."));
    }
  });

  await t.step("any string either parses or throws a DistributionParseError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.stringMatching(/^(fixed|normal|pareto|gev|fb_ia|x)?[:,0-9.eE+-]{0,12}$/),
        ),
        (text) => {
          try {
            const spec = parseDistribution(text);
            assert.deepEqual(parseDistribution(formatDistribution(spec)), spec);
          } catch (err) {
            assert.ok(err instanceof DistributionParseError, String(err));
          }
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  await t.step("format then parse gives the same specification", () => {
    const num = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const pos = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
    const spec: fc.Arbitrary<DistSpec> = fc.oneof(
      num.map((value) => ({ kind: "fixed" as const, value })),
      pos.map((max) => ({ kind: "uniform" as const, max })),
      fc.tuple(num, pos).map(([mean, sd]) => ({ kind: "normal" as const, mean, sd })),
      pos.map((lambda) => ({ kind: "exponential" as const, lambda })),
      fc.tuple(num, pos, num).map(([loc, scale, shape]) => ({
        kind: "pareto" as const,
        loc,
        scale,
        shape,
      })),
      fc.tuple(num, pos, num).map(([loc, scale, shape]) => ({
        kind: "gev" as const,
        loc,
        scale,
        shape,
      })),
      fc.constantFrom<DistSpec>({ kind: "fb_key" }, { kind: "fb_value" }, { kind: "fb_ia" }),
    );
    fc.assert(
      fc.property(spec, (s) => {
        const parsed = parseDistribution(formatDistribution(s));
        // -0 prints as "0"; compare through JSON so the sign of zero does not matter.
        assert.deepEqual(JSON.parse(JSON.stringify(parsed)), JSON.parse(JSON.stringify(s)));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
