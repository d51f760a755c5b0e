import assert from "node:assert/strict";
import { viewOf } from "./_view.ts";

Deno.test("viewOf", async (t) => {
  await t.step("views match their arrays, including subarrays, while alternating", () => {
    const base = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const arrays = [
      base,
      base.subarray(2),
      new Uint8Array([9, 9]),
      base.subarray(5),
      new Uint8Array([7]),
    ];
    for (let round = 0; round < 3; round++) {
      for (const a of arrays) {
        const v = viewOf(a);
        assert.equal(v.byteLength, a.length);
        assert.equal(v.getUint8(0), a[0]);
      }
    }
  });

  await t.step("a cached array gets the same view back", () => {
    const a = new Uint8Array(4);
    assert.equal(viewOf(a), viewOf(a));
  });
});
