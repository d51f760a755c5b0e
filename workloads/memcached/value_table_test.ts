import assert from "node:assert/strict";
import fc from "fast-check";
import { fillValue, isValueOf } from "./value_pattern.ts";
import { ValueTable } from "./value_table.ts";

Deno.test("ValueTable", async (t) => {
  await t.step(
    "writes fillValue's bytes and agrees with isValueOf, at any offset and length",
    () => {
      const table = new ValueTable(50);
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 49 }),
          fc.integer({ min: 0, max: 3000 }),
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 0, max: 3000 }),
          (i, len, off, flip) => {
            const want = new Uint8Array(off + len);
            fillValue(i, len, want, off);
            const got = new Uint8Array(off + len);
            table.write(i, len, got, off);
            assert.deepEqual(got, want);
            assert.ok(table.matches(i, got, off, len));
            assert.equal(
              table.matches((i + 1) % 50, got, off, len),
              isValueOf((i + 1) % 50, got, off, len),
            );
            if (flip < len) {
              got[off + flip] = (got[off + flip] ?? 0) ^ 1;
              assert.ok(!table.matches(i, got, off, len));
              assert.ok(!isValueOf(i, got, off, len));
            }
          },
        ),
        { seed: 7, numRuns: 300 },
      );
    },
  );

  await t.step("a range outside the buffer does not match; a bad index or fit throws", () => {
    const table = new ValueTable(3);
    const b = new Uint8Array(16);
    table.write(2, 16, b, 0);
    assert.ok(!table.matches(2, b, 1, 16));
    assert.throws(
      () => table.matches(3, b, 0, 4),
      /Record index 3 is invalid: the value table covers 0..2/,
    );
    assert.throws(
      () => table.write(0, 10, b, 8),
      /Value of 10 B at offset 8 does not fit a 16-byte buffer/,
    );
    assert.throws(() => new ValueTable(0), /record count 0 is invalid/);
  });
});
