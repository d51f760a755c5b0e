/**
 * Applies a configuration to a graph: each configured C-node is replaced by the nodes and edges
 * its expansion function returns; unconfigured C-nodes stay (reference `dragonet-model.md`
 * §3.1). Finalisation applies the empty configuration to every remaining C-node (§3.2).
 *
 * @module
 */
import type { Edge, Graph, GraphNode, NodeId, NodeSpec, PortEdge, SpecName } from "../types.ts";
import { NODE_ID_SEGMENT } from "../types.ts";
import {
  type ConfigRegistries,
  type Expansion,
  type ExpansionContext,
  PORT_ENUM_SPACE,
} from "./expansion.ts";
import { type ConfSpace, type ConfValue, enumOf, showSpace } from "./space.ts";
import { checkValue } from "./validate.ts";

/** A configuration: C-node id to value (a map, or a list of pairs as in the original). */
export type Configuration =
  | ReadonlyMap<NodeId, ConfValue>
  | readonly (readonly [NodeId, ConfValue])[];

/** Thrown when a configuration cannot be applied; the message names the node and the reason. */
export class ConfigError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function specOf(graph: Graph, node: GraphNode): NodeSpec | undefined {
  return Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
}

/** Returns the C-nodes of a graph (nodes whose spec kind is `config`), in declaration order. */
export function configNodes(graph: Graph): GraphNode[] {
  return graph.nodes.filter((n) => specOf(graph, n)?.kind === "config");
}

/**
 * Returns the C-node `id`, its spec and its configuration space.
 *
 * @throws {ConfigError} when `id` is not a C-node of the graph or its space is unknown.
 */
export function configNodeInfo(
  graph: Graph,
  id: NodeId,
  registries: ConfigRegistries,
): { readonly node: GraphNode; readonly spec: NodeSpec; readonly space: ConfSpace } {
  const node = graph.nodes.find((n) => n.id === id);
  if (node === undefined) {
    throw new ConfigError(`Cannot configure "${id}": graph "${graph.name}" has no such node`);
  }
  const spec = specOf(graph, node);
  if (spec === undefined || spec.kind !== "config" || spec.config === undefined) {
    throw new ConfigError(
      `Cannot configure "${id}": it is a ${
        spec?.kind ?? "node with unknown spec"
      }, only C-nodes (kind config) take a configuration`,
    );
  }
  let space: ConfSpace;
  if (spec.config.space === PORT_ENUM_SPACE) space = enumOf(spec.ports);
  else {
    try {
      space = registries.spaces.get(spec.config.space);
    } catch (e) {
      throw new ConfigError(`Cannot configure "${id}": ${(e as Error).message}`);
    }
  }
  return { node, spec, space };
}

/** Builds the context an expansion or incremental function receives. */
export function expansionContext(
  graph: Graph,
  id: NodeId,
  registries: ConfigRegistries,
): ExpansionContext {
  const { node, spec, space } = configNodeInfo(graph, id, registries);
  const inEdges: PortEdge[] = [];
  const outEdges: PortEdge[] = [];
  for (const e of graph.edges) {
    if (e.kind !== "port") continue;
    if (e.to === id) inEdges.push(e);
    if (e.from === id) outEdges.push(e);
  }
  const taken = new Set<string>(graph.nodes.map((n) => n.id));
  return {
    graph,
    node,
    spec,
    space,
    inEdges,
    outEdges,
    targets: (port) => outEdges.filter((e) => e.port === port).map((e) => e.to),
    fresh: (local) => {
      if (!NODE_ID_SEGMENT.test(local)) {
        throw new ConfigError(
          `Cannot make a node id under "${id}": "${local}" must use only letters, digits, "_" and "-"`,
        );
      }
      let candidate = `${id}.${local}`;
      for (let k = 2; taken.has(candidate); k++) candidate = `${id}.${local}-${k}`;
      taken.add(candidate);
      return candidate as NodeId;
    },
  };
}

/** Merges new specs into a graph's specs; a name may repeat only with identical content. */
export function mergeSpecs(
  graph: Graph,
  extra: Readonly<Record<SpecName, NodeSpec>> | undefined,
  who: string,
): Record<SpecName, NodeSpec> {
  const specs: Record<SpecName, NodeSpec> = { ...graph.specs };
  for (const [name, spec] of Object.entries(extra ?? {})) {
    const old = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (old !== undefined && JSON.stringify(old) !== JSON.stringify(spec)) {
      throw new ConfigError(
        `Cannot apply ${who}: it defines spec "${name}" differently from the graph's`,
      );
    }
    specs[name] = spec;
  }
  return specs;
}

/**
 * Replaces C-node `id` by an expansion: drops the C-node and every edge touching it, adds the
 * expansion's nodes, edges and specs.
 */
function replaceNode(graph: Graph, id: NodeId, expansion: Expansion): Graph {
  const who = `the expansion of C-node "${id}"`;
  const ids = new Set<string>(graph.nodes.map((n) => n.id));
  ids.delete(id);
  for (const n of expansion.nodes) {
    if (ids.has(n.id)) throw new ConfigError(`Cannot apply ${who}: node id "${n.id}" is taken`);
    ids.add(n.id);
  }
  for (const e of expansion.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) {
      const missing = ids.has(e.from) ? e.to : e.from;
      throw new ConfigError(
        `Cannot apply ${who}: edge ${e.from} -> ${e.to} names "${missing}", which is not in the graph`,
      );
    }
  }
  const edges: Edge[] = graph.edges.filter((e) => e.from !== id && e.to !== id);
  edges.push(...expansion.edges);
  return {
    ...graph,
    specs: mergeSpecs(graph, expansion.specs, who),
    nodes: [...graph.nodes.filter((n) => n.id !== id), ...expansion.nodes],
    edges,
  };
}

/**
 * Applies `config`: each configured C-node (in the graph's node order) has its value checked
 * against its space, then is replaced by what its expansion function (looked up by name)
 * returns. C-nodes without a value stay. Spawn edges touching a replaced C-node are dropped
 * (C-nodes never run). Returns a new graph; the input is not changed.
 *
 * @throws {ConfigError} naming the node when a key is not a C-node or appears twice, a value is
 * outside its space (with every issue), a function is not registered, or an expansion returns a
 * broken edge.
 */
export function applyConfig(
  graph: Graph,
  config: Configuration,
  registries: ConfigRegistries,
): Graph {
  const values = new Map<NodeId, ConfValue>();
  for (const [id, value] of config) {
    if (values.has(id)) {
      throw new ConfigError(`Cannot configure "${id}": the configuration gives it two values`);
    }
    configNodeInfo(graph, id, registries);
    values.set(id, value);
  }
  let g = graph;
  for (const cnode of configNodes(graph)) {
    if (!values.has(cnode.id)) continue;
    const ctx = expansionContext(g, cnode.id, registries);
    const value = values.get(cnode.id) as ConfValue;
    try {
      checkValue(ctx.space, value, `Configuration of C-node "${cnode.id}"`);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
    const name = ctx.spec.config?.expansion ?? "";
    let fn;
    try {
      fn = registries.expansions.get(name);
    } catch (e) {
      throw new ConfigError(`Cannot configure "${cnode.id}": ${(e as Error).message}`);
    }
    g = replaceNode(g, cnode.id, fn(ctx, value));
  }
  return g;
}

/**
 * The "empty" value of a space, used by finalisation: `[]` for a list that may be empty, `null`
 * for a wildcardable space; `undefined` when the space has none.
 */
export function emptyValue(space: ConfSpace): ConfValue | undefined {
  if (space.kind === "list" && space.min === 0) return [];
  if (space.kind === "maybe") return null;
  return undefined;
}

/**
 * Finalises a (partially or incrementally) configured graph by applying the empty configuration
 * to every remaining C-node (§3.2): a filter table becomes a straight edge to its default
 * target.
 *
 * @throws {ConfigError} listing the C-nodes whose space has no empty value (configure them first).
 */
export function finalizeConfig(graph: Graph, registries: ConfigRegistries): Graph {
  const config: [NodeId, ConfValue][] = [];
  const stuck: string[] = [];
  for (const n of configNodes(graph)) {
    const { space } = configNodeInfo(graph, n.id, registries);
    const v = emptyValue(space);
    if (v === undefined) stuck.push(`"${n.id}" (${showSpace(space)})`);
    else config.push([n.id, v]);
  }
  if (stuck.length > 0) {
    throw new ConfigError(
      `Cannot finalise graph "${graph.name}": C-nodes ${
        stuck.join(", ")
      } have no empty value, configure them first`,
    );
  }
  return applyConfig(graph, config, registries);
}
