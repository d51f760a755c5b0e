import assert from "node:assert/strict";
import { LatencyRecorder } from "../metrics/latency_recorder.ts";
import { ClassRecorders } from "./_class_recorders.ts";

Deno.test("ClassRecorders", async (t) => {
  const samples = [5000, 120, 77_000, 3_000_000, 950, 4_000_000_000, 64];

  await t.step("one class in use: overall encodes exactly like a separate overall recorder", () => {
    const r = new ClassRecorders(2, [1, 1, 1], "wasm");
    const separate = new LatencyRecorder({ mode: "wasm" });
    for (const ns of samples) {
      r.record(1, ns);
      separate.record(ns);
    }
    r.recordCorrected(1, 9000, 1000);
    separate.recordCorrected(9000, 1000);
    assert.equal(r.overall.encode(), separate.encode());
    assert.deepEqual(r.overall.summary(), separate.summary());
    assert.equal(r.byClass[0]?.count, 0);
    r.destroy();
    separate.destroy();
  });

  await t.step("mixed classes: overall holds every class's samples", () => {
    const r = new ClassRecorders(2, [0, 1], "packed");
    samples.forEach((ns, i) => r.record(i % 2, ns));
    assert.notEqual(r.overall, r.byClass[0]);
    assert.notEqual(r.overall, r.byClass[1]);
    assert.equal(r.overall.count, samples.length);
    assert.equal((r.byClass[0]?.count ?? 0) + (r.byClass[1]?.count ?? 0), samples.length);
    r.destroy();
  });
});
