/**
 * Naming conventions the embedding relies on (reference `dragonet-model.md` §2.4, Dragonet
 * `Conventions.hs`): PRG queue nodes are recognised by their labels `RxQueue<n>` / `TxQueue<n>`,
 * LPG copies are tagged `Q<n>`, constant nodes are `_True` / `_False`.
 *
 * @module
 */
import { attributesOf } from "../../graph/graph_index.ts";
import { EFFECTS_ATTRIBUTE } from "../../graph/predicate/vocabulary.ts";
import {
  defineSpec,
  type Graph,
  type GraphNode,
  type NodeId,
  type NodeSpec,
} from "../../graph/types.ts";

/** Label of a PRG RX queue node: `RxQueue<n>`. */
export const PRG_RX_QUEUE_LABEL: RegExp = /^RxQueue(\d+)$/;
/** Label of a PRG TX queue node: `TxQueue<n>`. */
export const PRG_TX_QUEUE_LABEL: RegExp = /^TxQueue(\d+)$/;

/** Default id of the LPG's one RX queue node (`RxQueue` of the reference, §6.1). */
export const LPG_RX_QUEUE = "rx.queue" as NodeId;
/** Default id of the LPG's one TX queue node (`TxQueue` of the reference, §6.8). */
export const LPG_TX_QUEUE = "tx.queue" as NodeId;

/** The queue tag of queue n: `Q<n>`. */
export function queueTag(n: number): string {
  return `Q${n}`;
}

/** The id of the copy of LPG node `id` for queue n: `q<n>.<id>`. */
export function copyId(n: number, id: NodeId): NodeId {
  return `q${n}.${id}` as NodeId;
}

/** Spec of the constant node `_True` (one port `true`, always taken; folded away, §5.3). */
export const constTrueSpec: NodeSpec<"true"> = defineSpec(
  {
    name: "embed.const-true",
    kind: "fnode",
    ports: ["true"],
    doc: "Constant true: the NIC already decided this boolean for every packet here",
  } as const,
);

/** Spec of the constant node `_False` (one port `false`, always taken; folded away, §5.3). */
export const constFalseSpec: NodeSpec<"false"> = defineSpec(
  {
    name: "embed.const-false",
    kind: "fnode",
    ports: ["false"],
    doc: "Constant false: the NIC already decided this boolean for every packet here",
  } as const,
);

/** The value of a constant node, or `undefined` when the node is not one. */
export function constValue(node: GraphNode): boolean | undefined {
  if (node.spec === constTrueSpec.name) return true;
  if (node.spec === constFalseSpec.name) return false;
  return undefined;
}

/** One queue of a PRG: its number, tag, RX queue node and TX queue node. */
export interface PrgQueue {
  /** Queue number n. */
  readonly index: number;
  /** Tag `Q<n>`. */
  readonly tag: string;
  /** The PRG node labelled `RxQueue<n>`. */
  readonly rx: NodeId;
  /** The PRG node labelled `TxQueue<n>`. */
  readonly tx: NodeId;
}

/**
 * Returns the queues of a configured PRG, by queue number: RX and TX queue nodes are paired by
 * the number in their labels.
 *
 * @throws {Error} when the PRG has no RX queue, a number appears twice, or an RX queue has no TX
 * queue of the same number (or the other way round), naming the queue.
 */
export function prgQueues(prg: Graph): PrgQueue[] {
  const rx = new Map<number, NodeId>();
  const tx = new Map<number, NodeId>();
  for (const node of prg.nodes) {
    const label = node.label ?? node.id;
    for (
      const [re, map, what] of [[PRG_RX_QUEUE_LABEL, rx, "RX"], [
        PRG_TX_QUEUE_LABEL,
        tx,
        "TX",
      ]] as const
    ) {
      const m = re.exec(label);
      if (m === null) continue;
      const n = Number(m[1]);
      if (map.has(n)) {
        throw new Error(
          `Cannot embed into PRG "${prg.name}": ${what} queue ${n} appears twice ("${
            map.get(n)
          }", "${node.id}")`,
        );
      }
      map.set(n, node.id);
    }
  }
  if (rx.size === 0) {
    throw new Error(
      `Cannot embed into PRG "${prg.name}": it has no RX queue node (label RxQueue<n>); is it configured?`,
    );
  }
  const numbers = [...new Set([...rx.keys(), ...tx.keys()])].sort((a, b) => a - b);
  return numbers.map((n) => {
    const r = rx.get(n);
    const t = tx.get(n);
    if (r === undefined || t === undefined) {
      throw new Error(
        `Cannot embed into PRG "${prg.name}": queue ${n} has ${
          r === undefined ? "no RX" : "no TX"
        } queue node; RX and TX queues must pair up by number`,
      );
    }
    return { index: n, tag: queueTag(n), rx: r, tx: t };
  });
}

/**
 * The embedding's default collapsibility rule for the nodes of `graph`: a node may be made
 * redundant (§5.2) unless it (or its spec) names per-packet state later nodes read in its
 * `values` attribute {@linkcode EFFECTS_ATTRIBUTE} (the L3 classifier sets the L3 offset).
 */
export function collapsibleUnlessEffects(graph: Graph): (node: GraphNode) => boolean {
  return (node) => attributesOf(graph, node).values?.[EFFECTS_ATTRIBUTE] === undefined;
}
