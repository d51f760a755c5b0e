/**
 * Test support: a small LPG with explicit port predicates (an "offload LPG" in the sense of
 * reference §6.8: classification by EthType/IpProt, socket filters by UDP port, split TX checksum
 * nodes) and small PRGs with a UDP filter table, queues and optional TX checksum paths, with the
 * registries that configure them. Not part of the public API.
 *
 * @module
 */
import { GraphBuilder } from "../../graph/builder.ts";
import { makeDefaultRegistries } from "../../graph/config/default_expansion.ts";
import type { ConfigRegistries } from "../../graph/config/expansion.ts";
import { filterChainExpansion } from "../../graph/config/filter_chain.ts";
import {
  intRange,
  listOf,
  maybe,
  tupleOf,
  uintBits,
  type ValueOf,
} from "../../graph/config/space.ts";
import {
  atomExpr,
  EthTypeValue,
  IpProtValue,
  PredKey,
  udpMatch,
} from "../../graph/predicate/vocabulary.ts";
import { defineSpec, type Graph, type NodeId, type PredicateExpr } from "../../graph/types.ts";

const ipv4 = atomExpr(PredKey.EthType, EthTypeValue.IPv4);
const arp = atomExpr(PredKey.EthType, EthTypeValue.ARP);
const udp = atomExpr(PredKey.IpProt, IpProtValue.UDP);
const icmp = atomExpr(PredKey.IpProt, IpProtValue.ICMP);
const not = (arg: PredicateExpr): PredicateExpr => ({ op: "not", arg });
const and = (...args: PredicateExpr[]): PredicateExpr => ({ op: "and", args });

const BOOL = ["true", "false"] as const;
const S = {
  rxQueue: defineSpec(
    { name: "t.rx-queue", kind: "fnode", ports: ["out"], attributes: { source: true } } as const,
  ),
  classifyL3: defineSpec(
    { name: "t.classify-l3", kind: "fnode", ports: ["ipv4", "arp", "other"] } as const,
  ),
  classifyL4: defineSpec(
    { name: "t.classify-l4", kind: "fnode", ports: ["udp", "icmp", "other"] } as const,
  ),
  check: defineSpec({ name: "t.check", kind: "fnode", ports: BOOL } as const),
  and: defineSpec({ name: "t.and", kind: "and", ports: BOOL } as const),
  nor: defineSpec({ name: "t.nor", kind: "nor", ports: BOOL } as const),
  sink: defineSpec(
    { name: "t.sink", kind: "fnode", ports: [], attributes: { sink: true } } as const,
  ),
  source: defineSpec(
    { name: "t.source", kind: "fnode", ports: ["out"], attributes: { source: true } } as const,
  ),
  txClassify: defineSpec(
    { name: "t.tx-classify", kind: "fnode", ports: ["udp4", "ip4other", "nonip"] } as const,
  ),
  fill: defineSpec({ name: "t.fill", kind: "fnode", ports: ["out"] } as const),
  txQueue: defineSpec(
    { name: "t.tx-queue", kind: "fnode", ports: [], attributes: { sink: true } } as const,
  ),
};

/** Local UDP ports with a socket in {@linkcode testLpg}. */
export const SOCKET_PORTS: readonly number[] = [7, 8];

/**
 * The test LPG: RX queue → L3 classification (IPv4 / ARP / other) → L4 classification (UDP /
 * ICMP / other); an IPv4 check AND (checksum ∧ "is IPv4") and a UDP validity AND; one socket
 * filter per port of {@linkcode SOCKET_PORTS} with a NOR for unused ports; TX: a socket source
 * → TX classification → `TxL4UDPFillChecksum` → `TxL3IPv4FillChecksum` → TX queue.
 */
export function testLpg(): Graph {
  const b = new GraphBuilder("test-lpg", { origin: "LPG" });
  b.node("rx.queue", S.rxQueue, { label: "RxQueue", out: { out: "rx.classify-l3" } })
    .spawn("poll", "rx.queue");
  b.node("rx.classify-l3", S.classifyL3, {
    label: "RxClassifyL3",
    predicates: { ipv4, arp, other: and(not(ipv4), not(arp)) },
    out: {
      ipv4: ["rx.classify-l4", "rx.ipv4-checksum", "rx.is-ipv4"],
      arp: "rx.arp",
      other: "rx.drop",
    },
  });
  b.node("rx.is-ipv4", S.check, {
    label: "RxIsIPv4",
    predicates: { true: ipv4, false: not(ipv4) },
    out: { true: "rx.ipv4-valid", false: "rx.ipv4-valid" },
  });
  b.node("rx.ipv4-checksum", S.check, {
    label: "RxIPv4ValidChecksum",
    out: { true: "rx.ipv4-valid", false: "rx.ipv4-valid" },
  });
  b.node("rx.ipv4-valid", S.and, {
    label: "RxIPv4Valid",
    out: { true: "rx.udp-valid", false: "rx.udp-valid" },
  });
  b.node("rx.classify-l4", S.classifyL4, {
    label: "RxClassifyL4",
    predicates: { udp, icmp, other: and(not(udp), not(icmp)) },
    out: { udp: "rx.udp-checksum", icmp: "rx.icmp", other: "rx.drop" },
  });
  b.node("rx.udp-checksum", S.check, {
    label: "RxUDPValidChecksum",
    out: { true: "rx.udp-valid", false: "rx.udp-valid" },
  });
  const socks = SOCKET_PORTS.map((p) => `rx.sock${p}`);
  b.node("rx.udp-valid", S.and, {
    label: "RxUDPValid",
    out: { true: socks, false: "rx.drop" },
  });
  for (const p of SOCKET_PORTS) {
    const m = udpMatch({ dstPort: p });
    b.node(`rx.sock${p}`, S.check, {
      label: `RxL4UDP(*:* / *:${p})`,
      predicates: { true: m, false: not(m) },
      out: { true: [`rx.to-socket${p}`, "rx.unused-port"], false: "rx.unused-port" },
    });
    b.node(`rx.to-socket${p}`, S.sink, { label: `ToSocket${p}` });
  }
  b.node("rx.unused-port", S.nor, { label: "RxUnusedPort", out: { true: "rx.closed-port" } });
  b.node("rx.closed-port", S.sink, { label: "RxClosedPort" });
  b.node("rx.icmp", S.sink, { label: "RxICMP" });
  b.node("rx.arp", S.sink, { label: "RxARP" });
  b.node("rx.drop", S.sink, { label: "RxDrop" });
  b.node("tx.from-socket", S.source, { label: "FromSocket", out: { out: "tx.classify" } });
  b.node("tx.classify", S.txClassify, {
    label: "TxClassify",
    predicates: { udp4: and(ipv4, udp), ip4other: and(ipv4, not(udp)), nonip: not(ipv4) },
    out: { udp4: "tx.l4-checksum", ip4other: "tx.l3-checksum", nonip: "tx.queue" },
  });
  b.node("tx.l4-checksum", S.fill, {
    label: "TxL4UDPFillChecksum",
    out: { out: "tx.l3-checksum" },
  });
  b.node("tx.l3-checksum", S.fill, { label: "TxL3IPv4FillChecksum", out: { out: "tx.queue" } });
  b.node("tx.queue", S.txQueue, { label: "TxQueue" });
  return b.build();
}

/** The filter-table space of the test PRG: (dport?, queue), at most 8 entries. */
export const testFilterSpace = listOf(
  tupleOf({ dport: maybe(uintBits(16)), queue: intRange(0, 15) }),
  { max: 8 },
);

/** One filter of {@linkcode testFilterSpace}. */
export type TestFilter = ValueOf<typeof testFilterSpace>[number];

const FILTER = defineSpec({ name: "t.filter", kind: "fnode", ports: BOOL } as const);

/** Registries configuring the test PRG's filter table (`rx.filters`). */
export function testRegistries(): ConfigRegistries {
  const r = makeDefaultRegistries();
  r.spaces.register("t.udp-table", testFilterSpace);
  r.expansions.register("t.udp-table", (ctx, value) => {
    const list = value as readonly TestFilter[];
    return filterChainExpansion(
      ctx,
      list.map((f, k) => {
        const hit = ctx.targets("queues")[f.queue];
        if (hit === undefined) throw new RangeError(`Filter ${k}: queue ${f.queue} has no target`);
        return {
          local: `f${k}`,
          label: `5T(UDP,*,*,*,${f.dport ?? "*"})`,
          spec: FILTER,
          match: udpMatch({ dstPort: f.dport }),
          hit: [hit],
        };
      }),
    );
  });
  return r;
}

/** The NIC TX paths of the test PRG. */
export type TxPath = "none" | "l4" | "l4-port7" | "l3l4";

/**
 * The test PRG: `rx.in` → C-node `rx.filters` (`queues` → every `RxQ<i>Valid`, `default` →
 * `rx.to-default` → `RxQ0Valid`) → `RxQueue<i>`; TX queues `TxQueue<i>` share one NIC TX path:
 * none, UDP checksum for all UDP/IPv4 (`l4`), UDP checksum for dst port 7 only (`l4-port7`), or
 * IPv4 then UDP checksum contexts (`l3l4`).
 */
export function testPrg(queues: number, tx: TxPath = "none"): Graph {
  const b = new GraphBuilder("test-prg", { origin: "PRG" });
  const rxIn = defineSpec(
    { name: "p.in", kind: "fnode", ports: ["out"], attributes: { source: true } } as const,
  );
  const cnode = defineSpec(
    {
      name: "p.filters",
      kind: "config",
      ports: ["queues", "default"],
      config: { space: "t.udp-table", expansion: "t.udp-table" },
    } as const,
  );
  const toDefault = defineSpec({ name: "p.to-default", kind: "fnode", ports: ["true"] } as const);
  const valid = defineSpec({ name: "p.valid", kind: "or", ports: BOOL } as const);
  const rxQueue = defineSpec(
    {
      name: "p.rx-queue",
      kind: "fnode",
      ports: [],
      attributes: { sink: true, software: true },
    } as const,
  );
  const txQueueEnd = defineSpec(
    {
      name: "p.tx-queue",
      kind: "fnode",
      ports: [],
      attributes: { source: true, sink: true, software: true },
    } as const,
  );
  const txQueuePath = defineSpec(
    {
      name: "p.tx-queue-out",
      kind: "fnode",
      ports: ["out"],
      attributes: { source: true, software: true },
    } as const,
  );
  const ctx = defineSpec({ name: "p.tx-ctx", kind: "fnode", ports: ["hit", "other"] } as const);
  const fill = defineSpec({ name: "p.fill", kind: "fnode", ports: ["out"] } as const);
  const out = defineSpec(
    { name: "p.tx-out", kind: "fnode", ports: [], attributes: { sink: true } } as const,
  );
  b.node("rx.in", rxIn, { label: "RxIn", out: { out: "rx.filters" } });
  const f = b.node("rx.filters", cnode, { label: "RxFilters", out: { default: "rx.to-default" } });
  b.node("rx.to-default", toDefault, { label: "RxToDefaultQueue", out: { true: "rx.q0.valid" } });
  for (let q = 0; q < queues; q++) {
    f.to("queues", `rx.q${q}.valid`);
    b.node(`rx.q${q}.valid`, valid, { label: `RxQ${q}Valid`, out: { true: `rx.q${q}.queue` } });
    b.node(`rx.q${q}.queue`, rxQueue, { label: `RxQueue${q}` });
    if (tx === "none") b.node(`tx.q${q}.queue`, txQueueEnd, { label: `TxQueue${q}` });
    else b.node(`tx.q${q}.queue`, txQueuePath, { label: `TxQueue${q}`, out: { out: "tx.ctx" } });
  }
  if (tx === "l4" || tx === "l4-port7") {
    const hit = tx === "l4" ? udpMatch({}) : udpMatch({ dstPort: 7 });
    b.node("tx.ctx", ctx, {
      label: "TxUDPContext",
      predicates: { hit, other: not(hit) },
      out: { hit: "tx.l4", other: "tx.out" },
    });
    b.node("tx.l4", fill, { label: "TxL4UDPFillChecksum", out: { out: "tx.out" } });
  } else if (tx === "l3l4") {
    b.node("tx.ctx", ctx, {
      label: "TxIPv4Context",
      predicates: { hit: ipv4, other: not(ipv4) },
      out: { hit: "tx.l3", other: "tx.out" },
    });
    b.node("tx.l3", fill, { label: "TxL3IPv4FillChecksum", out: { out: "tx.ctx-udp" } });
    b.node("tx.ctx-udp", ctx, {
      label: "TxUDPContext",
      predicates: { hit: udp, other: not(udp) },
      out: { hit: "tx.l4", other: "tx.out" },
    });
    b.node("tx.l4", fill, { label: "TxL4UDPFillChecksum", out: { out: "tx.out" } });
  }
  if (tx !== "none") b.node("tx.out", out, { label: "TxOut" });
  return b.build();
}

/** Shorthand for a node id in tests. */
export function nid(text: string): NodeId {
  return text as NodeId;
}
