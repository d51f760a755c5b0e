/**
 * A batch of distinct frames in one arena (2048-byte slots), for classification benchmarks.
 *
 * @module
 */
import { formatIpv4Address } from "./addr.ts";
import { buildTestFrame, type TestFrameSpec } from "./_test_frames.ts";

/** Frames packed in one buffer: frame i at offsets[i], length lengths[i]. */
export interface FrameBatch {
  /** The arena. */
  readonly bytes: Uint8Array;
  /** Start of each frame. */
  readonly offsets: Int32Array;
  /** Length of each frame. */
  readonly lengths: Int32Array;
}

/** UDP flow number `i` of the benchmark population (distinct source address and port). */
export function benchFlow(
  i: number,
): TestFrameSpec & { srcPort: number; dstPort: number; srcIp: string; dstIp: string } {
  return {
    proto: 17,
    srcIp: formatIpv4Address((0x0a000000 + (i >> 4)) >>> 0),
    dstIp: "10.1.0.1",
    srcPort: 1024 + (i & 0xfff),
    dstPort: 11211,
  };
}

/** Builds `n` frames of flows `flowOf(0..n-1)` with `payload` bytes each. */
export function buildFrameBatch(
  n: number,
  payload: number,
  flowOf: (i: number) => ReturnType<typeof benchFlow> = benchFlow,
): FrameBatch {
  const bytes = new Uint8Array(n * 2048);
  const offsets = new Int32Array(n);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const f = buildTestFrame({ ...flowOf(i), payload });
    bytes.set(f, i * 2048);
    offsets[i] = i * 2048;
    lengths[i] = f.length;
  }
  return { bytes, offsets, lengths };
}
