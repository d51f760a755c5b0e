import assert from "node:assert/strict";
import fc from "fast-check";
import { seqAdd, seqDiff, seqGeq, seqGt, seqInRange, seqLeq, seqLt } from "./seq.ts";

Deno.test("sequence arithmetic", async (t) => {
  await t.step("addition wraps at 2^32", () => {
    assert.equal(seqAdd(0xffffffff, 1), 0);
    assert.equal(seqAdd(0xfffffff0, 0x20), 0x10);
    assert.equal(seqAdd(5, 0), 5);
  });

  await t.step("comparisons hold across the wrap", () => {
    assert(seqLt(0xfffffff0, 0x10));
    assert(seqGt(0x10, 0xfffffff0));
    assert(seqLeq(7, 7) && seqGeq(7, 7) && !seqLt(7, 7) && !seqGt(7, 7));
    assert.equal(seqDiff(0x10, 0xfffffff0), 0x20);
    assert.equal(seqDiff(0xfffffff0, 0x10), -0x20);
    assert(seqInRange(0, 0xfffffffe, 2));
    assert(!seqInRange(2, 0xfffffffe, 2));
    assert(!seqInRange(5, 5, 5));
  });

  await t.step("a + d compares after a for any start and 0 < d < 2^31", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.integer({ min: 1, max: 0x7fffffff }), (a, d) => {
        const b = seqAdd(a, d);
        return seqLt(a, b) && seqGt(b, a) && seqDiff(b, a) === d && seqInRange(a, a, b) &&
          !seqInRange(b, a, b);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
