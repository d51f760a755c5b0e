// Classification cost per frame on the 82599 model. Each iteration classifies a batch of 1024
// distinct 60-byte UDP frames (one per flow); divide the reported time by 1024 for ns/frame.
import { benchFlow, buildFrameBatch } from "../_shared/_bench_frames.ts";
import { type FilterRule, type NicConfig, RxResult } from "../_shared/nic.ts";
import { Intel82599 } from "./model.ts";
import { defaultIntel82599Config, dragonetIntel82599Config } from "./default_config.ts";

const BATCH = 1024;
const batch = buildFrameBatch(BATCH, 18);
const out = new RxResult();

function run(nic: Intel82599): number {
  let acc = 0;
  const { bytes, offsets, lengths } = batch;
  for (let i = 0; i < BATCH; i++) {
    acc += nic.classify(bytes, offsets[i] ?? 0, lengths[i] ?? 0, out);
  }
  return acc;
}

const queues = 16;
const linux = new Intel82599(defaultIntel82599Config(queues));
const five: FilterRule[] = Array.from({ length: 128 }, (_, i) => ({
  table: "five-tuple",
  match: { proto: 17, ...spread(benchFlow(i)) },
  queue: 1 + (i % (queues - 1)),
  priority: 1,
}));
function spread(f: ReturnType<typeof benchFlow>) {
  return { srcIp: f.srcIp, dstIp: f.dstIp, srcPort: f.srcPort, dstPort: f.dstPort };
}
const withFive = new Intel82599({ ...dragonetIntel82599Config(queues, 3), filters: five });
const fdir: FilterRule[] = Array.from({ length: 8000 }, (_, i) => ({
  table: "fdir-perfect",
  match: { proto: 17, ...spread(benchFlow(i * 8)) },
  queue: 1 + (i % (queues - 1)),
}));
const fdirCfg: NicConfig = { ...dragonetIntel82599Config(queues, 3), filters: fdir };
const withFdir = new Intel82599(fdirCfg);
const noCsum = new Intel82599({ ...fdirCfg, settings: { ...fdirCfg.settings, rxChecksum: false } });
// Frames of the installed FDir flows (every 8th bench flow), so each frame hits a rule.
const fdirBatch = buildFrameBatch(BATCH, 18, (i) => benchFlow(i * 8));
function runOn(nic: Intel82599, b = fdirBatch): number {
  let acc = 0;
  for (let i = 0; i < BATCH; i++) {
    acc += nic.classify(b.bytes, b.offsets[i] ?? 0, b.lengths[i] ?? 0, out);
  }
  return acc;
}

Deno.bench("82599 classify x1024: 0 filters (RSS, Linux default)", {
  group: "82599",
  baseline: true,
}, () => {
  run(linux);
});
Deno.bench("82599 classify x1024: 128 five-tuple filters (all hit)", { group: "82599" }, () => {
  run(withFive);
});
Deno.bench(
  "82599 classify x1024: 8000 Flow Director perfect filters (all hit)",
  { group: "82599" },
  () => {
    runOn(withFdir);
  },
);
Deno.bench("82599 classify x1024: 8000 Flow Director filters, checksum checks off", {
  group: "82599",
}, () => {
  runOn(noCsum);
});

const cookies = new Int32Array(BATCH);
Deno.bench("82599 receive + pollRx x1024: 8000 Flow Director filters (rings, counters)", {
  group: "82599",
}, () => {
  for (let i = 0; i < BATCH; i++) {
    withFdir.receive(fdirBatch.bytes, fdirBatch.offsets[i] ?? 0, fdirBatch.lengths[i] ?? 0, out, i);
  }
  for (let q = 0; q < queues; q++) withFdir.pollRx(q, BATCH, cookies);
});
