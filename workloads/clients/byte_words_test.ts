import assert from "node:assert/strict";
import fc from "fast-check";
import { CallerViews, copyWords, equalWords } from "./byte_words.ts";

Deno.test("byte words", async (t) => {
  await t.step("copies and compares any run at any offset, tail bytes included", () => {
    const words = new Int32Array(64);
    const bytes = new Uint8Array(words.buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
    const views = new CallerViews();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 0, max: 190 }),
        fc.integer({ min: 0, max: 9 }),
        (from, length, offset) => {
          fc.pre(4 * from + length <= bytes.length);
          const out = new Uint8Array(offset + length + 3);
          copyWords(words, bytes, from, length, out, views.of(out), offset);
          assert.deepEqual(
            out.subarray(offset, offset + length),
            bytes.subarray(4 * from, 4 * from + length),
          );
          assert.ok(equalWords(words, bytes, from, length, out, views.of(out), offset));
          if (length > 0) {
            out[offset + length - 1] = (out[offset + length - 1] ?? 0) ^ 1;
            assert.ok(!equalWords(words, bytes, from, length, out, views.of(out), offset));
          }
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  await t.step("one view per caller buffer, made once", () => {
    const views = new CallerViews();
    const a = new Uint8Array(8);
    const b = new Uint8Array(new ArrayBuffer(16), 4, 8);
    const va = views.of(a);
    const vb = views.of(b);
    assert.equal(views.of(a), va);
    assert.equal(views.of(b), vb);
    assert.equal(vb.byteOffset, 4);
  });
});
