/**
 * The Internet checksum (RFC 1071), the IPv4 pseudo-header sum for UDP and TCP (RFC 768, RFC 793)
 * and the incremental update for a changed field (RFC 1624, equation 3).
 *
 * Sums are 16-bit one's-complement sums, folded, not complemented. A received header or segment
 * verifies when the sum over it (checksum field included, plus the pseudo-header for L4) is
 * `0xffff`.
 *
 * The summation reads 32-bit big-endian words through a cached DataView and adds their two
 * 16-bit halves into a small-integer accumulator, folding every 64 KiB (RFC 1071 section 2:
 * deferred carries). `checksum_bench.ts` compares this with 16-bit DataView reads, byte pairs
 * and native-endian Uint16Array sums.
 *
 * The view of the last array summed is kept in front of `viewOf`'s cache: per-packet sums
 * nearly always read the same arena (a buffer pool) as the call before, and `viewOf`'s scan of
 * its slots cost about 3 ns of a 10 ns header sum (measured: the UDP echo's four sums per frame,
 * `stack/apps/echo/udp_echo_bench.ts`, took 13-15 ns less per frame with this entry, in the
 * hand-fused and the compiled echo alike).
 *
 * @module
 */
import { viewOf } from "./_view.ts";

function fold(sum: number): number {
  // Callers keep sum below 2^32 (and non-negative), so unsigned shifts are exact.
  sum = (sum >>> 16) + (sum & 0xffff);
  sum = (sum >>> 16) + (sum & 0xffff);
  return (sum >>> 16) + (sum & 0xffff);
}

/** Bytes summed between folds: 16 384 words of at most 0x1fffe each stay below 2^31. */
const CHUNK = 65536;

/** The array the last sum read and its view (see the module doc). */
let lastBytes: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));

/**
 * One's-complement sum of `len` bytes of `bytes` from `off`, added to `initial` (a previous sum,
 * 0..0xffffffff), folded to 16 bits (not complemented). An odd final byte counts as the high
 * byte of a zero-padded word.
 *
 * Throws a RangeError if the range lies outside `bytes`.
 */
export function onesComplementSum(
  bytes: Uint8Array,
  off: number,
  len: number,
  initial = 0,
): number {
  if (!(off >= 0 && len >= 0 && off + len <= bytes.length)) {
    throw new RangeError(
      `Cannot sum ${len} bytes at offset ${off}: range must lie within the ${bytes.length}-byte buffer`,
    );
  }
  let v = lastView;
  if (bytes !== lastBytes) {
    v = viewOf(bytes);
    lastBytes = bytes;
    lastView = v;
  }
  let sum = (initial >>> 16) + (initial & 0xffff);
  let i = off;
  const end4 = off + (len & ~3);
  while (i < end4) {
    const chunkEnd = end4 - i > CHUNK ? i + CHUNK : end4;
    for (; i < chunkEnd; i += 4) {
      const w = v.getUint32(i);
      sum += (w >>> 16) + (w & 0xffff);
    }
    sum = (sum >>> 16) + (sum & 0xffff);
  }
  const end = off + len;
  if (i + 2 <= end) {
    sum += v.getUint16(i);
    i += 2;
  }
  if (i < end) sum += v.getUint8(i) << 8;
  return fold(sum);
}

/** Internet checksum (RFC 1071): the complement of `onesComplementSum(bytes, off, len, initial)`. */
export function internetChecksum(
  bytes: Uint8Array,
  off: number,
  len: number,
  initial = 0,
): number {
  return ~onesComplementSum(bytes, off, len, initial) & 0xffff;
}

/**
 * One's-complement sum of the IPv4 pseudo-header (RFC 768, RFC 793): source, destination,
 * zero + protocol, L4 length. Pass it as `initial` when summing a UDP or TCP segment.
 */
export function ipv4PseudoHeaderSum(
  src: number,
  dst: number,
  proto: number,
  l4len: number,
): number {
  return fold(
    (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (proto & 0xff) +
      (l4len & 0xffff),
  );
}

/**
 * New checksum after one 16-bit word covered by `oldChecksum` changed from `oldWord` to
 * `newWord`, by RFC 1624 equation 3: `HC' = ~(~HC + ~m + m')`.
 */
export function checksumAdjust(oldChecksum: number, oldWord: number, newWord: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~fold(sum) & 0xffff;
}

/**
 * New checksum after a 32-bit field (an IPv4 address, a TCP sequence number) changed, by
 * applying RFC 1624 equation 3 to both of its 16-bit halves.
 */
export function checksumAdjust32(oldChecksum: number, oldValue: number, newValue: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldValue >>> 16 & 0xffff) + (~oldValue & 0xffff) +
    (newValue >>> 16 & 0xffff) + (newValue & 0xffff);
  return ~fold(sum) & 0xffff;
}
