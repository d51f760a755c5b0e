/**
 * Port predicates for the classification nodes of the real LPG (`stack/protocols/lpg.ts`), which
 * declares none yet, so that the embedding can prune it: without them every LPG port predicate is
 * a default `(label, port)` atom that no NIC predicate mentions, and every queue keeps a full copy.
 *
 * Predicates (shared vocabulary `PredKey`, reference `dragonet-model.md` §4.1, §6.2-§6.6):
 * - `rx.l2.classify-l3`: `ipv4` = `EthType=IPv4`, `ipv6` = `EthType=IPv6`, `arp` = `EthType=ARP`,
 *   `drop` = none of them;
 * - `rx.ipv4.classify`: `tcp`/`udp`/`icmp` = `IpProt=TCP/UDP/ICMP`, `drop` = none of them;
 * - `rx.udp.demux-filter`: `true` = the endpoint's UDP match (specified fields only) and no more
 *   specific endpoint's match (its `shadow` attribute, quirk Q12 fixed), `false` = the negation.
 *
 * {@linkcode lpgCollapsible} says which LPG nodes the embedding may make redundant: only the
 * demux filters, whose work only reads the packet. The two classifiers set the L3/L4 offsets
 * later nodes read, so they are pruned to their live ports but always run.
 *
 * These belong with the LPG node specs; they live here until the LPG declares them.
 *
 * @module
 */
import {
  atomExpr,
  EthTypeValue,
  IpProtValue,
  PredKey,
  udpMatch,
  type UdpMatchFields,
} from "../../graph/predicate/vocabulary.ts";
import type { Graph, GraphNode, PredicateExpr } from "../../graph/types.ts";
import { etherClassifyL3 } from "../../protocols/rx_ethernet.ts";
import { ipv4Classify } from "../../protocols/rx_ipv4.ts";
import { udpDemuxFilter } from "../../protocols/sockets.ts";

const not = (arg: PredicateExpr): PredicateExpr => ({ op: "not", arg });
const and = (args: PredicateExpr[]): PredicateExpr =>
  args.length === 1 ? args[0] as PredicateExpr : { op: "and", args };

function oneOf(key: string, ports: Record<string, string>): Record<string, PredicateExpr> {
  const out: Record<string, PredicateExpr> = {};
  const all: PredicateExpr[] = [];
  for (const [port, value] of Object.entries(ports)) {
    out[port] = atomExpr(key, value);
    all.push(not(atomExpr(key, value)));
  }
  out["drop"] = and(all);
  return out;
}

const L3 = oneOf(PredKey.EthType, {
  ipv4: EthTypeValue.IPv4,
  ipv6: EthTypeValue.IPv6,
  arp: EthTypeValue.ARP,
});
const L4 = oneOf(PredKey.IpProt, {
  tcp: IpProtValue.TCP,
  udp: IpProtValue.UDP,
  icmp: IpProtValue.ICMP,
});

function fields(srcIp: number, srcPort: number, dstIp: number, dstPort: number): UdpMatchFields {
  const v = (n: number) => (n === 0 ? null : n);
  return { srcIp: v(srcIp), srcPort: v(srcPort), dstIp: v(dstIp), dstPort: v(dstPort) };
}

function num(node: GraphNode, key: string): number {
  const text = node.attributes?.values?.[key];
  const n = Number(text ?? "0");
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(
      `Demux filter "${node.id}": attribute ${key} must be an integer >= 0, got ${text}`,
    );
  }
  return n;
}

/** The `true` predicate of a UDP demux filter node (its match minus more specific endpoints). */
export function demuxMatch(node: GraphNode): PredicateExpr {
  const own = udpMatch(
    fields(num(node, "srcip"), num(node, "srcport"), num(node, "dstip"), num(node, "dstport")),
  );
  const shadowText = node.attributes?.values?.["shadow"] ?? "";
  const shadows = shadowText === "" ? [] : shadowText.split(",").map((q) => {
    const parts = q.split(":").map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new RangeError(
        `Demux filter "${node.id}": shadow "${q}" must be srcIp:srcPort:dstIp:dstPort`,
      );
    }
    const [a = 0, b = 0, c = 0, d = 0] = parts;
    return not(udpMatch(fields(a, b, c, d)));
  });
  return shadows.length === 0 ? own : and([own, ...shadows]);
}

/** Returns the LPG with port predicates on its classification nodes (see the module doc). */
export function annotateLpgPredicates(lpg: Graph): Graph {
  return {
    ...lpg,
    nodes: lpg.nodes.map((n) => {
      if (n.spec === etherClassifyL3.spec.name) {
        return { ...n, predicates: { ...L3, ...n.predicates } };
      }
      if (n.spec === ipv4Classify.spec.name) {
        return { ...n, predicates: { ...L4, ...n.predicates } };
      }
      if (n.spec === udpDemuxFilter.spec.name) {
        const m = demuxMatch(n);
        return { ...n, predicates: { true: m, false: not(m), ...n.predicates } };
      }
      return n;
    }),
  };
}

/** Whether the embedding may make a real-LPG node redundant: only UDP demux filters. */
export function lpgCollapsible(node: GraphNode): boolean {
  return node.spec === udpDemuxFilter.spec.name;
}
