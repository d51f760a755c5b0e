/**
 * ARP for IPv4 over Ethernet (RFC 826): offsets and accessors over a DataView at the ARP
 * payload's first byte.
 *
 * @module
 */

/** Length of an Ethernet/IPv4 ARP payload in bytes. */
export const ARP_LEN = 28;
/** Offset of the hardware type. */
export const ARP_OFF_HTYPE = 0;
/** Offset of the protocol type. */
export const ARP_OFF_PTYPE = 2;
/** Offset of the hardware address length. */
export const ARP_OFF_HLEN = 4;
/** Offset of the protocol address length. */
export const ARP_OFF_PLEN = 5;
/** Offset of the opcode. */
export const ARP_OFF_OPER = 6;
/** Offset of the sender hardware address. */
export const ARP_OFF_SHA = 8;
/** Offset of the sender protocol address. */
export const ARP_OFF_SPA = 14;
/** Offset of the target hardware address. */
export const ARP_OFF_THA = 18;
/** Offset of the target protocol address. */
export const ARP_OFF_TPA = 24;
/** Hardware type for Ethernet (RFC 826, IANA ARP parameters). */
export const ARP_HTYPE_ETHERNET = 1;

/** ARP opcodes (RFC 826). */
export const ArpOp = { Request: 1, Reply: 2 } as const;

/** Hardware type field. */
export function arpHtype(v: DataView, o: number): number {
  return v.getUint16(o + ARP_OFF_HTYPE);
}
/** Protocol type field. */
export function arpPtype(v: DataView, o: number): number {
  return v.getUint16(o + ARP_OFF_PTYPE);
}
/** Hardware address length field. */
export function arpHlen(v: DataView, o: number): number {
  return v.getUint8(o + ARP_OFF_HLEN);
}
/** Protocol address length field. */
export function arpPlen(v: DataView, o: number): number {
  return v.getUint8(o + ARP_OFF_PLEN);
}
/** Opcode field. */
export function arpOp(v: DataView, o: number): number {
  return v.getUint16(o + ARP_OFF_OPER);
}
/** Sender IPv4 address (u32). */
export function arpSenderIp(v: DataView, o: number): number {
  return v.getUint32(o + ARP_OFF_SPA);
}
/** Target IPv4 address (u32). */
export function arpTargetIp(v: DataView, o: number): number {
  return v.getUint32(o + ARP_OFF_TPA);
}

/** Writes a complete Ethernet/IPv4 ARP payload at `o`; returns its length (28). */
export function writeArp(
  bytes: Uint8Array,
  v: DataView,
  o: number,
  op: number,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
): number {
  if (senderMac.length !== 6 || targetMac.length !== 6) {
    throw new RangeError(
      `Cannot write ARP with MACs of ${senderMac.length} and ${targetMac.length} bytes: a MAC is 6 bytes`,
    );
  }
  v.setUint16(o + ARP_OFF_HTYPE, ARP_HTYPE_ETHERNET);
  v.setUint16(o + ARP_OFF_PTYPE, 0x0800);
  v.setUint8(o + ARP_OFF_HLEN, 6);
  v.setUint8(o + ARP_OFF_PLEN, 4);
  v.setUint16(o + ARP_OFF_OPER, op);
  bytes.set(senderMac, o + ARP_OFF_SHA);
  v.setUint32(o + ARP_OFF_SPA, senderIp >>> 0);
  bytes.set(targetMac, o + ARP_OFF_THA);
  v.setUint32(o + ARP_OFF_TPA, targetIp >>> 0);
  return ARP_LEN;
}
