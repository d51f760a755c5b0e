import assert from "node:assert/strict";
import fc from "fast-check";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { createKeyChooser } from "./key_popularity.ts";

Deno.test("createKeyChooser", async (t) => {
  await t.step("draws stay in range and probabilities sum to 1", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.integer(),
        (records, s, seed) => {
          for (
            const pop of [{ kind: "uniform" as const }, { kind: "zipf" as const, exponent: s }]
          ) {
            const c = createKeyChooser(pop, records);
            const rng = xoroshiro128plus(seed);
            for (let i = 0; i < 50; i++) {
              const k = c.next(rng);
              assert.ok(Number.isInteger(k) && k >= 0 && k < records);
            }
            let sum = 0;
            for (let i = 0; i < records; i++) sum += c.probability(i);
            assert.ok(Math.abs(sum - 1) < 1e-9);
          }
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("zipf frequencies follow 1/k^s", () => {
    const c = createKeyChooser({ kind: "zipf", exponent: 1 }, 100);
    const rng = xoroshiro128plus(7);
    const counts = new Array(100).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[c.next(rng)]++;
    // P(rank 1) = 1 / H(100) ≈ 0.1928; P(rank 2) is half of it.
    assert.ok(Math.abs(counts[0] / n - 0.1928) < 0.01);
    assert.ok(Math.abs(counts[1] / counts[0] - 0.5) < 0.05);
  });

  await t.step("bad parameters are rejected", () => {
    assert.throws(() => createKeyChooser({ kind: "zipf", exponent: 0 }, 10), /Zipf exponent 0/);
    assert.throws(() => createKeyChooser({ kind: "uniform" }, 0), /Record count 0/);
  });
});
