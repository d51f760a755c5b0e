/**
 * Checksum verification of a parsed frame: the IPv4 header checksum (RFC 791) and the UDP, TCP
 * (with the IPv4 pseudo-header) or ICMP checksum.
 *
 * Both take the `FrameInfo` that `parseFrame` filled for the same bytes and return a `Reason`
 * code. A check that does not apply (no IPv4 header, no parsed L4 header, UDP checksum 0 = none
 * per RFC 768) returns `Reason.Ok`, so the three calls chain:
 * `parseFrame(...) || verifyIpv4HeaderChecksum(...) || verifyL4Checksum(...)`.
 *
 * @module
 */
import type { FrameInfo } from "./frame_info.ts";
import { ipv4PseudoHeaderSum, onesComplementSum } from "./checksum.ts";
import { Reason, type ReasonCode } from "./reason.ts";
import { viewOf } from "./_view.ts";

/** `Reason.Ipv4BadChecksum` unless the IPv4 header of `info` sums to 0xffff; Ok if none was parsed. */
export function verifyIpv4HeaderChecksum(bytes: Uint8Array, info: FrameInfo): ReasonCode {
  const hlen = info.ipHeaderLen;
  if (hlen === 0 || info.l3 < 0) return Reason.Ok;
  if (info.l3 + hlen > bytes.length) return Reason.FrameBoundsInvalid;
  return onesComplementSum(bytes, info.l3, hlen) === 0xffff ? Reason.Ok : Reason.Ipv4BadChecksum;
}

/**
 * Verifies the L4 checksum of `info`'s UDP (pseudo-header, over the UDP length; 0 = none), TCP
 * (pseudo-header, over the IP payload) or ICMP (over the IP payload) segment. Returns the
 * protocol's bad-checksum reason, `Ipv4TotalLengthBeyondFrame` when the segment is not all
 * present (cannot verify), or Ok (also when no L4 header was parsed).
 */
export function verifyL4Checksum(bytes: Uint8Array, info: FrameInfo): ReasonCode {
  const proto = info.l4Proto;
  if (proto < 0 || info.l4 < 0) return Reason.Ok;
  const l4 = info.l4;
  if (info.l3 + info.ipTotalLen > info.end) return Reason.Ipv4TotalLengthBeyondFrame;
  if (info.end > bytes.length) return Reason.FrameBoundsInvalid;
  if (proto === 17) {
    if (viewOf(bytes).getUint16(l4 + 6) === 0) return Reason.Ok; // read now: info may be stale
    const n = info.udpLen;
    if (n < 8 || l4 + n > info.end) return Reason.UdpBadLength;
    const s = onesComplementSum(bytes, l4, n, ipv4PseudoHeaderSum(info.ipSrc, info.ipDst, 17, n));
    return s === 0xffff ? Reason.Ok : Reason.UdpBadChecksum;
  }
  const n = info.l4Len;
  if (proto === 6) {
    const s = onesComplementSum(bytes, l4, n, ipv4PseudoHeaderSum(info.ipSrc, info.ipDst, 6, n));
    return s === 0xffff ? Reason.Ok : Reason.TcpBadChecksum;
  }
  return onesComplementSum(bytes, l4, n) === 0xffff ? Reason.Ok : Reason.IcmpBadChecksum;
}
