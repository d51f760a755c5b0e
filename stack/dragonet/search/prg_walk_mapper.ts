/**
 * Queue mapping by walking the NIC's configured PRG (dragonet-model.md §8.2, `FlowMap.hs`):
 * the NIC module configures its PRG (`configure82599Prg`, `configureSfc9020Prg`: every
 * filter-table C-node expanded by the NIC's registered expansion functions into a chain of
 * filter F-nodes in the NIC's precedence, `nicmodels/<nic>/prg_configure.ts`), then the walk follows
 * the flow from the successor of the L2 entry on port `other`: at an F-node take a port by
 * predicate (below), stop at a queue's OR node `q<n>.valid` (queue n).
 *
 * Port choice at an F-node, with the flow's predicate `EthType=IPv4 ∧ IpProt=UDP ∧` one atom per
 * given field (`stack/graph/predicate` DNF builder and SAT):
 * - `covering` (default, the lab's semantics, agreeing with {@link NicConfigMapper}): the first
 *   port whose predicate the flow implies; if none does, the last satisfiable port. A filter
 *   that covers only part of a flow does not claim it.
 * - `satisfiable` (the original's): the first port whose predicate is satisfiable together with
 *   the flow's (a wildcard flow is taken by any filter it overlaps).
 * Nodes whose predicate no flow fixes (the checksum-status nodes, filters on address prefixes,
 * partial port masks, VLAN, MAC or SYN) pass a flow on their last satisfiable port (`covering`)
 * or first one (`satisfiable`); a filter with such an atom never claims a flow. Not a hot path:
 * for tests and cross-checks (one graph configuration per NIC configuration, cached).
 *
 * @module
 */
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { configNodes } from "../../graph/config/mod.ts";
import {
  AtomTable,
  buildPred,
  type Dnf,
  DnfAlgebra,
  fromExpr,
  udpMatch,
} from "../../graph/predicate/mod.ts";
import type { Graph, GraphNode, NodeSpec, PredicateExpr } from "../../graph/types.ts";
import type { Flow } from "./flow.ts";
import { checkMappable, type MapperPlan } from "./mapper_plan.ts";
import type { QueueMapper } from "./queue_mapper.ts";

/** How the walk chooses an F-node's port (see module doc). */
export type PortChoice = "covering" | "satisfiable";

const ENTRY_SPEC = "nic.rx.l2.ether-classify";
const ENTRY_PORT = "other";
const VALID_RE = /(?:^|\.)q(\d+)\.valid$/;

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

  /**
   * A mapper for the configured PRGs `configure` returns (e.g. `configure82599Prg`); `plan` is
   * the NIC's plan (its RSS check and its stage order, which the configured PRG must share).
   */
  constructor(
    plan: MapperPlan,
    configure: (config: NicConfig) => Graph,
    choice: PortChoice = "covering",
  ) {
    this.plan = plan;
    this.#build = configure;
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
    const graph = this.#build(config);
    const left = configNodes(graph).map((n) => n.id);
    if (left.length > 0) {
      throw new Error(
        `PRG "${graph.name}" is not configured: C-nodes ${left.join(", ")} remain; pass the ` +
          "NIC's configure function (configure82599Prg, configureSfc9020Prg), not its PRG builder",
      );
    }
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
