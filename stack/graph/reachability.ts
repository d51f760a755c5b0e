/**
 * Reachability over normal edges (and optionally spawn edges), forwards or backwards.
 *
 * @module
 */
import { type GraphIndex, indexGraph } from "./graph_index.ts";
import type { Graph, NodeId } from "./types.ts";

/** Options of {@linkcode reachable}. */
export interface ReachOptions {
  /** Follow edges forwards (successors, the default) or backwards (predecessors). */
  readonly direction?: "forward" | "backward";
  /** Also follow spawn edges (default false: most algorithms ignore them, reference §2.3). */
  readonly spawn?: boolean;
}

/**
 * Returns the ids reachable from the start nodes, the start nodes included, in discovery order.
 *
 * @throws {RangeError} naming a start id that is not a node of the graph.
 */
export function reachable(
  graph: Graph | GraphIndex,
  starts: Iterable<NodeId>,
  options: ReachOptions = {},
): Set<NodeId> {
  const index = "numberOf" in graph ? graph : indexGraph(graph);
  const forward = (options.direction ?? "forward") === "forward";
  const seen = new Uint8Array(index.nodes.length);
  const queue: number[] = [];
  for (const id of starts) {
    const n = index.numberOf.get(id);
    if (n === undefined) {
      throw new RangeError(
        `Cannot compute reachability in graph "${index.graph.name}": start node "${id}" is not in the graph`,
      );
    }
    if (seen[n] === 0) {
      seen[n] = 1;
      queue.push(n);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head] as number;
    const edges = forward ? index.out[n] : index.in[n];
    for (const e of edges ?? []) {
      const next = forward ? e.to : e.from;
      if (seen[next] === 0) {
        seen[next] = 1;
        queue.push(next);
      }
    }
    if (options.spawn === true) {
      const spawns = forward ? index.spawnOut[n] : index.spawnIn[n];
      for (const e of spawns ?? []) {
        const next = forward ? e.to : e.from;
        if (seen[next] === 0) {
          seen[next] = 1;
          queue.push(next);
        }
      }
    }
  }
  return new Set(queue.map((n) => (index.nodes[n] as { id: NodeId }).id));
}
