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
import { atomExpr } from "../../stack/graph/predicate/vocabulary.ts";

/** Expansion-function name of the filter-table C-nodes (a chain of filter F-nodes, §3.1). */
export const FILTER_CHAIN_EXPANSION = "nic.filter-chain";

/** Expansion-function name of the RSS C-node (indirection table to queues). */
export const RSS_EXPANSION = "nic.rss-table";

/** Spec name of the PRG entry node (L2 checks and the hardware parse). */
export const PRG_ENTRY_SPEC = "nic.rx.l2.ether-classify";
/** Spec name of the IPv4 header checksum status node. */
export const PRG_IPV4_CSUM_SPEC = "nic.rx.l3.ipv4-checksum";
/** Spec name of the TCP/UDP checksum status node. */
export const PRG_L4_CSUM_SPEC = "nic.rx.l4.checksum";
/** Spec name of the default-queue node. */
export const PRG_TO_DEFAULT_SPEC = "nic.rx.to-default-queue";
/** Spec name of the per-queue OR node in front of each RX queue. */
export const PRG_QUEUE_VALID_SPEC = "nic.rx.queue-valid";
/** Spec name of the RX queue nodes (attribute `queue` holds the queue number). */
export const PRG_RX_QUEUE_SPEC = "nic.rx.queue";

/** Spec name of the unicast/multicast split (present only where the two defaults differ). */
export const PRG_CAST_SPEC = "nic.rx.l2.cast";
/** Atom key of the destination MAC's group (multicast) bit: value `true` or `false`. */
export const MAC_GROUP_KEY = "DstMacGroup";

/** Atom key of the IPv4 header checksum status (reference dragonet-model.md §4.1). */
export const IPV4_CSUM_KEY = "RxL3IPv4ValidChecksum";
/** Atom key of the TCP/UDP checksum status (reference dragonet-model.md §4.1). */
export const L4_CSUM_KEY = "RxL4ValidChecksum";

/**
 * Receive-side behaviour of the PRG's entry and checksum nodes, stored as node attributes so
 * the graph stays data (the walker in `prg_walk.ts` reads them).
 */
export interface PrgRxOptions {
  /** Largest accepted frame in bytes; absent = no oversize check (SFC9020). */
  readonly maxFrame?: number;
  /** Whether the NIC verifies IPv4 and TCP/UDP checksums (`ethtool -K rx`). */
  readonly checksums: boolean;
  /**
   * What the entry drops: `short` = frames under 14 bytes (82599, RSS NIC: `rxPrologue`);
   * `unparsed` = frames whose Ethernet header (with VLAN tag) does not parse (SFC9020).
   */
  readonly l2Drop: "short" | "unparsed";
  /** Accepted unicast destination MACs (82599 RAR); empty or absent = accept every unicast. */
  readonly unicastMacs?: readonly string[];
  /** Accepted VLAN ids (82599 VFTA); absent = no VLAN filtering. */
  readonly vlanFilter?: readonly number[] | null;
  /**
   * A separate path for multicast/broadcast frames (SFC9020 MC_DEF): after the first `at`
   * stages a `rx.l2-cast` node sends unicast frames on through the remaining stages to
   * `rx.to-default`, multicast frames through `stages` to `rx.to-default-mc` (queue
   * `defaultQueue`). Absent = one default path.
   */
  readonly multicast?: {
    readonly at: number;
    readonly stages: readonly PrgStage[];
    readonly defaultQueue: number;
  };
}

const CSUM_PORTS = ["good", "bad", "unchecked"] as const;

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
    name: PRG_ENTRY_SPEC,
    kind: "fnode",
    ports: ["other"],
    attributes: { source: true },
    counters: [
      {
        name: "rx_length_errors",
        description: "Frames shorter than an Ethernet header",
        drop: true,
      },
      { name: "rx_oversize", description: "Frames longer than maxFrame", drop: true },
      {
        name: "rx_address_filtered",
        description: "Unicast destination MAC not in the accepted list",
        drop: true,
      },
      { name: "rx_vlan_filtered", description: "VLAN id not in the VLAN filter", drop: true },
    ],
    doc: "Frame arrives from the wire: L2 length and address checks, then the hardware parse",
  } as const,
);

function csumSpec(name: string, key: string, what: string): NodeSpec<"good" | "bad" | "unchecked"> {
  return defineSpec(
    {
      name,
      kind: "fnode",
      ports: CSUM_PORTS,
      predicates: {
        good: atomExpr(key, "true"),
        bad: atomExpr(key, "false"),
        unchecked: atomExpr(key, "unchecked"),
      },
      doc: `${what} checksum status written to the RX descriptor (nic-models.md §2.8, §3.8); ` +
        "every port leads on to classification",
    } as const,
  );
}

const CAST = defineSpec(
  {
    name: PRG_CAST_SPEC,
    kind: "fnode",
    ports: ["unicast", "multicast"],
    predicates: {
      unicast: atomExpr(MAC_GROUP_KEY, "false"),
      multicast: atomExpr(MAC_GROUP_KEY, "true"),
    },
    doc: "Destination MAC group bit: unicast and multicast frames take their own default path " +
      "(nic-models.md §3.2 UC_DEF / MC_DEF)",
  } as const,
);

const IPV4_CSUM = csumSpec(PRG_IPV4_CSUM_SPEC, IPV4_CSUM_KEY, "IPv4 header");
const L4_CSUM = csumSpec(PRG_L4_CSUM_SPEC, L4_CSUM_KEY, "TCP/UDP");

const TO_DEFAULT = defineSpec(
  {
    name: PRG_TO_DEFAULT_SPEC,
    kind: "fnode",
    ports: ["true"],
    doc: "Nothing claimed the frame: it goes to the default queue",
  } as const,
);

const VALID = defineSpec(
  {
    name: PRG_QUEUE_VALID_SPEC,
    kind: "or",
    ports: ["true", "false"],
    doc: "A frame reaches this queue from any stage",
  } as const,
);

const RX_QUEUE = defineSpec(
  {
    name: PRG_RX_QUEUE_SPEC,
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

/** Default receive options: checksums verified, frames under 14 bytes dropped, no L2 filters. */
export const DEFAULT_PRG_RX: PrgRxOptions = { checksums: true, l2Drop: "short" };

/**
 * Builds the PRG of NIC `nic` with `queues` RX/TX queues and the given stages in order: entry
 * (`rx.ether-classify`), the IPv4 and TCP/UDP checksum status nodes (`rx.csum-ipv4`,
 * `rx.csum-l4`), the stages' C-nodes (`rx.c.<id>`), `rx.to-default`, then per queue
 * `rx.q<i>.valid` (OR) and `rx.q<i>.queue`.
 */
export function buildPrg(
  nic: string,
  queues: number,
  stages: readonly PrgStage[],
  defaultQueue: number,
  rxOptions: PrgRxOptions = DEFAULT_PRG_RX,
): Graph {
  if (!Number.isInteger(queues) || queues < 1) {
    throw new RangeError(`A PRG needs at least 1 queue, got ${queues}`);
  }
  if (!Number.isInteger(defaultQueue) || defaultQueue < 0 || defaultQueue >= queues) {
    throw new RangeError(`Default queue ${defaultQueue} is not among queues 0..${queues - 1}`);
  }
  const b = new GraphBuilder(`${nic}-prg`, { origin: "PRG" });
  const rx = b.cluster("rx");
  const values: Record<string, string> = {
    checksums: String(rxOptions.checksums),
    l2Drop: rxOptions.l2Drop,
  };
  if (rxOptions.maxFrame !== undefined) values.maxFrame = String(rxOptions.maxFrame);
  if (rxOptions.unicastMacs !== undefined && rxOptions.unicastMacs.length > 0) {
    values.unicastMacs = rxOptions.unicastMacs.join(",");
  }
  if (rxOptions.vlanFilter !== undefined && rxOptions.vlanFilter !== null) {
    values.vlanFilter = rxOptions.vlanFilter.join(",");
  }
  rx.node("ether-classify", ENTRY, { attributes: { values }, out: { other: "csum-ipv4" } });
  rx.node("csum-ipv4", IPV4_CSUM, {
    out: { good: "csum-l4", bad: "csum-l4", unchecked: "csum-l4" },
  });
  const chain = (list: readonly PrgStage[], end: string): string => {
    list.forEach((s, i) => {
      const next = list[i + 1] === undefined ? end : `c.${list[i + 1]?.id}`;
      const node = rx.node(`c.${s.id}`, stageSpec(nic, s), {
        label: s.label,
        slotsLeft: s.capacity,
        out: { default: next },
      });
      for (let q = 0; q < queues; q++) node.to("queues", `q${q}.valid`);
    });
    return list[0] === undefined ? end : `c.${list[0].id}`;
  };
  const mc = rxOptions.multicast;
  let first: string;
  if (mc === undefined) first = chain(stages, "to-default");
  else {
    const mq = mc.defaultQueue;
    if (!Number.isInteger(mq) || mq < 0 || mq >= queues) {
      throw new RangeError(`Multicast default queue ${mq} is not among queues 0..${queues - 1}`);
    }
    first = chain(stages.slice(0, mc.at), "l2-cast");
    const unicast = chain(stages.slice(mc.at), "to-default");
    const multicast = chain(mc.stages, "to-default-mc");
    rx.node("l2-cast", CAST, { out: { unicast, multicast } });
    rx.node("to-default-mc", TO_DEFAULT, { out: { true: `q${mq}.valid` } });
  }
  rx.node("csum-l4", L4_CSUM, { out: { good: first, bad: first, unchecked: first } });
  rx.node("to-default", TO_DEFAULT, { out: { true: `q${defaultQueue}.valid` } });
  for (let q = 0; q < queues; q++) {
    const c = rx.cluster(`q${q}`, { tag: `Q${q}` });
    c.node("valid", VALID, { out: { true: "queue" } });
    c.node("queue", RX_QUEUE, {
      label: `RxQueue${q}`,
      attributes: { values: { queue: String(q) } },
    });
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
