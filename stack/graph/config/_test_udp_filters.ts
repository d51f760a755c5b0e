/**
 * Test support: a small UDP filter table (5-tuple style, reference §3.1/§3.3) wired through the
 * generic filter-chain helpers, its test graph, and a packet walker. Not part of the public API.
 *
 * @module
 */
import type { Graph, GraphNode, NodeId, NodeSpec, PredicateExpr } from "../types.ts";
import assert from "node:assert/strict";
import { AtomTable } from "../predicate/atoms.ts";
import { DnfAlgebra } from "../predicate/dnf.ts";
import { predEquiv } from "../predicate/equiv.ts";
import { GraphPredicates } from "../predicate/node_predicates.ts";
import { udpMatch } from "../predicate/vocabulary.ts";
import { makeDefaultRegistries } from "./default_expansion.ts";
import type { ConfigRegistries, ExpansionContext } from "./expansion.ts";
import {
  type ChainFilter,
  filterChainExpansion,
  filterStep,
  orderByPriority,
  type TieRule,
} from "./filter_chain.ts";
import { intRange, listOf, maybe, tupleOf, uintBits, type ValueOf } from "./space.ts";

/** The filter-table space: list of (sport?, dport?, prio 1..7, queue 0..3), at most 4 entries. */
export const udpTableSpace = listOf(
  tupleOf({
    sport: maybe(uintBits(16)),
    dport: maybe(uintBits(16)),
    prio: intRange(1, 7),
    queue: intRange(0, 3),
  }),
  { max: 4 },
);

/** One filter of {@linkcode udpTableSpace}. */
export type UdpFilter = ValueOf<typeof udpTableSpace>[number];

const filterSpec: NodeSpec = { name: "test.udp-filter", kind: "fnode", ports: ["true", "false"] };

/** The `true`-port predicate of a filter: IPv4 ∧ UDP ∧ one atom per specified field. */
export function matchOf(f: UdpFilter): PredicateExpr {
  return udpMatch({ srcPort: f.sport, dstPort: f.dport });
}

/** Label in the original's style: `5T(UDP,*,*,<sport>,<dport>)`. */
export function labelOf(f: UdpFilter): string {
  return `5T(UDP,*,*,${f.sport ?? "*"},${f.dport ?? "*"})`;
}

function chainFilter(ctx: ExpansionContext, f: UdpFilter, slot: number): ChainFilter {
  const queue = ctx.targets("queues")[f.queue];
  if (queue === undefined) throw new RangeError(`queue ${f.queue} has no target node`);
  return {
    local: `f${slot}`,
    label: labelOf(f),
    spec: filterSpec,
    match: matchOf(f),
    hit: [queue],
  };
}

/** Registries with the UDP table registered as `udp-table` under the given tie rule. */
export function udpRegistries(tie: TieRule = "slot"): ConfigRegistries {
  const r = makeDefaultRegistries();
  r.spaces.register("udp-table", udpTableSpace);
  r.expansions.register("udp-table", (ctx, value) => {
    const list = value as readonly UdpFilter[];
    const slots = list.map((f, slot) => ({ f, slot }));
    const ordered = orderByPriority(slots, (x) => x.f.prio, tie);
    return filterChainExpansion(ctx, ordered.map((x) => chainFilter(ctx, x.f, x.slot)));
  });
  let inserted = 0;
  r.incrementals.register("udp-table", (ctx, element) => {
    return filterStep(ctx, chainFilter(ctx, element as UdpFilter, 100 + inserted++));
  });
  return r;
}

/**
 * Test PRG: `rx` (entry, port `out`) → C-node `rx.filters` (ports `queues` → `rx.q0..q3`,
 * `default` → `rx.q0`); queue nodes are sinks. With `fdir`, a second table C-node `rx.fdir`
 * sits on the first one's default path (`rx.filters.default → rx.fdir.default → rx.q0`), as the
 * E10k's 5-tuple and Flow Director tables (reference §14 C1).
 */
export function udpTestGraph(capacity = 4, fdir = false): Graph {
  const id = (s: string) => s as NodeId;
  const tables = fdir ? ["rx.filters", "rx.fdir"] : ["rx.filters"];
  const nodes: GraphNode[] = [
    { id: id("rx"), spec: "rx", origin: "PRG", attributes: { source: true } },
    ...tables.map((t): GraphNode => ({ id: id(t), spec: "rx.filters", origin: "PRG" })),
  ];
  const edges: Graph["edges"][number][] = [
    { kind: "port", from: id("rx"), port: "out", to: id("rx.filters") },
  ];
  for (let q = 0; q < 4; q++) {
    nodes.push({ id: id(`rx.q${q}`), spec: "queue", origin: "PRG", attributes: { sink: true } });
  }
  tables.forEach((t, k) => {
    for (let q = 0; q < 4; q++) {
      edges.push({ kind: "port", from: id(t), port: "queues", to: id(`rx.q${q}`) });
    }
    const next = tables[k + 1] ?? "rx.q0";
    edges.push({ kind: "port", from: id(t), port: "default", to: id(next) });
  });
  return {
    schemaVersion: 1,
    name: "udp-test",
    specs: {
      rx: { name: "rx", kind: "fnode", ports: ["out"] },
      queue: { name: "queue", kind: "fnode", ports: [] },
      "rx.filters": {
        name: "rx.filters",
        kind: "config",
        ports: ["queues", "default"],
        config: { space: "udp-table", expansion: "udp-table", incremental: "udp-table", capacity },
      },
    },
    nodes,
    edges,
  };
}

/** A packet class: the header fields the filters look at. */
export interface UdpPacket {
  readonly ethType: "IPv4" | "ARP";
  readonly proto: "UDP" | "TCP";
  readonly sport: number;
  readonly dport: number;
}

function holds(e: PredicateExpr, p: UdpPacket): boolean {
  switch (e.op) {
    case "const":
      return e.value;
    case "atom":
      switch (e.key) {
        case "EthType":
          return e.value === p.ethType;
        case "IpProt":
          return e.value === p.proto;
        case "SrcPort":
          return e.value === `p${p.sport}`;
        case "DstPort":
          return e.value === `p${p.dport}`;
        default:
          throw new Error(`walker does not know key ${e.key}`);
      }
    case "not":
      return !holds(e.arg, p);
    case "and":
      return e.args.every((a) => holds(a, p));
    case "or":
      return e.args.some((a) => holds(a, p));
  }
}

/**
 * Walks one packet from `rx` through a fully configured test graph: at a node with port
 * predicates takes the single port whose predicate holds, otherwise its only edge. Returns the
 * queue node reached. Throws on ambiguity, dead ends or C-nodes.
 */
export function walk(graph: Graph, p: UdpPacket): NodeId {
  let at = "rx" as NodeId;
  for (let steps = 0; steps < 1000; steps++) {
    const node = graph.nodes.find((n) => n.id === at);
    if (node === undefined) throw new Error(`walked to missing node ${at}`);
    if (graph.specs[node.spec]?.kind === "config") throw new Error(`walked into C-node ${at}`);
    const out = graph.edges.filter((e) => e.kind === "port" && e.from === at);
    if (out.length === 0) return at;
    let port: string;
    if (node.predicates !== undefined) {
      const live = Object.entries(node.predicates).filter(([, e]) => holds(e, p));
      if (live.length !== 1) throw new Error(`${at}: ${live.length} ports hold`);
      port = (live[0] as [string, PredicateExpr])[0];
    } else {
      const ports = new Set(out.map((e) => e.kind === "port" ? e.port : ""));
      if (ports.size !== 1) throw new Error(`${at}: no predicates and ${ports.size} ports`);
      port = [...ports][0] as string;
    }
    const next = out.filter((e) => e.kind === "port" && e.port === port);
    if (next.length !== 1) throw new Error(`${at}.${port} has ${next.length} targets`);
    at = (next[0] as { to: NodeId }).to;
  }
  throw new Error("walk did not end within 1000 steps");
}

/** Labels along the false-chain from `rx`, ending at the default target or a C-node. */
export function chainOf(g: Graph): string[] {
  const labels: string[] = [];
  let at = g.edges.find((e) => e.kind === "port" && e.from === "rx")?.to;
  while (at !== undefined) {
    const node = g.nodes.find((n) => n.id === at);
    labels.push(node?.label ?? String(at));
    if (node !== undefined && g.specs[node.spec]?.kind === "config") break;
    const next = g.edges.find((e) =>
      e.kind === "port" && e.from === at && (e.port === "false" || node?.predicates === undefined)
    );
    at = next?.to;
  }
  return labels;
}

/** All packet classes over the ports the tests use. */
export function packets(): UdpPacket[] {
  const out: UdpPacket[] = [];
  for (const ethType of ["IPv4", "ARP"] as const) {
    for (const proto of ["UDP", "TCP"] as const) {
      for (const sport of [7, 1000, 1001, 1002]) {
        for (const dport of [7, 8, 53, 54]) out.push({ ethType, proto, sport, dport });
      }
    }
  }
  return out;
}

/** Whether two configured test graphs route every packet class alike (walk and predicates). */
export function assertSameRouting(x: Graph, y: Graph): void {
  for (const p of packets()) assert.equal(walk(x, p), walk(y, p), JSON.stringify(p));
  const table = new AtomTable();
  const dnf = new DnfAlgebra(table);
  const px = new GraphPredicates(x, table, dnf);
  const py = new GraphPredicates(y, table, dnf);
  for (let q = 0; q < 4; q++) {
    const qid = `rx.q${q}` as NodeId;
    assert.ok(predEquiv(dnf.toPred(px.nodePred(qid)), dnf.toPred(py.nodePred(qid)), table), qid);
  }
}
