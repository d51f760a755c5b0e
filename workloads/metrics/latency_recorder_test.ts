import assert from "node:assert/strict";
import fc from "fast-check";
import { LatencyRecorder } from "./latency_recorder.ts";

Deno.test("LatencyRecorder", async (t) => {
  for (const mode of ["wasm", "packed"] as const) {
    await t.step(`${mode}: percentiles of 1..10000 µs within 0.1%`, () => {
      const r = new LatencyRecorder({ mode });
      for (let i = 1; i <= 10_000; i++) r.record(i * 1000);
      const s = r.summary();
      assert.equal(s.count, 10_000);
      assert.equal(s.minNs, 1000);
      assert.equal(s.maxNs, 10_000_000);
      for (
        const [got, want] of [[s.p50Ns, 5e6], [s.p90Ns, 9e6], [s.p99Ns, 9.9e6], [s.p999Ns, 9.99e6]]
      ) {
        assert.ok(Math.abs((got as number) / (want as number) - 1) < 0.001, `${got} vs ${want}`);
      }
      assert.ok(Math.abs(s.meanNs / 5_000_500 - 1) < 0.001);
      r.destroy();
    });
  }

  await t.step("merging equals recording everything in one (also across modes)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 200 }),
        (xs, ys) => {
          const a = new LatencyRecorder({ mode: "wasm" });
          const b = new LatencyRecorder({ mode: "packed" });
          const all = new LatencyRecorder({ mode: "wasm" });
          xs.forEach((x) => (a.record(x), all.record(x)));
          ys.forEach((y) => (b.record(y), all.record(y)));
          a.merge(b);
          assert.deepEqual(a.summary(), all.summary());
          [a, b, all].forEach((r) => r.destroy());
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("encode/decode keeps counts and percentiles", () => {
    const r = new LatencyRecorder();
    for (let i = 0; i < 5000; i++) r.record(1000 + ((i * 7919) % 100_000));
    const copy = LatencyRecorder.decode(r.encode(), { mode: "packed" });
    assert.equal(copy.count, r.count);
    for (const p of [50, 90, 99, 99.9]) assert.equal(copy.percentile(p), r.percentile(p));
    r.destroy();
    copy.destroy();
    assert.throws(
      () => LatencyRecorder.decode("not a histogram"),
      /Cannot decode latency histogram/,
    );
  });

  await t.step("mergedPacked and mergedSummary give exactly what merging one by one gives", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.integer({ min: 0, max: 1e10 }), { maxLength: 60 }),
          { minLength: 1, maxLength: 6 },
        ),
        (groups) => {
          const sources = groups.map((xs) => {
            const r = new LatencyRecorder({ mode: "wasm" });
            for (const x of xs) r.record(x);
            return r;
          });
          const oneByOne = new LatencyRecorder({ mode: "packed" });
          for (const s of sources) oneByOne.merge(s);
          const merged = LatencyRecorder.mergedPacked(sources);
          assert.equal(merged.mode, "packed");
          assert.equal(merged.encode(), oneByOne.encode());
          assert.deepEqual(merged.summary(), oneByOne.summary());
          assert.deepEqual(LatencyRecorder.mergedSummary(sources), {
            summary: oneByOne.summary(),
            encoded: oneByOne.encode(),
          });
          for (const r of [...sources, oneByOne, merged]) r.destroy();
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  });

  await t.step("mergedPacked of packed sources falls back to merging one by one", () => {
    const a = new LatencyRecorder({ mode: "packed" });
    const b = new LatencyRecorder({ mode: "wasm" });
    a.record(5);
    b.record(70_000);
    const m = LatencyRecorder.mergedPacked([a, b]);
    assert.equal(m.count, 2);
    assert.equal(m.summary().maxNs, 70_000);
    for (const r of [a, b, m]) r.destroy();
  });

  await t.step("corrected recording back-fills the samples a stalled client missed", () => {
    const r = new LatencyRecorder({ mode: "packed" });
    r.recordCorrected(10_000, 1000);
    // 10000, 9000, ..., 1000: the stall hides nine sends at 1 µs intervals.
    assert.equal(r.count, 10);
    assert.equal(r.summary().minNs, 1000);
    r.recordCorrected(500, 1000);
    assert.equal(r.count, 11);
    r.destroy();
  });

  await t.step("an empty recorder summarises to zeros", () => {
    const r = new LatencyRecorder({ mode: "packed" });
    assert.deepEqual(Object.values(r.summary()), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    r.destroy();
  });

  await t.step("a summary follows every later sample and merge", () => {
    const r = new LatencyRecorder({ mode: "wasm" });
    r.record(1000);
    assert.equal(r.summary().count, 1);
    assert.equal(r.summary(), r.summary());
    r.record(5000);
    assert.deepEqual([r.summary().count, r.summary().maxNs], [2, 5000]);
    r.recordCorrected(9000, 4000);
    assert.equal(r.summary().count, 4);
    const other = new LatencyRecorder({ mode: "packed" });
    other.record(100);
    r.merge(other);
    assert.deepEqual([r.summary().count, r.summary().minNs], [5, 100]);
    const fresh = LatencyRecorder.decode(r.encode(), { mode: "packed" });
    assert.equal(fresh.summary().p50Ns, r.summary().p50Ns);
    other.destroy();
    fresh.destroy();
    r.destroy();
    assert.throws(() => r.summary(), /Latency recorder was destroyed/);
  });

  await t.step("rejects bad values, options and use after destroy", () => {
    const r = new LatencyRecorder({ mode: "packed" });
    assert.throws(() => r.record(-1), /Latency -1 ns is invalid: must be an integer >= 0/);
    assert.throws(() => r.record(1.5), /Latency 1.5 ns is invalid/);
    assert.throws(() => r.percentile(101), /Percentile 101 is invalid: must be in 0\.\.100/);
    assert.throws(() => r.recordCorrected(5, 0), /Expected interval 0 ns is invalid/);
    r.destroy();
    r.destroy();
    assert.throws(() => r.record(1), /Latency recorder was destroyed/);
    assert.throws(
      () => new LatencyRecorder({ mode: "x" as never }),
      /mode "x" is unknown: allowed wasm, packed/,
    );
    assert.throws(
      () => new LatencyRecorder({ significantDigits: 6 as never }),
      /digits 6 is invalid/,
    );
  });
});
