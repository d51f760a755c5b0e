/**
 * Cost of building an Ethernet/IPv4/UDP frame with IPv4 and UDP checksums, per batch of 1000
 * distinct pre-made specs written into the buffers of one pool (per-frame time = reported
 * time / 1000). Sizes include the 4-byte FCS (64 -> 60 bytes in the buffer).
 *
 * Run: `deno bench --allow-all stack/packet/build_bench.ts`
 *
 * @module
 */
import { BufferPool } from "./buffer_pool.ts";
import { buildUdpFrame, ChecksumMode, type UdpFrameSpec } from "./build.ts";
import { BATCH, benchSpec } from "./_bench_frames.ts";

let sink = 0;
for (const size of [64, 1024]) {
  const pool = new BufferPool({ count: BATCH });
  const ids = new Int32Array(BATCH);
  const specs: UdpFrameSpec[] = [];
  const offload: UdpFrameSpec[] = [];
  for (let i = 0; i < BATCH; i++) {
    ids[i] = pool.alloc(0);
    const payload = new Uint8Array(size - 4 - 42).fill(i & 0xff);
    specs.push(benchSpec(i, payload));
    offload.push({ ...benchSpec(i, payload), ipChecksum: false, l4Checksum: ChecksumMode.None });
  }
  const bytes = pool.bytes;
  const start = pool.start;

  Deno.bench(`build UDP + checksums, ${size}-byte frames (x${BATCH})`, {
    group: `build-${size}`,
    baseline: true,
  }, () => {
    let acc = 0;
    for (let i = 0; i < BATCH; i++) {
      acc += buildUdpFrame(bytes, start[ids[i] ?? 0] ?? 0, specs[i] as UdpFrameSpec);
    }
    sink ^= acc;
  });

  Deno.bench(`build UDP, checksums left to offload, ${size}-byte frames (x${BATCH})`, {
    group: `build-${size}`,
  }, () => {
    let acc = 0;
    for (let i = 0; i < BATCH; i++) {
      acc += buildUdpFrame(bytes, start[ids[i] ?? 0] ?? 0, offload[i] as UdpFrameSpec);
    }
    sink ^= acc;
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === 0x7fffffff) console.log("unlikely sink value");
});
