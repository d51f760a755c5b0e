import assert from "node:assert/strict";
import fc from "fast-check";
import { I32, numBigInt, parseI32, parseU32, parseU64 } from "./c_number.ts";

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const u64 = (s: string): bigint | null => {
  const x = b(s);
  return parseU64(x, 0, x.length) ? numBigInt() : null;
};
const i32 = (s: string): number | null => {
  const x = b(s);
  return parseI32(x, 0, x.length) ? I32[0] as number : null;
};

Deno.test("c_number parses like memcached's safe_strto* helpers", async (t) => {
  await t.step("unsigned 64-bit table", () => {
    assert.equal(u64("0"), 0n);
    assert.equal(u64("18446744073709551615"), 18446744073709551615n);
    assert.equal(u64("18446744073709551616"), null); // ERANGE
    assert.equal(u64("+5"), 5n);
    assert.equal(u64("-0"), 0n);
    assert.equal(u64("-1"), null); // wraps negative as signed
    assert.equal(u64("-18446744073709551615"), 1n); // wraps to a small positive
    assert.equal(u64("\t7"), 7n); // leading whitespace
    assert.equal(u64("12 "), 12n); // trailing whitespace ends the number
    assert.equal(u64("12a"), null);
    assert.equal(u64(""), null);
    assert.equal(u64("-"), null);
  });
  await t.step("unsigned 32-bit keeps the low 32 bits", () => {
    const x = b("4294967296");
    assert.equal(parseU32(x, 0, x.length), 0);
    const y = b("4294967295");
    assert.equal(parseU32(y, 0, y.length), 4294967295);
    const z = b("-3");
    assert.equal(parseU32(z, 0, z.length), -1);
  });
  await t.step("signed 32-bit from a 64-bit long", () => {
    assert.equal(i32("-1"), -1);
    assert.equal(i32("4294967297"), 1);
    assert.equal(i32("2147483648"), -2147483648);
    assert.equal(i32("9223372036854775807"), -1);
    assert.equal(i32("9223372036854775808"), null);
    assert.equal(i32("-9223372036854775808"), 0);
    assert.equal(i32("-9223372036854775809"), null);
    assert.equal(i32("x"), null);
  });
  await t.step("every u64 round-trips through its decimal text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => u64(v.toString()) === v),
      { seed: 42, numRuns: 300 },
    );
  });
  await t.step("every int32 round-trips; larger values keep their low 32 bits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        return i32(v.toString()) === Number(BigInt.asIntN(32, v));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
