/**
 * Dominance of a node by a (node, port) point, as Dragonet's constant folding uses it
 * (reference §5.3, `graphFoldConst`): "whenever the node is activated, the point was activated".
 *
 * Definition (reference §5.3), for a point `(a, x)` and a node `n`, over normal edges:
 * - an input edge of `n` is *dominated* when it comes from `(a, x)` itself, or its source node is
 *   dominated;
 * - F-node (and C-node): dominated when it has an input edge and every input edge is dominated.
 *   With one input this is the reference's "follow the single-predecessor chain"; with several
 *   (by convention F-nodes have one, but a node may take both ports of one predecessor) it is
 *   the OR rule, sound because any activation came through one of the inputs (an extension);
 * - AND: dominated when *any* input edge is dominated; OR: when *all* are (and there is one).
 *   NAND and NOR follow AND and OR: they wait for the same inputs (an extension; the reference
 *   names only AND and OR).
 *
 * On a graph with cycles of normal edges the least fixpoint is taken (a node on a cycle is not
 * dominated through the cycle itself).
 *
 * @module
 */
import { type GraphIndex, indexGraph } from "./graph_index.ts";
import { GraphCycleError, topologicalNumbers } from "./topological_order.ts";
import type { Graph, NodeId, PortName } from "./types.ts";

/** A node's output port: the place a constant node hangs from. */
export interface PortPoint {
  /** The node. */
  readonly node: NodeId;
  /** One of its output ports. */
  readonly port: PortName;
}

/** Topological order per index (`null`: the graph has a cycle), computed once per index. */
const orders = new WeakMap<GraphIndex, Int32Array | null>();

/**
 * Returns, per node number, 1 when the node is dominated by the point and 0 otherwise.
 *
 * One pass in topological order (rounds to a fixpoint when normal edges form cycles).
 *
 * @throws {RangeError} when the point's node is not in the graph.
 */
export function dominanceVector(index: GraphIndex, point: PortPoint): Uint8Array {
  const a = index.numberOf.get(point.node);
  if (a === undefined) {
    throw new RangeError(
      `Cannot compute dominance in graph "${index.graph.name}": point node "${point.node}" is not in the graph`,
    );
  }
  const n = index.nodes.length;
  const dominated = new Uint8Array(n);
  let order = orders.get(index);
  if (order === undefined) {
    try {
      order = topologicalNumbers(index);
    } catch (err) {
      if (!(err instanceof GraphCycleError)) throw err;
      order = null;
    }
    orders.set(index, order);
  }
  const acyclic = order !== null;
  if (order === null) order = Int32Array.from({ length: n }, (_, i) => i);
  let changed = true;
  while (changed) {
    changed = false;
    for (let k = 0; k < order.length; k++) {
      const v = order[k] as number;
      if (dominated[v] === 1) continue;
      const inputs = index.in[v] ?? [];
      const kind = index.specs[v]?.kind;
      let result: boolean;
      if (kind === "and" || kind === "nand") {
        result = false;
        for (const e of inputs) {
          if ((e.from === a && e.port === point.port) || dominated[e.from] === 1) {
            result = true;
            break;
          }
        }
      } else {
        // OR, NOR, F-nodes and C-nodes: every input dominated (and at least one input).
        result = inputs.length > 0;
        for (const e of inputs) {
          if (!((e.from === a && e.port === point.port) || dominated[e.from] === 1)) {
            result = false;
            break;
          }
        }
      }
      if (result) {
        dominated[v] = 1;
        changed = true;
      }
    }
    if (acyclic) break;
  }
  return dominated;
}

/** Returns the ids of every node dominated by the point, in declaration order. */
export function dominatedNodes(graph: Graph | GraphIndex, point: PortPoint): Set<NodeId> {
  const index = "numberOf" in graph ? graph : indexGraph(graph);
  const vector = dominanceVector(index, point);
  const result = new Set<NodeId>();
  for (let i = 0; i < vector.length; i++) {
    if (vector[i] === 1) result.add((index.nodes[i] as { id: NodeId }).id);
  }
  return result;
}

/**
 * Returns whether the point dominates the node (reference §5.3).
 *
 * @throws {RangeError} when the point's node or the target is not in the graph.
 */
export function dominates(graph: Graph | GraphIndex, point: PortPoint, target: NodeId): boolean {
  const index = "numberOf" in graph ? graph : indexGraph(graph);
  const t = index.numberOf.get(target);
  if (t === undefined) {
    throw new RangeError(
      `Cannot compute dominance in graph "${index.graph.name}": target node "${target}" is not in the graph`,
    );
  }
  return dominanceVector(index, point)[t] === 1;
}
