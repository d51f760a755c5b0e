/**
 * Shared test data for the pcap tests (not part of the public surface).
 *
 * @module
 */
import fc from "fast-check";
import type { PcapFrameInput } from "./memory.ts";

/** Arbitrary frames with timestamps anywhere in the 32-bit second range. */
export const framesArb: fc.Arbitrary<PcapFrameInput[]> = fc.array(
  fc.record({
    tsNs: fc.bigInt({ min: 0n, max: 4_294_967_295_999_999_999n }),
    data: fc.uint8Array({ maxLength: 300 }),
    extra: fc.nat(100),
  }).map(({ tsNs, data, extra }) => ({ tsNs, data, origLen: data.length + extra })),
  { maxLength: 20 },
);
