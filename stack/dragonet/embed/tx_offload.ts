/**
 * TX offload by predicate equivalence (reference `dragonet-model.md` §5.4, Dragonet
 * `Embedding.hs`): an LPG TX function whose label also names a PRG node (checksum insertion,
 * `TxL4UDPFillChecksum`) moves to the NIC when the NIC does it for every packet that needs it.
 *
 * Candidates are the LPG nodes that reach the LPG TX queue (reverse walk over normal edges) and
 * share their label with a PRG node. For each queue's copy with one port and no spawn edges, the
 * copy is bypassed tentatively (its predecessors connected to its successors) and the bypass is
 * kept when the predicate at the queue's TX out node (the one sink the PRG TX queue reaches, or
 * the TX queue itself) is DNF-equivalent before and after. Labels give the same `(label, port)`
 * atom to the LPG node and the NIC node, so the check passes exactly when every path that lost
 * the software function passes the NIC's.
 *
 * @module
 */
import { indexGraph } from "../../graph/graph_index.ts";
import { AtomTable } from "../../graph/predicate/atoms.ts";
import { DnfAlgebra, dnfEquiv } from "../../graph/predicate/dnf.ts";
import { GraphPredicates } from "../../graph/predicate/node_predicates.ts";
import { reachable } from "../../graph/reachability.ts";
import type { Edge, Graph, NodeId } from "../../graph/types.ts";
import { copyId, LPG_TX_QUEUE, type PrgQueue } from "./conventions.ts";

/** One LPG TX node of one queue that the NIC now performs. */
export interface OffloadedNode {
  /** Queue number. */
  readonly queue: number;
  /** The LPG node id. */
  readonly lpgNode: NodeId;
  /** The PRG node with the same label that does the work. */
  readonly prgNode: NodeId;
}

/** Result of {@linkcode offloadTx}. */
export interface TxOffload {
  /** The graph with the offloaded copies bypassed. */
  readonly graph: Graph;
  /** What was offloaded. */
  readonly offloaded: readonly OffloadedNode[];
  /** Candidates kept in software, with the reason. */
  readonly kept: readonly {
    readonly queue: number;
    readonly lpgNode: NodeId;
    readonly reason: string;
  }[];
}

/** Options of {@linkcode offloadTx}. */
export interface TxOffloadOptions {
  /** Id of the LPG's TX queue node (default `tx.queue`). */
  readonly lpgTxQueue?: NodeId;
  /** Atom table (default: a fresh one). */
  readonly table?: AtomTable;
}

/** The TX out node of a queue: the one sink its PRG TX queue reaches, else the queue itself. */
export function txOutNode(prg: Graph, txQueue: NodeId): NodeId | undefined {
  const index = indexGraph(prg);
  const reach = reachable(index, [txQueue]);
  const sinks = [...reach].filter((id) =>
    (index.out[index.numberOf.get(id) ?? -1] ?? []).length === 0
  );
  return sinks.length === 1 ? sinks[0] : undefined;
}

function bypass(graph: Graph, id: NodeId): Graph {
  const ins = graph.edges.filter((e) => e.kind === "port" && e.to === id);
  const outs = graph.edges.filter((e) => e.kind === "port" && e.from === id);
  const edges: Edge[] = graph.edges.filter((e) => e.from !== id && e.to !== id);
  for (const i of ins) {
    if (i.kind !== "port") continue;
    for (const o of outs) edges.push({ kind: "port", from: i.from, port: i.port, to: o.to });
  }
  return { ...graph, nodes: graph.nodes.filter((n) => n.id !== id), edges };
}

/**
 * Moves LPG TX functions to the NIC where the NIC performs them for every packet that needs
 * them (see the module doc). `embedded` is the output of the embedding; `prg` and `lpg` are its
 * inputs.
 */
export function offloadTx(
  embedded: Graph,
  prg: Graph,
  lpg: Graph,
  queues: readonly PrgQueue[],
  options: TxOffloadOptions = {},
): TxOffload {
  const txQ = options.lpgTxQueue ?? LPG_TX_QUEUE;
  const table = options.table ?? new AtomTable();
  const dnf = new DnfAlgebra(table);
  const prgByLabel = new Map<string, NodeId>();
  for (const n of prg.nodes) prgByLabel.set(n.label ?? n.id, n.id);
  const lpgIds = new Set(lpg.nodes.map((n) => n.id));
  const candidates = lpgIds.has(txQ)
    ? [...reachable(lpg, [txQ], { direction: "backward" })].filter((id) => {
      const n = lpg.nodes.find((x) => x.id === id);
      return id !== txQ && n !== undefined && prgByLabel.has(n.label ?? n.id);
    })
    : [];
  let graph = embedded;
  const offloaded: OffloadedNode[] = [];
  const kept: { queue: number; lpgNode: NodeId; reason: string }[] = [];
  for (const q of queues) {
    const out = txOutNode(prg, q.tx);
    for (const lpgNode of candidates) {
      const label = lpg.nodes.find((n) => n.id === lpgNode)?.label ?? lpgNode;
      const prgNode = prgByLabel.get(label) as NodeId;
      const id = copyId(q.index, lpgNode);
      const node = graph.nodes.find((n) => n.id === id);
      if (node === undefined) continue;
      const keep = (reason: string) => kept.push({ queue: q.index, lpgNode, reason });
      if (out === undefined) {
        keep(`TX queue "${q.tx}" does not reach exactly one sink`);
        continue;
      }
      const spec = graph.specs[node.spec];
      if (spec === undefined || spec.ports.length !== 1) {
        keep(`only single-port nodes are bypassed, "${id}" has ${spec?.ports.length ?? 0}`);
        continue;
      }
      if (graph.edges.some((e) => e.kind === "spawn" && (e.from === id || e.to === id))) {
        keep(`"${id}" has spawn edges`);
        continue;
      }
      const before = new GraphPredicates(graph, table, dnf).nodePred(out);
      const trial = bypass(graph, id);
      const after = new GraphPredicates(trial, table, dnf).nodePred(out);
      if (dnfEquiv(before, after)) {
        graph = trial;
        offloaded.push({ queue: q.index, lpgNode, prgNode });
      } else keep(`the predicate at TX out node "${out}" changes without it`);
    }
  }
  return { graph, offloaded, kept };
}
