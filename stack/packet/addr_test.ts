import assert from "node:assert/strict";
import fc from "fast-check";
import { formatIpv4, formatMac, parseIpv4, parseMac } from "./addr.ts";

Deno.test("IPv4 and MAC text forms", async (t) => {
  await t.step("known values", () => {
    assert.equal(parseIpv4("127.0.0.1"), 0x7f000001);
    assert.equal(parseIpv4("255.255.255.255"), 0xffffffff);
    assert.equal(formatIpv4(0x0a630002), "10.99.0.2");
    assert.equal(formatIpv4(0xffffffff), "255.255.255.255");
    assert.deepEqual([...parseMac("b2:c2:6d:a6:d0:ec")], [0xb2, 0xc2, 0x6d, 0xa6, 0xd0, 0xec]);
    assert.deepEqual([...parseMac("02-00-00-00-00-0A")], [2, 0, 0, 0, 0, 10]);
    assert.equal(
      formatMac(new Uint8Array([0, 0, 0xb2, 0xc2, 0x6d, 0xa6, 0xd0, 0xec]), 2),
      "b2:c2:6d:a6:d0:ec",
    );
  });

  await t.step("bad text throws errors naming the value and what is allowed", () => {
    assert.throws(() => parseIpv4("10.0.0"), /"10\.0\.0": expected four dotted decimals/);
    assert.throws(() => parseIpv4("10.0.0.256"), /part 256 must be 0\.\.255/);
    assert.throws(() => parseIpv4("10.0.0.01"), /leading zero/);
    assert.throws(
      () => parseMac("02:00:00:00:00"),
      /"02:00:00:00:00": expected six two-digit hex groups/,
    );
    assert.throws(() => parseMac("02:00-00:00:00:00"), SyntaxError);
    assert.throws(() => formatMac(new Uint8Array(5)), /6 bytes must lie within the 5-byte buffer/);
  });

  await t.step("property: format and parse round-trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ minLength: 6, maxLength: 6 }),
        (ip, mac) => {
          assert.equal(parseIpv4(formatIpv4(ip)), ip);
          assert.deepEqual(parseMac(formatMac(mac)), mac);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
