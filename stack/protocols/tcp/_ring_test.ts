import assert from "node:assert/strict";
import { growRing } from "./_ring.ts";

Deno.test("growRing doubles, caps at the maximum and linearises from the head", () => {
  const ring = new Uint8Array([5, 6, 7, 1, 2, 3, 4, 0]); // head at index 3: 1 2 3 4 0 5 6 7
  const grown = growRing(ring, 3, 9, 64);
  assert.equal(grown.length, 16);
  assert.deepEqual([...grown.subarray(0, 8)], [1, 2, 3, 4, 0, 5, 6, 7]);
  assert.equal(growRing(ring, 0, 40, 20).length, 40, "never below the need");
  assert.equal(growRing(ring, 0, 17, 20).length, 20, "capped at the maximum");
});
