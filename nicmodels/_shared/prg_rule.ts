/**
 * Filter rules as the configuration values of a PRG's filter-table C-nodes, and the packet
 * predicates of their filter nodes.
 *
 * A {@link FilterRule} is converted to a {@link PrgRule}: a tuple with every field present
 * (`null` = wildcard, addresses and MACs as numbers), checked against {@link PRG_RULE_SPACE}
 * by `applyConfig` (reference `dragonet-model.md` §3.3: the original's 5-tuple values are
 * tuples of wildcardable fields with a priority and a queue).
 *
 * Predicates use the shared vocabulary of `stack/graph/predicate` (`PredKey`, `p<number>`
 * values, the same conjunction `udpMatch` builds for a UDP rule), plus the keys in
 * {@link PrgKey} for facts the shared vocabulary lacks. A field the atoms cannot spell exactly
 * (an address prefix, a partial port mask) gets an atom of its own key (`SrcIpPrefix`,
 * `DstPortMasked`, ...) that no flow fixes: the predicate then over-approximates nothing and
 * under-approximates only flows that spell that key.
 *
 * @module
 */
import {
  atomExpr,
  EthTypeValue,
  IpProtValue,
  numberValue,
  PredKey,
} from "../../stack/graph/predicate/vocabulary.ts";
import {
  boolSpace,
  type ConfSpace,
  intRange,
  maybe,
  uintBits,
} from "../../stack/graph/config/space.ts";
import type { PredicateExpr } from "../../stack/graph/types.ts";
import { parseIpv4Prefix } from "./addr.ts";
import type { FilterRule } from "./nic.ts";

/** Atom keys the PRG adds to the shared vocabulary (`PredKey`). */
export const PrgKey = {
  /** TCP SYN flag set: value `true`. */
  TcpSyn: "TcpSyn",
  /** Destination MAC as a 48-bit number (`p<n>`). */
  DstMac: "DstMac",
  /** 802.1Q VLAN id (`p<n>`). */
  Vlan: "Vlan",
  /**
   * Queue an RSS node picks (`p<q>`, or `none` when no hash type applies). The Toeplitz hash of
   * the header fields cannot be spelt in field atoms, so each RSS port carries this atom: its
   * ports are mutually exclusive and each is satisfiable with any flow.
   */
  RssQueue: "RssQueue",
} as const;

/** A filter rule as a PRG configuration value (every field present; `null` = wildcard). */
export interface PrgRule {
  /** Index of the rule in `NicConfig.filters` (its slot on a freshly configured NIC). */
  readonly slot: number;
  /** EtherType. */
  readonly etherType: number | null;
  /** VLAN id. */
  readonly vlan: number | null;
  /** Destination MAC as a 48-bit number. */
  readonly dstMac: number | null;
  /** IP protocol. */
  readonly proto: number | null;
  /** IPv4 source address (the address part of a prefix). */
  readonly srcIp: number | null;
  /** Prefix length of `srcIp` (32 = exact). */
  readonly srcPrefix: number;
  /** IPv4 destination address (the address part of a prefix). */
  readonly dstIp: number | null;
  /** Prefix length of `dstIp` (32 = exact). */
  readonly dstPrefix: number;
  /** L4 source port. */
  readonly srcPort: number | null;
  /** L4 destination port. */
  readonly dstPort: number | null;
  /** Match only TCP SYN segments. */
  readonly tcpSyn: boolean;
  /** Target queue, -1 = drop. */
  readonly queue: number;
  /** Priority (0 when the table has none). */
  readonly priority: number;
  /** Spread matches by RSS starting at `queue` (SFC). */
  readonly rss: boolean;
}

/** The configuration space of one {@link PrgRule}. */
export const PRG_RULE_SPACE: ConfSpace = {
  kind: "tuple",
  fields: {
    slot: intRange(0, 1 << 30),
    etherType: maybe(uintBits(16)),
    vlan: maybe(intRange(0, 4095)),
    dstMac: maybe(uintBits(48)),
    proto: maybe(uintBits(8)),
    srcIp: maybe(uintBits(32)),
    srcPrefix: intRange(0, 32),
    dstIp: maybe(uintBits(32)),
    dstPrefix: intRange(0, 32),
    srcPort: maybe(uintBits(16)),
    dstPort: maybe(uintBits(16)),
    tcpSyn: boolSpace,
    queue: intRange(-1, 4095),
    priority: intRange(0, 255),
    rss: boolSpace,
  },
};

function macNumber(text: string): number | null {
  const parts = text.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return null;
  return parts.reduce((a, p) => a * 256 + parseInt(p, 16), 0);
}

/**
 * Converts rule `slot` of a configuration to its PRG value; a rule without a priority gets
 * `defaultPriority` (the table's documented default).
 *
 * @throws {RangeError} when an address or MAC does not parse (validate the configuration first).
 */
export function prgRuleOf(rule: FilterRule, slot: number, defaultPriority = 0): PrgRule {
  const m = rule.match;
  const src = m.srcIp === undefined ? null : parseIpv4Prefix(m.srcIp);
  const dst = m.dstIp === undefined ? null : parseIpv4Prefix(m.dstIp);
  let mac: number | null = null;
  if (m.dstMac !== undefined) {
    mac = macNumber(m.dstMac);
    if (mac === null) {
      throw new RangeError(
        `Cannot use filters[${slot}] in a PRG: dstMac "${m.dstMac}" is not a MAC like 02:00:00:00:00:01`,
      );
    }
  }
  return {
    slot,
    etherType: m.etherType ?? null,
    vlan: m.vlan ?? null,
    dstMac: mac,
    proto: m.proto ?? null,
    srcIp: src === null ? null : src.addr >>> 0,
    srcPrefix: src === null ? 32 : src.prefix,
    dstIp: dst === null ? null : dst.addr >>> 0,
    dstPrefix: dst === null ? 32 : dst.prefix,
    srcPort: m.srcPort ?? null,
    dstPort: m.dstPort ?? null,
    tcpSyn: m.tcpSyn === true,
    queue: rule.queue,
    priority: rule.priority ?? defaultPriority,
    rss: rule.rss === true,
  };
}

/** The `EthType` atom value of an EtherType: `IPv4`, `IPv6`, `ARP`, else `p<number>`. */
export function ethTypeValue(etherType: number): string {
  if (etherType === 0x0800) return EthTypeValue.IPv4;
  if (etherType === 0x86dd) return EthTypeValue.IPv6;
  if (etherType === 0x0806) return EthTypeValue.ARP;
  return numberValue(etherType);
}

/** The `IpProt` atom value of a protocol: `UDP`, `TCP`, `ICMP`, else `p<number>`. */
export function ipProtValue(proto: number): string {
  if (proto === 17) return IpProtValue.UDP;
  if (proto === 6) return IpProtValue.TCP;
  if (proto === 1) return IpProtValue.ICMP;
  return numberValue(proto);
}

/** Compared bits of a field: `full` when all bits, `none` when none, else the mask. */
export interface FieldMasks {
  /** Protocol compared. */
  readonly proto: boolean;
  /** Source address prefix length 0..32. */
  readonly srcIp: number;
  /** Destination address prefix length 0..32. */
  readonly dstIp: number;
  /** Compared bits of the source port. */
  readonly srcPort: number;
  /** Compared bits of the destination port. */
  readonly dstPort: number;
}

/** Every field compared exactly (the rule's own prefixes still apply). */
export const EXACT_MASKS: FieldMasks = {
  proto: true,
  srcIp: 32,
  dstIp: 32,
  srcPort: 0xffff,
  dstPort: 0xffff,
};

function addrAtom(key: string, addr: number, prefix: number): PredicateExpr | null {
  if (prefix <= 0) return null;
  if (prefix >= 32) return atomExpr(key, numberValue(addr >>> 0));
  const masked = (addr & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
  return atomExpr(`${key}Prefix`, `${masked}/${prefix}`);
}

function portAtom(key: string, port: number, mask: number): PredicateExpr | null {
  const m = mask & 0xffff;
  if (m === 0) return null;
  if (m === 0xffff) return atomExpr(key, numberValue(port));
  return atomExpr(`${key}Masked`, `${port & m}/${m}`);
}

/**
 * The packets an IPv4 rule claims: `EthType=IPv4 ∧` one atom per given (and compared) field;
 * for a UDP rule with exact fields this is exactly `udpMatch` of the same fields.
 */
export function ipRuleMatch(r: PrgRule, masks: FieldMasks = EXACT_MASKS): PredicateExpr {
  const args: PredicateExpr[] = [atomExpr(PredKey.EthType, EthTypeValue.IPv4)];
  const push = (a: PredicateExpr | null) => {
    if (a !== null) args.push(a);
  };
  if (r.proto !== null && masks.proto) push(atomExpr(PredKey.IpProt, ipProtValue(r.proto)));
  if (r.srcIp !== null) push(addrAtom(PredKey.SrcIp, r.srcIp, Math.min(masks.srcIp, r.srcPrefix)));
  if (r.dstIp !== null) push(addrAtom(PredKey.DstIp, r.dstIp, Math.min(masks.dstIp, r.dstPrefix)));
  if (r.srcPort !== null) push(portAtom(PredKey.SrcPort, r.srcPort, masks.srcPort));
  if (r.dstPort !== null) push(portAtom(PredKey.DstPort, r.dstPort, masks.dstPort));
  return { op: "and", args };
}

/** The packets an EtherType rule claims: `EthType=<value>`. */
export function etherTypeMatch(etherType: number): PredicateExpr {
  return { op: "and", args: [atomExpr(PredKey.EthType, ethTypeValue(etherType))] };
}

/** The packets the SYN filter claims: `IpProt=TCP ∧ TcpSyn=true` (IPv4 or IPv6). */
export function synMatch(): PredicateExpr {
  return {
    op: "and",
    args: [atomExpr(PredKey.IpProt, IpProtValue.TCP), atomExpr(PrgKey.TcpSyn, "true")],
  };
}

/** The packets a MAC rule claims: `DstMac=<mac>` and, for a full rule, `Vlan=<id>`. */
export function macMatch(mac: number, vlan: number | null): PredicateExpr {
  const args: PredicateExpr[] = [atomExpr(PrgKey.DstMac, numberValue(mac))];
  if (vlan !== null) args.push(atomExpr(PrgKey.Vlan, numberValue(vlan)));
  return { op: "and", args };
}
