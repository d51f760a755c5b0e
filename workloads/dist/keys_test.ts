import assert from "node:assert/strict";
import { fnv1a64, fnv1a64OfIndex, keyLengths, MAX_KEY_BYTES, writeKey } from "./keys.ts";
import { parseDistribution } from "./parse.ts";
import { createSampler } from "./sampler.ts";

Deno.test("Record keys", async (t) => {
  await t.step("FNV-1a 64 matches the published test vectors", () => {
    const enc = new TextEncoder();
    assert.equal(fnv1a64(new Uint8Array()), 0xcbf29ce484222325n);
    assert.equal(fnv1a64(enc.encode("a")), 0xaf63dc4c8601ec8cn);
    assert.equal(fnv1a64(enc.encode("foobar")), 0x85944171f73967e8n);
  });

  await t.step("an index hashes as its 8 little-endian bytes", () => {
    assert.equal(fnv1a64OfIndex(0x0102), fnv1a64(new Uint8Array([2, 1, 0, 0, 0, 0, 0, 0])));
  });

  await t.step("fb_key lengths: fixed per index, at least digits(records), mean near 36.2", () => {
    const sizes = createSampler(parseDistribution("fb_key"));
    const a = keyLengths(10_000, sizes);
    assert.deepEqual(a, keyLengths(10_000, sizes));
    let sum = 0;
    for (const len of a) {
      assert.ok(len >= 5 && len <= MAX_KEY_BYTES);
      sum += len;
    }
    assert.ok(Math.abs(sum / a.length - 36.2) < 0.5, String(sum / a.length));
  });

  await t.step("a fixed size below the record count's digits is raised to them", () => {
    const lengths = keyLengths(123_456, createSampler(parseDistribution("3")));
    assert.ok(lengths.every((l) => l === 6));
  });

  await t.step("writeKey zero-pads the decimal index without allocating", () => {
    const buf = new Uint8Array(12).fill(0x2e);
    assert.equal(writeKey(42, 8, buf, 2), 8);
    assert.equal(new TextDecoder().decode(buf), "..00000042..");
    assert.throws(
      () => writeKey(123, 2, buf, 0),
      /Key length 2 is too short for index 123: needs 3 digits/,
    );
    assert.throws(
      () => writeKey(1, 8, buf, 6),
      /Key of 8 B at offset 6 does not fit a 12-byte buffer/,
    );
    assert.throws(() => writeKey(-1, 8, buf, 0), /Key index -1 is invalid/);
  });

  await t.step("rejects bad record counts", () => {
    const s = createSampler(parseDistribution("fb_key"));
    assert.throws(() => keyLengths(0, s), /Record count 0 is invalid/);
  });
});
