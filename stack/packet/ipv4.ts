/**
 * IPv4 header (RFC 791): offsets, protocol numbers, flag bits and accessors over a DataView at
 * the header's first byte.
 *
 * Flags are the 3-bit field (reserved, DF, MF); the fragment offset is in 8-byte units as on
 * the wire.
 *
 * @module
 */

/** Length of an IPv4 header without options. */
export const IPV4_HEADER_MIN = 20;
/** Length of an IPv4 header with the most options (IHL 15). */
export const IPV4_HEADER_MAX = 60;
/** Offset of the version/IHL byte. */
export const IPV4_OFF_VER_IHL = 0;
/** Offset of the type-of-service (DSCP/ECN) byte. */
export const IPV4_OFF_TOS = 1;
/** Offset of the total length. */
export const IPV4_OFF_TOTAL_LEN = 2;
/** Offset of the identification. */
export const IPV4_OFF_ID = 4;
/** Offset of the flags/fragment-offset word. */
export const IPV4_OFF_FRAG = 6;
/** Offset of the TTL. */
export const IPV4_OFF_TTL = 8;
/** Offset of the protocol. */
export const IPV4_OFF_PROTO = 9;
/** Offset of the header checksum. */
export const IPV4_OFF_CHECKSUM = 10;
/** Offset of the source address. */
export const IPV4_OFF_SRC = 12;
/** Offset of the destination address. */
export const IPV4_OFF_DST = 16;

/** IP protocol numbers the lab handles (IANA). */
export const IpProto = { Icmp: 1, Tcp: 6, Udp: 17 } as const;

/** Bits of the 3-bit IPv4 flags field (RFC 791): DF = don't fragment, MF = more fragments. */
export const Ipv4Flag = { Reserved: 4, DF: 2, MF: 1 } as const;

/** Version field (4 for IPv4). */
export function ipv4Version(v: DataView, o: number): number {
  return v.getUint8(o) >>> 4;
}
/** IHL field: header length in 32-bit words. */
export function ipv4Ihl(v: DataView, o: number): number {
  return v.getUint8(o) & 15;
}
/** Type-of-service byte. */
export function ipv4Tos(v: DataView, o: number): number {
  return v.getUint8(o + IPV4_OFF_TOS);
}
/** Total length (header + payload) in bytes. */
export function ipv4TotalLength(v: DataView, o: number): number {
  return v.getUint16(o + IPV4_OFF_TOTAL_LEN);
}
/** Identification. */
export function ipv4Id(v: DataView, o: number): number {
  return v.getUint16(o + IPV4_OFF_ID);
}
/** The 3-bit flags field (`Ipv4Flag` bits). */
export function ipv4Flags(v: DataView, o: number): number {
  return v.getUint16(o + IPV4_OFF_FRAG) >>> 13;
}
/** Fragment offset in 8-byte units. */
export function ipv4FragOffset(v: DataView, o: number): number {
  return v.getUint16(o + IPV4_OFF_FRAG) & 0x1fff;
}
/** Time to live. */
export function ipv4Ttl(v: DataView, o: number): number {
  return v.getUint8(o + IPV4_OFF_TTL);
}
/** Protocol number. */
export function ipv4Proto(v: DataView, o: number): number {
  return v.getUint8(o + IPV4_OFF_PROTO);
}
/** Header checksum field. */
export function ipv4Checksum(v: DataView, o: number): number {
  return v.getUint16(o + IPV4_OFF_CHECKSUM);
}
/** Source address (u32). */
export function ipv4Src(v: DataView, o: number): number {
  return v.getUint32(o + IPV4_OFF_SRC);
}
/** Destination address (u32). */
export function ipv4Dst(v: DataView, o: number): number {
  return v.getUint32(o + IPV4_OFF_DST);
}

/** Sets the total length. */
export function setIpv4TotalLength(v: DataView, o: number, len: number): void {
  v.setUint16(o + IPV4_OFF_TOTAL_LEN, len);
}
/** Sets the TTL. */
export function setIpv4Ttl(v: DataView, o: number, ttl: number): void {
  v.setUint8(o + IPV4_OFF_TTL, ttl);
}
/** Sets the header checksum field. */
export function setIpv4Checksum(v: DataView, o: number, sum: number): void {
  v.setUint16(o + IPV4_OFF_CHECKSUM, sum);
}
/** Sets the source address. */
export function setIpv4Src(v: DataView, o: number, addr: number): void {
  v.setUint32(o + IPV4_OFF_SRC, addr >>> 0);
}
/** Sets the destination address. */
export function setIpv4Dst(v: DataView, o: number, addr: number): void {
  v.setUint32(o + IPV4_OFF_DST, addr >>> 0);
}

/**
 * Writes the fixed 20 bytes of an IPv4 header at `o` with the checksum field zero (options, if
 * `ihl > 5`, are the caller's to write). Fill the checksum afterwards.
 */
export function writeIpv4Header(
  v: DataView,
  o: number,
  ihl: number,
  tos: number,
  totalLen: number,
  id: number,
  flags: number,
  fragOffset: number,
  ttl: number,
  proto: number,
  src: number,
  dst: number,
): void {
  v.setUint8(o, 0x40 | (ihl & 15));
  v.setUint8(o + IPV4_OFF_TOS, tos);
  v.setUint16(o + IPV4_OFF_TOTAL_LEN, totalLen);
  v.setUint16(o + IPV4_OFF_ID, id);
  v.setUint16(o + IPV4_OFF_FRAG, ((flags & 7) << 13) | (fragOffset & 0x1fff));
  v.setUint8(o + IPV4_OFF_TTL, ttl);
  v.setUint8(o + IPV4_OFF_PROTO, proto);
  v.setUint16(o + IPV4_OFF_CHECKSUM, 0);
  v.setUint32(o + IPV4_OFF_SRC, src >>> 0);
  v.setUint32(o + IPV4_OFF_DST, dst >>> 0);
}

/** IPv4 option kinds with special length rules (RFC 791): end of list and no-operation. */
export const Ipv4Option = { End: 0, Nop: 1 } as const;

/**
 * Whether the IPv4 options in `v[off, off+len)` are well formed: every option other than End and
 * Nop has a length byte of at least 2 that stays within the option area. Bytes after End are
 * padding and are not checked.
 */
export function ipv4OptionsValid(v: DataView, off: number, len: number): boolean {
  const end = off + len;
  let i = off;
  while (i < end) {
    const kind = v.getUint8(i);
    if (kind === Ipv4Option.End) return true;
    if (kind === Ipv4Option.Nop) {
      i++;
      continue;
    }
    if (i + 1 >= end) return false;
    const optLen = v.getUint8(i + 1);
    if (optLen < 2 || i + optLen > end) return false;
    i += optLen;
  }
  return true;
}
