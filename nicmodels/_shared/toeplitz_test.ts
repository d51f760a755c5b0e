import assert from "node:assert/strict";
import fc from "fast-check";
import vectors from "./testdata/toeplitz_vectors.json" with { type: "json" };
import { formatKeyHex, parseKeyHex, ToeplitzHasher } from "./toeplitz.ts";
import { parseIpv4Address, parseIpv6Address } from "./addr.ts";

/** The definition, bit by bit, independent of the lookup table. */
function naiveToeplitz(key: Uint8Array, input: Uint8Array): number {
  const bit = (b: number) => ((key[b >> 3] ?? 0) >> (7 - (b & 7))) & 1;
  let result = 0;
  for (let i = 0; i < input.length * 8; i++) {
    if (((input[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) {
      let w = 0;
      for (let j = 0; j < 32; j++) w = ((w << 1) | bit(i + j)) >>> 0;
      result = (result ^ w) >>> 0;
    }
  }
  return result;
}

Deno.test("Toeplitz hash", async (t) => {
  const key = parseKeyHex(vectors.key_hex);
  const h = new ToeplitzHasher(key);

  await t.step("every IPv4 row, 2-tuple and 4-tuple, matches the verification table", () => {
    assert.equal(vectors.ipv4.length, 5);
    for (const row of vectors.ipv4) {
      const src = parseIpv4Address(row.src_addr);
      const dst = parseIpv4Address(row.dst_addr);
      assert.equal(h.hashIpv4(src, dst), Number(row.hash_2tuple), `row ${row.index} 2-tuple`);
      assert.equal(
        h.hashIpv4Ports(src, dst, row.src_port, row.dst_port),
        Number(row.hash_4tuple),
        `row ${row.index} 4-tuple`,
      );
    }
  });

  await t.step("every IPv6 row, 2-tuple and 4-tuple, matches the verification table", () => {
    assert.equal(vectors.ipv6.length, 3);
    for (const row of vectors.ipv6) {
      const buf = new Uint8Array(36);
      buf.set(parseIpv6Address(row.src_addr), 0);
      buf.set(parseIpv6Address(row.dst_addr), 16);
      buf[32] = row.src_port >> 8;
      buf[33] = row.src_port & 0xff;
      buf[34] = row.dst_port >> 8;
      buf[35] = row.dst_port & 0xff;
      assert.equal(h.hashIpv6(buf, 0, false, 32), Number(row.hash_2tuple), `row ${row.index}`);
      assert.equal(h.hashIpv6(buf, 0, true, 32), Number(row.hash_4tuple), `row ${row.index}`);
      assert.equal(h.hash(buf, 0, 36), Number(row.hash_4tuple));
    }
  });

  await t.step("the lookup table agrees with the bit-by-bit definition", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 40, maxLength: 40 }),
        fc.uint8Array({ minLength: 0, maxLength: 36 }),
        (k, input) =>
          new ToeplitzHasher(k).hash(input, 0, input.length) === naiveToeplitz(k, input),
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("a key of 0x6d5a repeated hashes both directions of a flow alike", () => {
    const sym = new ToeplitzHasher(parseKeyHex("6d5a".repeat(20)));
    const a = parseIpv4Address("10.0.0.1");
    const b = parseIpv4Address("192.168.5.9");
    assert.equal(sym.hashIpv4Ports(a, b, 40000, 443), 0x8a628a62);
    assert.equal(sym.hashIpv4Ports(b, a, 443, 40000), 0x8a628a62);
  });

  await t.step("hashers of many keys (tables shared per key) each follow their own key", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 5, maxLength: 12 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (k, input) => {
          const n = Math.min(input.length, k.length - 4);
          const again = new ToeplitzHasher(k.slice());
          const want = naiveToeplitz(k, input.subarray(0, n));
          return new ToeplitzHasher(k).hash(input, 0, n) === want &&
            again.hash(input, 0, n) === want;
        },
      ),
      { seed: 11, numRuns: 60 },
    );
    assert.equal(
      new ToeplitzHasher(key).hash(new Uint8Array([1, 2, 3]), 0, 3),
      h.hash(new Uint8Array([1, 2, 3]), 0, 3),
    );
  });

  await t.step("key parsing rejects bad hex and short keys, and round-trips", () => {
    assert.throws(() => parseKeyHex("abc"), /even number of hex digits/);
    assert.throws(() => parseKeyHex("zz"), /even number of hex digits/);
    assert.throws(() => new ToeplitzHasher(new Uint8Array(4)), /at least 5 bytes, got 4/);
    assert.equal(formatKeyHex(key), vectors.key_hex);
    assert.throws(() => h.hash(new Uint8Array(37), 0, 37), /37 bytes exceeds the 36 bytes/);
  });
});
