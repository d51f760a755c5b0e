/**
 * Latency recording over HDR histograms (hdr-histogram-js), mergeable across runs.
 *
 * Source: workloads.md §9 (HDR histograms; merge by adding counts, never average percentiles;
 * report count, min, max, mean, p50, p90, p99, p99.9, p99.99) and STYLE.md point 12.
 *
 * @module
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
  initWebAssemblySync,
  JsHistogram,
} from "hdr-histogram-js";

/** Histogram implementation: hdr-histogram-js's WebAssembly build or its packed JS array. */
export type HistogramMode = "wasm" | "packed";

/** Options of a {@link LatencyRecorder}. */
export interface LatencyRecorderOptions {
  /** Implementation (default "wasm"). Both give identical counts; packed needs no WebAssembly. */
  readonly mode?: HistogramMode;
  /** Significant decimal digits kept, 1..5 (default 3: relative error about 0.1%). */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
}

/** What a latency report shows (all in ns). */
export interface LatencySummary {
  /** Samples recorded. */
  readonly count: number;
  /** Smallest sample (exact unless the recorder was decoded). */
  readonly minNs: number;
  /** Largest sample (exact unless the recorder was decoded). */
  readonly maxNs: number;
  /** Mean, at the histogram's precision. */
  readonly meanNs: number;
  /** Median. */
  readonly p50Ns: number;
  /** 90th percentile. */
  readonly p90Ns: number;
  /** 99th percentile. */
  readonly p99Ns: number;
  /** 99.9th percentile. */
  readonly p999Ns: number;
  /** 99.99th percentile. */
  readonly p9999Ns: number;
}

let wasmReady = false;

/** The resize bookkeeping of hdr-histogram-js's JS histograms that a WebAssembly merge replays. */
interface JsInternals {
  readonly countsArrayLength: number;
  highestEquivalentValue(value: number): number;
  valueFromIndex(index: number): number;
  resize(newHighestTrackableValue: number): void;
}

/**
 * A plain 64-bit JS histogram holding the counts of WebAssembly histogram `h`: hdr-histogram-js
 * decodes `h`'s uncompressed V2 encoding, which is what `decodeFromCompressedBase64(
 * encodeIntoCompressedBase64(h), 64, false)` decodes after a deflate and an inflate.
 */
function plainCopy(h: Histogram): Histogram {
  const encoded = (h as unknown as { encode(): Uint8Array }).encode();
  const decode = (JsHistogram as unknown as {
    decode(data: Uint8Array, bitBucketSize: 64, minBarForHighestTrackableValue: number): Histogram;
  }).decode;
  return decode(encoded, 64, 0);
}

/**
 * An empty plain 64-bit JS histogram built like a packed recorder's: the V2 encoding does not
 * depend on how counts are stored, so it encodes exactly as a packed one with the same counts
 * and range, and adds and encodes without the packed array's lookups.
 */
function newPlainHistogram(digits: number): Histogram {
  return build({
    bitBucketSize: 64,
    useWebAssembly: false,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5,
  });
}

function newHistogram(mode: HistogramMode, digits: number): Histogram {
  if (mode === "wasm" && !wasmReady) {
    initWebAssemblySync();
    wasmReady = true;
  }
  return build({
    bitBucketSize: mode === "wasm" ? 64 : "packed",
    useWebAssembly: mode === "wasm",
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5,
  });
}

/**
 * Records latencies in integer nanoseconds into an HDR histogram.
 *
 * Record from the intended send time (open loop) so stalls are not hidden; for closed-loop
 * sources {@link LatencyRecorder.recordCorrected} back-fills the samples a stalled client did
 * not send. Call {@link LatencyRecorder.destroy} when done: the WebAssembly mode holds memory
 * outside the JS heap.
 *
 * @example
 * ```ts
 * import { LatencyRecorder } from "./latency_recorder.ts";
 * const r = new LatencyRecorder({ mode: "packed" });
 * for (let i = 1; i <= 100; i++) r.record(i * 1000);
 * const s = r.summary();
 * r.destroy();
 * if (s.count !== 100 || s.maxNs !== 100_000) throw new Error("unexpected");
 * ```
 */
export class LatencyRecorder {
  /** Implementation in use. */
  readonly mode: HistogramMode;
  /** Significant digits kept. */
  readonly significantDigits: number;
  #h: Histogram | null;
  #min = Infinity;
  #max = -Infinity;
  /**
   * The last summary made, until a sample or a merge changes the histogram (a summary scans the
   * whole counts array, and a run's report reads each recorder's summary several times).
   */
  #summary: LatencySummary | null = null;

  /** Creates an empty recorder. */
  constructor(options: LatencyRecorderOptions = {}) {
    this.mode = options.mode ?? "wasm";
    if (this.mode !== "wasm" && this.mode !== "packed") {
      throw new RangeError(
        `Histogram mode "${String(this.mode)}" is unknown: allowed wasm, packed`,
      );
    }
    const digits = options.significantDigits ?? 3;
    if (!Number.isInteger(digits) || digits < 1 || digits > 5) {
      throw new RangeError(`Histogram significant digits ${digits} is invalid: must be 1..5`);
    }
    this.significantDigits = digits;
    this.#h = newHistogram(this.mode, digits);
  }

  /**
   * Rebuilds a recorder from {@link LatencyRecorder.encode} output (min and max then come from
   * the histogram, at its precision).
   */
  static decode(encoded: string, options: LatencyRecorderOptions = {}): LatencyRecorder {
    const r = new LatencyRecorder(options);
    let other: Histogram;
    try {
      other = decodeFromCompressedBase64(encoded, 64, false);
    } catch (err) {
      r.destroy();
      throw new Error(
        `Cannot decode latency histogram: ${err instanceof Error ? err.message : String(err)}; ` +
          "allowed: the output of LatencyRecorder.encode()",
      );
    }
    r.#addHistogram(
      other,
      other.totalCount === 0 ? Infinity : other.minNonZeroValue,
      other.maxValue,
    );
    other.destroy();
    return r;
  }

  /** Records one latency (integer ns >= 0). */
  record(ns: number): void {
    const h = this.#live();
    if (!(ns >= 0) || ns !== Math.floor(ns) || ns > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`Latency ${ns} ns is invalid: must be an integer >= 0`);
    }
    h.recordValue(ns);
    this.#summary = null;
    if (ns < this.#min) this.#min = ns;
    if (ns > this.#max) this.#max = ns;
  }

  /**
   * Records `ns` and back-fills the samples a closed-loop client missed while stalled:
   * ns − k·interval for k = 1, 2, ... while they are at least one interval (HdrHistogram's
   * record with expected interval).
   */
  recordCorrected(ns: number, expectedIntervalNs: number): void {
    if (!(expectedIntervalNs > 0) || !Number.isFinite(expectedIntervalNs)) {
      throw new RangeError(
        `Expected interval ${expectedIntervalNs} ns is invalid: must be a finite number > 0`,
      );
    }
    this.record(ns);
    for (let v = ns - expectedIntervalNs; v >= expectedIntervalNs; v -= expectedIntervalNs) {
      this.record(Math.round(v));
    }
  }

  /** Adds every sample of `other` (runs or repetitions are merged, never averaged). */
  merge(other: LatencyRecorder): void {
    const source = other.#live();
    this.#live();
    if (other.mode === this.mode) {
      this.#addHistogram(source, other.#min, other.#max);
      return;
    }
    const copy = decodeFromCompressedBase64(
      encodeIntoCompressedBase64(source),
      this.mode === "wasm" ? 64 : "packed",
      this.mode === "wasm",
    );
    this.#addHistogram(copy, other.#min, other.#max);
    copy.destroy();
  }

  /**
   * Merges `sources` into a new packed recorder with the same counts, min, max and encoded form
   * as merging them one by one into a packed recorder, but with one WebAssembly merge and one
   * conversion instead of one conversion per source (each is a compress and a decompress).
   *
   * The packed histogram's auto-resize follows each source's largest value in turn, so its
   * encoded range header stays what one-by-one merging gives.
   */
  static mergedPacked(sources: readonly LatencyRecorder[]): LatencyRecorder {
    const { packed, wasm } = LatencyRecorder.#mergeBoth(sources);
    wasm?.destroy();
    return packed;
  }

  /**
   * The summary and encoded form of `sources` merged, exactly as a packed recorder merging them
   * one by one gives them (see {@link LatencyRecorder.mergedPacked}); the summary is read from
   * the WebAssembly merge, which runs the same arithmetic over the same counts, and the encoded
   * form from a plain 64-bit JS histogram taking the packed recorder's place (same resizes, same
   * counts, same encoding).
   */
  static mergedSummary(
    sources: readonly LatencyRecorder[],
  ): { readonly summary: LatencySummary; readonly encoded: string } {
    const digits = LatencyRecorder.#wasmDigits(sources);
    if (digits === null) {
      const packed = LatencyRecorder.mergedPacked(sources);
      try {
        return { summary: packed.summary(), encoded: packed.encode() };
      } finally {
        packed.destroy();
      }
    }
    const w = new LatencyRecorder({ mode: "wasm", significantDigits: digits });
    const plain = newPlainHistogram(digits);
    try {
      LatencyRecorder.#mergeVia(w, sources, plain);
      return { summary: w.summary(), encoded: encodeIntoCompressedBase64(plain) };
    } finally {
      plain.destroy();
      w.destroy();
    }
  }

  /** The sources' significant digits when all are WebAssembly recorders with the same, else null. */
  static #wasmDigits(sources: readonly LatencyRecorder[]): 1 | 2 | 3 | 4 | 5 | null {
    const digits = (sources[0]?.significantDigits ?? 3) as 1 | 2 | 3 | 4 | 5;
    const mixed = sources.some((s) => s.mode !== "wasm" || s.significantDigits !== digits);
    return mixed ? null : digits;
  }

  static #mergeBoth(
    sources: readonly LatencyRecorder[],
  ): { packed: LatencyRecorder; wasm: LatencyRecorder | null } {
    const first = (sources[0]?.significantDigits ?? 3) as 1 | 2 | 3 | 4 | 5;
    const r = new LatencyRecorder({ mode: "packed", significantDigits: first });
    const digits = LatencyRecorder.#wasmDigits(sources);
    if (digits === null) {
      for (const s of sources) r.merge(s);
      return { packed: r, wasm: null };
    }
    const w = new LatencyRecorder({ mode: "wasm", significantDigits: digits });
    try {
      LatencyRecorder.#mergeVia(w, sources, r.#live());
      r.#summary = null;
      if (w.#min < r.#min) r.#min = w.#min;
      if (w.#max > r.#max) r.#max = w.#max;
    } catch (err) {
      w.destroy();
      r.destroy();
      throw err;
    }
    return { packed: r, wasm: w };
  }

  /**
   * Merges the WebAssembly `sources` into `w`, then adds that merge to the JS histogram `target`
   * exactly as adding the sources one by one would: first the resizes those adds would make
   * (each grows to its source's highest value), then one add of the merged counts.
   */
  static #mergeVia(
    w: LatencyRecorder,
    sources: readonly LatencyRecorder[],
    target: Histogram,
  ): void {
    const h = target as unknown as JsInternals;
    for (const s of sources) {
      w.#addHistogram(s.#live(), s.#min, s.#max);
      if (s.count === 0) continue;
      // What add() of the decoded copy does first: grow to the copy's highest value.
      const top = h.highestEquivalentValue(s.#max);
      if (h.highestEquivalentValue(h.valueFromIndex(h.countsArrayLength - 1)) < top) {
        h.resize(top);
      }
    }
    // A plain 64-bit copy: adding it reads a Float64Array, not packed counts.
    const copy = plainCopy(w.#live());
    (target as { add(o: Histogram): void }).add(copy);
    copy.destroy();
  }

  /** Samples recorded. */
  get count(): number {
    return this.#live().totalCount;
  }

  /** Value at `percentile` (0..100), at the histogram's precision. */
  percentile(percentile: number): number {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new RangeError(`Percentile ${percentile} is invalid: must be in 0..100`);
    }
    return this.#live().getValueAtPercentile(percentile);
  }

  /** Count, min, max, mean and the standard percentiles; zeros when empty. */
  summary(): LatencySummary {
    const h = this.#live();
    if (this.#summary !== null) return this.#summary;
    this.#summary = this.#summarize(h);
    return this.#summary;
  }

  #summarize(h: Histogram): LatencySummary {
    const count = h.totalCount;
    if (count === 0) {
      return {
        count: 0,
        minNs: 0,
        maxNs: 0,
        meanNs: 0,
        p50Ns: 0,
        p90Ns: 0,
        p99Ns: 0,
        p999Ns: 0,
        p9999Ns: 0,
      };
    }
    return {
      count,
      minNs: this.#min,
      maxNs: this.#max,
      meanNs: h.mean,
      p50Ns: h.getValueAtPercentile(50),
      p90Ns: h.getValueAtPercentile(90),
      p99Ns: h.getValueAtPercentile(99),
      p999Ns: h.getValueAtPercentile(99.9),
      p9999Ns: h.getValueAtPercentile(99.99),
    };
  }

  /** The histogram in HdrHistogram's compressed base64 form, for the JSON result. */
  encode(): string {
    return encodeIntoCompressedBase64(this.#live());
  }

  /** Frees the histogram; the recorder cannot be used afterwards. Safe to call twice. */
  destroy(): void {
    if (this.#h !== null) {
      this.#h.destroy();
      this.#h = null;
    }
  }

  #addHistogram(h: Histogram, min: number, max: number): void {
    (this.#live() as { add(o: Histogram): void }).add(h);
    this.#summary = null;
    if (min < this.#min) this.#min = min;
    if (max > this.#max) this.#max = max;
  }

  #live(): Histogram {
    if (this.#h === null) throw new Error("Latency recorder was destroyed; create a new one");
    return this.#h;
  }
}
