/**
 * Frames for NIC tests, the conformance suite and benchmarks, from one small spec: IPv4 frames
 * come from the packet layer's builders (`stack/packet/build.ts`); IPv6 + UDP/TCP (which the
 * packet layer does not build) is assembled here with correct lengths and checksums.
 *
 * @module
 */
import { onesComplementSum } from "./_checksum.ts";
import { parseIpv4Address, parseIpv6Address } from "./addr.ts";
import { buildArpRequest, buildTcpFrame, buildUdpFrame } from "../../stack/packet/build.ts";

const SRC_MAC = new Uint8Array([2, 0, 0, 0, 0, 2]);

/** What a test frame carries. Addresses are dotted quads (IPv4) or IPv6 text. */
export interface TestFrameSpec {
  /** 6 (TCP) or 17 (UDP); default 17. */
  readonly proto?: number;
  /** Source address. */
  readonly srcIp: string;
  /** Destination address. */
  readonly dstIp: string;
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Payload bytes (zero-filled with a pattern), default 18 (a 64-byte UDP/IPv4 frame with FCS). */
  readonly payload?: number;
  /** TCP flags byte (TCP only), default ACK. */
  readonly tcpFlags?: number;
  /** 802.1Q VLAN id, default untagged. */
  readonly vlan?: number;
  /** Destination MAC high 16 / low 32 bits, default 02:00:00:00:00:01. */
  readonly dstMac?: readonly [number, number];
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, v >>> 16);
  put16(b, at + 2, v & 0xffff);
}

/** Builds an Ethernet (optional VLAN) frame with IPv4 or IPv6 (chosen by the address text). */
export function buildTestFrame(spec: TestFrameSpec): Uint8Array {
  const proto = spec.proto ?? 17;
  const v6 = spec.srcIp.includes(":");
  const payload = spec.payload ?? 18;
  const l4Len = (proto === 6 ? 20 : 8) + payload;
  const l2 = spec.vlan === undefined ? 14 : 18;
  const l3Len = 40;
  const [macHi, macLo] = spec.dstMac ?? [0x0200, 0x00000001];
  if (!v6) {
    const dst = new Uint8Array(6);
    put16(dst, 0, macHi);
    put32(dst, 2, macLo);
    const buf = new Uint8Array(l2 + 20 + l4Len + 64);
    const pl = new Uint8Array(payload);
    for (let i = 0; i < payload; i++) pl[i] = (i * 7 + 1) & 0xff;
    const eth = {
      dstMac: dst,
      srcMac: SRC_MAC,
      srcIp: parseIpv4Address(spec.srcIp),
      dstIp: parseIpv4Address(spec.dstIp),
      srcPort: spec.srcPort,
      dstPort: spec.dstPort,
      payload: pl,
      ...(spec.vlan === undefined ? {} : { vlan: { id: spec.vlan } }),
    };
    const n = proto === 6
      ? buildTcpFrame(buf, 0, { ...eth, seq: 1, flags: spec.tcpFlags ?? 0x10 })
      : buildUdpFrame(buf, 0, eth);
    return buf.slice(0, n);
  }
  const b = new Uint8Array(l2 + l3Len + l4Len);
  const [macHiV6, macLoV6] = spec.dstMac ?? [0x0200, 0x00000001];
  put16(b, 0, macHiV6);
  put32(b, 2, macLoV6);
  put16(b, 6, 0x0200);
  put32(b, 8, 0x00000002);
  if (spec.vlan !== undefined) {
    put16(b, 12, 0x8100);
    put16(b, 14, spec.vlan & 0x0fff);
  }
  put16(b, l2 - 2, 0x86dd);
  const l3 = l2;
  const l4 = l3 + l3Len;
  b[l3] = 0x60;
  put16(b, l3 + 4, l4Len);
  b[l3 + 6] = proto;
  b[l3 + 7] = 64;
  b.set(parseIpv6Address(spec.srcIp), l3 + 8);
  b.set(parseIpv6Address(spec.dstIp), l3 + 24);
  const pseudo = onesComplementSum(b, l3 + 8, 32, proto + l4Len);
  put16(b, l4, spec.srcPort);
  put16(b, l4 + 2, spec.dstPort);
  const hdr = proto === 6 ? 20 : 8;
  for (let i = 0; i < payload; i++) b[l4 + hdr + i] = (i * 7 + 1) & 0xff;
  if (proto === 6) {
    b[l4 + 12] = 0x50;
    b[l4 + 13] = spec.tcpFlags ?? 0x10;
    put16(b, l4 + 14, 65535);
    put16(b, l4 + 16, ~onesComplementSum(b, l4, l4Len, pseudo) & 0xffff);
  } else {
    put16(b, l4 + 4, l4Len);
    const c = ~onesComplementSum(b, l4, l4Len, pseudo) & 0xffff;
    put16(b, l4 + 6, c === 0 ? 0xffff : c);
  }
  return b;
}

/** Offset of the IPv4 header checksum in an untagged test frame. */
export const IPV4_CHECKSUM_OFFSET = 24;

/** Offset of the L4 checksum of an untagged IPv4 UDP test frame. */
export const UDP4_CHECKSUM_OFFSET = 40;

/** A non-IP frame: a 60-byte ARP request. */
export function buildNonIpFrame(): Uint8Array {
  const b = new Uint8Array(64);
  const n = buildArpRequest(b, 0, {
    srcMac: SRC_MAC,
    senderIp: parseIpv4Address("10.0.0.2"),
    targetIp: parseIpv4Address("10.0.0.1"),
  });
  return b.slice(0, n);
}
