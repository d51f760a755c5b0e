import assert from "node:assert/strict";
import fc from "fast-check";
import { fillValue, isValueOf } from "./value_pattern.ts";

Deno.test("value pattern", async (t) => {
  await t.step("a filled value checks as its key's and fails for another key", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 8, max: 1500 }),
        (i, d, len) => {
          const b = new Uint8Array(len);
          fillValue(i, len, b, 0);
          assert.ok(isValueOf(i, b, 0, len));
          assert.ok(!isValueOf(i + d, b, 0, len));
          assert.ok(
            b.every((x) => (x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122)),
          );
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("one changed byte fails the check", () => {
    const b = new Uint8Array(64);
    fillValue(5, 64, b, 0);
    b[40] = (b[40] ?? 0) ^ 1;
    assert.ok(!isValueOf(5, b, 0, 64));
  });
});
