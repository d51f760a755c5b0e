/**
 * What a C-node expansion function receives and returns, and the registries that hold spaces,
 * expansion functions and incremental functions by name (graph JSON stays pure data).
 *
 * Source: reference `dragonet-model.md` §3.1 (configuration function called with the graph, the
 * C-node, its labelled in- and out-edges and the value; fresh node ids from a monad) and §3.2.
 *
 * @module
 */
import { Registry } from "../registry.ts";
import type {
  Edge,
  Graph,
  GraphNode,
  NodeId,
  NodeSpec,
  PortEdge,
  PortName,
  SpecName,
} from "../types.ts";
import type { ConfSpace, ConfValue } from "./space.ts";

/** Space name meaning "the enum of the C-node's own port names" (a C-node without a type, §2.5). */
export const PORT_ENUM_SPACE = "ports";

/** Port of a C-node whose targets receive what no configured element claims (§3.1, §3.2). */
export const DEFAULT_PORT = "default";

/** What an expansion or incremental function sees of the C-node it replaces. */
export interface ExpansionContext {
  /** The graph as it is before this C-node is replaced. */
  readonly graph: Graph;
  /** The C-node. */
  readonly node: GraphNode;
  /** The C-node's spec. */
  readonly spec: NodeSpec;
  /** The configuration space the value was checked against. */
  readonly space: ConfSpace;
  /** Normal edges entering the C-node, in declaration order. */
  readonly inEdges: readonly PortEdge[];
  /** Normal edges leaving the C-node, in declaration order. */
  readonly outEdges: readonly PortEdge[];
  /** Targets of one of the C-node's ports, in declaration order (empty when none). */
  targets(port: PortName): NodeId[];
  /**
   * A node id not used in the graph nor handed out before: `<C-node id>.<local>`, with `-2`,
   * `-3`, ... appended when taken. `local` must be a valid id segment.
   */
  fresh(local: string): NodeId;
}

/** The nodes and edges that replace a C-node. */
export interface Expansion {
  /** New nodes (their ids from {@linkcode ExpansionContext.fresh}). */
  readonly nodes: readonly GraphNode[];
  /** New edges: from predecessors into new nodes, among new nodes, and to former targets. */
  readonly edges: readonly Edge[];
  /** Specs of the new nodes that the graph does not have yet. */
  readonly specs?: Readonly<Record<SpecName, NodeSpec>>;
}

/** A full expansion function: the C-node and its value to replacement nodes and edges (§3.1). */
export type ExpansionFn = (ctx: ExpansionContext, value: ConfValue) => Expansion;

/** The part inserted in front of a C-node by one incremental step (§3.2). */
export interface IncrementalStep extends Expansion {
  /** The new node that the C-node's in-edges now enter. */
  readonly head: NodeId;
  /** The `(node, port)` of packets the inserted element does not claim ("false" of a filter). */
  readonly miss: { readonly node: NodeId; readonly port: PortName };
}

/**
 * An incremental function: one list element to the part inserted in front of the C-node. The
 * caller wires the in-edges to `head` and `miss` to the C-node's copy (or its default targets).
 */
export type IncrementalFn = (ctx: ExpansionContext, element: ConfValue) => IncrementalStep;

/** The three registries configuration application looks names up in. */
export interface ConfigRegistries {
  /** Configuration spaces by name (`ConfigRef.space`). */
  readonly spaces: Registry<ConfSpace>;
  /** Expansion functions by name (`ConfigRef.expansion`). */
  readonly expansions: Registry<ExpansionFn>;
  /** Incremental functions by name (`ConfigRef.incremental`). */
  readonly incrementals: Registry<IncrementalFn>;
}

/** Makes empty registries; callers register spaces and functions (see `makeDefaultRegistries`). */
export function makeConfigRegistries(): ConfigRegistries {
  return {
    spaces: new Registry<ConfSpace>("configuration space"),
    expansions: new Registry<ExpansionFn>("expansion function"),
    incrementals: new Registry<IncrementalFn>("incremental configuration function"),
  };
}
