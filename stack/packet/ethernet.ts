/**
 * Ethernet II header (with an optional 802.1Q tag): offsets, EtherType values and accessors over
 * a DataView at the frame's first byte.
 *
 * Layout (IEEE 802.3 clause 3, 802.1Q clause 9): destination MAC (6), source MAC (6), EtherType
 * (2); with a tag, TPID 0x8100 (2) + TCI (2: PCP 3 bits, DEI 1 bit, VLAN id 12 bits) sit before
 * the EtherType. The FCS is not part of frames the lab handles.
 *
 * @module
 */

/** Length of the untagged Ethernet II header in bytes. */
export const ETH_HEADER_LEN = 14;
/** Length of an 802.1Q tag (TPID + TCI) in bytes. */
export const VLAN_TAG_LEN = 4;
/** Offset of the destination MAC. */
export const ETH_OFF_DST = 0;
/** Offset of the source MAC. */
export const ETH_OFF_SRC = 6;
/** Offset of the EtherType (or of the 802.1Q TPID in a tagged frame). */
export const ETH_OFF_TYPE = 12;
/** Offset of the 802.1Q TCI in a tagged frame. */
export const VLAN_OFF_TCI = 14;
/** Offset of the inner EtherType in a tagged frame. */
export const VLAN_OFF_TYPE = 16;
/** Minimum Ethernet frame without FCS (64 with FCS); builders pad shorter frames to it. */
export const ETH_MIN_FRAME = 60;

/** EtherType values the lab knows (IEEE registry). */
export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  Ipv6: 0x86dd,
} as const;

/** The EtherType (or TPID) field at `o + 12`. */
export function ethType(v: DataView, o: number): number {
  return v.getUint16(o + ETH_OFF_TYPE);
}

/** Sets the EtherType (or TPID) field at `o + 12`. */
export function setEthType(v: DataView, o: number, type: number): void {
  v.setUint16(o + ETH_OFF_TYPE, type);
}

/** The 802.1Q TCI of a tagged frame starting at `o`. */
export function vlanTci(v: DataView, o: number): number {
  return v.getUint16(o + VLAN_OFF_TCI);
}

/** The 12-bit VLAN id of a TCI value. */
export function tciVlanId(tci: number): number {
  return tci & 0x0fff;
}

/** The 3-bit priority code point of a TCI value. */
export function tciPcp(tci: number): number {
  return (tci >>> 13) & 7;
}

/** Whether the MAC at `off` has the group (multicast) bit set; broadcast is multicast too. */
export function isGroupMac(v: DataView, off: number): boolean {
  return (v.getUint8(off) & 1) === 1;
}

/** Whether the MAC at `off` is ff:ff:ff:ff:ff:ff. */
export function isBroadcastMac(v: DataView, off: number): boolean {
  return v.getUint32(off) === 0xffffffff && v.getUint16(off + 4) === 0xffff;
}

/** Copies a 6-byte MAC into `bytes` at `off`; throws if `mac` is not 6 bytes long. */
export function writeMac(bytes: Uint8Array, off: number, mac: Uint8Array): void {
  if (mac.length !== 6) {
    throw new RangeError(`Cannot write MAC of ${mac.length} bytes: a MAC is 6 bytes`);
  }
  bytes.set(mac, off);
}

/**
 * Writes an Ethernet II header at `o`, with an 802.1Q tag when `tci >= 0`. Returns the header
 * length (14 or 18).
 */
export function writeEthHeader(
  bytes: Uint8Array,
  v: DataView,
  o: number,
  dst: Uint8Array,
  src: Uint8Array,
  type: number,
  tci = -1,
): number {
  writeMac(bytes, o + ETH_OFF_DST, dst);
  writeMac(bytes, o + ETH_OFF_SRC, src);
  if (tci < 0) {
    v.setUint16(o + ETH_OFF_TYPE, type);
    return ETH_HEADER_LEN;
  }
  v.setUint16(o + ETH_OFF_TYPE, EtherType.Vlan);
  v.setUint16(o + VLAN_OFF_TCI, tci);
  v.setUint16(o + VLAN_OFF_TYPE, type);
  return ETH_HEADER_LEN + VLAN_TAG_LEN;
}
