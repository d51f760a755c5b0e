/**
 * Subgraph extraction: the graph induced by a set of nodes.
 *
 * @module
 */
import type { Graph, NodeId, NodeSpec, SpecName } from "./types.ts";

/**
 * Returns the graph induced by the given ids: those nodes (in declaration order), every edge
 * (normal or spawn) between two of them, and only the specs they use.
 *
 * @param name of the result; defaults to the graph's name
 * @throws {RangeError} naming an id that is not a node of the graph.
 */
export function subgraph(graph: Graph, ids: Iterable<NodeId>, name?: string): Graph {
  const present = new Set(graph.nodes.map((node) => node.id));
  const wanted = new Set<NodeId>();
  for (const id of ids) {
    if (!present.has(id)) {
      throw new RangeError(
        `Cannot extract a subgraph of graph "${graph.name}": node "${id}" is not in the graph`,
      );
    }
    wanted.add(id);
  }
  const nodes = graph.nodes.filter((node) => wanted.has(node.id));
  const used = new Set(nodes.map((node) => node.spec));
  const specs: Record<SpecName, NodeSpec> = {};
  for (const key of Object.keys(graph.specs).sort()) {
    const spec = graph.specs[key];
    if (spec !== undefined && used.has(key)) specs[key] = spec;
  }
  return {
    schemaVersion: graph.schemaVersion,
    name: name ?? graph.name,
    specs,
    nodes,
    edges: graph.edges.filter((edge) => wanted.has(edge.from) && wanted.has(edge.to)),
  };
}
