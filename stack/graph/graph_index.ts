/**
 * An index over a {@linkcode Graph} for algorithms: nodes by id and by dense number, edges by
 * (node, port), in-edges, spawn edges apart.
 *
 * Edges whose ends do not name a node are left out of the index (`validateGraph()` reports
 * them); with duplicate ids the first node wins.
 *
 * @module
 */
import type {
  Graph,
  GraphNode,
  NodeAttributes,
  NodeId,
  NodeKind,
  NodeSpec,
  PortEdge,
  PortName,
  SpawnEdge,
} from "./types.ts";

/** A normal edge with both ends as dense node numbers. */
export interface IndexedEdge {
  /** Source node number. */
  readonly from: number;
  /** Source port. */
  readonly port: PortName;
  /** Target node number. */
  readonly to: number;
  /** The edge as stored in the graph. */
  readonly edge: PortEdge;
}

/** A spawn edge with both ends as dense node numbers. */
export interface IndexedSpawn {
  /** Source node number. */
  readonly from: number;
  /** Target node number. */
  readonly to: number;
  /** The edge as stored in the graph. */
  readonly edge: SpawnEdge;
}

/** The index built by {@linkcode indexGraph}. Node numbers follow declaration order. */
export interface GraphIndex {
  /** The indexed graph. */
  readonly graph: Graph;
  /** Nodes by number (first occurrence of each id). */
  readonly nodes: readonly GraphNode[];
  /** Node number by id. */
  readonly numberOf: ReadonlyMap<NodeId, number>;
  /** Spec of each node by number; `undefined` when the spec name is unknown. */
  readonly specs: readonly (NodeSpec | undefined)[];
  /** Normal out-edges by node number, in declaration order. */
  readonly out: readonly (readonly IndexedEdge[])[];
  /** Normal in-edges by node number, in declaration order. */
  readonly in: readonly (readonly IndexedEdge[])[];
  /** Spawn out-edges by node number. */
  readonly spawnOut: readonly (readonly IndexedSpawn[])[];
  /** Spawn in-edges by node number. */
  readonly spawnIn: readonly (readonly IndexedSpawn[])[];
}

/** Builds the {@linkcode GraphIndex} of a graph in one pass over nodes and edges. */
export function indexGraph(graph: Graph): GraphIndex {
  const nodes: GraphNode[] = [];
  const numberOf = new Map<NodeId, number>();
  for (const node of graph.nodes) {
    if (numberOf.has(node.id)) continue;
    numberOf.set(node.id, nodes.length);
    nodes.push(node);
  }
  const n = nodes.length;
  const specs = nodes.map((node) =>
    Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined
  );
  const out: IndexedEdge[][] = Array.from({ length: n }, () => []);
  const inn: IndexedEdge[][] = Array.from({ length: n }, () => []);
  const spawnOut: IndexedSpawn[][] = Array.from({ length: n }, () => []);
  const spawnIn: IndexedSpawn[][] = Array.from({ length: n }, () => []);
  for (const edge of graph.edges) {
    const from = numberOf.get(edge.from);
    const to = numberOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    if (edge.kind === "port") {
      const e: IndexedEdge = { from, port: edge.port, to, edge };
      out[from]?.push(e);
      inn[to]?.push(e);
    } else {
      const e: IndexedSpawn = { from, to, edge };
      spawnOut[from]?.push(e);
      spawnIn[to]?.push(e);
    }
  }
  return { graph, nodes, numberOf, specs, out, in: inn, spawnOut, spawnIn };
}

/** Returns a node's attributes: the spec's, overridden by the node's own. */
export function attributesOf(graph: Graph, node: GraphNode): NodeAttributes {
  const spec = Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
  const base = spec?.attributes;
  const own = node.attributes;
  if (own === undefined) return base ?? {};
  if (base === undefined) return own;
  const values = base.values === undefined && own.values === undefined
    ? undefined
    : { ...base.values, ...own.values };
  return { ...base, ...own, ...(values === undefined ? {} : { values }) };
}

/** Returns a node's kind from its spec, or `undefined` when the spec is unknown. */
export function kindOf(index: GraphIndex, node: number): NodeKind | undefined {
  return index.specs[node]?.kind;
}

/** Returns the ids of the targets of `(id, port)` in declaration order (empty when none). */
export function targetsOf(index: GraphIndex, id: NodeId, port: PortName): NodeId[] {
  const from = index.numberOf.get(id);
  if (from === undefined) return [];
  const result: NodeId[] = [];
  for (const e of index.out[from] ?? []) {
    if (e.port === port) {
      const target = index.nodes[e.to];
      if (target !== undefined) result.push(target.id);
    }
  }
  return result;
}

/** Returns node numbers as a list of ids (for results and messages). */
export function idsOf(index: GraphIndex, numbers: Iterable<number>): NodeId[] {
  const ids: NodeId[] = [];
  for (const n of numbers) {
    const node = index.nodes[n];
    if (node !== undefined) ids.push(node.id);
  }
  return ids;
}
