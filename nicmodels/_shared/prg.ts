/**
 * Builds a NIC's physical resource graph (PRG) as graph data (`stack/graph`), in the shape of
 * Dragonet's E10k PRG (dragonet-model.md §7): an L2 entry, one C-node per classification stage
 * in precedence order (each stage's `queues` port reaches every queue, its `default` port the
 * next stage), a default-queue node (its one port is `true` because it feeds an OR node), then
 * per queue an OR node `valid` in front of the queue.
 *
 * Stages, capacities and the queue count come from the caller, who derives them from the NIC's
 * capabilities and configuration, so the PRG and the behavioural model cannot disagree.
 *
 * @module
 */
import { GraphBuilder } from "../../stack/graph/builder.ts";
import { defineSpec, type Graph, type NodeSpec } from "../../stack/graph/types.ts";

/** One classification stage of a PRG: a configurable C-node. */
export interface PrgStage {
  /** Stage id used in node ids (`five-tuple`, `fdir`, `rss`). */
  readonly id: string;
  /** Human label (`5-tuple filters (128)`). */
  readonly label: string;
  /** Entries the stage holds (filters, or table entries for RSS). */
  readonly capacity: number;
  /** Configuration-space name of the C-node's value. */
  readonly space: string;
  /** Expansion-function name that turns a value into concrete nodes. */
  readonly expansion: string;
  /** Where the stage and its capacity come from. */
  readonly source: string;
}

const ENTRY = defineSpec(
  {
    name: "nic.rx.l2.ether-classify",
    kind: "fnode",
    ports: ["other"],
    attributes: { source: true },
    counters: [
      {
        name: "rx_length_errors",
        description: "Frames shorter than an Ethernet header",
        drop: true,
      },
    ],
    doc: "Frame arrives from the wire: L2 length checks, then classification",
  } as const,
);

const TO_DEFAULT = defineSpec(
  {
    name: "nic.rx.to-default-queue",
    kind: "fnode",
    ports: ["true"],
    doc: "Nothing claimed the frame: it goes to the default queue",
  } as const,
);

const VALID = defineSpec(
  {
    name: "nic.rx.queue-valid",
    kind: "or",
    ports: ["true", "false"],
    doc: "A frame reaches this queue from any stage",
  } as const,
);

const RX_QUEUE = defineSpec(
  {
    name: "nic.rx.queue",
    kind: "fnode",
    ports: [],
    attributes: { software: true, sink: true, init: true },
    counters: [
      { name: "packets", description: "Frames delivered to this queue" },
      { name: "no_dma_resources", description: "Frames dropped: ring full", drop: true },
    ],
    doc: "RX descriptor ring polled by the host",
  } as const,
);

const TX_QUEUE = defineSpec(
  {
    name: "nic.tx.queue",
    kind: "fnode",
    ports: [],
    attributes: { software: true, sink: true },
    counters: [{ name: "packets", description: "Frames sent from this queue" }],
    doc: "TX descriptor ring filled by the host",
  } as const,
);

function stageSpec(nic: string, s: PrgStage): NodeSpec<"queues" | "default"> {
  return defineSpec(
    {
      name: `${nic}.rx.c.${s.id}`,
      kind: "config",
      ports: ["queues", "default"],
      config: { space: s.space, expansion: s.expansion, capacity: s.capacity },
      doc: `${s.label} [${s.source}]`,
    } as const,
  );
}

/** Builds the PRG of NIC `nic` with `queues` RX/TX queues and the given stages in order. */
export function buildPrg(
  nic: string,
  queues: number,
  stages: readonly PrgStage[],
  defaultQueue: number,
): Graph {
  if (!Number.isInteger(queues) || queues < 1) {
    throw new RangeError(`A PRG needs at least 1 queue, got ${queues}`);
  }
  if (!Number.isInteger(defaultQueue) || defaultQueue < 0 || defaultQueue >= queues) {
    throw new RangeError(`Default queue ${defaultQueue} is not among queues 0..${queues - 1}`);
  }
  const b = new GraphBuilder(`${nic}-prg`, { origin: "PRG" });
  const rx = b.cluster("rx");
  const first = stages[0] === undefined ? "to-default" : `c.${stages[0].id}`;
  rx.node("ether-classify", ENTRY, { out: { other: first } });
  stages.forEach((s, i) => {
    const next = stages[i + 1] === undefined ? "to-default" : `c.${stages[i + 1]?.id}`;
    const node = rx.node(`c.${s.id}`, stageSpec(nic, s), {
      label: s.label,
      slotsLeft: s.capacity,
      out: { default: next },
    });
    for (let q = 0; q < queues; q++) node.to("queues", `q${q}.valid`);
  });
  rx.node("to-default", TO_DEFAULT, { out: { true: `q${defaultQueue}.valid` } });
  for (let q = 0; q < queues; q++) {
    const c = rx.cluster(`q${q}`, { tag: `Q${q}` });
    c.node("valid", VALID, { out: { true: "queue" } });
    c.node("queue", RX_QUEUE, { label: `RxQueue${q}` });
  }
  const tx = b.cluster("tx");
  for (let q = 0; q < queues; q++) {
    tx.cluster(`q${q}`, { tag: `Q${q}` }).node("queue", TX_QUEUE, {
      label: `TxQueue${q}`,
      attributes: { source: true },
    });
  }
  return b.build();
}
