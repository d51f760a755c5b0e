/**
 * Port predicates of the real LPG's UDP demux filters (`stack/protocols/sockets.ts`), read from
 * each filter node's endpoint attributes, so the embedding can decide which queue copies need
 * which socket.
 *
 * The classifiers declare their port predicates in their specs (`rx.l2.classify-l3` by
 * `EthType`, `rx.ipv4.classify` by `IpProt`, with the `effects` attribute that keeps them from
 * being made redundant); the embedding reads those directly. A demux filter's predicate depends
 * on its endpoint, which the socket C-node writes into the node's attributes (`srcip`, `srcport`,
 * `dstip`, `dstport`, `shadow`); this module turns them into the node's `true` / `false`
 * predicates: `true` = the endpoint's UDP match (specified fields only) and no more specific
 * endpoint's match (`udpEndpointMatch`, quirk Q12 fixed), `false` = the negation. Predicates
 * already on a node win, so once the socket C-node writes them itself this reader is a no-op.
 *
 * @module
 */
import {
  EFFECTS_ATTRIBUTE,
  udpEndpointMatch,
  type UdpMatchFields,
} from "../../graph/predicate/vocabulary.ts";
import type { Graph, GraphNode, PredicateExpr } from "../../graph/types.ts";
import { LPG_IMPLS } from "../../protocols/lpg.ts";
import { udpDemuxFilter } from "../../protocols/sockets.ts";

const not = (arg: PredicateExpr): PredicateExpr => ({ op: "not", arg });

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

/**
 * The `true` predicate of a UDP demux filter node, read from its attributes
 * (`udpEndpointMatch` of its own fields and its `shadow` quadruples).
 *
 * @throws {RangeError} when an attribute is not an integer >= 0 or a shadow is not
 * `srcIp:srcPort:dstIp:dstPort`
 */
export function demuxMatch(node: GraphNode): PredicateExpr {
  const own = fields(
    num(node, "srcip"),
    num(node, "srcport"),
    num(node, "dstip"),
    num(node, "dstport"),
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
    return fields(a, b, c, d);
  });
  return udpEndpointMatch(own, shadows);
}

/** Returns the LPG with port predicates on its UDP demux filter nodes (see the module doc). */
export function annotateLpgPredicates(lpg: Graph): Graph {
  return {
    ...lpg,
    nodes: lpg.nodes.map((n) => {
      if (n.spec !== udpDemuxFilter.spec.name) return n;
      const m = demuxMatch(n);
      return { ...n, predicates: { true: m, false: not(m), ...n.predicates } };
    }),
  };
}

const LPG_SPECS = new Map(LPG_IMPLS.map((impl) => [impl.spec.name, impl.spec]));

/**
 * Whether the embedding may make a real-LPG node redundant: the embedding's default rule
 * (`collapsibleUnlessEffects` in `conventions.ts`) read from the LPG's own specs (`LPG_IMPLS`), for callers
 * that pass a `collapsible` option; only nodes whose spec or attributes name no `effects`.
 */
export function lpgCollapsible(node: GraphNode): boolean {
  const spec = LPG_SPECS.get(node.spec);
  const values = { ...spec?.attributes?.values, ...node.attributes?.values };
  return values[EFFECTS_ATTRIBUTE] === undefined;
}
