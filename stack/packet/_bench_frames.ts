/**
 * Benchmark fixtures: a buffer pool holding 1000 distinct pre-built Ethernet/IPv4/UDP frames of
 * one size, as the lab's stack would hold received packets.
 *
 * @module
 */
import { BufferPool } from "./buffer_pool.ts";
import { buildUdpFrame, type UdpFrameSpec } from "./build.ts";

/** Frames per bench iteration; divide a reported iteration time by this for per-packet time. */
export const BATCH = 1000;

/** A pool of `BATCH` frames with their data starts and lengths. */
export interface BenchFrames {
  /** The pool (its `bytes` is the arena every frame lives in). */
  readonly pool: BufferPool;
  /** Buffer ids, one per frame. */
  readonly ids: Int32Array;
}

/** Spec of frame `i` of a batch: distinct addresses, ports, IP ids and payload bytes. */
export function benchSpec(i: number, payload: Uint8Array): UdpFrameSpec {
  return {
    dstMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
    srcMac: new Uint8Array([2, 0, 0, 0, (i >>> 8) & 0xff, i & 0xff]),
    srcIp: (0x0a000000 + i) >>> 0,
    dstIp: 0x0a010001,
    srcPort: 10000 + i,
    dstPort: 11211,
    ipId: i,
    payload,
  };
}

/**
 * Builds `BATCH` UDP frames whose size including the 4-byte FCS is `wireSize` (so the buffer
 * holds `wireSize - 4` bytes: 64 -> 60, 1024 -> 1020).
 */
export function makeBenchFrames(wireSize: number): BenchFrames {
  const pool = new BufferPool({ count: BATCH });
  const ids = new Int32Array(BATCH);
  const payloadLen = wireSize - 4 - 42;
  for (let i = 0; i < BATCH; i++) {
    const id = pool.alloc(0);
    const payload = new Uint8Array(payloadLen);
    for (let j = 0; j < payloadLen; j++) payload[j] = (i * 31 + j * 7) & 0xff;
    const start = pool.start[id] ?? 0;
    pool.length[id] = buildUdpFrame(pool.bytes, start, {
      ...benchSpec(i, payload),
      padToMinimum: false,
    });
    ids[i] = id;
  }
  return { pool, ids };
}
