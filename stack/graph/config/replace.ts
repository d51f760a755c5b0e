/**
 * The replace change `CcReplace old newValue` (reference `dragonet-model.md` §3.2-§3.3): rewrites
 * the label and match of a filter node an earlier incremental change created, keeping its queue
 * and its place in the chain; the incremental search uses it to recycle the filter of a removed
 * flow for a new flow.
 *
 * {@linkcode insertTracked} is {@linkcode applyIncremental} that also returns the nodes the
 * insert created, so a caller can name them in a later replace.
 *
 * @module
 */
import type { Graph, GraphNode, NodeId, PredicateExpr } from "../types.ts";
import { ConfigError, expansionContext, mergeSpecs } from "./apply.ts";
import type { ConfigRegistries } from "./expansion.ts";
import { applyIncremental } from "./incremental.ts";
import type { ConfValue } from "./space.ts";
import { checkValue } from "./validate.ts";

/** The fields of a filter node a replace rewrites. */
export interface FilterFields {
  /** New label, e.g. `5T(UDP,*,*,1001,53)`. */
  readonly label: string;
  /** Packets the filter claims: its `true` port predicate; `false` gets the negation. */
  readonly match: PredicateExpr;
}

/** Result of {@linkcode insertTracked}. */
export interface TrackedInsert {
  /** The graph after the insert. */
  readonly graph: Graph;
  /** Ids of the nodes the insert created, in order (the filter first for a filter table). */
  readonly created: readonly NodeId[];
}

/** Inserts one element like {@linkcode applyIncremental} and reports the nodes it created. */
export function insertTracked(
  graph: Graph,
  id: NodeId,
  element: ConfValue,
  registries: ConfigRegistries,
): TrackedInsert {
  const before = new Set(graph.nodes.map((n) => n.id));
  const next = applyIncremental(graph, id, element, registries);
  return { graph: next, created: next.nodes.filter((n) => !before.has(n.id)).map((n) => n.id) };
}

function filterNode(graph: Graph, id: NodeId): GraphNode {
  const node = graph.nodes.find((n) => n.id === id);
  if (node === undefined) {
    throw new ConfigError(`Cannot replace filter "${id}": graph "${graph.name}" has no such node`);
  }
  const spec = graph.specs[node.spec];
  if (spec?.kind !== "fnode" || !spec.ports.includes("true") || !spec.ports.includes("false")) {
    throw new ConfigError(
      `Cannot replace filter "${id}": it must be an F-node with ports true and false, got ${
        spec === undefined ? "unknown spec" : `${spec.kind} with ports ${spec.ports.join(", ")}`
      }`,
    );
  }
  return node;
}

/**
 * Rewrites filter node `id`: new label, `true` = `match`, `false` = its negation; edges, queue and
 * chain position stay. Returns a new graph.
 *
 * @throws {ConfigError} when `id` is not a filter node (an F-node with ports true and false).
 */
export function replaceFilter(graph: Graph, id: NodeId, fields: FilterFields): Graph {
  const old = filterNode(graph, id);
  const node: GraphNode = {
    ...old,
    label: fields.label,
    predicates: { true: fields.match, false: { op: "not", arg: fields.match } },
  };
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? node : n)) };
}

/**
 * Replaces the element behind filter node `id` with `element`, computed by the incremental
 * function of C-node `cnode` (which must still be in the graph): the new filter's label, spec and
 * predicates are taken over; it must claim packets for the same targets as the old one ("same
 * queue").
 *
 * @throws {ConfigError} when `id` is not a filter node, `cnode` is not an incrementally
 * configurable C-node, the element is outside the C-node's element space, or the new filter would
 * go to other targets than the old one.
 */
export function replaceElement(
  graph: Graph,
  id: NodeId,
  cnode: NodeId,
  element: ConfValue,
  registries: ConfigRegistries,
): Graph {
  const old = filterNode(graph, id);
  const ctx = expansionContext(graph, cnode, registries);
  const name = ctx.spec.config?.incremental;
  if (name === undefined || ctx.space.kind !== "list") {
    throw new ConfigError(
      `Cannot replace through "${cnode}": its spec "${ctx.spec.name}" names no incremental function over a list`,
    );
  }
  try {
    checkValue(ctx.space.element, element, `Element for C-node "${cnode}"`);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  let fn;
  try {
    fn = registries.incrementals.get(name);
  } catch (e) {
    throw new ConfigError(`Cannot replace through "${cnode}": ${(e as Error).message}`);
  }
  const step = fn(ctx, element);
  const head = step.nodes.find((n) => n.id === step.head);
  if (head === undefined) {
    throw new ConfigError(
      `Cannot replace filter "${id}": the step's head "${step.head}" is not one of its nodes`,
    );
  }
  const targets = (from: NodeId, edges: Graph["edges"]) =>
    edges.filter((e) => e.kind === "port" && e.from === from && e.port === "true")
      .map((e) => e.to).sort();
  const was = targets(id, graph.edges);
  const now = targets(step.head, step.edges);
  if (was.join("\u0000") !== now.join("\u0000")) {
    throw new ConfigError(
      `Cannot replace filter "${id}": the new element goes to ${now.join(", ") || "nothing"}, ` +
        `the old one to ${was.join(", ") || "nothing"}; a replace keeps the queue`,
    );
  }
  const node: GraphNode = {
    ...old,
    spec: head.spec,
    ...(head.label === undefined ? {} : { label: head.label }),
    ...(head.predicates === undefined ? {} : { predicates: head.predicates }),
  };
  return {
    ...graph,
    specs: mergeSpecs(graph, step.specs, `the replace of "${id}"`),
    nodes: graph.nodes.map((n) => (n.id === id ? node : n)),
  };
}
