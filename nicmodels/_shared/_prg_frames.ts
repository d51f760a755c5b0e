/**
 * Random frames for the PRG agreement property tests: valid IPv4/IPv6 TCP/UDP frames from small
 * pools (so rules and frames meet), frames built from one configured rule, the same with one
 * field off by one, and malformed ones (truncated, random bytes, bad checksums, fragments,
 * custom EtherTypes, VLAN tags, other destination MACs, oversize).
 *
 * Also the comparison both NIC tests share: model `classify` vs PRG walk.
 *
 * @module
 */
import fc from "fast-check";
import assert from "node:assert/strict";
import { buildNonIpFrame, buildTestFrame } from "./_test_frames.ts";
import { parseIpv4Prefix } from "./addr.ts";
import { type FilterRule, type NicModel, RxFlag, RxResult } from "./nic.ts";
import type { PrgWalker } from "./prg_walk.ts";

/** IPv4 addresses rules and frames draw from. */
export const POOL_IPS = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "192.168.1.9"] as const;
/** Ports rules and frames draw from (never 0: the SFC refuses port 0). */
export const POOL_PORTS = [7, 8, 53, 1000, 1001] as const;
/** Destination MACs: the test default, another unicast, a multicast. */
export const POOL_MACS = ["02:00:00:00:00:01", "02:00:00:00:00:03", "01:00:5e:00:00:01"] as const;
/** EtherTypes of EtherType rules and custom frames. */
export const POOL_ETHERTYPES = [0x88f7, 0x88cc, 0x0806, 0x86dd] as const;

/** How to make one frame. */
export interface FrameRecipe {
  /** Frame family. */
  readonly kind: "v4" | "v6" | "ethertype" | "random";
  /** TCP or UDP. */
  readonly proto: 6 | 17;
  /** Pool indexes of addresses and ports. */
  readonly src: number;
  /** Pool index. */
  readonly dst: number;
  /** Pool index. */
  readonly sport: number;
  /** Pool index. */
  readonly dport: number;
  /** TCP flags byte. */
  readonly tcpFlags: number;
  /** VLAN id or null. */
  readonly vlan: number | null;
  /** Pool index of the destination MAC. */
  readonly mac: number;
  /** Payload bytes. */
  readonly payload: number;
  /** Pool index of a custom EtherType. */
  readonly etherType: number;
  /** Build from configured rule (index modulo the rule count), or -1 for pool values only. */
  readonly rule: number;
  /** Field to put off by one: 0 none, 1 srcIp, 2 dstIp, 3 srcPort, 4 dstPort, 5 proto, 6 L2. */
  readonly off: number;
  /** 0 none, 1 IPv4 header checksum broken, 2 L4 checksum broken, 3 fragment, 4 later fragment. */
  readonly damage: number;
  /** Truncate to this many bytes, or -1. */
  readonly truncate: number;
  /** Bytes of a random frame. */
  readonly bytes: Uint8Array;
}

/** Arbitrary frame recipes; about half use a configured rule. */
export const frameRecipe: fc.Arbitrary<FrameRecipe> = fc.record({
  kind: fc.constantFrom("v4", "v4", "v4", "v4", "v6", "ethertype", "random"),
  proto: fc.constantFrom(6 as const, 17 as const),
  src: fc.nat(POOL_IPS.length - 1),
  dst: fc.nat(POOL_IPS.length - 1),
  sport: fc.nat(POOL_PORTS.length - 1),
  dport: fc.nat(POOL_PORTS.length - 1),
  tcpFlags: fc.constantFrom(0x10, 0x02, 0x12, 0x01, 0x18),
  vlan: fc.option(fc.integer({ min: 0, max: 7 }), { freq: 4 }),
  mac: fc.constantFrom(0, 0, 0, 1, 2),
  payload: fc.integer({ min: 0, max: 120 }),
  etherType: fc.nat(POOL_ETHERTYPES.length - 1),
  rule: fc.oneof(fc.constant(-1), fc.nat(64)),
  off: fc.constantFrom(0, 0, 0, 1, 2, 3, 4, 5, 6),
  damage: fc.constantFrom(0, 0, 0, 0, 1, 2, 3, 4),
  truncate: fc.oneof(
    { weight: 6, arbitrary: fc.constant(-1) },
    { weight: 1, arbitrary: fc.nat(80) },
  ),
  bytes: fc.uint8Array({ minLength: 0, maxLength: 80 }),
});

function macWords(text: string): [number, number] {
  const hex = text.replaceAll(":", "");
  return [parseInt(hex.slice(0, 4), 16), parseInt(hex.slice(4), 16) >>> 0];
}

function ipText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Builds the frame of `r`, taking fields from rule `r.rule % rules.length` when it is >= 0. */
export function buildRecipeFrame(r: FrameRecipe, rules: readonly FilterRule[]): Uint8Array {
  if (r.kind === "random") return r.bytes;
  let proto: number = r.proto;
  let src = parseIpv4Prefix(POOL_IPS[r.src] ?? "10.0.0.1").addr;
  let dst = parseIpv4Prefix(POOL_IPS[r.dst] ?? "10.0.0.2").addr;
  let sport: number = POOL_PORTS[r.sport] ?? 7;
  let dport: number = POOL_PORTS[r.dport] ?? 8;
  let vlan = r.vlan;
  let mac = macWords(POOL_MACS[r.mac] ?? POOL_MACS[0]);
  let etherType: number = POOL_ETHERTYPES[r.etherType] ?? 0x88f7;
  let kind = r.kind;
  let flags = r.tcpFlags;
  const rule = r.rule >= 0 && rules.length > 0 ? rules[r.rule % rules.length] : undefined;
  if (rule !== undefined) {
    const m = rule.match;
    if (m.proto !== undefined) proto = m.proto;
    if (m.srcIp !== undefined) src = parseIpv4Prefix(m.srcIp).addr;
    if (m.dstIp !== undefined) dst = parseIpv4Prefix(m.dstIp).addr;
    if (m.srcPort !== undefined) sport = m.srcPort;
    if (m.dstPort !== undefined) dport = m.dstPort;
    if (m.vlan !== undefined) vlan = m.vlan;
    if (m.dstMac !== undefined) mac = macWords(m.dstMac);
    if (m.etherType !== undefined) {
      etherType = m.etherType;
      kind = etherType === 0x0800 ? "v4" : "ethertype";
    } else if (kind === "ethertype") kind = "v4";
    if (rule.table === "syn" || m.tcpSyn === true) {
      proto = 6;
      flags |= 0x02;
    }
  }
  switch (r.off) {
    case 1:
      src = (src + 1) >>> 0;
      break;
    case 2:
      dst = (dst + 1) >>> 0;
      break;
    case 3:
      sport = (sport + 1) & 0xffff;
      break;
    case 4:
      dport = (dport + 1) & 0xffff;
      break;
    case 5:
      proto = proto === 6 ? 17 : 6;
      break;
    case 6:
      if (vlan !== null) vlan = (vlan + 1) & 0xfff;
      else if (kind === "ethertype") etherType = (etherType + 1) & 0xffff;
      else mac = [mac[0], (mac[1] + 1) >>> 0];
      break;
  }
  if (proto !== 6 && proto !== 17) proto = 17;
  let b: Uint8Array;
  if (kind === "ethertype") {
    b = buildNonIpFrame();
    b[0] = mac[0] >> 8;
    b[1] = mac[0] & 255;
    b[2] = mac[1] >>> 24;
    b[3] = (mac[1] >>> 16) & 255;
    b[4] = (mac[1] >>> 8) & 255;
    b[5] = mac[1] & 255;
    b[12] = etherType >> 8;
    b[13] = etherType & 255;
  } else {
    b = buildTestFrame({
      proto,
      srcIp: kind === "v6" ? `fd00::${r.src + 1}` : ipText(src),
      dstIp: kind === "v6" ? `fd00::${r.dst + 1}` : ipText(dst),
      srcPort: sport,
      dstPort: dport,
      payload: r.payload,
      tcpFlags: flags,
      dstMac: mac,
      ...(vlan === null ? {} : { vlan }),
    });
    const l3 = vlan === null ? 14 : 18;
    if (r.damage === 1 && kind === "v4") b[l3 + 8] = (b[l3 + 8] ?? 0) ^ 0x01; // TTL
    if (r.damage === 2) b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 0x5a;
    if (r.damage === 3 && kind === "v4") b[l3 + 6] = (b[l3 + 6] ?? 0) | 0x20; // MF
    if (r.damage === 4 && kind === "v4") b[l3 + 7] = 1; // offset 8 bytes
  }
  return r.truncate >= 0 && r.truncate < b.length ? b.slice(0, r.truncate) : b;
}

const CSUM_FLAGS = RxFlag.Ipv4ChecksumChecked | RxFlag.Ipv4ChecksumBad |
  RxFlag.L4ChecksumChecked | RxFlag.L4ChecksumBad;

/**
 * Asserts that the model and the configured-PRG walk agree on `frame`: same queue and drop code;
 * for a delivered frame the same flags (checksum status, RSS hash, filter match) and RSS hash.
 * A dropped frame writes no descriptor, so its flags are not compared.
 */
export function assertAgree(
  model: NicModel,
  walker: PrgWalker,
  frame: Uint8Array,
  what: string,
): void {
  const m = new RxResult();
  const w = new RxResult();
  model.classify(frame, 0, frame.length, m);
  walker.walk(frame, 0, frame.length, w);
  const show = (x: RxResult) =>
    `queue ${x.queue} drop ${x.drop} flags ${x.flags} hash ${x.hash >>> 0}`;
  const ctx = `${what}: model ${show(m)}, PRG walk ${show(w)}, frame ${
    Array.from(frame.subarray(0, 64), (x) => x.toString(16).padStart(2, "0")).join("")
  }`;
  assert.equal(w.queue, m.queue, ctx);
  assert.equal(w.drop, m.drop, ctx);
  if (m.queue >= 0) {
    assert.equal(w.flags, m.flags, ctx);
    assert.equal(w.flags & CSUM_FLAGS, m.flags & CSUM_FLAGS, ctx);
    if ((m.flags & RxFlag.RssHash) !== 0) assert.equal(w.hash >>> 0, m.hash >>> 0, ctx);
  }
}
