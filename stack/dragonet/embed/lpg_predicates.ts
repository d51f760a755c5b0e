/**
 * Which real-LPG nodes the embedding may make redundant, read from the LPG's own specs.
 *
 * The port predicates are data on the LPG itself: the classifiers declare theirs in their specs
 * (`rx.l2.classify-l3` by `EthType`, `rx.ipv4.classify` by `IpProt`, with the `effects`
 * attribute that keeps them from being made redundant), and the socket C-node's expansion
 * (`stack/protocols/udp_sockets_expansion.ts`) writes each UDP demux filter's `true` / `false`
 * predicates (`udpEndpointMatch`, quirk Q12 fixed); the embedding reads both directly.
 *
 * @module
 */
import { EFFECTS_ATTRIBUTE } from "../../graph/predicate/vocabulary.ts";
import type { GraphNode } from "../../graph/types.ts";
import { LPG_IMPLS } from "../../protocols/lpg.ts";

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
