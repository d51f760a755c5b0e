/**
 * The Flow Director bucket hash and signature of a masked tuple.
 *
 * The real 82599 hash is not reproduced in the reference (nic-models.md §2.5, §7): this is a
 * stand-in with the documented widths (15-bit bucket, 16-bit signature) seeded with the
 * documented keys (FDIRHKEY 0x3DAD14E2, FDIRSKEY 0x174D3614): a murmur3-style mix of the four
 * 32-bit words (src, dst, ports, proto). Which flows collide therefore differs from hardware;
 * that collisions happen, and how often, does not.
 *
 * @module
 */
import { INTEL_82599 } from "./capabilities.ts";

function mix(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function hash32(seed: number, proto: number, src: number, dst: number, ports: number): number {
  let h = mix(seed, src);
  h = mix(h, dst);
  h = mix(h, ports);
  h = mix(h, proto);
  h ^= 16;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BUCKET_MASK = (1 << INTEL_82599.fdir.bucketBits.value) - 1;
const SIG_MASK = (1 << INTEL_82599.fdir.signatureBits.value) - 1;
const HKEY = INTEL_82599.fdir.bucketHashKey.value;
const SKEY = INTEL_82599.fdir.signatureHashKey.value;

/** Bucket index of a masked tuple (ports = srcPort << 16 | dstPort). */
export function fdirBucket(proto: number, src: number, dst: number, ports: number): number {
  return hash32(HKEY, proto, src, dst, ports) & BUCKET_MASK;
}

/** Signature of a masked tuple (ports = srcPort << 16 | dstPort). */
export function fdirSignature(proto: number, src: number, dst: number, ports: number): number {
  return hash32(SKEY, proto, src, dst, ports) & SIG_MASK;
}
