/**
 * Filter rules as numbers for matching against flows (not per packet: per flow and rule).
 *
 * A rule matches (claims) a flow when every field the rule compares is given by the flow with a
 * value equal under the rule's mask. A wildcard field of the flow therefore matches only a rule
 * that does not compare that field: a rule that covers part of a flow does not claim it.
 *
 * @module
 */
import { parseIpv4Prefix } from "../../../nicmodels/_shared/addr.ts";
import type { FlowMatch } from "../../../nicmodels/_shared/nic.ts";
import { FlowField } from "./flow.ts";

/** A filter rule compiled for flow matching. */
export interface CompiledRule {
  /** {@link FlowField} bits of the fields the rule compares (a flow must give them). */
  readonly pattern: number;
  /** Source address (masked). */
  readonly src: number;
  /** Compared bits of the source address. */
  readonly srcMask: number;
  /** Destination address (masked). */
  readonly dst: number;
  /** Compared bits of the destination address. */
  readonly dstMask: number;
  /** Ports, source << 16 | destination (masked). */
  readonly ports: number;
  /** Compared bits of the ports. */
  readonly portMask: number;
  /** Precedence rank: lower wins; equal ranks go to the earlier rule. */
  readonly rank: number;
  /** Target queue (-1 = drop). */
  readonly queue: number;
}

/** Masks overriding a rule's own (e.g. the 82599 Flow Director global mask); all 32/16-bit. */
export interface FieldMasks {
  /** Compared source-address bits. */
  readonly src: number;
  /** Compared destination-address bits. */
  readonly dst: number;
  /** Compared port bits, source << 16 | destination. */
  readonly ports: number;
}

/** Parses a plain dotted quad without allocating; -1 for anything else (prefixes, errors). */
function parseQuad(text: string): number {
  let addr = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      addr = addr * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return (addr * 256 + part) >>> 0;
}

// The last address texts parsed and their results, one memo per field (0 source, 1
// destination): the search compiles one match per candidate queue, so the same texts come back
// many times in a row (keyed by the text itself, so any text is safe).
const memoText = ["", ""];
const memoAddr = new Uint32Array(2);
const memoMask = new Uint32Array(2);
// address of the last ipMask call (unmasked)
let lastAddr = 0;

/** Compared bits of address `text` (under `over`); leaves its address in `lastAddr`. */
function ipMask(slot: 0 | 1, text: string | undefined, over: number | undefined): number {
  if (text === undefined) {
    lastAddr = 0;
    return 0;
  }
  if (text !== memoText[slot]) {
    const quad = parseQuad(text);
    const p = quad >= 0 ? { addr: quad, mask: 0xffffffff } : parseIpv4Prefix(text);
    memoText[slot] = text;
    memoAddr[slot] = p.addr;
    memoMask[slot] = p.mask;
  }
  lastAddr = memoAddr[slot] ?? 0;
  const mask = memoMask[slot] ?? 0;
  return over === undefined ? mask : (mask & over) >>> 0;
}

/**
 * Compiles `match` with `rank` and `queue`; null when the rule can never claim a whole UDP/IPv4
 * flow (another protocol or EtherType, or a field flows do not carry: VLAN, MAC, TCP SYN).
 */
export function compileMatch(
  match: FlowMatch,
  rank: number,
  queue: number,
  masks?: FieldMasks,
): CompiledRule | null {
  if (match.proto !== undefined && match.proto !== 17) return null;
  if (match.etherType !== undefined && match.etherType !== 0x0800) return null;
  if (match.vlan !== undefined || match.dstMac !== undefined || match.tcpSyn !== undefined) {
    return null;
  }
  const srcMask = ipMask(0, match.srcIp, masks?.src);
  const src = (lastAddr & srcMask) >>> 0;
  const dstMask = ipMask(1, match.dstIp, masks?.dst);
  const dst = (lastAddr & dstMask) >>> 0;
  let spMask = match.srcPort === undefined ? 0 : (match.srcPortMask ?? 0xffff) & 0xffff;
  let dpMask = match.dstPort === undefined ? 0 : (match.dstPortMask ?? 0xffff) & 0xffff;
  if (masks !== undefined) {
    spMask &= masks.ports >>> 16;
    dpMask &= masks.ports & 0xffff;
  }
  const portMask = ((spMask << 16) | dpMask) >>> 0;
  const ports = ((((match.srcPort ?? 0) & 0xffff) << 16) | ((match.dstPort ?? 0) & 0xffff)) &
    portMask;
  const pattern = (srcMask !== 0 ? FlowField.SrcIp : 0) | (dstMask !== 0 ? FlowField.DstIp : 0) |
    (spMask !== 0 ? FlowField.SrcPort : 0) | (dpMask !== 0 ? FlowField.DstPort : 0);
  return { pattern, src, srcMask, dst, dstMask, ports: ports >>> 0, portMask, rank, queue };
}

/** True when rule `r` claims the flow with field bits `fields` and values `src`, `dst`, `ports`. */
export function ruleClaims(
  r: CompiledRule,
  fields: number,
  src: number,
  dst: number,
  ports: number,
): boolean {
  return (fields & r.pattern) === r.pattern && ((src ^ r.src) & r.srcMask) === 0 &&
    ((dst ^ r.dst) & r.dstMask) === 0 && ((ports ^ r.ports) & r.portMask) === 0;
}
