/**
 * Filter-table expansion helpers: order entries by priority and build the chain of filter nodes
 * that replaces a filter C-node, fully or one element at a time (reference `dragonet-model.md`
 * §3.1 steps 1-3 and §3.2).
 *
 * @module
 */
import type { Edge, GraphNode, NodeSpec, PortEdge, PredicateExpr } from "../types.ts";
import {
  DEFAULT_PORT,
  type Expansion,
  type ExpansionContext,
  type IncrementalStep,
} from "./expansion.ts";

/**
 * How equal priorities are ordered: `slot` = list (slot) order, the lab's rule; `reverse` =
 * reverse list order, the original's quirk Q1 (reference §13), kept to reproduce its chains.
 */
export type TieRule = "slot" | "reverse";

/**
 * Orders filter entries highest priority first; ties by `tie`. Returns a new array.
 *
 * @example
 * ```ts
 * import { orderByPriority } from "./filter_chain.ts";
 * orderByPriority([{ n: "a", p: 1 }, { n: "b", p: 1 }, { n: "c", p: 7 }], (e) => e.p, "slot");
 * // c, a, b
 * ```
 */
export function orderByPriority<T>(
  entries: readonly T[],
  priority: (entry: T) => number,
  tie: TieRule,
): T[] {
  if (tie === "slot") {
    return entries.map((e, i) => ({ e, i, p: priority(e) }))
      .sort((x, y) => y.p - x.p || x.i - y.i).map((x) => x.e);
  }
  // Q1: sort ascending (stable), then reverse the whole list.
  return entries.map((e, i) => ({ e, i, p: priority(e) }))
    .sort((x, y) => x.p - y.p || x.i - y.i).map((x) => x.e).reverse();
}

/** One filter node of a chain. */
export interface ChainFilter {
  /** Local id segment; the node id is made fresh under the C-node (`<cnode>.<local>`). */
  readonly local: string;
  /** Human label, e.g. `5T(UDP,*,*,*,8)`. */
  readonly label: string;
  /** Spec of the filter node: an F-node with ports `true` and `false`. */
  readonly spec: NodeSpec;
  /** Packets the filter claims: its `true` port predicate; `false` gets the negation. */
  readonly match: PredicateExpr;
  /** Where claimed packets go (e.g. the queue's node). */
  readonly hit: readonly GraphNode["id"][];
}

function filterNode(ctx: ExpansionContext, f: ChainFilter): GraphNode {
  return {
    id: ctx.fresh(f.local),
    spec: f.spec.name,
    label: f.label,
    origin: ctx.node.origin,
    ...(ctx.node.tag === undefined ? {} : { tag: ctx.node.tag }),
    predicates: { true: f.match, false: { op: "not", arg: f.match } },
  };
}

/**
 * The full expansion of a filter table: every in-edge of the C-node → filter 1; filter k `true`
 * → its `hit` targets; filter k `false` → filter k+1; the last `false` (or the in-edges
 * themselves when the list is empty) → the targets of the C-node's `default` port. All in-edges
 * feed the chain (the original used only the first, quirk Q2).
 */
export function filterChainExpansion(
  ctx: ExpansionContext,
  filters: readonly ChainFilter[],
): Expansion {
  const nodes = filters.map((f) => filterNode(ctx, f));
  const edges: Edge[] = [];
  const specs: Record<string, NodeSpec> = {};
  const defaults = ctx.targets(DEFAULT_PORT);
  let sources: { from: GraphNode["id"]; port: string }[] = ctx.inEdges.map((e: PortEdge) => ({
    from: e.from,
    port: e.port,
  }));
  filters.forEach((f, k) => {
    const node = nodes[k] as GraphNode;
    specs[f.spec.name] = f.spec;
    for (const s of sources) edges.push({ kind: "port", from: s.from, port: s.port, to: node.id });
    for (const to of f.hit) edges.push({ kind: "port", from: node.id, port: "true", to });
    sources = [{ from: node.id, port: "false" }];
  });
  for (const s of sources) {
    for (const to of defaults) edges.push({ kind: "port", from: s.from, port: s.port, to });
  }
  return { nodes, edges, specs };
}

/** One incremental step of a filter table: a single filter whose `false` port is the miss. */
export function filterStep(ctx: ExpansionContext, filter: ChainFilter): IncrementalStep {
  const node = filterNode(ctx, filter);
  const edges: Edge[] = filter.hit.map((to) => ({ kind: "port", from: node.id, port: "true", to }));
  return {
    nodes: [node],
    edges,
    specs: { [filter.spec.name]: filter.spec },
    head: node.id,
    miss: { node: node.id, port: "false" },
  };
}
