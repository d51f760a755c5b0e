import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checksumAdjust,
  checksumAdjust32,
  internetChecksum,
  ipv4PseudoHeaderSum,
  onesComplementSum,
} from "./checksum.ts";
import { CAPTURED } from "./_captured_frames.ts";

/** Reference: RFC 1071 section 4.1 style, one 16-bit word at a time with end-around carry. */
function referenceSum(bytes: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < len; i += 2) {
    const hi = bytes[off + i] ?? 0;
    const lo = i + 1 < len ? bytes[off + i + 1] ?? 0 : 0;
    sum += (hi << 8) | lo;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return sum;
}

Deno.test("onesComplementSum and internetChecksum", async (t) => {
  await t.step("RFC 1071 section 3 example sums to ddf2, checksum 220d", () => {
    const bytes = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    assert.equal(onesComplementSum(bytes, 0, 8), 0xddf2);
    assert.equal(internetChecksum(bytes, 0, 8), 0x220d);
  });

  await t.step("odd length pads the last byte as a high byte", () => {
    const bytes = new Uint8Array([0x12, 0x34, 0x56]);
    assert.equal(onesComplementSum(bytes, 0, 3), 0x1234 + 0x5600);
    assert.equal(onesComplementSum(bytes, 2, 1), 0x5600);
    assert.equal(onesComplementSum(bytes, 0, 0), 0);
  });

  await t.step("captured IPv4 headers recompute to their checksum fields", () => {
    const expected: Record<string, number> = {
      udp: 0xef04,
      icmpUnreachable: 0xd2c6,
      icmpEchoRequest: 0x939e,
      icmpEchoReply: 0xd39d,
      tcpSyn: 0xd0c6,
      tcpSynAck: 0x3cba,
      tcpData: 0xd0ba,
    };
    for (const [name, sum] of Object.entries(expected)) {
      const f = CAPTURED[name as keyof typeof CAPTURED]();
      assert.equal(onesComplementSum(f, 14, 20), 0xffff, `${name} header verifies`);
      f[24] = 0;
      f[25] = 0;
      assert.equal(internetChecksum(f, 14, 20), sum, `${name} recomputed`);
    }
  });

  await t.step("captured ICMP messages recompute to the kernel's checksums", () => {
    const cases = [["icmpUnreachable", 0x53d3, 50], ["icmpEchoReply", 0xc471, 25]] as const;
    for (const [name, sum, len] of cases) {
      const f = CAPTURED[name]();
      f[36] = 0;
      f[37] = 0;
      assert.equal(internetChecksum(f, 34, len), sum, name);
    }
  });

  await t.step("captured UDP/TCP: full checksums as tcpdump reports, partial = pseudo sum", () => {
    const cases = [
      ["udp", 40, 22, 17, 0xfe29, 0x56d6],
      ["tcpSyn", 50, 40, 6, 0xfe30, 0xf667],
      ["tcpSynAck", 50, 40, 6, 0xfe30, 0xcb89],
      ["tcpData", 50, 50, 6, 0xfe3a, 0x154f],
    ] as const;
    const lo = 0x7f000001;
    for (const [name, at, len, proto, partial, full] of cases) {
      const f = CAPTURED[name]();
      const pseudo = ipv4PseudoHeaderSum(lo, lo, proto, len);
      assert.equal(pseudo, partial, `${name}: loopback stores the pseudo-header sum`);
      f[at] = 0;
      f[at + 1] = 0;
      assert.equal(internetChecksum(f, 34, len, pseudo), full, `${name} full checksum`);
    }
  });

  await t.step("out-of-range arguments throw a RangeError naming the range", () => {
    const b = new Uint8Array(4);
    assert.throws(() => onesComplementSum(b, 2, 4), /4 bytes at offset 2.*4-byte buffer/);
    assert.throws(() => onesComplementSum(b, -1, 1), RangeError);
  });

  await t.step("property: equals a word-at-a-time reference for any range and initial", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 0xffff }),
        (bytes, a, b, initial) => {
          const off = bytes.length === 0 ? 0 : a % (bytes.length + 1);
          const len = (bytes.length - off) === 0 ? 0 : b % (bytes.length - off + 1);
          assert.equal(
            onesComplementSum(bytes, off, len, initial),
            referenceSum(bytes, off, len, initial),
          );
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  await t.step("property: large sums stay exact (64 KiB of 0xff bytes)", () => {
    const big = new Uint8Array(65536).fill(0xff);
    assert.equal(onesComplementSum(big, 0, big.length), 0xffff);
    assert.equal(onesComplementSum(big, 0, big.length), referenceSum(big, 0, big.length));
  });
});

Deno.test("checksumAdjust (RFC 1624 equation 3)", async (t) => {
  await t.step("RFC 1624 section 4 example: old 0xdd2f, m 0x5555 -> 0x3285, result 0x0000", () => {
    assert.equal(checksumAdjust(0xdd2f, 0x5555, 0x3285), 0x0000);
  });

  await t.step("decrementing the TTL of a captured header matches recomputation", () => {
    const f = CAPTURED.tcpSyn();
    const oldWord = (f[22] ?? 0) << 8 | (f[23] ?? 0); // TTL + protocol
    f[22] = (f[22] ?? 0) - 1;
    const newWord = (f[22] ?? 0) << 8 | (f[23] ?? 0);
    const adjusted = checksumAdjust(0xd0c6, oldWord, newWord);
    f[24] = 0;
    f[25] = 0;
    assert.equal(adjusted, internetChecksum(f, 14, 20));
  });

  await t.step("property: a changed 16-bit word matches full recomputation", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 0xffff }),
        (header, wordIndex, newWord) => {
          header[0] = 0x45; // a real header is never all zero (version 4)
          header[10] = 0;
          header[11] = 0;
          const before = internetChecksum(header, 0, 20);
          header[10] = before >>> 8;
          header[11] = before & 0xff;
          const w = wordIndex === 5 ? 0 : wordIndex; // never the checksum word itself
          const oldWord = (header[2 * w] ?? 0) << 8 | (header[2 * w + 1] ?? 0);
          const nw = w === 0 ? 0x4500 | (newWord & 0xff) : newWord;
          header[2 * w] = nw >>> 8;
          header[2 * w + 1] = nw & 0xff;
          const adjusted = checksumAdjust(before, oldWord, nw);
          header[10] = 0;
          header[11] = 0;
          assert.equal(adjusted, internetChecksum(header, 0, 20));
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  await t.step("property: a changed 32-bit field matches full recomputation", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (header, addr) => {
          header[0] = 0x45;
          header[10] = 0;
          header[11] = 0;
          const before = internetChecksum(header, 0, 20);
          const dv = new DataView(header.buffer);
          const oldAddr = dv.getUint32(12);
          dv.setUint32(12, addr);
          const adjusted = checksumAdjust32(before, oldAddr, addr);
          assert.equal(adjusted, internetChecksum(header, 0, 20));
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
