import assert from "node:assert/strict";
import fc from "fast-check";
import { IntPairMap } from "./int_pair_map.ts";

Deno.test("IntPairMap", async (t) => {
  await t.step("matches a Map of hi * 2^32 + lo under random sets, adds and lookups", () => {
    const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 0xffff }), u32, fc.nat(1000));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const m = new IntPairMap();
        const ref = new Map<number, number>();
        for (const [isSet, hi, lo, v] of ops) {
          const key = hi * 2 ** 32 + lo;
          assert.equal(m.get(hi, lo), ref.get(key) ?? -1);
          if (isSet) {
            m.set(hi, lo, v);
            ref.set(key, v);
          } else {
            assert.equal(m.add(hi, lo), !ref.has(key));
            if (!ref.has(key)) ref.set(key, 0);
          }
          assert.equal(m.size, ref.size);
        }
        for (const [, hi, lo] of ops) {
          assert.equal(m.get(hi, lo ^ 1), ref.get(hi * 2 ** 32 + (lo ^ 1)) ?? -1);
          assert.equal(m.has(hi, lo), true);
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  await t.step("signed and unsigned spellings of one 32-bit pattern are the same key", () => {
    const m = new IntPairMap();
    m.set(0, 0xffff_ffff, 5);
    assert.equal(m.get(0, -1), 5);
  });

  await t.step("refuses a value outside 0..2^31-2", () => {
    assert.throws(() => new IntPairMap().set(1, 2, -1), /Map value -1 is invalid/);
    assert.throws(() => new IntPairMap().set(1, 2, 0.5), /Map value 0.5 is invalid/);
  });
});
