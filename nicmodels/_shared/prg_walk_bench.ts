/**
 * PRG walk vs behavioural model: frames per second through a configured 82599 PRG (16 queues,
 * RSS, 32 five-tuple rules, 64 Flow Director perfect rules) and through the model's classify.
 * Reported, never asserted: `deno bench --allow-all nicmodels/_shared/prg_walk_bench.ts`.
 *
 * @module
 */
import { buildTestFrame } from "./_test_frames.ts";
import { type FilterRule, RxResult } from "./nic.ts";
import { compilePrgWalker } from "./prg_walk.ts";
import { defaultIntel82599Config } from "../intel_82599/default_config.ts";
import { Intel82599 } from "../intel_82599/model.ts";
import { configure82599Prg } from "../intel_82599/prg_configure.ts";

const filters: FilterRule[] = [];
for (let i = 0; i < 32; i++) {
  filters.push({
    table: "five-tuple",
    match: { proto: 17, dstPort: 2000 + i },
    queue: i % 16,
    priority: 1 + (i % 7),
  });
}
for (let i = 0; i < 64; i++) {
  filters.push({
    table: "fdir-perfect",
    match: { proto: 17, srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 5000 + i, dstPort: 11211 },
    queue: i % 16,
  });
}
const config = {
  ...defaultIntel82599Config(16),
  filters,
  settings: { fdirMode: "perfect", atr: false },
};
const nic = new Intel82599(config);
const walker = compilePrgWalker(configure82599Prg(config));
const frames = Array.from({ length: 256 }, (_, i) =>
  buildTestFrame({
    srcIp: "10.0.0.1",
    dstIp: "10.0.0.2",
    srcPort: 5000 + (i % 96),
    dstPort: i % 3 === 0 ? 2000 + (i % 40) : 11211,
  }));
const out = new RxResult();

Deno.bench("82599 model classify, 256 frames", { group: "82599", baseline: true }, () => {
  for (const f of frames) nic.classify(f, 0, f.length, out);
});

Deno.bench("82599 configured-PRG walk, 256 frames", { group: "82599" }, () => {
  for (const f of frames) walker.walk(f, 0, f.length, out);
});
