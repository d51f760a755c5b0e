/**
 * Cleanup of an embedded graph (reference `dragonet-model.md` §5.6 with §5.2 step 8): repeatedly
 * remove nodes without inputs (unless sources) or without outputs (unless sinks), ignoring spawn
 * edges for the counts; PRG nodes are always kept.
 *
 * Source and sink status is read from the node's spec and attributes, which the LPG copies share
 * with their original LPG node. Lab refinement: a node that is the target of a spawn edge counts
 * as a source, and a node that has an outgoing spawn edge counts as a sink (a node whose only work
 * is to spawn, such as the ARP pending-response restart, is not dead). LPG copies with a live
 * drop port carry `sink` (set by the embedding), so a chain that ends in a counted drop stays.
 *
 * @module
 */
import { cleanupGraph } from "../../graph/cleanup.ts";
import { attributesOf } from "../../graph/graph_index.ts";
import type { Graph } from "../../graph/types.ts";

/** Returns the embedded graph after cleanup (see the module doc). */
export function cleanupEmbedded(graph: Graph): Graph {
  const spawnIn = new Set<string>();
  const spawnOut = new Set<string>();
  for (const e of graph.edges) {
    if (e.kind !== "spawn") continue;
    spawnOut.add(e.from);
    spawnIn.add(e.to);
  }
  return cleanupGraph(graph, {
    isSource: (n) => attributesOf(graph, n).source === true || spawnIn.has(n.id),
    isSink: (n) => attributesOf(graph, n).sink === true || spawnOut.has(n.id),
    keep: (n) => n.origin === "PRG",
  });
}
