import assert from "node:assert/strict";
import fc from "fast-check";
import {
  encodeLatencies,
  HistogramDecodeError,
  latencyMetricsFromEncoded,
  mergedCdf,
  mergedLatencyMetrics,
  mergeEncoded,
} from "./histogram.ts";

const samples = fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 60 });

Deno.test("histograms", async (t) => {
  await t.step("merging equals recording every sample once (property)", () => {
    fc.assert(
      fc.property(samples, samples, (a, b) => {
        const parts = [encodeLatencies(a), encodeLatencies(b)];
        const direct = latencyMetricsFromEncoded(encodeLatencies([...a, ...b]));
        assert.deepEqual(
          { ...mergedLatencyMetrics(parts), histogram: "" },
          { ...direct, histogram: "" },
        );
        assert.deepEqual(
          { ...latencyMetricsFromEncoded(mergeEncoded(parts)), histogram: "" },
          { ...direct, histogram: "" },
        );
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("derives count, ordered percentiles and the mean within the precision", () => {
    const m = latencyMetricsFromEncoded(
      encodeLatencies(Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000)),
    );
    assert.ok(m !== null);
    assert.equal(m.count, 1000);
    assert.equal(m.unit, "ns");
    const near = (got: number, want: number) =>
      assert.ok(Math.abs(got - want) <= want * 1e-3, `${got} vs ${want}`);
    near(m.p50, 500_000);
    near(m.p99, 990_000);
    near(m.p9999, 1_000_000);
    near(m.mean, 500_500);
    const order = [m.min, m.p50, m.p90, m.p99, m.p999, m.p9999, m.max];
    assert.deepEqual(order, [...order].sort((x, y) => x - y));
  });

  await t.step("a histogram without samples has no latency and no CDF", () => {
    assert.equal(latencyMetricsFromEncoded(encodeLatencies([])), null);
    assert.equal(mergedLatencyMetrics([encodeLatencies([]), encodeLatencies([])]), null);
    assert.deepEqual(mergedCdf([encodeLatencies([])]), []);
  });

  await t.step("CDF points rise in latency and fraction and end at 1 (property)", () => {
    fc.assert(
      fc.property(samples, (values) => {
        const cdf = mergedCdf([encodeLatencies(values)]);
        assert.equal(cdf[cdf.length - 1]?.fraction, 1);
        for (let i = 1; i < cdf.length; i++) {
          assert.ok((cdf[i]?.latencyNs ?? 0) > (cdf[i - 1]?.latencyNs ?? 0));
          assert.ok((cdf[i]?.fraction ?? 0) > (cdf[i - 1]?.fraction ?? 0));
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("rejects bad latencies and text that is not a compressed histogram", () => {
    assert.throws(
      () => encodeLatencies([1, -2]),
      /Latency -2 ns is invalid: must be an integer >= 0/,
    );
    assert.throws(() => encodeLatencies([1.5]), /Latency 1.5 ns is invalid/);
    for (const text of ["", "abc", "not base64!", "AAAAAAAA", btoa("hello world!")]) {
      assert.throws(() => latencyMetricsFromEncoded(text), HistogramDecodeError);
    }
  });

  await t.step(
    "corrupted encodings throw HistogramDecodeError or decode, never crash (property)",
    () => {
      const good = encodeLatencies([1000, 2000, 3000, 40_000]);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: good.length - 1 }),
          fc.integer({ min: 0, max: 63 }),
          (at, c) => {
            const bad = good.slice(0, at) + alphabet[c] + good.slice(at + 1);
            try {
              latencyMetricsFromEncoded(bad);
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
