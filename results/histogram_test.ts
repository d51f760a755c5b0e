import assert from "node:assert/strict";
import fc from "fast-check";
import {
  cdfPoints,
  decodeHistogram,
  emptyHistogram,
  encodeHistogram,
  HistogramDecodeError,
  latencyMetricsFromEncoded,
  mergeHistograms,
} from "./histogram.ts";

function encodeValues(values: readonly number[]): string {
  const h = emptyHistogram();
  try {
    for (const v of values) h.recordValue(v);
    return encodeHistogram(h);
  } finally {
    h.destroy();
  }
}

const samples = fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 60 });

Deno.test("histogram helpers", async (t) => {
  await t.step("merging encoded histograms equals recording every sample once (property)", () => {
    fc.assert(
      fc.property(samples, samples, (a, b) => {
        const merged = mergeHistograms([encodeValues(a), encodeValues(b)]);
        const direct = decodeHistogram(encodeValues([...a, ...b]));
        try {
          assert.equal(merged.totalCount, a.length + b.length);
          for (const p of [0, 50, 90, 99, 100]) {
            assert.equal(merged.getValueAtPercentile(p), direct.getValueAtPercentile(p));
          }
        } finally {
          merged.destroy();
          direct.destroy();
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("derives count, ordered percentiles and the mean within the precision", () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000);
    const m = latencyMetricsFromEncoded(encodeValues(values));
    assert.ok(m !== null);
    assert.equal(m.count, 1000);
    assert.equal(m.unit, "ns");
    assert.ok(Math.abs(m.p50 - 500_000) <= 500_000 * 1e-3);
    assert.ok(Math.abs(m.p99 - 990_000) <= 990_000 * 1e-3);
    assert.ok(Math.abs(m.mean - 500_500) <= 500_500 * 1e-3);
    assert.ok(
      m.min <= m.p50 && m.p50 <= m.p90 && m.p90 <= m.p99 && m.p99 <= m.p999 && m.p999 <= m.max,
    );
  });

  await t.step("an empty histogram has no latency and no CDF", () => {
    assert.equal(latencyMetricsFromEncoded(encodeValues([])), null);
    const h = emptyHistogram();
    assert.deepEqual(cdfPoints(h), []);
    h.destroy();
  });

  await t.step("CDF points rise in both latency and fraction and end at 1 (property)", () => {
    fc.assert(
      fc.property(samples, (values) => {
        const h = decodeHistogram(encodeValues(values));
        try {
          const cdf = cdfPoints(h);
          assert.equal(cdf[cdf.length - 1]?.fraction, 1);
          for (let i = 1; i < cdf.length; i++) {
            assert.ok((cdf[i]?.latencyNs ?? 0) > (cdf[i - 1]?.latencyNs ?? 0));
            assert.ok((cdf[i]?.fraction ?? 0) > (cdf[i - 1]?.fraction ?? 0));
          }
        } finally {
          h.destroy();
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("rejects text that is not a compressed histogram with a clear error", () => {
    for (const text of ["", "abc", "not base64!", "AAAAAAAA", btoa("hello world!")]) {
      assert.throws(() => decodeHistogram(text), HistogramDecodeError);
    }
  });

  await t.step(
    "corrupted encodings throw HistogramDecodeError or decode, never crash (property)",
    () => {
      const good = encodeValues([1000, 2000, 3000, 40_000]);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: good.length - 1 }),
          fc.integer({ min: 0, max: 63 }),
          (at, c) => {
            const bad = good.slice(0, at) + alphabet[c] + good.slice(at + 1);
            try {
              decodeHistogram(bad).destroy();
            } catch (err) {
              assert.ok(err instanceof HistogramDecodeError, String(err));
            }
          },
        ),
        { seed: 42, numRuns: 100 },
      );
    },
  );
});
