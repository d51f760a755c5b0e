/**
 * Small frame builders for NIC tests, the conformance suite and benchmarks: Ethernet + IPv4 +
 * UDP/TCP and Ethernet + IPv6 + UDP with correct lengths and checksums.
 *
 * @module
 */
import { onesComplementSum } from "./_checksum.ts";
import { parseIpv4Address, parseIpv6Address } from "./addr.ts";

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
  const l3Len = v6 ? 40 : 20;
  const b = new Uint8Array(l2 + l3Len + l4Len);
  const [macHi, macLo] = spec.dstMac ?? [0x0200, 0x00000001];
  put16(b, 0, macHi);
  put32(b, 2, macLo);
  put16(b, 6, 0x0200);
  put32(b, 8, 0x00000002);
  if (spec.vlan !== undefined) {
    put16(b, 12, 0x8100);
    put16(b, 14, spec.vlan & 0x0fff);
  }
  put16(b, l2 - 2, v6 ? 0x86dd : 0x0800);
  const l3 = l2;
  const l4 = l3 + l3Len;
  let pseudo: number;
  if (v6) {
    b[l3] = 0x60;
    put16(b, l3 + 4, l4Len);
    b[l3 + 6] = proto;
    b[l3 + 7] = 64;
    b.set(parseIpv6Address(spec.srcIp), l3 + 8);
    b.set(parseIpv6Address(spec.dstIp), l3 + 24);
    pseudo = onesComplementSum(b, l3 + 8, 32, proto + l4Len);
  } else {
    const src = parseIpv4Address(spec.srcIp);
    const dst = parseIpv4Address(spec.dstIp);
    b[l3] = 0x45;
    put16(b, l3 + 2, 20 + l4Len);
    put16(b, l3 + 4, 1);
    b[l3 + 8] = 64;
    b[l3 + 9] = proto;
    put32(b, l3 + 12, src);
    put32(b, l3 + 16, dst);
    put16(b, l3 + 10, ~onesComplementSum(b, l3, 20, 0) & 0xffff);
    pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + l4Len;
  }
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

/** A non-IP frame (ARP EtherType) of 60 bytes. */
export function buildNonIpFrame(): Uint8Array {
  const b = new Uint8Array(60);
  b.fill(0xff, 0, 6);
  put16(b, 12, 0x0806);
  return b;
}
