/**
 * The implementation transforms the Dragonet stack applies after embedding (reference
 * `dragonet-model.md` §5.5 step 4, Dragonet `Optimization.hs`: `[balanceAcrossRxQs,
 * coupleTxSockets]`).
 *
 * - {@linkcode balanceAcrossRxQs}: an endpoint with several sockets has a Balance node (attribute
 *   `loadBalance`) in every queue copy; each copy is statically given one socket — the `Q0` copy
 *   the last port, copy `Q<i>` (i ≥ 1) port `(i − 1) mod n` in port order — and the Balance node
 *   is replaced by direct edges to that socket's node. A warning is returned when an endpoint has
 *   more sockets than there are queues (some sockets then receive nothing).
 * - {@linkcode coupleTxSockets}: per queue tag, FromSocket nodes (attribute `fromsocket=<sid>`)
 *   whose socket has no ToSocket node (`tosocket=<sid>`) with the same tag are deleted: a queue
 *   that cannot receive for a socket does not send for it.
 *
 * Both leave nodes without inputs behind; cleanup (§5.6) removes them.
 *
 * @module
 */
import { attributesOf } from "../../graph/graph_index.ts";
import type { Edge, Graph, NodeId } from "../../graph/types.ts";

/** Result of {@linkcode balanceAcrossRxQs}. */
export interface BalanceResult {
  /** The graph without Balance nodes in tagged copies. */
  readonly graph: Graph;
  /** Per replaced Balance node: its id, tag and the port (socket) it was given. */
  readonly assigned: readonly {
    readonly node: NodeId;
    readonly tag: string;
    readonly port: string;
  }[];
  /** Warnings (sockets outnumbering queues). */
  readonly warnings: readonly string[];
}

function queueNumber(tag: string | undefined): number | undefined {
  const m = tag === undefined ? null : /^Q(\d+)$/.exec(tag);
  return m === null ? undefined : Number(m[1]);
}

/** Statically assigns one socket per queue copy of every Balance node (see the module doc). */
export function balanceAcrossRxQs(graph: Graph): BalanceResult {
  let edges: Edge[] = [...graph.edges];
  const removed = new Set<NodeId>();
  const assigned: { node: NodeId; tag: string; port: string }[] = [];
  const warnings: string[] = [];
  const tags = new Set(graph.nodes.map((n) => queueNumber(n.tag)).filter((q) => q !== undefined));
  const warned = new Set<string>();
  for (const node of graph.nodes) {
    const q = queueNumber(node.tag);
    if (q === undefined || attributesOf(graph, node).loadBalance !== true) continue;
    const ports = [...(graph.specs[node.spec]?.ports ?? [])];
    if (ports.length === 0) continue;
    const port = q === 0 ? ports[ports.length - 1] : ports[(q - 1) % ports.length];
    if (port === undefined) continue;
    const group = node.label ?? node.spec;
    if (ports.length > tags.size && !warned.has(group)) {
      warned.add(group);
      warnings.push(
        `Balance "${group}" has ${ports.length} sockets but there are ${tags.size} queues; ` +
          `some sockets receive nothing`,
      );
    }
    const ins = edges.filter((e) => e.kind === "port" && e.to === node.id);
    const targets = edges.filter((e) => e.kind === "port" && e.from === node.id && e.port === port)
      .map((e) => e.to);
    edges = edges.filter((e) => e.from !== node.id && e.to !== node.id);
    for (const e of ins) {
      if (e.kind !== "port") continue;
      for (const to of targets) edges.push({ kind: "port", from: e.from, port: e.port, to });
    }
    removed.add(node.id);
    assigned.push({ node: node.id, tag: node.tag ?? "", port });
  }
  return {
    graph: { ...graph, nodes: graph.nodes.filter((n) => !removed.has(n.id)), edges },
    assigned,
    warnings,
  };
}

/** Deletes FromSocket nodes whose socket has no ToSocket node with the same tag. */
export function coupleTxSockets(graph: Graph): Graph {
  const receives = new Set<string>();
  for (const n of graph.nodes) {
    const sid = attributesOf(graph, n).values?.["tosocket"];
    if (sid !== undefined) receives.add(`${n.tag ?? ""}\u0000${sid}`);
  }
  const gone = new Set<NodeId>();
  for (const n of graph.nodes) {
    const sid = attributesOf(graph, n).values?.["fromsocket"];
    if (sid !== undefined && !receives.has(`${n.tag ?? ""}\u0000${sid}`)) gone.add(n.id);
  }
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)),
  };
}
