/**
 * Queue-count expansion: the `RxQueues` and `TxQueues` C-nodes (reference `dragonet-model.md`
 * §3.1 "Queue-count expansion", Dragonet `configRxQueues` / `configTxQueues` in
 * `Graphs/E10k.hs`), used by the minimal and offload PRGs (§7) and embedding test E1 (§14).
 *
 * RX, value n: creates `RxQueue0..n-1` (tag `Q<i>`) with an OR node `RxQ<i>Valid` in front of
 * each; edges that entered the C-node from a port whose name starts with `default` go only to
 * `RxQ0Valid`, every other incoming edge goes to every `RxQ<i>Valid`.
 *
 * TX, value n: creates `TxQueue0..n-1` (tag `Q<i>`, sources); each queue's `out` port reaches
 * every target of the C-node's `out` port (the NIC's TX path).
 *
 * O-node inputs must come from `true`/`false` ports in the lab (quirk Q9 fixed, §13), so an
 * in-edge from any other port (E1's `Foo.queues`, `Foo.default`) enters through a pass-through
 * F-node `<C-node>.in-<port>` whose one port is `true`, as the PRG's default-queue node does.
 *
 * Deviation from the original: the original duplicated the subgraph after an RX queue C-node per
 * queue (suffix `__RxQ<i>`); here the LPG attaches at the queue nodes during embedding, so an RX
 * queue C-node must have no out-edges and the expansion refuses one that has.
 *
 * @module
 */
import { defineSpec, type Edge, type GraphNode, type NodeSpec } from "../types.ts";
import type { ConfigRegistries, Expansion, ExpansionContext } from "./expansion.ts";
import { intRange, type IntSpace } from "./space.ts";

/** Expansion and space name of the RX queue-count C-node (`RxQueues`). */
export const RX_QUEUES_EXPANSION = "queues.rx";
/** Expansion and space name of the TX queue-count C-node (`TxQueues`). */
export const TX_QUEUES_EXPANSION = "queues.tx";

/**
 * Default largest queue count: 128 RX / 128 TX queues of the 82599 (`nic-models.md` §2,
 * source: ixgbe `IXGBE_82599_MAX_RX_QUEUES`). A parameter of {@linkcode queueCountSpace}.
 */
export const DEFAULT_MAX_QUEUES = 128;

/** The space of a queue count: integers `1..max` (default {@linkcode DEFAULT_MAX_QUEUES}). */
export function queueCountSpace(max: number = DEFAULT_MAX_QUEUES): IntSpace {
  return intRange(1, max);
}

/** Spec of the RX queue-count C-node; its ports say where its in-edges may come from. */
export const rxQueuesSpec: NodeSpec<"queues" | "default"> = defineSpec(
  {
    name: "queues.rx.c",
    kind: "config",
    ports: ["queues", "default"],
    config: { space: RX_QUEUES_EXPANSION, expansion: RX_QUEUES_EXPANSION },
    doc: "RxQueues C-node: the value is the number of RX queues",
  } as const,
);

/** Spec of the TX queue-count C-node; port `out` leads to the NIC's TX path (may be unused). */
export const txQueuesSpec: NodeSpec<"out"> = defineSpec(
  {
    name: "queues.tx.c",
    kind: "config",
    ports: ["out"],
    config: { space: TX_QUEUES_EXPANSION, expansion: TX_QUEUES_EXPANSION },
    doc: "TxQueues C-node: the value is the number of TX queues",
  } as const,
);

/** The OR node `RxQ<i>Valid` in front of RX queue i. */
export const rxQueueValidSpec: NodeSpec<"true" | "false"> = defineSpec(
  {
    name: "queues.rx.valid",
    kind: "or",
    ports: ["true", "false"],
    doc: "A frame reaches this RX queue from any stage",
  } as const,
);

/** Pass-through in front of the `RxQ<i>Valid` OR nodes for an in-edge from a non-boolean port. */
export const rxQueuesInSpec: NodeSpec<"true"> = defineSpec(
  {
    name: "queues.rx.in",
    kind: "fnode",
    ports: ["true"],
    doc: "Passes frames from a non-boolean port on to the queue OR nodes",
  } as const,
);

/** An RX queue: the descriptor ring the host polls (software; the LPG attaches here). */
export const rxQueueSpec: NodeSpec<never> = defineSpec(
  {
    name: "queues.rx.queue",
    kind: "fnode",
    ports: [],
    attributes: { software: true, sink: true, init: true, unproductive: true },
    counters: [{ name: "packets", description: "Frames delivered to this queue" }],
    doc: "RX descriptor ring polled by the host",
  } as const,
);

/** A TX queue: the descriptor ring the host fills; `out` leads to the NIC's TX path. */
export const txQueueSpec: NodeSpec<"out"> = defineSpec(
  {
    name: "queues.tx.queue",
    kind: "fnode",
    ports: ["out"],
    attributes: { software: true, source: true, sink: true },
    counters: [{ name: "packets", description: "Frames taken from this queue" }],
    doc: "TX descriptor ring filled by the host",
  } as const,
);

function count(ctx: ExpansionContext, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot expand C-node "${ctx.node.id}": the queue count must be an integer >= 1, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

function tagged(ctx: ExpansionContext, local: string, spec: NodeSpec, label: string, q: number) {
  const node: GraphNode = {
    id: ctx.fresh(local),
    spec: spec.name,
    label,
    tag: `Q${q}`,
    origin: ctx.node.origin,
  };
  return node;
}

/**
 * Expands an `RxQueues` C-node with value n (see the module doc).
 *
 * @throws {RangeError} when n is not an integer >= 1, or the C-node has out-edges.
 */
export function expandRxQueues(ctx: ExpansionContext, value: unknown): Expansion {
  const n = count(ctx, value);
  if (ctx.outEdges.length > 0) {
    throw new RangeError(
      `Cannot expand RX queue C-node "${ctx.node.id}": it has ${ctx.outEdges.length} out-edge(s), ` +
        `allowed are none (the LPG attaches at the queue nodes)`,
    );
  }
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [];
  const valids: GraphNode[] = [];
  for (let q = 0; q < n; q++) {
    const valid = tagged(ctx, `q${q}-valid`, rxQueueValidSpec, `RxQ${q}Valid`, q);
    const queue = tagged(ctx, `q${q}`, rxQueueSpec, `RxQueue${q}`, q);
    nodes.push(valid, queue);
    valids.push(valid);
    edges.push({ kind: "port", from: valid.id, port: "true", to: queue.id });
  }
  const specs: Record<string, NodeSpec> = {
    [rxQueueValidSpec.name]: rxQueueValidSpec,
    [rxQueueSpec.name]: rxQueueSpec,
  };
  const passes = new Map<string, GraphNode>();
  for (const e of ctx.inEdges) {
    const targets = e.port.startsWith("default") ? valids.slice(0, 1) : valids;
    let from = { node: e.from, port: e.port };
    if (e.port !== "true" && e.port !== "false") {
      let pass = passes.get(e.port);
      if (pass === undefined) {
        const safe = e.port.replace(/[^A-Za-z0-9_-]/g, "_");
        pass = {
          id: ctx.fresh(`in-${safe}`),
          spec: rxQueuesInSpec.name,
          label: `${ctx.node.label ?? ctx.node.id}.${e.port}`,
          origin: ctx.node.origin,
        };
        passes.set(e.port, pass);
        nodes.push(pass);
        specs[rxQueuesInSpec.name] = rxQueuesInSpec;
        for (const v of targets) {
          edges.push({ kind: "port", from: pass.id, port: "true", to: v.id });
        }
      }
      edges.push({ kind: "port", from: e.from, port: e.port, to: pass.id });
      from = { node: pass.id, port: "" };
    }
    if (from.port === "") continue;
    for (const v of targets) edges.push({ kind: "port", from: e.from, port: e.port, to: v.id });
  }
  return { nodes, edges, specs };
}

/**
 * Expands a `TxQueues` C-node with value n (see the module doc). In-edges of the C-node are
 * dropped: TX queues are sources.
 *
 * @throws {RangeError} when n is not an integer >= 1.
 */
export function expandTxQueues(ctx: ExpansionContext, value: unknown): Expansion {
  const n = count(ctx, value);
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [];
  const path = ctx.targets("out");
  for (let q = 0; q < n; q++) {
    const queue = tagged(ctx, `q${q}`, txQueueSpec, `TxQueue${q}`, q);
    nodes.push(queue);
    for (const to of path) edges.push({ kind: "port", from: queue.id, port: "out", to });
  }
  return { nodes, edges, specs: { [txQueueSpec.name]: txQueueSpec } };
}

/**
 * Registers the queue-count spaces and expansions in `registries` and returns them.
 *
 * @param maxQueues largest queue count accepted (default {@linkcode DEFAULT_MAX_QUEUES})
 */
export function registerQueueExpansions(
  registries: ConfigRegistries,
  maxQueues: number = DEFAULT_MAX_QUEUES,
): ConfigRegistries {
  registries.spaces.register(RX_QUEUES_EXPANSION, queueCountSpace(maxQueues));
  registries.spaces.register(TX_QUEUES_EXPANSION, queueCountSpace(maxQueues));
  registries.expansions.register(RX_QUEUES_EXPANSION, expandRxQueues);
  registries.expansions.register(TX_QUEUES_EXPANSION, expandTxQueues);
  return registries;
}
