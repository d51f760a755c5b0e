import assert from "node:assert/strict";
import { copyBytes, LOOP_MAX } from "./_copy.ts";

Deno.test("copyBytes copies exact ranges on both sides of the loop limit", () => {
  for (const n of [0, 1, LOOP_MAX, LOOP_MAX + 1, 1460]) {
    const src = new Uint8Array(2000).map((_, i) => i & 0xff);
    const dst = new Uint8Array(2000);
    copyBytes(dst, 300, src, 5, n);
    assert.deepEqual(dst.subarray(300, 300 + n), src.subarray(5, 5 + n));
    assert.equal(dst[299], 0);
    assert.equal(dst[300 + n], 0);
  }
});
