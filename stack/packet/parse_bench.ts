/**
 * Parse and checksum-verify cost per frame. Each iteration handles a batch of 1000 distinct
 * pre-built Ethernet/IPv4/UDP frames held in one buffer pool; per-packet time = reported
 * time / 1000. Target (issue): parse + IPv4 header checksum verify <= 50 ns per packet.
 *
 * Run: `deno bench --allow-all stack/packet/parse_bench.ts`
 *
 * @module
 */
import { FrameInfo } from "./frame_info.ts";
import { parseFrame, verifyIpv4HeaderChecksum, verifyL4Checksum } from "./parse.ts";
import { Reason } from "./reason.ts";
import { BATCH, makeBenchFrames } from "./_bench_frames.ts";

const info = new FrameInfo();
let sink = 0;

for (const size of [64, 1024]) {
  const { pool, ids } = makeBenchFrames(size);
  const bytes = pool.bytes;
  const start = pool.start;
  const length = pool.length;

  // Sanity: every frame parses and verifies, so the benches measure the success path.
  for (let i = 0; i < BATCH; i++) {
    const id = ids[i] ?? 0;
    const r = parseFrame(bytes, start[id] ?? 0, length[id] ?? 0, info) ||
      verifyIpv4HeaderChecksum(bytes, info) || verifyL4Checksum(bytes, info);
    if (r !== Reason.Ok) {
      throw new Error(`Bench frame ${i} of ${size} bytes fails with reason ${r}`);
    }
  }

  Deno.bench(`parse only, ${size}-byte frames (x${BATCH})`, { group: `parse-${size}` }, () => {
    let acc = 0;
    for (let i = 0; i < BATCH; i++) {
      const id = ids[i] ?? 0;
      acc += parseFrame(bytes, start[id] ?? 0, length[id] ?? 0, info) + info.dstPort;
    }
    sink ^= acc;
  });

  Deno.bench(
    `parse + IPv4 checksum, ${size}-byte frames (x${BATCH})`,
    { group: `parse-${size}`, baseline: true },
    () => {
      let acc = 0;
      for (let i = 0; i < BATCH; i++) {
        const id = ids[i] ?? 0;
        acc += parseFrame(bytes, start[id] ?? 0, length[id] ?? 0, info) ||
          verifyIpv4HeaderChecksum(bytes, info);
      }
      sink ^= acc;
    },
  );

  Deno.bench(
    `parse + IPv4 + UDP checksums, ${size}-byte frames (x${BATCH})`,
    { group: `parse-${size}` },
    () => {
      let acc = 0;
      for (let i = 0; i < BATCH; i++) {
        const id = ids[i] ?? 0;
        acc += parseFrame(bytes, start[id] ?? 0, length[id] ?? 0, info) ||
          verifyIpv4HeaderChecksum(bytes, info) || verifyL4Checksum(bytes, info);
      }
      sink ^= acc;
    },
  );
}

globalThis.addEventListener("unload", () => {
  if (sink === 0x7fffffff) console.log("unlikely sink value");
});
