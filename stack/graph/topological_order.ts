/**
 * Topological order of a graph's nodes over normal edges, ignoring spawn edges (reference
 * §2.3: spawn edges start new runs and are not part of the dataflow order).
 *
 * @module
 */
import { findCycles } from "./cycles.ts";
import { type GraphIndex, indexGraph } from "./graph_index.ts";
import type { Graph, NodeId } from "./types.ts";

/** Thrown when a graph has a cycle of normal edges, so no topological order exists. */
export class GraphCycleError extends Error {
  /** The cycles found, each as a closed path of ids. */
  readonly cycles: readonly NodeId[][];

  /** Makes the error. */
  constructor(graphName: string, cycles: readonly NodeId[][]) {
    const shown = cycles.slice(0, 3).map((c) => c.join(" -> ")).join("; ");
    super(
      `Cannot order graph "${graphName}" topologically: ${cycles.length} cycle(s) of normal ` +
        `edges, only spawn edges may close a loop: ${shown}`,
    );
    this.name = "GraphCycleError";
    this.cycles = cycles;
  }
}

/**
 * Returns the node numbers in topological order (Kahn's algorithm); ties keep declaration order,
 * so the result is deterministic.
 *
 * @throws {GraphCycleError} when normal edges form a cycle.
 */
export function topologicalNumbers(index: GraphIndex): Int32Array {
  const n = index.nodes.length;
  const remaining = new Int32Array(n);
  for (let i = 0; i < n; i++) remaining[i] = (index.in[i] ?? []).length;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (remaining[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    for (const e of index.out[order[head] as number] ?? []) {
      const left = (remaining[e.to] as number) - 1;
      remaining[e.to] = left;
      if (left === 0) order[tail++] = e.to;
    }
  }
  if (tail < n) throw new GraphCycleError(index.graph.name, findCycles(index));
  return order;
}

/**
 * Returns the node ids of a graph in topological order over normal edges.
 *
 * @throws {GraphCycleError} when normal edges form a cycle.
 * @example
 * ```ts
 * import { GraphBuilder } from "./builder.ts";
 * import { topologicalOrder } from "./topological_order.ts";
 * import { defineSpec } from "./types.ts";
 * const f = defineSpec({ name: "f", kind: "fnode", ports: ["out"] } as const);
 * const b = new GraphBuilder("g");
 * b.node("b", f);
 * b.node("a", f, { out: { out: "b" } });
 * topologicalOrder(b.build()); // ["a", "b"]
 * ```
 */
export function topologicalOrder(graph: Graph | GraphIndex): NodeId[] {
  const index = "numberOf" in graph ? graph : indexGraph(graph);
  return Array.from(topologicalNumbers(index), (i) => (index.nodes[i] as { id: NodeId }).id);
}
