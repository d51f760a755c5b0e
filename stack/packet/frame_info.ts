/**
 * `FrameInfo`: what `parseFrame` learned about one frame, as plain numeric fields filled in
 * place so one instance serves every packet.
 *
 * Offsets are absolute indices into the parsed `Uint8Array` (the pool arena, typically); -1 means
 * "not reached". Lengths are what the headers claim; `truncated` says the bytes ended first
 * (a capture snap length, a short buffer), and `capturedPayloadLen()` gives what is present.
 *
 * @module
 */
import { Reason, type ReasonCode } from "./reason.ts";

/** How the destination MAC addresses receivers (`FrameInfo.dstMacKind`). */
export const MacKind = { Unicast: 0, Multicast: 1, Broadcast: 2 } as const;

/** Parse results of one frame; reuse one instance per worker and let `parseFrame` refill it. */
export class FrameInfo {
  /** Result of the last `parseFrame` into this instance. */
  reason: ReasonCode = Reason.Ok;
  /** Offset of the frame's first byte. */
  start = 0;
  /** Offset one past the frame's last present byte. */
  end = 0;
  /** Whether the bytes ended before the lengths the headers claim. */
  truncated = false;

  /** Offset of the Ethernet header (destination MAC at `l2`, source MAC at `l2 + 6`), or -1. */
  l2 = -1;
  /** Offset of the L3 header (after any 802.1Q tag), or -1. */
  l3 = -1;
  /** Offset of the L4 header (ICMP, UDP, TCP or unknown protocol), or -1. */
  l4 = -1;
  /** Offset of the innermost payload (after the last parsed header), or -1. */
  payload = -1;
  /** Payload length the headers claim (UDP length - 8, IP payload - TCP header, ...), or 0. */
  payloadLen = 0;

  /** Destination MAC kind (`MacKind`), or -1. */
  dstMacKind = -1;
  /** 802.1Q VLAN id, or -1 when untagged. */
  vlanId = -1;
  /** 802.1Q priority code point, or -1 when untagged. */
  vlanPcp = -1;
  /** EtherType after any tag, or -1. */
  etherType = -1;

  /** ARP opcode, or -1. */
  arpOp = -1;
  /** ARP sender IPv4 address (u32), or 0. */
  arpSenderIp = 0;
  /** ARP target IPv4 address (u32), or 0. */
  arpTargetIp = 0;

  /** IPv4 header length in bytes (IHL x 4), or 0. */
  ipHeaderLen = 0;
  /** IPv4 total length, or 0. */
  ipTotalLen = 0;
  /** IPv4 type of service, or 0. */
  ipTos = 0;
  /** IPv4 identification, or 0. */
  ipId = 0;
  /** IPv4 3-bit flags (`Ipv4Flag` bits), or 0. */
  ipFlags = 0;
  /** IPv4 fragment offset in 8-byte units, or 0. */
  ipFragOffset = 0;
  /** IPv4 TTL, or -1. */
  ipTtl = -1;
  /** IPv4 protocol number, or -1. */
  ipProto = -1;
  /** IPv4 source address (u32), or 0. */
  ipSrc = 0;
  /** IPv4 destination address (u32), or 0. */
  ipDst = 0;

  /** IP payload length the IPv4 header claims (total length - header length), or 0. */
  l4Len = 0;
  /** Protocol whose L4 header was parsed (1, 6 or 17), or -1 (fragment, unknown, failure). */
  l4Proto = -1;
  /** UDP/TCP source port, or -1. */
  srcPort = -1;
  /** UDP/TCP destination port, or -1. */
  dstPort = -1;
  /** UDP length field, or 0. */
  udpLen = 0;
  /** L4 checksum field (UDP, TCP or ICMP), or 0. */
  l4Checksum = 0;
  /** TCP sequence number, or 0. */
  tcpSeq = 0;
  /** TCP acknowledgment number, or 0. */
  tcpAck = 0;
  /** TCP flags byte (`TcpFlag` bits), or 0. */
  tcpFlags = 0;
  /** TCP window (unscaled), or 0. */
  tcpWindow = 0;
  /** TCP header length in bytes (data offset x 4), or 0. */
  tcpHeaderLen = 0;
  /** ICMP type, or -1. */
  icmpType = -1;
  /** ICMP code, or -1. */
  icmpCode = -1;
  /** ICMP bytes 4..6 (echo identifier), or 0. */
  icmpId = 0;
  /** ICMP bytes 6..8 (echo sequence number), or 0. */
  icmpSeq = 0;

  /** Payload bytes actually present: `payloadLen` clipped to the frame's end. */
  capturedPayloadLen(): number {
    if (this.payload < 0) return 0;
    const present = this.end - this.payload;
    return present < this.payloadLen ? (present > 0 ? present : 0) : this.payloadLen;
  }

  /** Resets every field to "not reached" for a frame at `[start, end)`. */
  reset(start: number, end: number): void {
    this.reason = Reason.Ok;
    this.start = start;
    this.end = end;
    this.truncated = false;
    this.l2 = -1;
    this.l3 = -1;
    this.l4 = -1;
    this.payload = -1;
    this.payloadLen = 0;
    this.dstMacKind = -1;
    this.vlanId = -1;
    this.vlanPcp = -1;
    this.etherType = -1;
    this.arpOp = -1;
    this.arpSenderIp = 0;
    this.arpTargetIp = 0;
    this.ipHeaderLen = 0;
    this.ipTotalLen = 0;
    this.ipTos = 0;
    this.ipId = 0;
    this.ipFlags = 0;
    this.ipFragOffset = 0;
    this.ipTtl = -1;
    this.ipProto = -1;
    this.ipSrc = 0;
    this.ipDst = 0;
    this.l4Len = 0;
    this.l4Proto = -1;
    this.srcPort = -1;
    this.dstPort = -1;
    this.udpLen = 0;
    this.l4Checksum = 0;
    this.tcpSeq = 0;
    this.tcpAck = 0;
    this.tcpFlags = 0;
    this.tcpWindow = 0;
    this.tcpHeaderLen = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.icmpId = 0;
    this.icmpSeq = 0;
  }
}
