/**
 * TCP header (RFC 9293): offsets, flag bits and accessors over a DataView at the header's first
 * byte. Options are parsed by `tcp_options.ts`.
 *
 * @module
 */

/** Length of a TCP header without options. */
export const TCP_HEADER_MIN = 20;
/** Length of a TCP header with the most options (data offset 15). */
export const TCP_HEADER_MAX = 60;
/** Offset of the source port. */
export const TCP_OFF_SRC_PORT = 0;
/** Offset of the destination port. */
export const TCP_OFF_DST_PORT = 2;
/** Offset of the sequence number. */
export const TCP_OFF_SEQ = 4;
/** Offset of the acknowledgment number. */
export const TCP_OFF_ACK = 8;
/** Offset of the data-offset byte (high nibble). */
export const TCP_OFF_DATA_OFF = 12;
/** Offset of the flags byte (CWR..FIN). */
export const TCP_OFF_FLAGS = 13;
/** Offset of the window. */
export const TCP_OFF_WINDOW = 14;
/** Offset of the checksum. */
export const TCP_OFF_CHECKSUM = 16;
/** Offset of the urgent pointer. */
export const TCP_OFF_URGENT = 18;

/** TCP flag bits of byte 13 (RFC 9293, RFC 3168 for ECE/CWR). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** Source port. */
export function tcpSrcPort(v: DataView, o: number): number {
  return v.getUint16(o + TCP_OFF_SRC_PORT);
}
/** Destination port. */
export function tcpDstPort(v: DataView, o: number): number {
  return v.getUint16(o + TCP_OFF_DST_PORT);
}
/** Sequence number (u32). */
export function tcpSeq(v: DataView, o: number): number {
  return v.getUint32(o + TCP_OFF_SEQ);
}
/** Acknowledgment number (u32). */
export function tcpAck(v: DataView, o: number): number {
  return v.getUint32(o + TCP_OFF_ACK);
}
/** Data offset in 32-bit words. */
export function tcpDataOffset(v: DataView, o: number): number {
  return v.getUint8(o + TCP_OFF_DATA_OFF) >>> 4;
}
/** Flags byte (`TcpFlag` bits). */
export function tcpFlags(v: DataView, o: number): number {
  return v.getUint8(o + TCP_OFF_FLAGS);
}
/** Window field (unscaled). */
export function tcpWindow(v: DataView, o: number): number {
  return v.getUint16(o + TCP_OFF_WINDOW);
}
/** Checksum field. */
export function tcpChecksum(v: DataView, o: number): number {
  return v.getUint16(o + TCP_OFF_CHECKSUM);
}
/** Urgent pointer. */
export function tcpUrgent(v: DataView, o: number): number {
  return v.getUint16(o + TCP_OFF_URGENT);
}
/** Sets the checksum field. */
export function setTcpChecksum(v: DataView, o: number, sum: number): void {
  v.setUint16(o + TCP_OFF_CHECKSUM, sum);
}

/** Writes the fixed 20 bytes of a TCP header at `o` (checksum and urgent pointer zero). */
export function writeTcpHeader(
  v: DataView,
  o: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  dataOffsetWords: number,
  flags: number,
  window: number,
): void {
  v.setUint16(o + TCP_OFF_SRC_PORT, srcPort);
  v.setUint16(o + TCP_OFF_DST_PORT, dstPort);
  v.setUint32(o + TCP_OFF_SEQ, seq >>> 0);
  v.setUint32(o + TCP_OFF_ACK, ack >>> 0);
  v.setUint8(o + TCP_OFF_DATA_OFF, (dataOffsetWords & 15) << 4);
  v.setUint8(o + TCP_OFF_FLAGS, flags);
  v.setUint16(o + TCP_OFF_WINDOW, window);
  v.setUint16(o + TCP_OFF_CHECKSUM, 0);
  v.setUint16(o + TCP_OFF_URGENT, 0);
}
