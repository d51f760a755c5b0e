/**
 * The simple embedding (reference `dragonet-model.md` §5.1, Dragonet `embeddingRxTx`), kept as a
 * cross-check of the predicate-driven one: a full LPG copy per PRG queue (ids `q<n>.<lpg id>`,
 * tag `Q<n>`), merged at the queue nodes exactly as {@linkcode embedGraphs} merges them, then
 * pruned by satisfiability over the whole embedded graph (§4.4 done with the DNF engine): a port
 * whose predicate is unsatisfiable loses its out-edges, a copy whose node predicate is
 * unsatisfiable goes, then cleanup. Spawn edges into the queue nodes (re-polls) are left out of
 * the predicates, as the seed does in the predicate-driven embedding.
 *
 * @module
 */
import { AtomTable } from "../../graph/predicate/atoms.ts";
import { DnfAlgebra } from "../../graph/predicate/dnf.ts";
import { GraphPredicates } from "../../graph/predicate/node_predicates.ts";
import type { Edge, Graph, GraphNode, NodeId } from "../../graph/types.ts";
import { cleanupEmbedded } from "./cleanup_embedded.ts";
import { copyId, LPG_RX_QUEUE, LPG_TX_QUEUE, type PrgQueue, prgQueues } from "./conventions.ts";
import { EmbedError, mergeSpecTables } from "./embed.ts";

/** Result of {@linkcode embedSimple}. */
export interface SimpleEmbedding {
  /** The full copies before pruning. */
  readonly unpruned: Graph;
  /** After satisfiability pruning and cleanup. */
  readonly graph: Graph;
  /** Per queue, the LPG node ids whose copy has a satisfiable node predicate (queue nodes too). */
  readonly live: readonly { readonly queue: PrgQueue; readonly nodes: ReadonlySet<NodeId> }[];
}

/** Options of {@linkcode embedSimple}. */
export interface SimpleEmbedOptions {
  /** Id of the LPG's RX queue node (default `rx.queue`). */
  readonly lpgRxQueue?: NodeId;
  /** Id of the LPG's TX queue node (default `tx.queue`). */
  readonly lpgTxQueue?: NodeId;
  /** Atom table (default: a fresh one). */
  readonly table?: AtomTable;
}

/**
 * Embeds by full copies and satisfiability pruning (see the module doc).
 *
 * @throws {EmbedError} when the LPG lacks a queue node, a spec clashes or a copy id is taken.
 */
export function embedSimple(
  prg: Graph,
  lpg: Graph,
  options: SimpleEmbedOptions = {},
): SimpleEmbedding {
  const rxQ = options.lpgRxQueue ?? LPG_RX_QUEUE;
  const txQ = options.lpgTxQueue ?? LPG_TX_QUEUE;
  const lpgById = new Map(lpg.nodes.map((n) => [n.id, n]));
  const rxNode = lpgById.get(rxQ);
  const txNode = lpgById.get(txQ);
  if (rxNode === undefined || txNode === undefined) {
    throw new EmbedError(
      `Cannot embed LPG "${lpg.name}": it needs RX queue node "${rxQ}" and TX queue node "${txQ}"`,
    );
  }
  const queues = prgQueues(prg);
  const prgIds = new Set(prg.nodes.map((n) => n.id));
  const prgUsed = new Set(prg.edges.filter((e) => e.kind === "port").map((e) => e.from));
  const merged = new Map<NodeId, GraphNode>();
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [...prg.edges];
  for (const q of queues) {
    const map = (id: NodeId): NodeId => id === rxQ ? q.rx : id === txQ ? q.tx : copyId(q.index, id);
    for (const [lpgNode, prgId] of [[rxNode, q.rx], [txNode, q.tx]] as const) {
      const prgNode = prg.nodes.find((n) => n.id === prgId) as GraphNode;
      merged.set(
        prgId,
        prgUsed.has(prgId) ? { ...prgNode, tag: q.tag } : {
          ...prgNode,
          spec: lpgNode.spec,
          tag: q.tag,
          attributes: { ...prgNode.attributes, software: true },
        },
      );
    }
    for (const n of lpg.nodes) {
      if (n.id === rxQ || n.id === txQ) continue;
      const id = map(n.id);
      if (prgIds.has(id)) {
        throw new EmbedError(`Cannot copy LPG node "${n.id}": id "${id}" is taken by a PRG node`);
      }
      nodes.push({ ...n, id, label: n.label ?? n.id, tag: q.tag, origin: "LPG" });
    }
    for (const e of lpg.edges) edges.push({ ...e, from: map(e.from), to: map(e.to) });
  }
  const unpruned: Graph = {
    schemaVersion: prg.schemaVersion,
    name: `${prg.name}+${lpg.name}`,
    specs: mergeSpecTables(prg.specs, lpg.specs),
    nodes: prg.nodes.map((n) => merged.get(n.id) ?? n).concat(nodes),
    edges,
  };
  const table = options.table ?? new AtomTable();
  const dnf = new DnfAlgebra(table);
  // A queue re-polling itself brings no new packet class: predicates ignore spawn edges into the
  // merged queue nodes (the original's satisfiability reduction followed normal edges only).
  const forPreds: Graph = {
    ...unpruned,
    edges: edges.filter((e) => !(e.kind === "spawn" && merged.has(e.to))),
  };
  const preds = new GraphPredicates(forPreds, table, dnf);
  const deadNodes = new Set<NodeId>();
  const lpgOrigin = new Set(nodes.map((n) => n.id));
  for (const id of lpgOrigin) if (dnf.isFalse(preds.nodePred(id))) deadNodes.add(id);
  const live = queues.map((q) => {
    const set = new Set<NodeId>();
    for (const n of lpg.nodes) {
      const id = n.id === rxQ ? q.rx : n.id === txQ ? q.tx : copyId(q.index, n.id);
      if (!dnf.isFalse(preds.nodePred(id))) set.add(n.id);
    }
    return { queue: q, nodes: set };
  });
  const kept = edges.filter((e) => {
    if (deadNodes.has(e.from) || deadNodes.has(e.to)) return false;
    if (e.kind !== "port" || !(lpgOrigin.has(e.from) || merged.has(e.from))) return true;
    return !dnf.isFalse(preds.portReach(e.from, e.port));
  });
  const pruned: Graph = {
    ...unpruned,
    nodes: unpruned.nodes.filter((n) => !deadNodes.has(n.id)),
    edges: kept,
  };
  return { unpruned, graph: cleanupEmbedded(pruned), live };
}
