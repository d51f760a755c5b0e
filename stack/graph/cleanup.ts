/**
 * Cleanup (reference §5.6): repeatedly remove nodes that have no inputs unless they are sources
 * and nodes that have no outputs unless they are sinks, ignoring spawn edges.
 *
 * @module
 */
import { attributesOf, indexGraph } from "./graph_index.ts";
import type { Graph, GraphNode } from "./types.ts";

/** Options of {@linkcode cleanupGraph}: who counts as a source or sink, who is always kept. */
export interface CleanupOptions {
  /** Whether a node may stay without inputs; default: its `source` attribute. */
  readonly isSource?: (node: GraphNode) => boolean;
  /** Whether a node may stay without outputs; default: its `sink` attribute. */
  readonly isSink?: (node: GraphNode) => boolean;
  /** Nodes never removed (embedding keeps every PRG node); default: none. */
  readonly keep?: (node: GraphNode) => boolean;
}

/**
 * Returns the graph without the nodes cleanup removes, and without every edge (normal or spawn)
 * that touched them. Runs in time linear in nodes and edges (a work list, not repeated passes).
 * Edges whose ends do not name a node are dropped too.
 */
export function cleanupGraph(graph: Graph, options: CleanupOptions = {}): Graph {
  const index = indexGraph(graph);
  const isSource = options.isSource ?? ((node) => attributesOf(graph, node).source === true);
  const isSink = options.isSink ?? ((node) => attributesOf(graph, node).sink === true);
  const keep = options.keep ?? (() => false);
  const n = index.nodes.length;
  const inputs = new Int32Array(n);
  const outputs = new Int32Array(n);
  const source = new Uint8Array(n);
  const sink = new Uint8Array(n);
  const kept = new Uint8Array(n);
  const removed = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    const node = index.nodes[i] as GraphNode;
    inputs[i] = (index.in[i] ?? []).length;
    outputs[i] = (index.out[i] ?? []).length;
    source[i] = isSource(node) ? 1 : 0;
    sink[i] = isSink(node) ? 1 : 0;
    kept[i] = keep(node) ? 1 : 0;
  }
  const doomed = (i: number) =>
    kept[i] === 0 && ((inputs[i] === 0 && source[i] === 0) || (outputs[i] === 0 && sink[i] === 0));
  for (let i = 0; i < n; i++) if (doomed(i)) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    if (removed[v] === 1) continue;
    removed[v] = 1;
    for (const e of index.out[v] ?? []) {
      if (removed[e.to] === 1) continue;
      inputs[e.to] = (inputs[e.to] as number) - 1;
      if (doomed(e.to)) queue.push(e.to);
    }
    for (const e of index.in[v] ?? []) {
      if (removed[e.from] === 1) continue;
      outputs[e.from] = (outputs[e.from] as number) - 1;
      if (doomed(e.from)) queue.push(e.from);
    }
  }
  const alive = new Set(index.nodes.filter((_, i) => removed[i] === 0).map((node) => node.id));
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => alive.has(node.id)),
    edges: graph.edges.filter((edge) => alive.has(edge.from) && alive.has(edge.to)),
  };
}
