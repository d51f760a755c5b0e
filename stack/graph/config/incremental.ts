/**
 * Incremental (partial) configuration: insert one element in front of a copy of a C-node with one
 * free slot fewer (reference `dragonet-model.md` §3.2; used by the incremental search).
 *
 * @module
 */
import type { Edge, Graph, GraphNode, NodeId } from "../types.ts";
import { ConfigError, expansionContext, mergeSpecs } from "./apply.ts";
import { type ConfigRegistries, DEFAULT_PORT } from "./expansion.ts";
import type { ConfValue } from "./space.ts";
import { checkValue } from "./validate.ts";

/**
 * Inserts one list element in front of C-node `id`:
 * in-edges → the element's head; its claimed packets go where the incremental function says
 * (a queue); its `miss` port → the C-node's copy (same id, one free slot fewer, same out-edges),
 * or, when that was the last free slot, straight to the targets of the C-node's `default` port
 * and the C-node disappears. New edges only enter from the C-node's predecessors, stay inside the
 * inserted part, or leave towards the C-node and its successors (§3.2 invariant).
 *
 * Free slots: the node's `slotsLeft`, else the capacity in its `ConfigRef`, else the most
 * elements its list space allows.
 *
 * @throws {ConfigError} when `id` is not an incrementally configurable C-node, it has no free
 * slot, or the element is not in the list's element space (every issue named).
 */
export function applyIncremental(
  graph: Graph,
  id: NodeId,
  element: ConfValue,
  registries: ConfigRegistries,
): Graph {
  const ctx = expansionContext(graph, id, registries);
  const ref = ctx.spec.config;
  if (ref?.incremental === undefined) {
    throw new ConfigError(
      `Cannot configure "${id}" incrementally: its spec "${ctx.spec.name}" names no incremental function`,
    );
  }
  if (ctx.space.kind !== "list") {
    throw new ConfigError(
      `Cannot configure "${id}" incrementally: its space must be a list, got ${ctx.space.kind}`,
    );
  }
  if (!ctx.spec.ports.includes(DEFAULT_PORT)) {
    throw new ConfigError(
      `Cannot configure "${id}" incrementally: it needs a "${DEFAULT_PORT}" port, has ${
        ctx.spec.ports.join(", ")
      }`,
    );
  }
  const capacity = ref.capacity ?? ctx.space.max;
  const slots = ctx.node.slotsLeft ?? capacity;
  if (slots < 1) {
    throw new ConfigError(
      `Cannot configure "${id}" incrementally: no free slot left (capacity ${capacity})`,
    );
  }
  try {
    checkValue(ctx.space.element, element, `Element for C-node "${id}"`);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  let fn;
  try {
    fn = registries.incrementals.get(ref.incremental);
  } catch (e) {
    throw new ConfigError(`Cannot configure "${id}" incrementally: ${(e as Error).message}`);
  }
  const step = fn(ctx, element);
  const stepIds = new Set<string>(step.nodes.map((n) => n.id));
  const taken = new Set<string>(graph.nodes.map((n) => n.id));
  for (const n of step.nodes) {
    if (taken.has(n.id)) {
      throw new ConfigError(`Cannot insert into "${id}": node id "${n.id}" is taken`);
    }
  }
  if (!stepIds.has(step.head) || !stepIds.has(step.miss.node)) {
    throw new ConfigError(
      `Cannot insert into "${id}": head "${step.head}" and miss node "${step.miss.node}" must be new nodes of the step`,
    );
  }
  const remaining = slots - 1;
  const keepCNode = remaining > 0;
  const edges: Edge[] = graph.edges.filter((e) =>
    !(e.kind === "port" && e.to === id) && (keepCNode || (e.from !== id && e.to !== id))
  );
  for (const e of ctx.inEdges) {
    edges.push({ kind: "port", from: e.from, port: e.port, to: step.head });
  }
  edges.push(...step.edges);
  const missTargets = keepCNode ? [id] : ctx.targets(DEFAULT_PORT);
  for (const to of missTargets) {
    edges.push({ kind: "port", from: step.miss.node, port: step.miss.port, to });
  }
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    if (n.id !== id) nodes.push(n);
    else if (keepCNode) nodes.push({ ...n, slotsLeft: remaining });
  }
  nodes.push(...step.nodes);
  return {
    ...graph,
    specs: mergeSpecs(graph, step.specs, `the insert into "${id}"`),
    nodes,
    edges,
  };
}
