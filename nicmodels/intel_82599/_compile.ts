/**
 * Compiles rule matches (config data) into the numbers the classifier compares.
 *
 * @module
 */
import { parseIpv4Prefix } from "../_shared/addr.ts";
import type { FilterRule } from "../_shared/nic.ts";
import { fdirBucket, fdirSignature } from "./fdir_hash.ts";
import type { FdirMask } from "./settings.ts";

/** Five-tuple pattern bits: which fields a rule compares. */
export const Pat = { Proto: 1, Src: 2, Dst: 4, SrcPort: 8, DstPort: 16 } as const;

/** A five-tuple rule as numbers. */
export interface FiveTupleKey {
  /** Bits of {@link Pat}. */
  readonly pattern: number;
  /** Protocol (0 when not compared). */
  readonly proto: number;
  /** Source address (0 when not compared). */
  readonly src: number;
  /** Destination address (0 when not compared). */
  readonly dst: number;
  /** Source port << 16 | destination port, uncompared halves 0. */
  readonly ports: number;
}

/** Compiles a (validated) five-tuple rule. */
export function compileFiveTuple(rule: FilterRule): FiveTupleKey {
  const m = rule.match;
  let pattern = 0;
  if (m.proto !== undefined) pattern |= Pat.Proto;
  if (m.srcIp !== undefined) pattern |= Pat.Src;
  if (m.dstIp !== undefined) pattern |= Pat.Dst;
  if (m.srcPort !== undefined) pattern |= Pat.SrcPort;
  if (m.dstPort !== undefined) pattern |= Pat.DstPort;
  return {
    pattern,
    proto: m.proto ?? 0,
    src: m.srcIp === undefined ? 0 : parseIpv4Prefix(m.srcIp).addr,
    dst: m.dstIp === undefined ? 0 : parseIpv4Prefix(m.dstIp).addr,
    ports: ((((m.srcPort ?? 0) & 0xffff) << 16) | ((m.dstPort ?? 0) & 0xffff)) >>> 0,
  };
}

/** Index bucket of a five-tuple pattern + masked values (1024 buckets). */
export function fiveTupleBucket(
  pattern: number,
  proto: number,
  src: number,
  dst: number,
  ports: number,
): number {
  return fdirBucket(proto | (pattern << 8), src, dst, ports) & 1023;
}

/** The global mask as numbers. */
export interface FdirMaskBits {
  /** 0xff when the protocol is compared, else 0. */
  readonly proto: number;
  /** Source address mask. */
  readonly src: number;
  /** Destination address mask. */
  readonly dst: number;
  /** Port mask (source << 16 | destination). */
  readonly ports: number;
}

function prefixMask(p: number): number {
  return p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
}

/** Converts the global mask setting to bit masks. */
export function fdirMaskBits(m: FdirMask): FdirMaskBits {
  return {
    proto: m.proto ? 0xff : 0,
    src: prefixMask(m.srcIp),
    dst: prefixMask(m.dstIp),
    ports: (((m.srcPort & 0xffff) << 16) | (m.dstPort & 0xffff)) >>> 0,
  };
}

/** A Flow Director rule as masked numbers plus its bucket and signature. */
export interface FdirKey {
  /** Masked protocol. */
  readonly proto: number;
  /** Masked source address. */
  readonly src: number;
  /** Masked destination address. */
  readonly dst: number;
  /** Masked ports. */
  readonly ports: number;
  /** Bucket index. */
  readonly bucket: number;
  /** Signature. */
  readonly sig: number;
}

/** Compiles a (validated) Flow Director rule under the global mask. */
export function compileFdir(rule: FilterRule, mask: FdirMaskBits): FdirKey {
  const m = rule.match;
  const proto = (m.proto ?? 0) & mask.proto;
  const src = (m.srcIp === undefined ? 0 : parseIpv4Prefix(m.srcIp).addr) & mask.src;
  const dst = (m.dstIp === undefined ? 0 : parseIpv4Prefix(m.dstIp).addr) & mask.dst;
  const ports = ((((m.srcPort ?? 0) & 0xffff) << 16) | ((m.dstPort ?? 0) & 0xffff)) & mask.ports;
  return {
    proto,
    src: src >>> 0,
    dst: dst >>> 0,
    ports: ports >>> 0,
    bucket: fdirBucket(proto, src >>> 0, dst >>> 0, ports >>> 0),
    sig: fdirSignature(proto, src >>> 0, dst >>> 0, ports >>> 0),
  };
}
