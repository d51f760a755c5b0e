/**
 * Dropping the hardware part of an embedded graph (reference `dragonet-model.md` §5.5 step 5,
 * Dragonet `Optimization.makeGraph`): every node reachable backwards from an RX queue node and
 * forwards from a TX queue node goes, except the queue nodes themselves; what is left is the
 * software the host runs.
 *
 * @module
 */
import { reachable } from "../../graph/reachability.ts";
import type { Graph, NodeId } from "../../graph/types.ts";
import type { PrgQueue } from "./conventions.ts";

/** Returns the software part of an embedded graph (see the module doc). */
export function dropHardware(graph: Graph, queues: readonly PrgQueue[]): Graph {
  const rx = queues.map((q) => q.rx);
  const tx = queues.map((q) => q.tx);
  const gone = new Set<NodeId>([
    ...reachable(graph, rx, { direction: "backward" }),
    ...reachable(graph, tx),
  ]);
  for (const id of [...rx, ...tx]) gone.delete(id);
  const nodes = graph.nodes.filter((n) => !gone.has(n.id));
  const used = new Set(nodes.map((n) => n.spec));
  const specs = Object.fromEntries(Object.entries(graph.specs).filter(([k]) => used.has(k)));
  return {
    ...graph,
    name: `${graph.name}.software`,
    specs,
    nodes,
    edges: graph.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)),
  };
}
