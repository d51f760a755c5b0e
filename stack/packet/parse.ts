/**
 * `parseFrame`: structural validation and field extraction of an Ethernet II frame (optional
 * 802.1Q tag) carrying ARP or IPv4 with ICMP, UDP or TCP, into a reusable `FrameInfo`.
 *
 * Never throws and never allocates (given one arena, see `_view.ts`); every failure returns a
 * specific `Reason` code, the first one found in header order. Checksums are not checked here:
 * call `verifyIpv4HeaderChecksum` and `verifyL4Checksum` (re-exported here) when wanted.
 *
 * Checks, in order (the LPG's `RxL2Ether*`, `RxL3ARP*`, `RxL3IPv4*`, `RxL4UDP*`, `RxL3ICMP*`
 * nodes, `dragonet-model.md` section 6, with quirks Q3 and Q4 corrected per section 13: IHL >= 5
 * is required and TCP is parsed):
 * - Ethernet: 14 bytes, 18 with a tag; EtherType IPv4 or ARP, else `UnknownEthertype`.
 * - ARP: 28 bytes, hardware type 1, protocol type 0x0800, lengths 6/4, opcode 1 or 2.
 * - IPv4: 20 bytes, version 4, IHL >= 5, header present, total length >= header, options well
 *   formed, total length <= frame. A fragment (MF or offset) stops at `Ipv4Fragment` (the lab
 *   does not reassemble, like Dragonet's `ValidReassembly`). Protocols other than 1/6/17 give
 *   `Ipv4UnknownProtocol` with `l4`/`payload` at the IP payload.
 * - UDP: 8 bytes; length field 8..IP payload length.
 * - TCP: 20 bytes; data offset 5..IP payload length; options well formed.
 * - ICMP: 8 bytes.
 *
 * When only the IPv4 total length exceeds the frame (a capture cut by its snap length), the L4
 * header is still parsed from the bytes present so ports and flags are available; the result is
 * `Ipv4TotalLengthBeyondFrame` and `truncated` is set.
 *
 * @module
 */
import { FrameInfo, MacKind } from "./frame_info.ts";
import { Reason, type ReasonCode } from "./reason.ts";
import { viewOf } from "./_view.ts";
import { parseTcpOptions, TcpOptions } from "./tcp_options.ts";
import { ipv4OptionsValid } from "./ipv4.ts";

export { verifyIpv4HeaderChecksum, verifyL4Checksum } from "./verify.ts";
export { FrameInfo };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_VLAN = 0x8100;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

const scratchOptions = new TcpOptions();

/**
 * Parses the frame `bytes[off, off+len)` into `out` and returns `Reason.Ok` or the first
 * structural failure (also stored in `out.reason`). Never throws.
 */
export function parseFrame(
  bytes: Uint8Array,
  off: number,
  len: number,
  out: FrameInfo,
): ReasonCode {
  out.reset(off, off + len);
  const r = parseInner(bytes, off, len, out);
  out.reason = r;
  return r;
}

function parseInner(bytes: Uint8Array, off: number, len: number, out: FrameInfo): ReasonCode {
  if (
    !(off >= 0 && len >= 0 && (off | 0) === off && (len | 0) === len && off + len <= bytes.length)
  ) {
    out.end = off;
    return Reason.FrameBoundsInvalid;
  }
  const end = off + len;
  if (len < 14) {
    out.truncated = true;
    return Reason.EthTruncated;
  }
  const v = viewOf(bytes);
  out.l2 = off;
  const d0 = v.getUint8(off);
  out.dstMacKind = (d0 & 1) === 0
    ? MacKind.Unicast
    : (v.getUint32(off) === 0xffffffff && v.getUint16(off + 4) === 0xffff)
    ? MacKind.Broadcast
    : MacKind.Multicast;
  let type = v.getUint16(off + 12);
  let l3 = off + 14;
  if (type === ETHERTYPE_VLAN) {
    if (len < 18) {
      out.truncated = true;
      return Reason.VlanTruncated;
    }
    const tci = v.getUint16(off + 14);
    out.vlanId = tci & 0x0fff;
    out.vlanPcp = tci >>> 13;
    type = v.getUint16(off + 16);
    l3 = off + 18;
  }
  out.etherType = type;
  if (type === ETHERTYPE_IPV4) {
    out.l3 = l3;
    return parseIpv4(bytes, v, l3, end, out);
  }
  if (type === ETHERTYPE_ARP) {
    out.l3 = l3;
    return parseArp(v, l3, end, out);
  }
  return Reason.UnknownEthertype;
}

function parseArp(v: DataView, o: number, end: number, out: FrameInfo): ReasonCode {
  if (end - o < 28) {
    out.truncated = true;
    return Reason.ArpTruncated;
  }
  if (v.getUint16(o) !== 1) return Reason.ArpBadHardwareType;
  if (v.getUint16(o + 2) !== ETHERTYPE_IPV4) return Reason.ArpBadProtocolType;
  if (v.getUint8(o + 4) !== 6 || v.getUint8(o + 5) !== 4) return Reason.ArpBadAddressLength;
  const op = v.getUint16(o + 6);
  out.arpOp = op;
  out.arpSenderIp = v.getUint32(o + 14);
  out.arpTargetIp = v.getUint32(o + 24);
  if (op !== 1 && op !== 2) return Reason.ArpBadOpcode;
  return Reason.Ok;
}

function parseIpv4(
  bytes: Uint8Array,
  v: DataView,
  o: number,
  end: number,
  out: FrameInfo,
): ReasonCode {
  const avail = end - o;
  if (avail < 20) {
    out.truncated = true;
    return Reason.Ipv4Truncated;
  }
  const b0 = v.getUint8(o);
  if (b0 >>> 4 !== 4) return Reason.Ipv4BadVersion;
  const hlen = (b0 & 15) << 2;
  if (hlen < 20) return Reason.Ipv4BadIhl;
  if (hlen > avail) {
    out.truncated = true;
    return Reason.Ipv4HeaderTruncated;
  }
  const totalLen = v.getUint16(o + 2);
  const frag = v.getUint16(o + 6);
  const proto = v.getUint8(o + 9);
  out.ipHeaderLen = hlen;
  out.ipTotalLen = totalLen;
  out.ipTos = v.getUint8(o + 1);
  out.ipId = v.getUint16(o + 4);
  out.ipFlags = frag >>> 13;
  out.ipFragOffset = frag & 0x1fff;
  out.ipTtl = v.getUint8(o + 8);
  out.ipProto = proto;
  out.ipSrc = v.getUint32(o + 12);
  out.ipDst = v.getUint32(o + 16);
  if (totalLen < hlen) return Reason.Ipv4TotalLengthBelowHeader;
  if (hlen > 20 && !ipv4OptionsValid(v, o + 20, hlen - 20)) return Reason.Ipv4BadOptions;
  const l4 = o + hlen;
  const l4Len = totalLen - hlen;
  out.l4Len = l4Len;
  let first: ReasonCode = Reason.Ok;
  let limit = o + totalLen;
  if (totalLen > avail) {
    out.truncated = true;
    first = Reason.Ipv4TotalLengthBeyondFrame;
    limit = end;
  }
  if ((frag & 0x3fff) !== 0) {
    // MF set or non-zero offset; no reassembly, so no L4 header to read.
    out.payload = l4;
    out.payloadLen = l4Len;
    return first !== Reason.Ok ? first : Reason.Ipv4Fragment;
  }
  out.l4 = l4;
  let r: ReasonCode;
  if (proto === PROTO_UDP) r = parseUdp(v, l4, l4Len, limit, out);
  else if (proto === PROTO_TCP) r = parseTcp(bytes, v, l4, l4Len, limit, out);
  else if (proto === PROTO_ICMP) r = parseIcmp(v, l4, l4Len, limit, out);
  else {
    out.payload = l4;
    out.payloadLen = l4Len;
    r = Reason.Ipv4UnknownProtocol;
  }
  return first !== Reason.Ok ? first : r;
}

function parseUdp(
  v: DataView,
  o: number,
  l4Len: number,
  limit: number,
  out: FrameInfo,
): ReasonCode {
  if (l4Len < 8) return Reason.UdpTruncated;
  if (limit - o < 8) {
    out.truncated = true;
    return Reason.UdpTruncated;
  }
  const udpLen = v.getUint16(o + 4);
  out.l4Proto = PROTO_UDP;
  out.srcPort = v.getUint16(o);
  out.dstPort = v.getUint16(o + 2);
  out.udpLen = udpLen;
  out.l4Checksum = v.getUint16(o + 6);
  out.payload = o + 8;
  if (udpLen < 8 || udpLen > l4Len) {
    out.payloadLen = l4Len - 8;
    return Reason.UdpBadLength;
  }
  out.payloadLen = udpLen - 8;
  return Reason.Ok;
}

function parseTcp(
  bytes: Uint8Array,
  v: DataView,
  o: number,
  l4Len: number,
  limit: number,
  out: FrameInfo,
): ReasonCode {
  if (l4Len < 20) return Reason.TcpTruncated;
  if (limit - o < 20) {
    out.truncated = true;
    return Reason.TcpTruncated;
  }
  out.l4Proto = PROTO_TCP;
  out.srcPort = v.getUint16(o);
  out.dstPort = v.getUint16(o + 2);
  out.tcpSeq = v.getUint32(o + 4);
  out.tcpAck = v.getUint32(o + 8);
  out.tcpFlags = v.getUint8(o + 13);
  out.tcpWindow = v.getUint16(o + 14);
  out.l4Checksum = v.getUint16(o + 16);
  const hl = (v.getUint8(o + 12) >>> 4) << 2;
  out.tcpHeaderLen = hl;
  if (hl < 20 || hl > l4Len) return Reason.TcpBadDataOffset;
  if (hl > limit - o) {
    out.truncated = true;
    return Reason.TcpTruncated;
  }
  out.payload = o + hl;
  out.payloadLen = l4Len - hl;
  if (hl > 20 && parseTcpOptions(bytes, o + 20, hl - 20, scratchOptions) !== Reason.Ok) {
    return Reason.TcpBadOptions;
  }
  return Reason.Ok;
}

function parseIcmp(
  v: DataView,
  o: number,
  l4Len: number,
  limit: number,
  out: FrameInfo,
): ReasonCode {
  if (l4Len < 8) return Reason.IcmpTruncated;
  if (limit - o < 8) {
    out.truncated = true;
    return Reason.IcmpTruncated;
  }
  out.l4Proto = PROTO_ICMP;
  out.icmpType = v.getUint8(o);
  out.icmpCode = v.getUint8(o + 1);
  out.l4Checksum = v.getUint16(o + 2);
  out.icmpId = v.getUint16(o + 4);
  out.icmpSeq = v.getUint16(o + 6);
  out.payload = o + 8;
  out.payloadLen = l4Len - 8;
  return Reason.Ok;
}
