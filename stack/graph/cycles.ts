/**
 * Finds cycles of normal edges (spawn edges ignored: they may legitimately loop, e.g. a queue
 * re-polling itself, reference §2.3).
 *
 * @module
 */
import { type GraphIndex, idsOf } from "./graph_index.ts";
import type { NodeId } from "./types.ts";

/**
 * Returns one cycle per strongly connected component that has one (a component of two or more
 * nodes, or a node with an edge to itself), as the path of ids from its first-declared node back
 * to that node (the first id is repeated at the end). Components are in declaration order of
 * their first node.
 */
export function findCycles(index: GraphIndex): NodeId[][] {
  const components = stronglyConnected(index);
  const cycles: NodeId[][] = [];
  for (const component of components) {
    const first = Math.min(...component);
    const selfLoop = (index.out[first] ?? []).some((e) => e.to === first);
    if (component.length < 2 && !selfLoop) continue;
    cycles.push(idsOf(index, cyclePath(index, first, new Set(component))));
  }
  cycles.sort((a, b) =>
    (index.numberOf.get(a[0] as NodeId) ?? 0) - (index.numberOf.get(b[0] as NodeId) ?? 0)
  );
  return cycles;
}

/** Tarjan's algorithm without recursion; returns the components as lists of node numbers. */
function stronglyConnected(index: GraphIndex): number[][] {
  const n = index.nodes.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  const work: { node: number; edge: number }[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    work.push({ node: root, edge: 0 });
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; edge: number };
      const edges = index.out[frame.node] ?? [];
      if (frame.edge < edges.length) {
        const next = (edges[frame.edge++] as { to: number }).to;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          work.push({ node: next, edge: 0 });
        } else if (onStack[next] === 1) {
          low[frame.node] = Math.min(low[frame.node] as number, order[next] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
      }
      if (low[frame.node] === order[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Shortest path from `start` back to itself inside one component (breadth-first). */
function cyclePath(index: GraphIndex, start: number, inside: ReadonlySet<number>): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    for (const e of index.out[node] ?? []) {
      if (!inside.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at) as number) path.push(at);
        path.push(start);
        return path.reverse();
      }
      if (!previous.has(e.to)) {
        previous.set(e.to, node);
        queue.push(e.to);
      }
    }
  }
  return [start, start];
}
