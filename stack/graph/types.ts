/**
 * Core data types of the dataflow graph model shared by PRGs (NIC graphs) and LPGs (protocol
 * graphs).
 *
 * A graph is plain serialisable data: node specs (what a unit *is*), node instances (an id, a
 * spec name, a queue tag, an origin) and edges (normal edges from a named port, spawn edges).
 * Behaviour is never stored here: work functions attach by spec name and C-node expansion
 * functions by expansion name, both through registries (see `registry.ts`).
 *
 * Source for every kind, port rule and attribute: `/work/shared/reference/dragonet-model.md` §2
 * (Dragonet `ProtocolGraph.hs`, `Unicorn/Parser.hs`).
 *
 * @module
 */

declare const nodeIdBrand: unique symbol;

/**
 * A fully qualified dotted node id such as `rx.l3.ipv4.valid-checksum`.
 *
 * Branded so that a plain string cannot be used where a checked id is expected; make one with
 * {@linkcode nodeId} (checks the syntax) or from the builder.
 */
export type NodeId = string & { readonly [nodeIdBrand]: true };

/** Pattern of one segment of a {@linkcode NodeId}: letters, digits, `_` and `-`. */
export const NODE_ID_SEGMENT: RegExp = /^[A-Za-z0-9_-]+$/;

/**
 * Returns the reason a string is not a valid {@linkcode NodeId}, or `undefined` when it is.
 *
 * A valid id is one or more non-empty dot-separated segments, each made of letters, digits, `_`
 * and `-`.
 */
export function nodeIdProblem(text: string): string | undefined {
  if (text.length === 0) return "node id must not be empty";
  const segments = text.split(".");
  for (const segment of segments) {
    if (!NODE_ID_SEGMENT.test(segment)) {
      return `node id "${text}" has segment "${segment}": segments must be non-empty and use only letters, digits, "_" and "-"`;
    }
  }
  return undefined;
}

/**
 * Checks the syntax of a dotted node id and brands it.
 *
 * @throws {TypeError} when the text is not a valid id (see {@linkcode nodeIdProblem}).
 * @example
 * ```ts
 * import { nodeId } from "./types.ts";
 * const id = nodeId("rx.l3.ipv4.valid-checksum");
 * ```
 */
export function nodeId(text: string): NodeId {
  const problem = nodeIdProblem(text);
  if (problem !== undefined) throw new TypeError(`Cannot make node id: ${problem}`);
  return text as NodeId;
}

/** Joins a cluster prefix and a local name into a qualified id (`rx.l3` + `ipv4` = `rx.l3.ipv4`). */
export function qualify(prefix: readonly string[], local: string): NodeId {
  return nodeId([...prefix, local].join("."));
}

/** Every node kind: an F-node, the four O-node operators, and the C-node. */
export const NODE_KINDS = ["fnode", "and", "or", "nand", "nor", "config"] as const;

/**
 * Kind of a node (reference §2.1).
 *
 * - `fnode`: a function node; when executed it activates exactly one of its named ports.
 * - `and` | `or` | `nand` | `nor`: O-nodes (logical operators) with exactly the ports `true` and
 *   `false`; every input must come from a `true`/`false` port of its source (§2.2).
 * - `config`: a C-node, a placeholder for a programmable element, never executed; replaced by
 *   concrete nodes when a configuration is applied (§3).
 */
export type NodeKind = (typeof NODE_KINDS)[number];

/** The four O-node operator kinds. */
export const OPERATOR_KINDS = ["and", "or", "nand", "nor"] as const;

/** Kind of an O-node (logical operator). */
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

/** Returns whether a node kind is an O-node operator. */
export function isOperatorKind(kind: NodeKind): kind is OperatorKind {
  return kind === "and" || kind === "or" || kind === "nand" || kind === "nor";
}

/** Returns whether a string names a node kind. */
export function isNodeKind(text: string): text is NodeKind {
  return (NODE_KINDS as readonly string[]).includes(text);
}

/** Name of an output port (`true`, `false`, `queues`, `default`, `ipv4`, ...). */
export type PortName = string;

/** The `true` port of boolean F-nodes and O-nodes. */
export const TRUE_PORT = "true";
/** The `false` port of boolean F-nodes and O-nodes. */
export const FALSE_PORT = "false";
/** The ports every O-node has, in this order. */
export const BOOLEAN_PORTS: readonly ["true", "false"] = [TRUE_PORT, FALSE_PORT];

/**
 * Classifies a port name as an O-node input: `true` or `false`, or `undefined` for any other
 * name, which validation rejects (the original counted any other name as true, quirk Q9 in
 * reference §13; it also accepted names merely *ending* in true/false, §2.2, which the lab does
 * not).
 */
export function booleanPortValue(port: PortName): boolean | undefined {
  if (port === TRUE_PORT) return true;
  if (port === FALSE_PORT) return false;
  return undefined;
}

/** Where a node comes from: the NIC's physical resource graph or the logical protocol graph. */
export type Origin = "PRG" | "LPG";

/**
 * A path-predicate expression as plain data (reference §4, Unicorn predicate syntax
 * `true | false | pred(KEY,VALUE) | and(...) | or(...) | not(...)`).
 *
 * The predicate engine (`stack/graph/predicate/`) interns atoms and computes with its own
 * representation; this form is only what specs and spawn edges store.
 */
export type PredicateExpr =
  | { readonly op: "const"; readonly value: boolean }
  | { readonly op: "atom"; readonly key: string; readonly value: string }
  | { readonly op: "and"; readonly args: readonly PredicateExpr[] }
  | { readonly op: "or"; readonly args: readonly PredicateExpr[] }
  | { readonly op: "not"; readonly arg: PredicateExpr };

/**
 * A named counter of a node with a one-line description (STYLE.md 7).
 *
 * `drop: true` marks a drop reason: a packet counted here is discarded.
 */
export interface CounterSpec {
  /** Counter name, unique within its spec (`bad-checksum`, `hits`). */
  readonly name: string;
  /** One line saying what the counter counts. */
  readonly description: string;
  /** Whether the counter is a drop reason. */
  readonly drop?: boolean;
}

/**
 * Attributes of a node (reference §2.4). Flags are typed; key=value attributes of the original
 * (`tosocket=3`, `appid=1`, `pipeline=...`) go in `values`.
 */
export interface NodeAttributes {
  /** A legitimate entry point: cleanup keeps it without inputs. */
  readonly source?: boolean;
  /** A legitimate exit point: cleanup keeps it without outputs. */
  readonly sink?: boolean;
  /** A PRG node run by the host CPU (queue polling, descriptor status); absent means hardware. */
  readonly software?: boolean;
  /** Spawned once when its pipeline starts. */
  readonly init?: boolean;
  /** Not useful work (idle/yield accounting). */
  readonly unproductive?: boolean;
  /** Not replicated per queue on the output side (ARP nodes, `noreplicateout`). */
  readonly noReplicateOut?: boolean;
  /** Not replicated per queue on either side (`noreplicateininout`). */
  readonly noReplicateInInOut?: boolean;
  /** A Balance node choosing between the sockets of one endpoint (`loadbalance`). */
  readonly loadBalance?: boolean;
  /** Key=value attributes, values as text. */
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * What a C-node refers to; names only, looked up in registries so the JSON stays pure data
 * (reference §3.1).
 */
export interface ConfigRef {
  /** Name of the configuration space (type of the value) in the configuration-space registry. */
  readonly space: string;
  /**
   * Name of the expansion function in the expansion registry. C-nodes that use the default
   * switch expansion name it explicitly ({@linkcode DEFAULT_EXPANSION}).
   */
  readonly expansion: string;
  /** Name of the incremental configuration function, when the C-node supports one (§3.2). */
  readonly incremental?: string;
  /** Initial number of free slots for incremental configuration (table capacity). */
  readonly capacity?: number;
}

/** Expansion name of the default C-node function: the value names one of the C-node's ports. */
export const DEFAULT_EXPANSION = "default";

/** Name of a node spec; work functions attach to specs by this name. */
export type SpecName = string;

/**
 * What a unit *is*: static data describing one kind of node (STYLE.md 2). Specs are read by
 * validation, DOT export and docs without running anything.
 *
 * Define specs as `as const` object literals with {@linkcode defineSpec} so port names stay
 * literal types.
 */
export interface NodeSpec<P extends PortName = PortName> {
  /** Unique spec name; the implementation registry is keyed by it (`rx.l3.ipv4.valid-checksum`). */
  readonly name: SpecName;
  /** Node kind. */
  readonly kind: NodeKind;
  /** Output ports in order. O-nodes have exactly `true`, `false`. */
  readonly ports: readonly P[];
  /** Attributes shared by every node of this spec. */
  readonly attributes?: NodeAttributes;
  /**
   * Explicit port predicates (reference §4.2): when a port has one, it replaces the default
   * `(node, port)` atom.
   */
  readonly predicates?: Readonly<Partial<Record<P, PredicateExpr>>>;
  /** Counters with descriptions; drop reasons are marked. */
  readonly counters?: readonly CounterSpec[];
  /** C-node configuration references; required for kind `config`, absent otherwise. */
  readonly config?: ConfigRef;
  /** One-line description of what the node does. */
  readonly doc?: string;
}

/**
 * Checks a spec literal at compile time and keeps its literal port names.
 *
 * @example
 * ```ts
 * import { defineSpec } from "./types.ts";
 * export const spec = defineSpec({
 *   name: "rx.l3.ipv4.valid-checksum",
 *   kind: "fnode",
 *   ports: ["true", "false"],
 *   counters: [{ name: "bad-checksum", description: "IPv4 header checksum mismatch", drop: true }],
 * } as const);
 * ```
 */
export function defineSpec<const P extends PortName>(spec: NodeSpec<P>): NodeSpec<P> {
  return spec;
}

/**
 * One node of a graph: an instance of a spec.
 *
 * Per-node fields refine the spec for this instance (a filter node's own port predicates, a
 * socket node's `tosocket` attribute, the free slots left in an incrementally configured C-node).
 */
export interface GraphNode {
  /** Qualified dotted id, unique in the graph. */
  readonly id: NodeId;
  /** Name of the spec in the graph's `specs`. */
  readonly spec: SpecName;
  /** Human label (the original's node label, e.g. `5T(UDP,*,*,*,8)`); defaults to the id. */
  readonly label?: string;
  /** Queue tag of per-queue copies (`Q3`); absent in a plain LPG or PRG. */
  readonly tag?: string;
  /** Whether the node comes from the PRG or the LPG. */
  readonly origin: Origin;
  /** Attributes added to (and overriding) the spec's attributes for this node. */
  readonly attributes?: NodeAttributes;
  /** Port predicates overriding the spec's for this node. */
  readonly predicates?: Readonly<Record<PortName, PredicateExpr>>;
  /** Free slots left for incremental configuration of this C-node (§3.2). */
  readonly slotsLeft?: number;
}

/** A normal edge: when `from` activates `port`, `to` runs next (reference §2.3). */
export interface PortEdge {
  /** Discriminator. */
  readonly kind: "port";
  /** Source node. */
  readonly from: NodeId;
  /** Output port of the source node. */
  readonly port: PortName;
  /** Target node. */
  readonly to: NodeId;
}

/**
 * A spawn edge: `from` may asynchronously start a new execution at `to` (re-poll a queue, start
 * a TX, restart parked packets). Most algorithms ignore spawn edges (reference §2.3).
 */
export interface SpawnEdge {
  /** Discriminator. */
  readonly kind: "spawn";
  /** Source node. */
  readonly from: NodeId;
  /** Spawn identifier, unique per source node (`poll`, `restart`). */
  readonly spawn: string;
  /** Target node. */
  readonly to: NodeId;
  /** Predicate of the packets started this way; absent means the placeholder atom (§4.2). */
  readonly predicate?: PredicateExpr;
}

/** Any edge. */
export type Edge = PortEdge | SpawnEdge;

/** Version of the JSON form of {@linkcode Graph}. */
export const GRAPH_SCHEMA_VERSION = 1;

/**
 * A graph as plain serialisable data.
 *
 * Nodes are a list, not an object keyed by id, so that a duplicate id stays visible to
 * `validateGraph()` instead of being silently dropped by `JSON.parse`; `indexGraph()` gives
 * nodes by id and edges by (node, port).
 */
export interface Graph {
  /** Version of this data form ({@linkcode GRAPH_SCHEMA_VERSION}). */
  readonly schemaVersion: typeof GRAPH_SCHEMA_VERSION;
  /** Graph name (`e10k-prg`, `lpg`). */
  readonly name: string;
  /** Specs by name; every node's `spec` must be a key here. */
  readonly specs: Readonly<Record<SpecName, NodeSpec>>;
  /** Nodes in declaration order. */
  readonly nodes: readonly GraphNode[];
  /** Edges in declaration order. */
  readonly edges: readonly Edge[];
}
