// Classification cost per frame on the plain RSS NIC (it has no filter tables, so the 0-filter
// case is the only one). Each iteration classifies 1024 distinct 60-byte UDP frames; divide by
// 1024 for ns/frame.
import { buildFrameBatch } from "../_shared/_bench_frames.ts";
import { RxResult } from "../_shared/nic.ts";
import { RssNic } from "./model.ts";

const BATCH = 1024;
const batch = buildFrameBatch(BATCH, 18);
const out = new RxResult();
const nic = new RssNic({ queues: 16 });
const nic4 = new RssNic({ queues: 16, udpFields: "4-tuple" });

function run(n: RssNic): number {
  let acc = 0;
  for (let i = 0; i < BATCH; i++) {
    acc += n.classify(batch.bytes, batch.offsets[i] ?? 0, batch.lengths[i] ?? 0, out);
  }
  return acc;
}

Deno.bench("rss classify x1024: UDP 2-tuple (default)", { group: "rss", baseline: true }, () => {
  run(nic);
});
Deno.bench("rss classify x1024: UDP 4-tuple", { group: "rss" }, () => {
  run(nic4);
});
