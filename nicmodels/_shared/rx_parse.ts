/**
 * The NIC's receive parser: the fields a NIC's hardware parser extracts from a frame for L2
 * checks, filters and RSS, plus its checksum checks (nic-models.md §1 step 3, §2.8).
 *
 * Writes into a caller-owned {@link RxKey}; allocates nothing. Handles Ethernet II with one
 * optional 802.1Q tag, IPv4 (options, fragments) and IPv6 (fixed header only: extension headers
 * are treated as "other protocol"), TCP/UDP/SCTP ports, TCP flags.
 *
 * @module
 */
import { onesComplementSum } from "./_checksum.ts";

/** EtherType values the parser understands. */
export const EtherType = { Ipv4: 0x0800, Ipv6: 0x86dd, Vlan: 0x8100, Arp: 0x0806 } as const;

/** IP protocol numbers the parser understands. */
export const IpProto = { Tcp: 6, Udp: 17, Sctp: 132, Icmp: 1 } as const;

/** TCP flag bits (low byte of the flags field). */
export const TcpFlag = { Fin: 1, Syn: 2, Rst: 4, Psh: 8, Ack: 16 } as const;

/** Checksum check outcome codes in {@link RxKey}. */
export const CsumStatus = { NotChecked: 0, Good: 1, Bad: 2 } as const;

/** Fields extracted from one frame (numbers only; reuse one instance). */
export class RxKey {
  /** Frame length in bytes. */
  length = 0;
  /** EtherType after an optional VLAN tag, or -1 when the frame is too short. */
  etherType: number = -1;
  /** VLAN id, or -1 when untagged. */
  vlan: number = -1;
  /** Destination MAC, high 16 bits. */
  dstMacHi = 0;
  /** Destination MAC, low 32 bits (unsigned). */
  dstMacLo = 0;
  /** 4 or 6 for a parsed IP header, 0 otherwise. */
  ipVersion = 0;
  /** Offset of the L3 header in the buffer. */
  l3Off = 0;
  /** Offset of the L4 header in the buffer, or -1. */
  l4Off: number = -1;
  /** IP protocol (IPv6 next header), or -1. */
  proto: number = -1;
  /** IPv4 source (unsigned 32-bit); for IPv6 a 32-bit fold used by filters. */
  srcIp = 0;
  /** IPv4 destination (unsigned 32-bit); for IPv6 a 32-bit fold used by filters. */
  dstIp = 0;
  /** L4 source port, or 0 when absent. */
  srcPort = 0;
  /** L4 destination port, or 0 when absent. */
  dstPort = 0;
  /** True when ports were read (TCP/UDP/SCTP, not a non-first fragment). */
  hasPorts = false;
  /** TCP flags byte, 0 otherwise. */
  tcpFlags = 0;
  /** True for an IPv4 fragment (MF set or offset non-zero). */
  fragment = false;
  /** IPv4 header checksum status ({@link CsumStatus}). */
  ipv4Csum = 0;
  /** TCP/UDP checksum status ({@link CsumStatus}). */
  l4Csum = 0;
}

let lastBytes: Uint8Array | null = null;
let lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/** Returns a DataView over `bytes`, cached for the last buffer seen (no allocation per frame). */
function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastView;
}

/**
 * Parses `len` bytes at `off` into `k`. When `checksums` is true, verifies the IPv4 header
 * checksum and the TCP/UDP checksum (UDP checksum 0 = "none", not checked; fragments not
 * checked). Never throws: a short or malformed header leaves the later fields at "absent".
 */
export function parseRxFrame(
  bytes: Uint8Array,
  off: number,
  len: number,
  k: RxKey,
  checksums: boolean,
): void {
  k.length = len;
  k.etherType = -1;
  k.vlan = -1;
  k.ipVersion = 0;
  k.l4Off = -1;
  k.proto = -1;
  k.srcIp = 0;
  k.dstIp = 0;
  k.srcPort = 0;
  k.dstPort = 0;
  k.hasPorts = false;
  k.tcpFlags = 0;
  k.fragment = false;
  k.ipv4Csum = 0;
  k.l4Csum = 0;
  if (len < 14 || off < 0 || off + len > bytes.length) return;
  const end = off + len;
  const v = viewOf(bytes);
  k.dstMacHi = v.getUint16(off);
  k.dstMacLo = v.getUint32(off + 2);
  let et = v.getUint16(off + 12);
  let l3 = off + 14;
  if (et === EtherType.Vlan) {
    if (len < 18) return;
    k.vlan = (v.getUint16(off + 14)) & 0x0fff;
    et = v.getUint16(off + 16);
    l3 = off + 18;
  }
  k.etherType = et;
  k.l3Off = l3;
  let l4 = -1;
  let l4Len = 0;
  let pseudo = 0;
  if (et === EtherType.Ipv4) {
    if (l3 + 20 > end) return;
    const vihl = v.getUint8(l3);
    const ihl = (vihl & 0x0f) * 4;
    if (vihl >> 4 !== 4 || ihl < 20 || l3 + ihl > end) return;
    const total = v.getUint16(l3 + 2);
    if (total < ihl || l3 + total > end) return;
    k.ipVersion = 4;
    k.proto = v.getUint8(l3 + 9);
    k.srcIp = v.getUint32(l3 + 12);
    k.dstIp = v.getUint32(l3 + 16);
    const frag = (v.getUint16(l3 + 6)) & 0x3fff;
    k.fragment = frag !== 0;
    if (checksums) {
      k.ipv4Csum = onesComplementSum(bytes, l3, ihl, 0) === 0xffff
        ? CsumStatus.Good
        : CsumStatus.Bad;
    }
    if ((frag & 0x1fff) !== 0) return; // non-first fragment: no L4 header
    l4 = l3 + ihl;
    l4Len = total - ihl;
    pseudo = (k.srcIp >>> 16) + (k.srcIp & 0xffff) + (k.dstIp >>> 16) + (k.dstIp & 0xffff) +
      k.proto + l4Len;
  } else if (et === EtherType.Ipv6) {
    if (l3 + 40 > end || v.getUint8(l3) >> 4 !== 6) return;
    const payload = v.getUint16(l3 + 4);
    if (l3 + 40 + payload > end) return;
    k.ipVersion = 6;
    k.proto = v.getUint8(l3 + 6);
    k.srcIp = (v.getUint32(l3 + 8) ^ v.getUint32(l3 + 12) ^ v.getUint32(l3 + 16) ^
      v.getUint32(l3 + 20)) >>> 0;
    k.dstIp = (v.getUint32(l3 + 24) ^ v.getUint32(l3 + 28) ^ v.getUint32(l3 + 32) ^
      v.getUint32(l3 + 36)) >>> 0;
    l4 = l3 + 40;
    l4Len = payload;
    if (checksums) pseudo = onesComplementSum(bytes, l3 + 8, 32, k.proto + l4Len);
  } else {
    return;
  }
  const p = k.proto;
  if (p !== IpProto.Tcp && p !== IpProto.Udp && p !== IpProto.Sctp) return;
  const minL4 = p === IpProto.Tcp ? 20 : 8;
  if (l4Len < minL4 || l4 + minL4 > end) return;
  k.l4Off = l4;
  k.hasPorts = true;
  k.srcPort = v.getUint16(l4);
  k.dstPort = v.getUint16(l4 + 2);
  if (p === IpProto.Tcp) k.tcpFlags = v.getUint8(l4 + 13);
  if (!checksums || k.fragment || p === IpProto.Sctp) return;
  if (p === IpProto.Udp && k.ipVersion === 4 && v.getUint16(l4 + 6) === 0) return;
  k.l4Csum = onesComplementSum(bytes, l4, l4Len, pseudo) === 0xffff
    ? CsumStatus.Good
    : CsumStatus.Bad;
}
