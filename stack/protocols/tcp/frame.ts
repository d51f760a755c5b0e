/**
 * Wraps an emitted TCP segment in IPv4 and Ethernet II headers: what the LPG's IPv4 and Ethernet
 * TX nodes do (`dragonet-model.md` §6.8), here for captures, tests and tools that need frames.
 *
 * @module
 */
import { internetChecksum } from "../../packet/checksum.ts";
import { EtherType, writeEthHeader } from "../../packet/ethernet.ts";
import { IpProto, Ipv4Flag, writeIpv4Header } from "../../packet/ipv4.ts";
import type { TcpTxBatch } from "./tx_batch.ts";

/** Link-layer fields of the frames `writeSegmentFrame` builds. */
export interface SegmentFrameSpec {
  /** Source MAC, 6 bytes. */
  readonly srcMac: Uint8Array;
  /** Destination MAC, 6 bytes. */
  readonly dstMac: Uint8Array;
  /** IPv4 TTL (default 64, Linux's default; Dragonet's TX used 17, reference §6.8). */
  readonly ttl?: number;
}

/** Frame length `writeSegmentFrame` writes for segment `i` (14 + 20 + segment length). */
export function segmentFrameLength(batch: TcpTxBatch, i: number): number {
  return 34 + (batch.length[i] ?? 0);
}

/**
 * Writes segment `i` of `batch` as an Ethernet/IPv4 frame (DF set, id 0, header checksum
 * filled) at `out[off]`; returns the frame length. Throws when `i` is not in the batch, a MAC is
 * not 6 bytes, or `out` is too small.
 */
export function writeSegmentFrame(
  batch: TcpTxBatch,
  i: number,
  out: Uint8Array,
  off: number,
  spec: SegmentFrameSpec,
): number {
  if (!(Number.isInteger(i) && i >= 0 && i < batch.count)) {
    throw new RangeError(`Cannot frame TX segment ${i}: the batch holds ${batch.count}`);
  }
  return frameTcpSegment(
    batch.bytes,
    batch.offset(i),
    batch.length[i] ?? 0,
    batch.srcIp[i] ?? 0,
    batch.dstIp[i] ?? 0,
    out,
    off,
    spec,
  );
}

/**
 * Writes the TCP segment `seg[segOff, segOff+segLen)` from `srcIp` to `dstIp` as an
 * Ethernet/IPv4 frame at `out[off]`; returns the frame length (34 + `segLen`). Throws when a MAC
 * is not 6 bytes, the TTL is out of range, or a range lies outside its buffer.
 */
export function frameTcpSegment(
  seg: Uint8Array,
  segOff: number,
  segLen: number,
  srcIp: number,
  dstIp: number,
  out: Uint8Array,
  off: number,
  spec: SegmentFrameSpec,
): number {
  if (!(Number.isInteger(segOff) && segOff >= 0 && segLen >= 0 && segOff + segLen <= seg.length)) {
    throw new RangeError(
      `Cannot frame TCP segment: range ${segOff}+${segLen} lies outside the ${seg.length}-byte buffer`,
    );
  }
  if (spec.srcMac.length !== 6 || spec.dstMac.length !== 6) {
    throw new RangeError(
      `Cannot frame TCP segment: MACs have 6 bytes, got ${spec.srcMac.length} and ${spec.dstMac.length}`,
    );
  }
  const ttl = spec.ttl ?? 64;
  if (!(Number.isInteger(ttl) && ttl >= 0 && ttl <= 255)) {
    throw new RangeError(`Cannot frame TCP segment: TTL ${ttl} must be an integer 0..255`);
  }
  const total = 34 + segLen;
  if (total - 14 > 0xffff) {
    throw new RangeError(`Cannot frame TCP segment: IPv4 total length ${total - 14} exceeds 65535`);
  }
  if (!(Number.isInteger(off) && off >= 0 && off + total <= out.length)) {
    throw new RangeError(
      `Cannot frame TCP segment: ${total} bytes at offset ${off} exceed the ${out.length}-byte buffer`,
    );
  }
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  writeEthHeader(out, v, off, spec.dstMac, spec.srcMac, EtherType.Ipv4);
  const l3 = off + 14;
  writeIpv4Header(v, l3, 5, 0, 20 + segLen, 0, Ipv4Flag.DF, 0, ttl, IpProto.Tcp, srcIp, dstIp);
  v.setUint16(l3 + 10, internetChecksum(out, l3, 20));
  out.set(seg.subarray(segOff, segOff + segLen), l3 + 20);
  return total;
}
