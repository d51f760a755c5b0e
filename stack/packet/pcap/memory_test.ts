import { deepStrictEqual, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { decodePcap, encodePcap } from "./memory.ts";
import { framesArb } from "./_test_frames.ts";
import { PcapError, PcapErrorCode, type PcapErrorCodeValue } from "./error.ts";

function rejects(bytes: Uint8Array, code: PcapErrorCodeValue, offset: number, text: string): void {
  throws(
    () => decodePcap(bytes, "d.pcap"),
    (e: unknown) => {
      ok(e instanceof PcapError, String(e));
      deepStrictEqual(e.code, code);
      deepStrictEqual(e.offset, offset);
      ok(e.message.includes(text), e.message);
      return true;
    },
  );
}

function twoFrames(): Uint8Array {
  return encodePcap([
    { tsNs: 1_000_000_000n, data: new Uint8Array(60).fill(1) },
    { tsNs: 2_000_000_000n, data: new Uint8Array(42).fill(2) },
  ], { snaplen: 100 });
}

Deno.test("encodePcap and decodePcap", async (t) => {
  await t.step("round-trip frames, lengths and timestamps in every variant", () => {
    fc.assert(
      fc.property(
        framesArb,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        (frames, nanosecond, bigEndian, snaplen) => {
          const { header, records } = decodePcap(
            encodePcap(frames, { nanosecond, bigEndian, snaplen }),
          );
          deepStrictEqual([header.nanosecond, header.littleEndian, header.snaplen], [
            nanosecond,
            !bigEndian,
            snaplen,
          ]);
          deepStrictEqual(records.length, frames.length);
          for (const [i, f] of frames.entries()) {
            const r = records[i];
            ok(r);
            const keep = Math.min(f.data.length, snaplen);
            deepStrictEqual(r.data, f.data.slice(0, keep));
            deepStrictEqual(r.capLen, keep);
            deepStrictEqual(r.origLen, f.origLen);
            const expected = nanosecond ? f.tsNs : f.tsNs - f.tsNs % 1000n;
            deepStrictEqual(r.tsNs, expected);
            deepStrictEqual(BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec), expected);
          }
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("an empty capture is just the header", () => {
    const bytes = encodePcap([]);
    deepStrictEqual(bytes.length, 24);
    deepStrictEqual(decodePcap(bytes).records, []);
  });

  await t.step("a truncated record header is named with its offset", () => {
    // File header 24 + record 16+60 = 100; the second record header starts at 100.
    rejects(twoFrames().slice(0, 110), PcapErrorCode.TruncatedRecordHeader, 100, "10 of 16 bytes");
  });

  await t.step("truncated record data is named with its offset", () => {
    rejects(
      twoFrames().slice(0, 130),
      PcapErrorCode.TruncatedRecordData,
      116,
      "header says 42 captured bytes, only 14",
    );
  });

  await t.step("a captured length above the snaplen is rejected", () => {
    const bytes = twoFrames();
    new DataView(bytes.buffer).setUint32(16, 50, true); // snaplen 50 < 60
    rejects(bytes, PcapErrorCode.CapLenExceedsSnaplen, 32, "snaplen of 50");
  });

  await t.step("a captured length above 262144 is rejected before reading it", () => {
    const bytes = twoFrames();
    new DataView(bytes.buffer).setUint32(108, 0x7fffffff, true);
    rejects(bytes, PcapErrorCode.CapLenTooLarge, 108, "above the pcap maximum of 262144");
  });

  await t.step("a microsecond field of a million is rejected", () => {
    const bytes = twoFrames();
    new DataView(bytes.buffer).setUint32(28, 1_000_000, true);
    rejects(bytes, PcapErrorCode.BadTimestampFraction, 28, "must be below 1000000");
  });

  await t.step("random damage never throws anything but PcapError", () => {
    fc.assert(
      fc.property(
        framesArb,
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        fc.nat(),
        (frames, at, junk, cut) => {
          const bytes = encodePcap(frames);
          const pos = 24 + at % Math.max(1, bytes.length - 24);
          bytes.set(junk.subarray(0, Math.max(0, bytes.length - pos)), pos);
          const damaged = bytes.slice(0, Math.max(0, bytes.length - cut % 40));
          try {
            decodePcap(damaged);
          } catch (e) {
            ok(e instanceof PcapError, String(e));
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("encodePcap refuses impossible lengths and timestamps", () => {
    throws(() => encodePcap([{ tsNs: -1n, data: new Uint8Array(1) }]), /frame 0/);
    throws(
      () => encodePcap([{ tsNs: 0n, data: new Uint8Array(10), origLen: 9 }]),
      /10\.\.4294967295/,
    );
  });
});
