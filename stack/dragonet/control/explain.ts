/**
 * Explains what Dragonet's stack would do for a set of flows: one search (greedy, the
 * original's default) from the NIC's bring-up configuration, the chosen configuration, the
 * flow -> queue map with its cost, and the graphs that follow from it: the configured PRG, the
 * LPG embedded into it and the pipelines (dragonet-model.md §5.5, §8-§10, §12).
 *
 * The LPG needs endpoints; unless given, there is one listening endpoint per distinct local
 * address and port of the flows (wildcard remote), each with one socket of application 0.
 *
 * @module
 */
import type { ConfigOp, NicConfig } from "../../../nicmodels/_shared/nic.ts";
import type { Graph } from "../../graph/types.ts";
import { buildLpg } from "../../protocols/lpg.ts";
import { filterLabel, type UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { type BuiltGraph, makeGraph } from "../embed/make_graph.ts";
import { type Cost, formatCost } from "../search/cost.ts";
import type { CostFunction } from "../search/cost_function.ts";
import { type Flow, formatFlow } from "../search/flow.ts";
import { greedySearch } from "../search/greedy_search.ts";
import { IncrementalSearch } from "../search/incremental_search.ts";
import { checkQueues, type DragonetNic } from "./dragonet_nics.ts";
import { type FlowPlacement, formatConfigOp } from "./reconfig_log.ts";

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** The NIC. */
  readonly nic: DragonetNic;
  /** Queues in use (2..the NIC's queue count). */
  readonly queues: number;
  /** Scores placements. */
  readonly cost: CostFunction;
  /** Flows to place. */
  readonly flows: readonly Flow[];
  /** LPG endpoints; default {@link endpointsForFlows}. */
  readonly endpoints?: readonly UdpEndpoint[];
  /** Search algorithm (default greedy). */
  readonly search?: "greedy" | "incremental";
  /** Build the embedded graph and pipelines (default true). */
  readonly graphs?: boolean;
  /** Monotonic milliseconds for the search time (default `performance.now`). */
  readonly timer?: () => number;
}

/** What {@link explain} found. */
export interface Explanation {
  /** NIC id. */
  readonly nic: string;
  /** Queues in use. */
  readonly queues: number;
  /** The chosen NIC configuration. */
  readonly config: NicConfig;
  /** Operations from the bring-up configuration to {@link config}. */
  readonly ops: readonly ConfigOp[];
  /** Each flow and its queue. */
  readonly placement: readonly FlowPlacement[];
  /** Cost of the placement. */
  readonly cost: Cost;
  /** Flows per queue (index = queue). */
  readonly perQueue: readonly number[];
  /** Search time in milliseconds (injected timer). */
  readonly searchMs: number;
  /** Search warnings. */
  readonly warnings: readonly string[];
  /** LPG endpoints used. */
  readonly endpoints: readonly UdpEndpoint[];
  /** The configured PRG. */
  readonly prg: Graph;
  /** Embedded graph, software part and pipelines; null when `graphs` was false. */
  readonly built: BuiltGraph | null;
}

/** One listening endpoint per distinct local (address, port) of `flows`, sockets 0.., app 0. */
export function endpointsForFlows(flows: readonly Flow[]): UdpEndpoint[] {
  const seen = new Map<string, UdpEndpoint>();
  for (const f of flows) {
    const key = `${f.dstIp ?? 0}:${f.dstPort ?? 0}`;
    if (seen.has(key)) continue;
    seen.set(key, {
      sockets: [{ sid: seen.size, appId: 0 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: f.dstIp ?? 0,
      dstPort: f.dstPort ?? 0,
    });
  }
  return [...seen.values()];
}

/** Runs the search for `flows` and builds the graphs (see the module doc). */
export function explain(o: ExplainOptions): Explanation {
  checkQueues(o.nic, o.queues);
  const timer = o.timer ?? (() => performance.now());
  const base = o.nic.initialConfig(o.queues);
  const setup = { plan: o.nic.plan, config: base, oracle: o.nic.oracle(base), cost: o.cost };
  const t0 = timer();
  const result = (o.search ?? "greedy") === "greedy"
    ? greedySearch({ ...setup, flows: o.flows })
    : new IncrementalSearch(setup).update(o.flows);
  const searchMs = timer() - t0;
  const placement = result.qmap.flows.map((flow, i) => ({
    flow,
    queue: result.qmap.queues[i] ?? -1,
  }));
  const perQueue = new Array<number>(o.queues).fill(0);
  for (const p of placement) {
    if (p.queue >= 0 && p.queue < o.queues) perQueue[p.queue] = (perQueue[p.queue] ?? 0) + 1;
  }
  const endpoints = o.endpoints ?? endpointsForFlows(o.flows);
  const prg = o.nic.configurePrg(result.config);
  const built = o.graphs === false ? null : makeGraph(prg, buildLpg(endpoints));
  return {
    nic: o.nic.id,
    queues: o.queues,
    config: result.config,
    ops: result.ops,
    placement,
    cost: result.cost,
    perQueue,
    searchMs,
    warnings: result.warnings,
    endpoints,
    prg,
    built,
  };
}

/** Formats an explanation as text: configuration, flow -> queue map, cost, pipelines. */
export function formatExplanation(x: Explanation): string {
  const lines = [
    `NIC ${x.nic}, ${x.queues} queues (queue 0 = default), ${x.placement.length} flows`,
    `cost ${formatCost(x.cost)}, search ${x.searchMs.toFixed(2)} ms`,
    "",
    `configuration (${x.config.filters.length} filters; ${x.ops.length} ops from bring-up):`,
    ...(x.ops.length === 0 ? ["  (none)"] : x.ops.map((op) => `  ${formatConfigOp(op)}`)),
    "",
    "flow -> queue:",
    ...x.placement.map((p) => `  ${formatFlow(p.flow).padEnd(44)} -> ${p.queue}`),
    "",
    "queue  flows",
    ...x.perQueue.map((n, q) => `${String(q).padStart(5)}  ${n}`),
    "",
    "endpoints (LPG sockets):",
    ...x.endpoints.map((e) =>
      `  ${filterLabel(e)} sockets ${e.sockets.map((s) => `${s.sid}@app${s.appId}`).join(",")}`
    ),
  ];
  if (x.built !== null) {
    lines.push(
      "",
      `embedded graph: ${x.built.embedded.nodes.length} nodes ` +
        `(${x.built.software.nodes.length} in software)`,
      "pipelines:",
      ...x.built.pipelines.map((p) =>
        `  ${p.name.padEnd(6)} ${String(p.graph.nodes.length).padStart(4)} nodes` +
        (p.receivesFrom.length > 0 ? `, from ${p.receivesFrom.join(",")}` : "") +
        (p.sendsTo.length > 0 ? `, to ${p.sendsTo.join(",")}` : "")
      ),
    );
  }
  for (const w of x.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n") + "\n";
}
