/**
 * The predicate-driven embedding of an LPG into a configured PRG (reference `dragonet-model.md`
 * §5.2, Dragonet `embeddingRxTx2` in `Embedding.hs`).
 *
 * One LPG copy per PRG queue n (ids `q<n>.<lpg id>`, tag `Q<n>`), joined at the PRG queue nodes:
 * the LPG RX queue node merges into `RxQueue<n>`, the LPG TX queue node into `TxQueue<n>`. While
 * copying, each LPG node's predicate is computed on the LPG with its RX queue node seeded by the
 * PRG predicate of `RxQueue<n>` (DNF builder, single-valued atoms, §4), and the node is:
 *
 * - **removed** when none of its inputs is active in this copy (an O-node also when neither
 *   output is possible);
 * - **redundant** when exactly one port is live and its predicate equals the node's (the NIC
 *   already decided): no copy, successors attach to the predecessor's point; when that port feeds
 *   an O-node a constant node `_True`/`_False` stands in (**const**, folded later, §5.3); an O-node
 *   whose only possible output equals one input's predicate collapses onto that input;
 * - **partial** when some ports are dead (only live ports get edges);
 * - **normal** otherwise. Entry nodes (no normal inputs) and spawn targets are always normal.
 *
 * Spawn edges are copied between copies of the same queue (§5.2 step 6).
 *
 * Speed: the LPG predicates are computed once, with the RX queue seeded by one opaque atom `o`
 * (key {@linkcode OPAQUE_BOUNDARY_KEY}). Each is a boolean function of `o` and LPG atoms, so the
 * reference's per-queue predicate is the same function with `o :=` the queue's boundary `B`.
 * Whether a port is live (`B`-substituted predicate satisfiable) and whether two predicates are
 * equivalent are decided per queue by a search over `B` kept as a tree (`PredSat`,
 * `_boundary_view.ts`), never by expanding `B ∧ X` into DNF: the default queue behind n
 * five-tuple filters has a boundary `¬F1 ∧ … ∧ ¬Fn` with up to 5^n DNF terms. Equivalence is
 * `dnfEquiv` of the seeded predicates or, failing that, the complete check (both differences
 * `x ∧ ¬y`, `y ∧ ¬x` dead under the boundary): it finds every equivalence the reference's
 * `dnfEquiv` of `B ∧ x` and `B ∧ y` finds and some more, so copies are dropped at least as often.
 * `exact: true` computes the reference's way instead (full boundary DNF per queue, `dnfEquiv`).
 *
 * Lab adaptations (documented, not in the reference):
 * - RX and TX copies of queue n are one copy (tag `Q<n>`): the lab LPG generates replies on the
 *   RX path, so RX-reachable TX nodes and TX-only nodes live in the same per-queue copy; a node
 *   reachable both from the RX queue and from another entry gets the OR of both predicates.
 * - The boundary is the PRG queue node itself. When it has no out-edges in the PRG (the lab PRGs'
 *   queue nodes are port-less rings), the merged node takes the LPG queue node's spec (so the
 *   executor can run it) and keeps the PRG node's id, label and attributes plus `software`; when it
 *   has out-edges (a NIC TX path), it keeps its PRG spec and LPG edges attach by port name
 *   (partial when only some ports are shared, an error when none is).
 * - A copy with a live port the LPG leaves unconnected (a drop port: `ipv6-unsupported`,
 *   `eth-truncated`, ...) gets the `sink` attribute, so cleanup (§5.6) keeps it and the path to
 *   it: a queue fed only frames the stack drops (an EtherType filter for IPv6) still counts
 *   them with their reason instead of losing them (the lab's rule; the reference's cleanup
 *   removed such chains).
 *
 * @module
 */
import { indexGraph } from "../../graph/graph_index.ts";
import { AtomTable } from "../../graph/predicate/atoms.ts";
import { type Dnf, DnfAlgebra, dnfEquiv } from "../../graph/predicate/dnf.ts";
import { foldAlgebra } from "../../graph/predicate/algebra.ts";
import { GraphPredicates } from "../../graph/predicate/node_predicates.ts";
import { PredSat } from "../../graph/predicate/sat.ts";
import { topologicalOrder } from "../../graph/topological_order.ts";
import {
  type Edge,
  type Graph,
  type GraphNode,
  isOperatorKind,
  type NodeId,
  type NodeSpec,
  type PortName,
} from "../../graph/types.ts";
import {
  collapsibleUnlessEffects,
  constFalseSpec,
  constTrueSpec,
  copyId,
  LPG_RX_QUEUE,
  LPG_TX_QUEUE,
  type PrgQueue,
  prgQueues,
} from "./conventions.ts";
import { type BoundaryView, boundaryView } from "./_boundary_view.ts";

/** What became of one LPG node in one queue's copy. */
export type Outcome = "queue" | "normal" | "partial" | "redundant" | "const" | "removed";

/** The outcome of every LPG node in one queue's copy. */
export interface QueueOutcome {
  /** The PRG queue. */
  readonly queue: PrgQueue;
  /** Outcome per LPG node id. */
  readonly outcomes: ReadonlyMap<NodeId, Outcome>;
  /** Live ports of the LPG nodes that were copied (normal, partial, queue). */
  readonly livePorts: ReadonlyMap<NodeId, readonly PortName[]>;
}

/** Options of {@linkcode embedGraphs}. */
export interface EmbedOptions {
  /** Id of the LPG's RX queue node (default `rx.queue`). */
  readonly lpgRxQueue?: NodeId;
  /** Id of the LPG's TX queue node (default `tx.queue`). */
  readonly lpgTxQueue?: NodeId;
  /** Atom table shared with the caller (default: a fresh one). */
  readonly table?: AtomTable;
  /** Most DNF terms a predicate may hold (default of the DNF builder). */
  readonly maxDnfTerms?: number;
  /**
   * Seed every queue's LPG predicates with its full boundary predicate in DNF, as the reference
   * does (default false: one opaque seed, decided per queue by search; see the module doc).
   */
  readonly exact?: boolean;
  /** Most search steps of one liveness or equivalence decision (default of `PredSat`). */
  readonly maxSatSteps?: number;
  /**
   * Whether an LPG node may be made redundant (no copy) or replaced by a constant; default: every
   * node, as in the reference, except those whose attributes name effects later nodes read
   * (`values.effects`, {@linkcode collapsibleUnlessEffects}: the L3 classifier sets the L3
   * offset); those are only pruned to their live ports.
   */
  readonly collapsible?: (node: GraphNode) => boolean;
}

/** Key of the opaque atom that stands for a boundary independent of the LPG. */
export const OPAQUE_BOUNDARY_KEY = "embed.boundary";

/** The embedded graph and what happened to each LPG node per queue. */
export interface Embedding {
  /** PRG plus the per-queue LPG copies (before TX offload, constant folding and cleanup). */
  readonly graph: Graph;
  /** One entry per PRG queue, in queue order. */
  readonly queues: readonly QueueOutcome[];
  /** Ids of the merged queue nodes (PRG ids), RX and TX. */
  readonly queueNodes: ReadonlySet<NodeId>;
}

/** A point a successor attaches to: a node's output port, or `null` when the port is dead. */
type Point = { readonly node: NodeId; readonly port: PortName } | null;

/** Thrown when the embedding cannot be built; the message names the node and the rule. */
export class EmbedError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = "EmbedError";
  }
}

function specOf(graph: Graph, node: GraphNode, what: string): NodeSpec {
  const spec = Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
  if (spec === undefined) {
    throw new EmbedError(`Cannot embed: ${what} node "${node.id}" has unknown spec "${node.spec}"`);
  }
  return spec;
}

/** Merges spec tables; a name may repeat only with identical content. */
export function mergeSpecTables(
  ...tables: Readonly<Record<string, NodeSpec>>[]
): Record<string, NodeSpec> {
  const out: Record<string, NodeSpec> = {};
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      const old = out[name];
      if (old !== undefined && old !== spec && JSON.stringify(old) !== JSON.stringify(spec)) {
        throw new EmbedError(
          `Cannot embed: spec "${name}" is defined differently in the PRG and the LPG; spec names must be unique`,
        );
      }
      out[name] = spec;
    }
  }
  return out;
}

/** Checks the LPG's queue nodes and that it has no unconfigured C-node. */
function checkLpg(lpg: Graph, rxQ: NodeId, txQ: NodeId): void {
  const ids = new Set(lpg.nodes.map((n) => n.id));
  for (const [id, what] of [[rxQ, "RX"], [txQ, "TX"]] as const) {
    if (!ids.has(id)) {
      throw new EmbedError(
        `Cannot embed LPG "${lpg.name}": it has no ${what} queue node "${id}"; the LPG must have exactly one RX and one TX queue node`,
      );
    }
  }
  for (const node of lpg.nodes) {
    if (specOf(lpg, node, "LPG").kind === "config") {
      throw new EmbedError(
        `Cannot embed LPG "${lpg.name}": C-node "${node.id}" is not configured; configure the LPG first`,
      );
    }
  }
}

/**
 * Embeds `lpg` into the configured `prg` by Algorithm B (see the module doc).
 *
 * @throws {EmbedError} when the LPG lacks a queue node or has an unconfigured C-node, a spec name
 * clashes, a copy id is taken by a PRG node, or a PRG queue with out-edges shares no port with
 * the LPG queue node; {@linkcode Error} from {@linkcode prgQueues} when the PRG queues do not
 * pair up; `GraphCycleError` when the LPG's normal edges form a cycle.
 */
export function embedGraphs(prg: Graph, lpg: Graph, options: EmbedOptions = {}): Embedding {
  const rxQ = options.lpgRxQueue ?? LPG_RX_QUEUE;
  const txQ = options.lpgTxQueue ?? LPG_TX_QUEUE;
  checkLpg(lpg, rxQ, txQ);
  const queues = prgQueues(prg);
  const table = options.table ?? new AtomTable();
  const dnf = new DnfAlgebra(
    table,
    options.maxDnfTerms === undefined ? {} : { maxTerms: options.maxDnfTerms },
  );
  const prgPreds = new GraphPredicates(prg, table, dnf);
  const lpgIndex = indexGraph(lpg);
  const order = topologicalOrder(lpgIndex);
  const prgIndex = indexGraph(prg);
  const prgIds = new Set(prg.nodes.map((n) => n.id));
  const key = (id: NodeId, port: PortName) => `${id}\u0000${port}`;
  // LPG ports without a normal out-edge: a frame leaving there ends (drop ports).
  const connected = new Set(
    lpg.edges.flatMap((e) => (e.kind === "port" ? [key(e.from, e.port)] : [])),
  );
  const terminal = new Set<string>();
  for (const node of lpg.nodes) {
    const spec = specOf(lpg, node, "LPG");
    if (isOperatorKind(spec.kind)) continue;
    for (const p of spec.ports) if (!connected.has(key(node.id, p))) terminal.add(key(node.id, p));
  }

  const nodes: GraphNode[] = [];
  const edges: Edge[] = [...prg.edges];
  const merged = new Map<NodeId, GraphNode>();
  const queueNodes = new Set<NodeId>();
  const reports: QueueOutcome[] = [];

  /** Merges an LPG queue node into a PRG queue node; returns the merged node's live ports. */
  const mergeQueue = (prgId: NodeId, lpgNode: GraphNode, tag: string): PortName[] => {
    const n = prgIndex.numberOf.get(prgId) as number;
    const prgNode = prgIndex.nodes[n] as GraphNode;
    const lpgSpec = specOf(lpg, lpgNode, "LPG");
    const used = (prgIndex.out[n] ?? []).length > 0;
    queueNodes.add(prgId);
    if (!used) {
      merged.set(prgId, {
        ...prgNode,
        spec: lpgSpec.name,
        tag,
        attributes: { ...prgNode.attributes, software: true },
      });
      return [...lpgSpec.ports];
    }
    const prgSpec = specOf(prg, prgNode, "PRG");
    merged.set(prgId, { ...prgNode, tag });
    const common = lpgSpec.ports.filter((p) => prgSpec.ports.includes(p));
    if (common.length === 0) {
      const lpgOut = lpg.edges.some((e) => e.kind === "port" && e.from === lpgNode.id);
      if (lpgOut) {
        throw new EmbedError(
          `Cannot merge LPG queue "${lpgNode.id}" (ports ${
            lpgSpec.ports.join(", ")
          }) into PRG queue "${prgId}" (ports ${prgSpec.ports.join(", ")}): they share no port`,
        );
      }
    }
    return common;
  };

  const collapsible = options.collapsible ?? collapsibleUnlessEffects(lpg);
  const opaqueAtom = table.atom(OPAQUE_BOUNDARY_KEY, "sat");
  const opaque = dnf.atom(opaqueAtom);
  const sat = new PredSat(
    table,
    options.maxSatSteps === undefined ? {} : {
      maxSteps: options.maxSatSteps,
    },
  );
  const prgTrees = new GraphPredicates(prg, table, foldAlgebra(table));
  const shared = options.exact === true ? undefined : new GraphPredicates(lpg, table, dnf, {
    seed: (node) => (node.id === rxQ ? opaque : undefined),
  });
  for (const q of queues) {
    let preds: GraphPredicates<Dnf>;
    let view: BoundaryView;
    if (shared === undefined) {
      const boundary: Dnf = prgPreds.nodePred(q.rx);
      preds = new GraphPredicates(lpg, table, dnf, {
        seed: (node) => (node.id === rxQ ? boundary : undefined),
      });
      view = {
        live: (d) => !dnf.isFalse(d),
        equiv: dnfEquiv,
        covers: (reach, node) => dnfEquiv(reach, node),
      };
    } else {
      preds = shared;
      view = boundaryView(sat, opaqueAtom, prgTrees.nodePred(q.rx));
    }
    const point = new Map<string, Point>();
    const pointOf = (id: NodeId, port: PortName): Point => point.get(key(id, port)) ?? null;
    const outcomes = new Map<NodeId, Outcome>();
    const livePorts = new Map<NodeId, PortName[]>();
    const copyOf = new Map<NodeId, NodeId>();

    const emitCopy = (node: GraphNode, live: readonly PortName[]): NodeId => {
      const id = copyId(q.index, node.id);
      if (prgIds.has(id)) {
        throw new EmbedError(
          `Cannot copy LPG node "${node.id}" for queue ${q.index}: id "${id}" is taken by a PRG node`,
        );
      }
      // A live port the LPG leaves unconnected ends the frame there (a counted drop): the copy
      // is a sink, so cleanup keeps it and the path to it (the lab's rule: never lost uncounted).
      const ends = live.some((p) => terminal.has(key(node.id, p)));
      nodes.push({
        ...node,
        id,
        label: node.label ?? node.id,
        tag: q.tag,
        origin: "LPG",
        ...(ends ? { attributes: { ...node.attributes, sink: true } } : {}),
      });
      copyOf.set(node.id, id);
      for (const p of live) point.set(key(node.id, p), { node: id, port: p });
      livePorts.set(node.id, [...live]);
      return id;
    };

    for (const lpgId of order) {
      const n = lpgIndex.numberOf.get(lpgId) as number;
      const node = lpgIndex.nodes[n] as GraphNode;
      const spec = lpgIndex.specs[n] as NodeSpec;
      const ins = lpgIndex.in[n] ?? [];
      const spawnIns = lpgIndex.spawnIn[n] ?? [];
      const liveIns = ins.filter((e) => pointOf(e.edge.from, e.port) !== null);
      const attach = (to: NodeId) => {
        for (const e of liveIns) {
          const p = pointOf(e.edge.from, e.port) as { node: NodeId; port: PortName };
          edges.push({ kind: "port", from: p.node, port: p.port, to });
        }
      };

      if (lpgId === rxQ || lpgId === txQ) {
        const prgId = lpgId === rxQ ? q.rx : q.tx;
        const mapped = mergeQueue(prgId, node, q.tag);
        // A queue the NIC sends nothing to (boundary predicate false) has no live port.
        const live = mapped.filter((p) => view.live(preds.portReach(lpgId, p)));
        copyOf.set(lpgId, prgId);
        for (const p of live) point.set(key(lpgId, p), { node: prgId, port: p });
        livePorts.set(lpgId, live);
        outcomes.set(lpgId, "queue");
        attach(prgId);
        continue;
      }
      if (ins.length > 0 && liveIns.length === 0 && spawnIns.length === 0) {
        outcomes.set(lpgId, "removed");
        continue;
      }
      if (isOperatorKind(spec.kind)) {
        const t = preds.portReach(lpgId, "true");
        const f = preds.portReach(lpgId, "false");
        const tLive = view.live(t);
        const fLive = view.live(f);
        if (!tLive && !fLive) {
          outcomes.set(lpgId, "removed");
          continue;
        }
        if (!fLive) {
          const same = collapsible(node)
            ? liveIns.find((e) => view.equiv(t, preds.portReach(e.edge.from, e.port)))
            : undefined;
          if (same !== undefined) {
            point.set(key(lpgId, "true"), pointOf(same.edge.from, same.port));
            outcomes.set(lpgId, "redundant");
            continue;
          }
          attach(emitCopy(node, ["true"]));
          outcomes.set(lpgId, "partial");
          continue;
        }
        if (!tLive) {
          attach(emitCopy(node, ["false"]));
          outcomes.set(lpgId, "partial");
          continue;
        }
        attach(emitCopy(node, ["true", "false"]));
        outcomes.set(lpgId, "normal");
        continue;
      }
      const ports = preds.ports(lpgId);
      if (ins.length === 0 || spawnIns.length > 0) {
        attach(emitCopy(node, ports));
        outcomes.set(lpgId, "normal");
        continue;
      }
      const nodePred = preds.nodePred(lpgId);
      const live = ports.filter((p) => view.live(preds.portReach(lpgId, p)));
      const only = live[0];
      if (
        live.length === 1 && only !== undefined && liveIns.length === 1 && collapsible(node) &&
        view.covers(preds.portReach(lpgId, only), nodePred, preds.portPred(lpgId, only))
      ) {
        const input = liveIns[0] as (typeof liveIns)[number];
        const from = pointOf(input.edge.from, input.port) as { node: NodeId; port: PortName };
        const feedsOperator = (lpgIndex.out[n] ?? []).some((e) =>
          e.port === only && isOperatorKind(lpgIndex.specs[e.to]?.kind ?? "fnode")
        );
        if (feedsOperator && (only === "true" || only === "false")) {
          const cid = copyId(q.index, node.id);
          const cspec = only === "true" ? constTrueSpec : constFalseSpec;
          nodes.push({
            id: cid,
            spec: cspec.name,
            label: only === "true" ? "_True" : "_False",
            tag: q.tag,
            origin: "LPG",
          });
          edges.push({ kind: "port", from: from.node, port: from.port, to: cid });
          point.set(key(lpgId, only), { node: cid, port: only });
          outcomes.set(lpgId, "const");
          continue;
        }
        point.set(key(lpgId, only), from);
        outcomes.set(lpgId, "redundant");
        continue;
      }
      attach(emitCopy(node, live));
      outcomes.set(lpgId, live.length < ports.length ? "partial" : "normal");
    }

    for (const e of lpg.edges) {
      if (e.kind !== "spawn") continue;
      const from = copyOf.get(e.from);
      const to = copyOf.get(e.to);
      if (from !== undefined && to !== undefined) edges.push({ ...e, from, to });
    }
    reports.push({ queue: q, outcomes, livePorts });
  }

  const specs = mergeSpecTables(prg.specs, lpg.specs, {
    [constTrueSpec.name]: constTrueSpec,
    [constFalseSpec.name]: constFalseSpec,
  });
  const allNodes = prg.nodes.map((n) => merged.get(n.id) ?? n).concat(nodes);
  return {
    graph: {
      schemaVersion: prg.schemaVersion,
      name: `${prg.name}+${lpg.name}`,
      specs,
      nodes: allNodes,
      edges,
    },
    queues: reports,
    queueNodes,
  };
}
