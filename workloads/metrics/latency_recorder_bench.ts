/**
 * Cost of merging the latency histograms of a run's client machines (what `aggregateClients`
 * does per class after every experiment point): 8 WebAssembly recorders of 1500 samples each,
 * merged one by one into a packed recorder, or with {@link LatencyRecorder.mergedSummary}.
 * Both give the same summary and encoded form (see the tests). Reported, never asserted.
 *
 * @module
 */
import { LatencyRecorder } from "./latency_recorder.ts";

const MACHINES = 8;
const SAMPLES = 1500;

function sources(): LatencyRecorder[] {
  const out: LatencyRecorder[] = [];
  let x = 12345;
  for (let m = 0; m < MACHINES; m++) {
    const r = new LatencyRecorder();
    for (let i = 0; i < SAMPLES; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      r.record(8000 + (x % 40_000)); // 8..48 µs, the bench's memcached range
    }
    out.push(r);
  }
  return out;
}

const srcs = sources();

Deno.bench("merge 8 machines one by one into packed, summary, encode", { group: "merge" }, () => {
  const r = new LatencyRecorder({ mode: "packed" });
  for (const s of srcs) r.merge(s);
  r.summary();
  r.encode();
  r.destroy();
});

Deno.bench(
  "LatencyRecorder.mergedSummary of 8 machines",
  { group: "merge", baseline: true },
  () => {
    LatencyRecorder.mergedSummary(srcs);
  },
);

Deno.bench("record one sample (wasm)", { group: "record" }, () => {
  (srcs[0] as LatencyRecorder).record(12_345);
});
