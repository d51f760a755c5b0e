import assert from "node:assert/strict";
import { keyLengths, writeKey } from "../dist/keys.ts";
import { KeyTable } from "./key_table.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";

Deno.test("KeyTable", async (t) => {
  const lengths = keyLengths(2000, createSampler(parseDistribution("fb_key")));
  const table = new KeyTable(lengths);

  await t.step("writes and matches exactly writeKey's bytes for every record", () => {
    const want = new Uint8Array(300);
    const got = new Uint8Array(300);
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i] as number;
      writeKey(i, n, want, 3);
      assert.equal(table.write(i, got, 3), n);
      assert.deepEqual(got.subarray(3, 3 + n), want.subarray(3, 3 + n));
      assert.ok(table.matches(i, got, 3));
      if (i > 0) assert.equal(table.matches(i - 1, got, 3), false);
    }
  });

  await t.step("a short buffer does not match; a bad index or fit throws", () => {
    const b = new Uint8Array(4);
    assert.equal(table.matches(0, b, 0), false);
    assert.throws(
      () => table.write(2000, b, 0),
      /Record index 2000 is invalid: the key table covers 0..1999/,
    );
    assert.throws(
      () => table.write(0, b, 0),
      /Key of \d+ B at offset 0 does not fit a 4-byte buffer/,
    );
    assert.throws(
      () => new KeyTable(new Uint8Array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])),
      /Key length 1 is too short for index 10/,
    );
  });
});
