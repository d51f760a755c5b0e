/**
 * One's-complement sum for the NIC's checksum checks (RFC 1071), over a cached DataView.
 *
 * @module
 */

let lastBytes: Uint8Array | null = null;
let lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * One's-complement sum of `len` bytes from `off` plus `initial`, folded to 16 bits, not
 * complemented. A received header verifies when the sum including its checksum is 0xffff.
 */
export function onesComplementSum(
  bytes: Uint8Array,
  off: number,
  len: number,
  initial: number,
): number {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const v = lastView;
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
  while (sum > 0xffffffff) sum = (sum % 0x100000000) + Math.floor(sum / 0x100000000);
  sum = (sum >>> 16) + (sum & 0xffff);
  sum = (sum >>> 16) + (sum & 0xffff);
  return (sum >>> 16) + (sum & 0xffff);
}
