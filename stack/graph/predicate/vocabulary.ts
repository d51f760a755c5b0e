/**
 * The shared atom vocabulary of packet predicates (reference `dragonet-model.md` §4.1), as
 * constants so a misspelt key fails `deno check`, and the UDP filter match of §3.1.
 *
 * NIC filter nodes, socket filters and flows must all use these keys and value spellings, or
 * predicates that mean the same packets will not meet.
 *
 * @module
 */
import type { PredicateExpr } from "../types.ts";

/** Atom keys of packet header facts. */
export const PredKey = {
  /** Ethernet type: {@linkcode EthTypeValue}. */
  EthType: "EthType",
  /** IPv4 protocol: {@linkcode IpProtValue}. */
  IpProt: "IpProt",
  /** IPv4 source address, value {@linkcode numberValue} of the 32-bit address. */
  SrcIp: "SrcIp",
  /** IPv4 destination address, value {@linkcode numberValue} of the 32-bit address. */
  DstIp: "DstIp",
  /** L4 source port, value {@linkcode numberValue}. */
  SrcPort: "SrcPort",
  /** L4 destination port, value {@linkcode numberValue}. */
  DstPort: "DstPort",
} as const;

/** Values of {@linkcode PredKey.EthType}. */
export const EthTypeValue = { IPv4: "IPv4", IPv6: "IPv6", ARP: "ARP", Invalid: "Invalid" } as const;

/** Values of {@linkcode PredKey.IpProt}. */
export const IpProtValue = { UDP: "UDP", ICMP: "ICMP", TCP: "TCP" } as const;

/**
 * The value spelling of a number (address or port): `p<number>`.
 *
 * @throws {RangeError} when `n` is not a non-negative safe integer.
 */
export function numberValue(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Cannot spell predicate value: expected a non-negative integer, got ${n}`);
  }
  return `p${n}`;
}

/** The atom `pred(key,value)`. */
export function atomExpr(key: string, value: string): PredicateExpr {
  return { op: "atom", key, value };
}

/**
 * "None of these values": the port predicate of a classifier's fall-through port (`drop`) next
 * to ports taking `atomExpr(key, v)` for each `v`, so the ports partition every packet.
 *
 * @example
 * ```ts
 * import { noneOfExpr, PredKey } from "./vocabulary.ts";
 * noneOfExpr(PredKey.IpProt, ["TCP", "UDP"]); // and(not(pred(IpProt,TCP)),not(pred(IpProt,UDP)))
 * ```
 */
export function noneOfExpr(key: string, values: readonly string[]): PredicateExpr {
  const args = values.map((value): PredicateExpr => ({ op: "not", arg: atomExpr(key, value) }));
  return args.length === 1 ? args[0] as PredicateExpr : { op: "and", args };
}

/**
 * Key of the `values` attribute naming per-packet state a node writes that later nodes read
 * (`l3-offset`, `l4-offset`). The embedding never makes such a node redundant (reference §5.2
 * would drop a classifier whose outcome the NIC already decided, and with it the offset it sets);
 * it only prunes the node's dead ports.
 */
export const EFFECTS_ATTRIBUTE = "effects";

/**
 * A hardware status atom such as `RxL3IPv4ValidChecksum=true` (reference §4.1).
 *
 * @example
 * ```ts
 * import { statusAtom } from "./vocabulary.ts";
 * statusAtom("RxL4UDPValidChecksum"); // pred(RxL4UDPValidChecksum,true)
 * ```
 */
export function statusAtom(name: string, value = true): PredicateExpr {
  return atomExpr(name, String(value));
}

/** Fields of a UDP/IPv4 flow or filter; an absent field is a wildcard. */
export interface UdpMatchFields {
  /** Source address as a 32-bit number. */
  readonly srcIp?: number | null;
  /** Destination address as a 32-bit number. */
  readonly dstIp?: number | null;
  /** Source port. */
  readonly srcPort?: number | null;
  /** Destination port. */
  readonly dstPort?: number | null;
}

/**
 * The packets a UDP filter claims (reference §3.1): `EthType=IPv4 ∧ IpProt=UDP ∧` one atom per
 * specified field (`null`/absent = wildcard). The filter's `false` port is its negation.
 *
 * @example
 * ```ts
 * import { udpMatch } from "./vocabulary.ts";
 * udpMatch({ dstPort: 7 });
 * // and(pred(EthType,IPv4),pred(IpProt,UDP),pred(DstPort,p7))
 * ```
 */
export function udpMatch(fields: UdpMatchFields): PredicateExpr {
  const args: PredicateExpr[] = [
    atomExpr(PredKey.EthType, EthTypeValue.IPv4),
    atomExpr(PredKey.IpProt, IpProtValue.UDP),
  ];
  const add = (key: string, v: number | null | undefined) => {
    if (v !== undefined && v !== null) args.push(atomExpr(key, numberValue(v)));
  };
  add(PredKey.SrcIp, fields.srcIp);
  add(PredKey.DstIp, fields.dstIp);
  add(PredKey.SrcPort, fields.srcPort);
  add(PredKey.DstPort, fields.dstPort);
  return { op: "and", args };
}

/**
 * The `true` predicate of a UDP endpoint's demux filter (reference §6.6, quirk Q12 fixed): the
 * endpoint's match and none of the more specific endpoints' matches, so exactly one filter
 * claims a datagram. Its `false` port is the negation. The socket C-node can put it on each
 * filter node it generates (`GraphNode.predicates`).
 *
 * @example
 * ```ts
 * import { udpEndpointMatch } from "./vocabulary.ts";
 * udpEndpointMatch({ dstPort: 9 }, [{ srcPort: 40001, dstPort: 9 }]);
 * // and(and(pred(EthType,IPv4),pred(IpProt,UDP),pred(DstPort,p9)),not(and(..., pred(SrcPort,p40001),pred(DstPort,p9))))
 * ```
 */
export function udpEndpointMatch(
  own: UdpMatchFields,
  moreSpecific: readonly UdpMatchFields[] = [],
): PredicateExpr {
  const m = udpMatch(own);
  if (moreSpecific.length === 0) return m;
  return {
    op: "and",
    args: [m, ...moreSpecific.map((f): PredicateExpr => ({ op: "not", arg: udpMatch(f) }))],
  };
}
