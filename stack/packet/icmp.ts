/**
 * ICMP for IPv4 (RFC 792): offsets, message types and accessors over a DataView at the ICMP
 * header's first byte.
 *
 * Echo messages carry an identifier and a sequence number in bytes 4..8; error messages carry
 * an unused word (or, for "fragmentation needed", the next-hop MTU of RFC 1191 in its low 16
 * bits) followed by the offending datagram's IP header and at least its first 8 data bytes.
 *
 * @module
 */

/** Length of the ICMP header (type, code, checksum, 4 bytes of rest-of-header). */
export const ICMP_HEADER_LEN = 8;
/** Offset of the type. */
export const ICMP_OFF_TYPE = 0;
/** Offset of the code. */
export const ICMP_OFF_CODE = 1;
/** Offset of the checksum. */
export const ICMP_OFF_CHECKSUM = 2;
/** Offset of the echo identifier. */
export const ICMP_OFF_ID = 4;
/** Offset of the echo sequence number. */
export const ICMP_OFF_SEQ = 6;
/** Offset of the 32-bit rest-of-header word. */
export const ICMP_OFF_REST = 4;

/** ICMP message types the lab knows (RFC 792). */
export const IcmpType = {
  EchoReply: 0,
  DestUnreachable: 3,
  SourceQuench: 4,
  Redirect: 5,
  EchoRequest: 8,
  TimeExceeded: 11,
  ParameterProblem: 12,
} as const;

/** Whether an ICMP type is an error message (quotes an offending datagram). */
export function isIcmpError(type: number): boolean {
  return type === IcmpType.DestUnreachable || type === IcmpType.SourceQuench ||
    type === IcmpType.Redirect || type === IcmpType.TimeExceeded ||
    type === IcmpType.ParameterProblem;
}

/** Type field. */
export function icmpType(v: DataView, o: number): number {
  return v.getUint8(o + ICMP_OFF_TYPE);
}
/** Code field. */
export function icmpCode(v: DataView, o: number): number {
  return v.getUint8(o + ICMP_OFF_CODE);
}
/** Checksum field. */
export function icmpChecksum(v: DataView, o: number): number {
  return v.getUint16(o + ICMP_OFF_CHECKSUM);
}
/** Echo identifier. */
export function icmpId(v: DataView, o: number): number {
  return v.getUint16(o + ICMP_OFF_ID);
}
/** Echo sequence number. */
export function icmpSeq(v: DataView, o: number): number {
  return v.getUint16(o + ICMP_OFF_SEQ);
}
/** The 32-bit rest-of-header word. */
export function icmpRest(v: DataView, o: number): number {
  return v.getUint32(o + ICMP_OFF_REST);
}
/** Sets the checksum field. */
export function setIcmpChecksum(v: DataView, o: number, sum: number): void {
  v.setUint16(o + ICMP_OFF_CHECKSUM, sum);
}

/** Writes an ICMP header at `o` (checksum zero); `rest` is the 32-bit word at bytes 4..8. */
export function writeIcmpHeader(
  v: DataView,
  o: number,
  type: number,
  code: number,
  rest: number,
): void {
  v.setUint8(o + ICMP_OFF_TYPE, type);
  v.setUint8(o + ICMP_OFF_CODE, code);
  v.setUint16(o + ICMP_OFF_CHECKSUM, 0);
  v.setUint32(o + ICMP_OFF_REST, rest >>> 0);
}
