/**
 * UDP header (RFC 768): offsets and accessors over a DataView at the header's first byte.
 *
 * A checksum field of zero means "no checksum"; a computed checksum of zero is sent as 0xffff.
 *
 * @module
 */

/** Length of the UDP header. */
export const UDP_HEADER_LEN = 8;
/** Offset of the source port. */
export const UDP_OFF_SRC_PORT = 0;
/** Offset of the destination port. */
export const UDP_OFF_DST_PORT = 2;
/** Offset of the length (header + data). */
export const UDP_OFF_LEN = 4;
/** Offset of the checksum. */
export const UDP_OFF_CHECKSUM = 6;

/** Source port. */
export function udpSrcPort(v: DataView, o: number): number {
  return v.getUint16(o + UDP_OFF_SRC_PORT);
}
/** Destination port. */
export function udpDstPort(v: DataView, o: number): number {
  return v.getUint16(o + UDP_OFF_DST_PORT);
}
/** Length field (header + data) in bytes. */
export function udpLength(v: DataView, o: number): number {
  return v.getUint16(o + UDP_OFF_LEN);
}
/** Checksum field. */
export function udpChecksum(v: DataView, o: number): number {
  return v.getUint16(o + UDP_OFF_CHECKSUM);
}
/** Sets the checksum field. */
export function setUdpChecksum(v: DataView, o: number, sum: number): void {
  v.setUint16(o + UDP_OFF_CHECKSUM, sum);
}

/** Writes a UDP header at `o` with the checksum field zero. */
export function writeUdpHeader(
  v: DataView,
  o: number,
  srcPort: number,
  dstPort: number,
  length: number,
): void {
  v.setUint16(o + UDP_OFF_SRC_PORT, srcPort);
  v.setUint16(o + UDP_OFF_DST_PORT, dstPort);
  v.setUint16(o + UDP_OFF_LEN, length);
  v.setUint16(o + UDP_OFF_CHECKSUM, 0);
}
