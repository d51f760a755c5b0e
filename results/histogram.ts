/**
 * Latency histograms of results, as stored: HdrHistogram compressed base64 strings
 * (`hdr-histogram-js` `encodeIntoCompressedBase64`). Merge repetitions by adding counts, never
 * by averaging percentiles (STYLE.md point 12, workloads.md §9); derive the reported statistics
 * and CDF points from the merged histogram.
 *
 * @module
 */
import {
  CDF_PERCENTILES,
  type CdfPoint,
  cdfPoints,
  decodeHistogram,
  emptyHistogram,
  encodeHistogram,
  HistogramDecodeError,
  latencyMetricsOf,
  mergeHistograms,
} from "./_hdr.ts";
import type { LatencyMetrics } from "./schema.ts";

export { CDF_PERCENTILES, type CdfPoint, HistogramDecodeError };

/**
 * Records latencies (integer ns >= 0) into a fresh histogram (3 significant digits) and
 * returns its compressed base64: a convenience for tests, examples and small producers.
 *
 * @throws {RangeError} for a negative, fractional or unsafe value.
 */
export function encodeLatencies(values: Iterable<number>): string {
  const h = emptyHistogram();
  try {
    for (const v of values) {
      if (!(v >= 0) || !Number.isSafeInteger(v)) {
        throw new RangeError(`Latency ${v} ns is invalid: must be an integer >= 0`);
      }
      h.recordValue(v);
    }
    return encodeHistogram(h);
  } finally {
    h.destroy();
  }
}

/**
 * Derives the stored statistics of one encoded histogram; null when it holds no samples.
 *
 * @throws {HistogramDecodeError} when the text is not a compressed histogram.
 */
export function latencyMetricsFromEncoded(encoded: string): LatencyMetrics | null {
  const h = decodeHistogram(encoded);
  try {
    return latencyMetricsOf(h, encoded);
  } finally {
    h.destroy();
  }
}

/**
 * Merges encoded histograms by adding counts and returns the merged one, encoded.
 *
 * @throws {HistogramDecodeError} when one of them cannot be decoded.
 */
export function mergeEncoded(encoded: readonly string[]): string {
  const h = mergeHistograms(encoded);
  try {
    return encodeHistogram(h);
  } finally {
    h.destroy();
  }
}

/**
 * Statistics of the merge of encoded histograms (one histogram: its own statistics); null when
 * the merge holds no samples.
 *
 * @throws {HistogramDecodeError} when one of them cannot be decoded.
 */
export function mergedLatencyMetrics(encoded: readonly string[]): LatencyMetrics | null {
  if (encoded.length === 1) return latencyMetricsFromEncoded(encoded[0] as string);
  const h = mergeHistograms(encoded);
  try {
    return latencyMetricsOf(h);
  } finally {
    h.destroy();
  }
}

/**
 * CDF points of the merge of encoded histograms, sampled at {@link CDF_PERCENTILES} (repeated
 * latencies collapsed to their largest fraction); empty when there are no samples.
 *
 * @throws {HistogramDecodeError} when one of them cannot be decoded.
 */
export function mergedCdf(encoded: readonly string[]): CdfPoint[] {
  const h = mergeHistograms(encoded);
  try {
    return cdfPoints(h);
  } finally {
    h.destroy();
  }
}
