/**
 * Queue mapping by walking the NIC's configured PRG (dragonet-model.md §8.2, `FlowMap.hs`):
 * build the PRG from the NIC configuration (the NIC model's `build*Prg`), configure every
 * filter-table C-node with the configuration's rules as a chain of filter F-nodes
 * (`stack/graph/config` filter-chain expansion), then follow the flow from the successor of the
 * L2 entry on port `other`: at an F-node take a port by predicate (below), stop at a queue's OR
 * node `q<n>.valid` (queue n).
 *
 * Port choice at an F-node, with the flow's predicate `EthType=IPv4 ∧ IpProt=UDP ∧` one atom per
 * given field (`stack/graph/predicate` DNF builder and SAT):
 * - `covering` (default, the lab's semantics, agreeing with {@link NicConfigMapper}): the first
 *   port whose predicate the flow implies; if none does, the last satisfiable port. A filter
 *   that covers only part of a flow does not claim it.
 * - `satisfiable` (the original's): the first port whose predicate is satisfiable together with
 *   the flow's (a wildcard flow is taken by any filter it overlaps).
 * Rules are placed in their stage's chain in the plan's precedence (priority, then slot).
 * Address prefixes, port masks, VLAN, MAC and SYN matches cannot be spelt as atoms: such rules
 * get an atom no flow fixes, so they never claim a flow. Not a hot path: for tests and
 * cross-checks (one graph configuration per NIC configuration, cached).
 *
 * @module
 */
import type { FilterRule, NicConfig } from "../../../nicmodels/_shared/nic.ts";
import {
  applyConfig,
  configNodes,
  type ConfValue,
  type ExpansionContext,
  filterChainExpansion,
  listOf,
  makeConfigRegistries,
  uintBits,
} from "../../graph/config/mod.ts";
import {
  AtomTable,
  buildPred,
  type Dnf,
  DnfAlgebra,
  fromExpr,
  PredKey,
  udpMatch,
} from "../../graph/predicate/mod.ts";
import { atomExpr, numberValue } from "../../graph/predicate/vocabulary.ts";
import type { Graph, GraphNode, NodeId, NodeSpec, PredicateExpr } from "../../graph/types.ts";
import type { Flow } from "./flow.ts";
import { checkMappable, type MapperPlan } from "./mapper_plan.ts";
import type { QueueMapper } from "./queue_mapper.ts";

/** How the walk chooses an F-node's port (see module doc). */
export type PortChoice = "covering" | "satisfiable";

const FILTER_SPEC: NodeSpec = {
  name: "search.prg-walk.filter",
  kind: "fnode",
  ports: ["true", "false"],
  doc: "One installed filter rule: true = claimed, false = next filter",
};
const ENTRY_SPEC = "nic.rx.l2.ether-classify";
const ENTRY_PORT = "other";
const VALID_RE = /(?:^|\.)q(\d+)\.valid$/;

function ipAtom(key: string, text: string): PredicateExpr {
  const parts = text.split(".");
  const n = parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p))
    ? parts.reduce((a, p) => a * 256 + Number(p), 0)
    : -1;
  return n >= 0 && n <= 0xffffffff ? atomExpr(key, numberValue(n)) : atomExpr(`${key}Prefix`, text); // a prefix: no flow fixes this key
}

/** The packets `rule` claims, as a predicate over the shared atom vocabulary. */
export function rulePredicate(rule: FilterRule): PredicateExpr {
  const m = rule.match;
  const args: PredicateExpr[] = [
    atomExpr(
      PredKey.EthType,
      m.etherType === undefined || m.etherType === 0x0800 ? "IPv4" : `e${m.etherType}`,
    ),
  ];
  if (m.proto !== undefined) {
    args.push(
      atomExpr(PredKey.IpProt, m.proto === 17 ? "UDP" : m.proto === 6 ? "TCP" : `i${m.proto}`),
    );
  }
  if (m.srcIp !== undefined) args.push(ipAtom(PredKey.SrcIp, m.srcIp));
  if (m.dstIp !== undefined) args.push(ipAtom(PredKey.DstIp, m.dstIp));
  const port = (key: string, v: number | undefined, mask: number | undefined) => {
    if (v === undefined) return;
    args.push(
      mask === undefined || (mask & 0xffff) === 0xffff
        ? atomExpr(key, numberValue(v))
        : atomExpr(`${key}Masked`, `${v}/${mask}`),
    );
  };
  port(PredKey.SrcPort, m.srcPort, m.srcPortMask);
  port(PredKey.DstPort, m.dstPort, m.dstPortMask);
  if (m.vlan !== undefined) args.push(atomExpr("Vlan", numberValue(m.vlan)));
  if (m.dstMac !== undefined) args.push(atomExpr("DstMac", m.dstMac));
  if (m.tcpSyn !== undefined) args.push(atomExpr("TcpSyn", String(m.tcpSyn)));
  return { op: "and", args };
}

interface Configured {
  readonly graph: Graph;
  readonly byId: Map<string, GraphNode>;
  readonly out: Map<string, Map<string, string[]>>;
  readonly entry: string[];
}

/** A {@link QueueMapper} that walks the configured PRG (see module doc). */
export class PrgWalkMapper implements QueueMapper<NicConfig> {
  /** "prg-walk". */
  readonly name = "prg-walk";
  /** The NIC's plan (stage order within a chain, default queue). */
  readonly plan: MapperPlan;
  /** Port choice at F-nodes. */
  readonly choice: PortChoice;
  readonly #build: (config: NicConfig) => Graph;
  readonly #cache = new WeakMap<NicConfig, Configured>();
  readonly #table = new AtomTable();
  readonly #dnf = new DnfAlgebra(this.#table);
  readonly #portPred = new Map<PredicateExpr, Dnf>();

  /** A mapper for PRGs from `build` (e.g. `build82599Prg`), ordered by `plan`. */
  constructor(
    plan: MapperPlan,
    build: (config: NicConfig) => Graph,
    choice: PortChoice = "covering",
  ) {
    this.plan = plan;
    this.#build = build;
    this.choice = choice;
  }

  /** The configured PRG of `config` (every filter C-node expanded into its rule chain). */
  configuredPrg(config: NicConfig): Graph {
    return this.#configure(config).graph;
  }

  #configure(config: NicConfig): Configured {
    const known = this.#cache.get(config);
    if (known !== undefined) return known;
    checkMappable(config);
    const prg = this.#build(config);
    const reg = makeConfigRegistries();
    const values: [NodeId, number[]][] = [];
    const chain = (ctx: ExpansionContext, value: ConfValue) => {
      const slots = (value as number[]).map((i) => ({
        i,
        rule: config.filters[i] as FilterRule,
        rank: this.plan.compile(config.filters[i] as FilterRule, config)?.rank ?? Infinity,
      })).sort((a, b) => a.rank - b.rank || a.i - b.i);
      const queues = ctx.targets("queues");
      return filterChainExpansion(
        ctx,
        slots.map(({ i, rule }) => ({
          local: `f${i}`,
          label: `${rule.table}[${i}] -> Q${rule.queue}`,
          spec: FILTER_SPEC,
          match: rulePredicate(rule),
          hit: rule.queue >= 0 && queues[rule.queue] !== undefined
            ? [queues[rule.queue] as NodeId]
            : [],
        })),
      );
    };
    for (const c of configNodes(prg)) {
      const ref = prg.specs[c.spec]?.config;
      if (ref === undefined) continue;
      // a filter-table stage's space is "<nic id>.<table id>"; other stages (RSS) are refused
      const table = ref.space.slice(ref.space.indexOf(".") + 1);
      if (!reg.spaces.has(ref.space)) {
        reg.spaces.register(ref.space, listOf(uintBits(32), { max: ref.capacity ?? 1 << 20 }));
      }
      if (!reg.expansions.has(ref.expansion)) reg.expansions.register(ref.expansion, chain);
      const slots: number[] = [];
      config.filters.forEach((r, i) => {
        if (r.table === table) slots.push(i);
      });
      values.push([c.id, slots]);
    }
    const graph = applyConfig(prg, values, reg);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const out = new Map<string, Map<string, string[]>>();
    for (const e of graph.edges) {
      if (e.kind !== "port") continue;
      let ports = out.get(e.from);
      if (ports === undefined) out.set(e.from, ports = new Map());
      const list = ports.get(e.port);
      if (list === undefined) ports.set(e.port, [e.to]);
      else list.push(e.to);
    }
    const entryNode = graph.nodes.find((n) => n.spec === ENTRY_SPEC);
    if (entryNode === undefined) {
      throw new Error(`PRG "${graph.name}" has no entry node of spec "${ENTRY_SPEC}"`);
    }
    const entry = out.get(entryNode.id)?.get(ENTRY_PORT) ?? [];
    const done = { graph, byId, out, entry };
    this.#cache.set(config, done);
    return done;
  }

  #dnfOf(expr: PredicateExpr): Dnf {
    let d = this.#portPred.get(expr);
    if (d === undefined) {
      d = buildPred(this.#dnf, fromExpr(expr, this.#table));
      this.#portPred.set(expr, d);
    }
    return d;
  }

  /** Queue `flow` reaches in the configured PRG of `config`; -1 when the walk ends elsewhere. */
  queueOf(config: NicConfig, flow: Flow): number {
    const c = this.#configure(config);
    const flowDnf = buildPred(
      this.#dnf,
      fromExpr(
        udpMatch({
          ...(flow.srcIp === undefined ? {} : { srcIp: flow.srcIp }),
          ...(flow.dstIp === undefined ? {} : { dstIp: flow.dstIp }),
          ...(flow.srcPort === undefined ? {} : { srcPort: flow.srcPort }),
          ...(flow.dstPort === undefined ? {} : { dstPort: flow.dstPort }),
        }),
        this.#table,
      ),
    );
    const d = this.#dnf;
    let next = c.entry[0];
    for (let steps = 0; next !== undefined && steps <= c.graph.nodes.length; steps++) {
      const node = c.byId.get(next) as GraphNode;
      const spec = c.graph.specs[node.spec] as NodeSpec;
      const q = VALID_RE.exec(node.id);
      if (spec.kind === "or" && q !== null) return Number(q[1]);
      let port: string | undefined;
      if (spec.kind === "fnode") {
        let lastSat: string | undefined;
        for (const p of spec.ports) {
          const expr = node.predicates?.[p] ?? spec.predicates?.[p];
          const pd = expr === undefined ? d.top : this.#dnfOf(expr);
          const sat = !d.isFalse(d.and([flowDnf, pd]));
          if (!sat) continue;
          if (this.choice === "satisfiable") {
            port = p;
            break;
          }
          if (d.isFalse(d.and([flowDnf, d.not(pd)]))) {
            port = p;
            break;
          }
          lastSat = p;
        }
        port ??= lastSat;
      } else port = "true"; // O-nodes other than queue entries pass on `true`
      next = port === undefined ? undefined : c.out.get(node.id)?.get(port)?.[0];
    }
    return -1;
  }
}
