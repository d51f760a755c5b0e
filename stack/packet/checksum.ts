/**
 * The Internet checksum (RFC 1071), the IPv4 pseudo-header sum for UDP and TCP (RFC 768, RFC 793)
 * and the incremental update for a changed field (RFC 1624, equation 3).
 *
 * Sums are 16-bit one's-complement sums, folded, not complemented. A received header or segment
 * verifies when the sum over it (checksum field included, plus the pseudo-header for L4) is
 * `0xffff`.
 *
 * The summation reads 32-bit big-endian words through a cached DataView and folds once at the
 * end: a one's-complement sum of 32-bit words folds to the same 16-bit sum because
 * 2^16 = 1 (mod 0xffff) (RFC 1071 section 2, "parallel summation"). A float64 accumulator holds
 * exact integers up to 2^53, so no intermediate fold is needed for any buffer the lab handles.
 *
 * @module
 */
import { viewOf } from "./_view.ts";

function fold(sum: number): number {
  // sum < 2^53 here; reduce to 32 bits with exact float arithmetic, then fold 16-bit halves.
  while (sum > 0xffffffff) sum = (sum % 0x100000000) + Math.floor(sum / 0x100000000);
  sum = (sum >>> 16) + (sum & 0xffff);
  sum = (sum >>> 16) + (sum & 0xffff);
  return (sum >>> 16) + (sum & 0xffff);
}

/**
 * One's-complement sum of `len` bytes of `bytes` from `off`, added to `initial`, folded to 16 bits
 * (not complemented). An odd final byte counts as the high byte of a zero-padded word.
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
  const v = viewOf(bytes);
  let sum = initial;
  let i = off;
  const end4 = off + (len & ~3);
  for (; i < end4; i += 4) sum += v.getUint32(i);
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
