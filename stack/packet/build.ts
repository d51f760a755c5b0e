/**
 * Builders of whole frames: Ethernet II (optional 802.1Q tag) with IPv4 + UDP, TCP, ICMP echo,
 * ICMP error, and ARP request/reply, with correct lengths and checksums.
 *
 * Each builder writes into `out` at `off` and returns the frame length. Specs are plain objects
 * a caller can keep and reuse, so building allocates nothing when `out` is one arena. Frames
 * shorter than the Ethernet minimum (60 bytes without FCS, `host-stacks.md` frame-size section,
 * IEEE 802.3) are zero-padded unless `padToMinimum: false`. Out-of-range values or a too-small
 * buffer throw a clear error.
 *
 * TX defaults follow common Linux practice and are parameters: TTL 64, DF set, IP id 0
 * (Dragonet's own TX path used TTL 17, `dragonet-model.md` section 6.8; pass `ttl: 17` to
 * reproduce it).
 *
 * @module
 */
import { internetChecksum, ipv4PseudoHeaderSum, onesComplementSum } from "./checksum.ts";
import { viewOf } from "./_view.ts";
import { ETH_MIN_FRAME, EtherType } from "./ethernet.ts";
import { ArpOp, writeArp } from "./arp.ts";
import { IpProto, Ipv4Flag, writeIpv4Header } from "./ipv4.ts";
import { writeUdpHeader } from "./udp.ts";
import { IcmpType, writeIcmpHeader } from "./icmp.ts";
import { writeTcpHeader } from "./tcp.ts";
import { tcpOptionsLength, type TcpOptionsSpec, writeTcpOptions } from "./tcp_options.ts";

/**
 * How a builder fills the L4 checksum: `Full` computes it; `Partial` stores the folded
 * pseudo-header sum for a NIC to complete (Linux CHECKSUM_PARTIAL, as seen in loopback
 * captures); `None` leaves zero (for UDP: "no checksum").
 */
export const ChecksumMode = { Full: 0, Partial: 1, None: 2 } as const;

/** A `ChecksumMode` value. */
export type ChecksumModeCode = (typeof ChecksumMode)[keyof typeof ChecksumMode];

/** Ethernet part of every frame spec. */
export interface EthSpec {
  /** Destination MAC, 6 bytes. */
  readonly dstMac: Uint8Array;
  /** Source MAC, 6 bytes. */
  readonly srcMac: Uint8Array;
  /** 802.1Q tag: VLAN id 0..4095, priority 0..7 (default 0). Absent = untagged. */
  readonly vlan?: { readonly id: number; readonly pcp?: number } | undefined;
  /** Zero-pad to the 60-byte Ethernet minimum (default true). */
  readonly padToMinimum?: boolean;
}

/** IPv4 part of a frame spec. */
export interface Ipv4Spec extends EthSpec {
  /** Source address (u32). */
  readonly srcIp: number;
  /** Destination address (u32). */
  readonly dstIp: number;
  /** TTL (default 64). */
  readonly ttl?: number;
  /** Identification (default 0). */
  readonly ipId?: number;
  /** Type of service (default 0). */
  readonly tos?: number;
  /** Set DF (default true). */
  readonly dontFragment?: boolean;
  /** Raw IPv4 options, a multiple of 4 bytes, at most 40. */
  readonly ipOptions?: Uint8Array;
  /** Fill the IPv4 header checksum (default true; false leaves zero, as for TX offload). */
  readonly ipChecksum?: boolean;
}

/** An Ethernet/IPv4/UDP frame. */
export interface UdpFrameSpec extends Ipv4Spec {
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Payload bytes (default empty). */
  readonly payload?: Uint8Array;
  /** L4 checksum mode (default `ChecksumMode.Full`). */
  readonly l4Checksum?: ChecksumModeCode;
}

/** An Ethernet/IPv4/TCP segment. */
export interface TcpFrameSpec extends Ipv4Spec {
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Sequence number (u32). */
  readonly seq: number;
  /** Acknowledgment number (u32, default 0). */
  readonly ack?: number;
  /** Flags byte (`TcpFlag` bits). */
  readonly flags: number;
  /** Window (default 65535). */
  readonly window?: number;
  /** Options (MSS, window scale, SACK-permitted, timestamps, SACK blocks). */
  readonly options?: TcpOptionsSpec;
  /** Payload bytes (default empty). */
  readonly payload?: Uint8Array;
  /** L4 checksum mode (default `ChecksumMode.Full`; `None` leaves zero, which is invalid TCP). */
  readonly l4Checksum?: ChecksumModeCode;
}

/** An Ethernet/IPv4/ICMP echo request or reply. */
export interface IcmpEchoFrameSpec extends Ipv4Spec {
  /** Build an echo reply (type 0) instead of a request (type 8). */
  readonly reply?: boolean;
  /** Identifier. */
  readonly id: number;
  /** Sequence number. */
  readonly seq: number;
  /** Payload bytes (default empty). */
  readonly payload?: Uint8Array;
}

/** An Ethernet/IPv4/ICMP error (destination unreachable, time exceeded, ...). */
export interface IcmpErrorFrameSpec extends Ipv4Spec {
  /** ICMP type (3, 4, 5, 11 or 12). */
  readonly type: number;
  /** ICMP code. */
  readonly code: number;
  /** The 32-bit word at bytes 4..8 (default 0; next-hop MTU for type 3 code 4, RFC 1191). */
  readonly rest?: number;
  /** The offending datagram, starting at its IPv4 header. */
  readonly original: Uint8Array;
  /** Bytes of `original` to quote (default: its IP header + 8 bytes, RFC 792). */
  readonly quoteLen?: number;
}

/** An ARP request (broadcast, target MAC zero) for `targetIp`. */
export interface ArpRequestSpec {
  /** Sender MAC (also the Ethernet source). */
  readonly srcMac: Uint8Array;
  /** Sender IPv4 address (u32); equal to `targetIp` for a gratuitous ARP. */
  readonly senderIp: number;
  /** Address being resolved (u32). */
  readonly targetIp: number;
  /** 802.1Q tag. */
  readonly vlan?: { readonly id: number; readonly pcp?: number } | undefined;
  /** Zero-pad to 60 bytes (default true). */
  readonly padToMinimum?: boolean;
}

/** An ARP reply from `srcMac`/`senderIp` to `dstMac`/`targetIp`. */
export interface ArpReplySpec extends ArpRequestSpec {
  /** Requester's MAC (Ethernet destination and target hardware address). */
  readonly dstMac: Uint8Array;
}

const ZERO_MAC = new Uint8Array(6);
const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const EMPTY = new Uint8Array(0);

function checkInt(what: string, value: number, max: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= max)) {
    throw new RangeError(`Cannot build frame: ${what} ${value} must be an integer 0..${max}`);
  }
}

function checkMac(what: string, mac: Uint8Array): void {
  if (mac.length !== 6) {
    throw new RangeError(`Cannot build frame: ${what} has ${mac.length} bytes, a MAC has 6`);
  }
}

function tciOf(vlan: EthSpec["vlan"]): number {
  if (vlan === undefined) return -1;
  checkInt("VLAN id", vlan.id, 4095);
  const pcp = vlan.pcp ?? 0;
  checkInt("VLAN priority", pcp, 7);
  return (pcp << 13) | vlan.id;
}

function checkSpace(kind: string, out: Uint8Array, off: number, need: number): void {
  if (!(Number.isInteger(off) && off >= 0 && off + need <= out.length)) {
    throw new RangeError(
      `Cannot build ${kind} frame of ${need} bytes at offset ${off}: buffer holds ${out.length} bytes`,
    );
  }
}

/** Writes Ethernet (+tag) header; returns the L3 offset. */
function writeL2(
  out: Uint8Array,
  v: DataView,
  off: number,
  dst: Uint8Array,
  src: Uint8Array,
  tci: number,
  type: number,
): number {
  // Byte copies: cheaper than two TypedArray.set calls for 6 bytes (see build_bench.ts).
  for (let i = 0; i < 6; i++) {
    out[off + i] = dst[i] ?? 0;
    out[off + 6 + i] = src[i] ?? 0;
  }
  if (tci < 0) {
    v.setUint16(off + 12, type);
    return off + 14;
  }
  v.setUint16(off + 12, EtherType.Vlan);
  v.setUint16(off + 14, tci);
  v.setUint16(off + 16, type);
  return off + 18;
}

function pad(out: Uint8Array, off: number, len: number, padToMinimum: boolean | undefined): number {
  if (padToMinimum === false || len >= ETH_MIN_FRAME) return len;
  if (off + ETH_MIN_FRAME > out.length) {
    throw new RangeError(
      `Cannot pad frame to ${ETH_MIN_FRAME} bytes at offset ${off}: buffer holds ${out.length} bytes`,
    );
  }
  out.fill(0, off + len, off + ETH_MIN_FRAME);
  return ETH_MIN_FRAME;
}

/**
 * Validates the IPv4 part, writes Ethernet + IPv4 header (checksum filled unless disabled) and
 * returns the L4 offset. `l4Len` is the IP payload length.
 */
function writeL2L3(
  kind: string,
  out: Uint8Array,
  off: number,
  spec: Ipv4Spec,
  proto: number,
  l4Len: number,
): number {
  checkMac("destination MAC", spec.dstMac);
  checkMac("source MAC", spec.srcMac);
  checkInt("source IPv4 address", spec.srcIp, 0xffffffff);
  checkInt("destination IPv4 address", spec.dstIp, 0xffffffff);
  const ttl = spec.ttl ?? 64;
  checkInt("TTL", ttl, 255);
  const ipId = spec.ipId ?? 0;
  checkInt("IP id", ipId, 0xffff);
  const tos = spec.tos ?? 0;
  checkInt("TOS", tos, 255);
  const opts = spec.ipOptions ?? EMPTY;
  if (opts.length % 4 !== 0 || opts.length > 40) {
    throw new RangeError(
      `Cannot build frame: IPv4 options of ${opts.length} bytes must be a multiple of 4, at most 40`,
    );
  }
  const tci = tciOf(spec.vlan);
  const hlen = 20 + opts.length;
  const totalLen = hlen + l4Len;
  if (totalLen > 0xffff) {
    throw new RangeError(`Cannot build frame: IPv4 total length ${totalLen} exceeds 65535`);
  }
  const l2Len = tci < 0 ? 14 : 18;
  checkSpace(kind, out, off, l2Len + totalLen);
  const v = viewOf(out);
  const l3 = writeL2(out, v, off, spec.dstMac, spec.srcMac, tci, EtherType.Ipv4);
  writeIpv4Header(
    v,
    l3,
    hlen >>> 2,
    tos,
    totalLen,
    ipId,
    spec.dontFragment === false ? 0 : Ipv4Flag.DF,
    0,
    ttl,
    proto,
    spec.srcIp,
    spec.dstIp,
  );
  if (opts.length > 0) out.set(opts, l3 + 20);
  if (spec.ipChecksum !== false) v.setUint16(l3 + 10, internetChecksum(out, l3, hlen));
  return l3 + hlen;
}

function fillL4Checksum(
  out: Uint8Array,
  at: number,
  l4: number,
  len: number,
  spec: Ipv4Spec,
  proto: number,
  mode: ChecksumModeCode,
): void {
  if (mode === ChecksumMode.None) return;
  const v = viewOf(out);
  const pseudo = ipv4PseudoHeaderSum(spec.srcIp, spec.dstIp, proto, len);
  if (mode === ChecksumMode.Partial) {
    v.setUint16(at, pseudo);
    return;
  }
  const sum = ~onesComplementSum(out, l4, len, pseudo) & 0xffff;
  // RFC 768: a computed UDP checksum of zero is sent as all ones (zero means "none").
  v.setUint16(at, sum === 0 && proto === IpProto.Udp ? 0xffff : sum);
}

/** Builds an Ethernet/IPv4/UDP frame at `off`; returns the frame length. */
export function buildUdpFrame(out: Uint8Array, off: number, spec: UdpFrameSpec): number {
  checkInt("source port", spec.srcPort, 0xffff);
  checkInt("destination port", spec.dstPort, 0xffff);
  const payload = spec.payload ?? EMPTY;
  const udpLen = 8 + payload.length;
  const l4 = writeL2L3("UDP", out, off, spec, IpProto.Udp, udpLen);
  const v = viewOf(out);
  writeUdpHeader(v, l4, spec.srcPort, spec.dstPort, udpLen);
  out.set(payload, l4 + 8);
  fillL4Checksum(out, l4 + 6, l4, udpLen, spec, IpProto.Udp, spec.l4Checksum ?? ChecksumMode.Full);
  return pad(out, off, l4 + udpLen - off, spec.padToMinimum);
}

/** Builds an Ethernet/IPv4/TCP segment at `off`; returns the frame length. */
export function buildTcpFrame(out: Uint8Array, off: number, spec: TcpFrameSpec): number {
  checkInt("source port", spec.srcPort, 0xffff);
  checkInt("destination port", spec.dstPort, 0xffff);
  checkInt("sequence number", spec.seq, 0xffffffff);
  const ack = spec.ack ?? 0;
  checkInt("acknowledgment number", ack, 0xffffffff);
  checkInt("TCP flags", spec.flags, 0xff);
  const window = spec.window ?? 0xffff;
  checkInt("TCP window", window, 0xffff);
  const optLen = spec.options === undefined ? 0 : tcpOptionsLength(spec.options);
  const payload = spec.payload ?? EMPTY;
  const hl = 20 + optLen;
  const segLen = hl + payload.length;
  const l4 = writeL2L3("TCP", out, off, spec, IpProto.Tcp, segLen);
  const v = viewOf(out);
  if (spec.options !== undefined) writeTcpOptions(out, l4 + 20, spec.options);
  writeTcpHeader(v, l4, spec.srcPort, spec.dstPort, spec.seq, ack, hl >>> 2, spec.flags, window);
  out.set(payload, l4 + hl);
  fillL4Checksum(out, l4 + 16, l4, segLen, spec, IpProto.Tcp, spec.l4Checksum ?? ChecksumMode.Full);
  return pad(out, off, l4 + segLen - off, spec.padToMinimum);
}

/** Builds an Ethernet/IPv4/ICMP echo request (or reply) at `off`; returns the frame length. */
export function buildIcmpEchoFrame(out: Uint8Array, off: number, spec: IcmpEchoFrameSpec): number {
  checkInt("ICMP echo id", spec.id, 0xffff);
  checkInt("ICMP echo sequence", spec.seq, 0xffff);
  const payload = spec.payload ?? EMPTY;
  const len = 8 + payload.length;
  const l4 = writeL2L3("ICMP echo", out, off, spec, IpProto.Icmp, len);
  const v = viewOf(out);
  const type = spec.reply === true ? IcmpType.EchoReply : IcmpType.EchoRequest;
  writeIcmpHeader(v, l4, type, 0, ((spec.id << 16) | spec.seq) >>> 0);
  out.set(payload, l4 + 8);
  v.setUint16(l4 + 2, internetChecksum(out, l4, len));
  return pad(out, off, l4 + len - off, spec.padToMinimum);
}

/**
 * Builds an Ethernet/IPv4/ICMP error at `off` quoting the offending datagram `spec.original`
 * (its IP header + 8 bytes by default); returns the frame length.
 */
export function buildIcmpErrorFrame(
  out: Uint8Array,
  off: number,
  spec: IcmpErrorFrameSpec,
): number {
  checkInt("ICMP type", spec.type, 255);
  checkInt("ICMP code", spec.code, 255);
  const rest = spec.rest ?? 0;
  checkInt("ICMP rest-of-header word", rest, 0xffffffff);
  const orig = spec.original;
  if (orig.length < 20 || orig[0] === undefined || orig[0] >>> 4 !== 4) {
    throw new RangeError(
      `Cannot build ICMP error: the original datagram (${orig.length} bytes) must start with an IPv4 header`,
    );
  }
  const ihlBytes = (orig[0] & 15) * 4;
  const quote = Math.min(orig.length, spec.quoteLen ?? ihlBytes + 8);
  checkInt("ICMP quote length", quote, orig.length);
  const len = 8 + quote;
  const l4 = writeL2L3("ICMP error", out, off, spec, IpProto.Icmp, len);
  const v = viewOf(out);
  writeIcmpHeader(v, l4, spec.type, spec.code, rest);
  out.set(orig.subarray(0, quote), l4 + 8);
  v.setUint16(l4 + 2, internetChecksum(out, l4, len));
  return pad(out, off, l4 + len - off, spec.padToMinimum);
}

function buildArp(
  out: Uint8Array,
  off: number,
  spec: ArpRequestSpec,
  op: number,
  ethDst: Uint8Array,
  targetMac: Uint8Array,
): number {
  checkMac("source MAC", spec.srcMac);
  checkMac("destination MAC", ethDst);
  checkInt("ARP sender IPv4 address", spec.senderIp, 0xffffffff);
  checkInt("ARP target IPv4 address", spec.targetIp, 0xffffffff);
  const tci = tciOf(spec.vlan);
  const l2Len = tci < 0 ? 14 : 18;
  checkSpace("ARP", out, off, l2Len + 28);
  const v = viewOf(out);
  const l3 = writeL2(out, v, off, ethDst, spec.srcMac, tci, EtherType.Arp);
  writeArp(out, v, l3, op, spec.srcMac, spec.senderIp, targetMac, spec.targetIp);
  return pad(out, off, l3 + 28 - off, spec.padToMinimum);
}

/** Builds a broadcast ARP request at `off`; returns the frame length. */
export function buildArpRequest(out: Uint8Array, off: number, spec: ArpRequestSpec): number {
  return buildArp(out, off, spec, ArpOp.Request, BROADCAST_MAC, ZERO_MAC);
}

/** Builds a unicast ARP reply at `off`; returns the frame length. */
export function buildArpReply(out: Uint8Array, off: number, spec: ArpReplySpec): number {
  return buildArp(out, off, spec, ArpOp.Reply, spec.dstMac, spec.dstMac);
}
