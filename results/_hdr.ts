/**
 * Private HdrHistogram helpers behind `histogram.ts`: decode the stored compressed base64, merge
 * by adding counts, derive statistics and CDF points from a live histogram.
 *
 * Uses `hdr-histogram-js` in its WebAssembly mode (set up on first use; several times faster
 * than its JavaScript arrays at deriving statistics). Every histogram returned here holds
 * memory outside the JS heap: call `destroy()`.
 *
 * @module
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
  initWebAssemblySync,
} from "hdr-histogram-js";
import type { LatencyMetrics } from "./schema.ts";

/** Thrown when a stored histogram cannot be decoded. */
export class HistogramDecodeError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "HistogramDecodeError";
  }
}

let wasmReady = false;

function ensureWasm(): void {
  if (!wasmReady) {
    initWebAssemblySync();
    wasmReady = true;
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes one HdrHistogram compressed base64 string; the caller must `destroy()` the result.
 *
 * @throws {HistogramDecodeError} when the text is not base64 or not a compressed histogram.
 */
export function decodeHistogram(encoded: string): Histogram {
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new HistogramDecodeError(
      `Histogram text of ${encoded.length} characters is not base64; allowed: the output of ` +
        "hdr-histogram-js encodeIntoCompressedBase64",
    );
  }
  try {
    ensureWasm();
    const h = decodeFromCompressedBase64(encoded, 64, true);
    if (!Number.isSafeInteger(h.totalCount) || h.totalCount < 0) {
      h.destroy();
      throw new Error(`total count ${h.totalCount} is not a non-negative integer`);
    }
    return h;
  } catch (err) {
    if (err instanceof HistogramDecodeError) throw err;
    throw new HistogramDecodeError(
      `Histogram cannot be decoded (${
        err instanceof Error ? err.message : String(err)
      }); allowed: the output of hdr-histogram-js encodeIntoCompressedBase64`,
    );
  }
}

/** An empty histogram that grows to any value; the caller must `destroy()` it. */
export function emptyHistogram(significantDigits: 1 | 2 | 3 | 4 | 5 = 3): Histogram {
  ensureWasm();
  return build({
    bitBucketSize: 64,
    useWebAssembly: true,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: significantDigits,
  });
}

/**
 * Merges encoded histograms by adding their counts; the caller must `destroy()` the result.
 *
 * @throws {HistogramDecodeError} when one of them cannot be decoded.
 */
export function mergeHistograms(encoded: readonly string[]): Histogram {
  const total = emptyHistogram();
  try {
    for (const text of encoded) {
      const h = decodeHistogram(text);
      try {
        total.add(h);
      } finally {
        h.destroy();
      }
    }
  } catch (err) {
    total.destroy();
    throw err;
  }
  return total;
}

/** Encodes a histogram back to compressed base64 (what {@link decodeHistogram} reads). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/**
 * The statistics a result stores beside the histogram (all at the histogram's precision).
 * Returns null for an empty histogram: a run without completions has no latency.
 */
export function latencyMetricsOf(h: Histogram, encoded?: string): LatencyMetrics | null {
  const count = h.totalCount;
  if (count === 0) return null;
  return {
    unit: "ns",
    histogram: encoded ?? encodeIntoCompressedBase64(h),
    count,
    min: h.getValueAtPercentile(0),
    mean: h.mean,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    p9999: h.getValueAtPercentile(99.99),
    max: h.maxValue,
  };
}

/** One point of a latency CDF: the fraction of samples at or below `latencyNs`. */
export interface CdfPoint {
  /** Latency (ns, at the histogram's precision). */
  readonly latencyNs: number;
  /** Fraction of samples at or below it, 0..1. */
  readonly fraction: number;
}

/** Percentiles at which {@link cdfPoints} samples: every 1% plus finer steps in the tail. */
export const CDF_PERCENTILES: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 0; p < 99; p++) out.push(p);
  for (let p = 990; p < 999; p++) out.push(p / 10);
  for (let p = 9990; p < 9999; p++) out.push(p / 100);
  out.push(99.99, 99.999, 100);
  return out;
})();

/**
 * CDF points of a histogram at {@link CDF_PERCENTILES}, with repeated latencies collapsed to
 * their largest fraction; empty for an empty histogram.
 */
export function cdfPoints(h: Histogram): CdfPoint[] {
  if (h.totalCount === 0) return [];
  const out: CdfPoint[] = [];
  for (const p of CDF_PERCENTILES) {
    const latencyNs = h.getValueAtPercentile(p);
    const fraction = p / 100;
    const last = out[out.length - 1];
    if (last !== undefined && last.latencyNs === latencyNs) {
      out[out.length - 1] = { latencyNs, fraction };
    } else {
      out.push({ latencyNs, fraction });
    }
  }
  return out;
}
