/**
 * Dragonet's control loop (dragonet-model.md §12.1, source `stack/Stack.hs`): application
 * events change the registered endpoints and flows; an event without the MORE flag triggers a
 * reconfiguration (`updateGraph`):
 *
 * 1. bump the version and take the pending flow delta (`FlowsSt` reset);
 * 2. search: greedy over all current flows, or incremental over the delta (search time from
 *    the injected timer);
 * 3. rebuild the software graph (configured PRG + LPG -> embedding -> pipelines) while no graph
 *    exists or the version is below the warm-up limit (original: 5); once warm only the NIC
 *    configuration changes, because the LPG demultiplexes any flow correctly and placement is
 *    an optimisation. Extension: a changed endpoint set (bind, span, close) also rebuilds, since
 *    the LPG itself changed (`rebuildOnEndpointChange`, default true; false = the original);
 * 4. apply the configuration diff to the NIC model;
 * 5. hand rebuilt pipelines to the runtime (`onPipelines`) and record the run.
 *
 * Quirk Q11 fixed: a trigger that arrives while an update runs (from an asynchronous graph
 * builder or pipeline hand-over, or from a listener) is not dropped but coalesced: one more run
 * follows, serving every trigger that arrived meanwhile. A failed run (search finds no filter,
 * graph construction throws) leaves the NIC unchanged, is recorded with its error, and the next
 * run searches again from scratch.
 *
 * Time comes from the injected `clock` (nanoseconds; the simulator drives it) and the search
 * and rebuild durations from the injected `timer` (milliseconds).
 *
 * @module
 */
import { diffConfig } from "../../../nicmodels/_shared/config_diff.ts";
import type { ConfigOp, NicConfig, NicModel } from "../../../nicmodels/_shared/nic.ts";
import { buildLpg } from "../../protocols/lpg.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { type BuiltGraph, makeGraph } from "../embed/make_graph.ts";
import type { CostFunction } from "../search/cost_function.ts";
import type { Flow } from "../search/flow.ts";
import { type FlowsState, resetFlows } from "../search/flows_state.ts";
import { greedySearch } from "../search/greedy_search.ts";
import { IncrementalSearch } from "../search/incremental_search.ts";
import type { SearchResult } from "../search/search_result.ts";
import { AppRegistry } from "./app_registry.ts";
import { checkQueues, type DragonetNic } from "./dragonet_nics.ts";
import { type AppEvent, EventFlag, type EventReply } from "./events.ts";
import type { FlowPlacement, RebuildReason, ReconfigRecord } from "./reconfig_log.ts";

/** Builds the software graph from a NIC configuration and the endpoints; may be asynchronous. */
export type GraphBuilder<G> = (
  config: NicConfig,
  endpoints: readonly UdpEndpoint[],
  version: number,
) => G | Promise<G>;

/** The original stack's warm-up limit: rebuild while version < 5 (dragonet-model.md §12.1). */
export const WARMUP_VERSIONS = 5;

/** Options of {@link DragonetControl}. */
export interface ControlOptions<G> {
  /** The NIC (plan, oracle, configured PRG). */
  readonly nic: DragonetNic;
  /** Queues in use (2..the NIC's queue count; queue 0 is the default). */
  readonly queues: number;
  /** Scores placements. */
  readonly cost: CostFunction;
  /** "greedy" (original default) or "incremental" (the original's `-i`). */
  readonly search: "greedy" | "incremental";
  /** The behavioural NIC model the diff is applied to; default `nic.model(initial config)`. */
  readonly model?: NicModel;
  /** Software graph builder; default {@link dragonetGraphBuilder}. */
  readonly builder?: GraphBuilder<G>;
  /** Receives each rebuilt graph (pipelines updated); may be asynchronous. */
  readonly onPipelines?: (graph: G, version: number) => void | Promise<void>;
  /** Called after every run with its record (the original's readiness signal). */
  readonly onReconfigured?: (record: ReconfigRecord) => void;
  /** Current time in nanoseconds; default `performance.now()` scaled. */
  readonly clock?: () => number;
  /** Monotonic milliseconds for search and rebuild durations; default `performance.now`. */
  readonly timer?: () => number;
  /** Rebuild while version < this (default {@link WARMUP_VERSIONS}). */
  readonly warmupVersions?: number;
  /** Rebuild when the endpoint set changed even once warm (default true; false = original). */
  readonly rebuildOnEndpointChange?: boolean;
}

/** The default builder: configured PRG + LPG of the endpoints -> `makeGraph` (§5.5, §12.2). */
export function dragonetGraphBuilder(nic: DragonetNic): GraphBuilder<BuiltGraph> {
  return (config, endpoints) => makeGraph(nic.configurePrg(config), buildLpg(endpoints));
}

const defaultClock = () => Math.round(performance.now() * 1e6);

/** The control loop (see the module doc). `G` is what the graph builder returns. */
export class DragonetControl<G = BuiltGraph> {
  readonly #o: ControlOptions<G>;
  readonly #nic: NicModel;
  readonly #base: NicConfig;
  readonly #builder: GraphBuilder<G>;
  readonly #clock: () => number;
  readonly #timer: () => number;
  readonly #warmup: number;
  readonly #registry = new AppRegistry();
  #incremental: IncrementalSearch | null = null;
  #graph: G | null = null;
  #built = false;
  #version = 0;
  #log: ReconfigRecord[] = [];
  #events = 0;
  #endpointGen = 1;
  #builtGen = 0;
  #updating = false;
  #pending = false;
  #coalesced = 0;
  #triggeredAt = -1;
  #running: Promise<void> = Promise.resolve();
  #last: SearchResult | null = null;
  #error: unknown = undefined;

  /** A control loop with no applications; call {@link start} for the start-up run. */
  constructor(options: ControlOptions<G>) {
    checkQueues(options.nic, options.queues);
    const w = options.warmupVersions ?? WARMUP_VERSIONS;
    if (!Number.isInteger(w) || w < 0) {
      throw new RangeError(`warmupVersions must be an integer >= 0, got ${w}`);
    }
    this.#o = options;
    this.#warmup = w;
    this.#base = options.nic.initialConfig(options.queues);
    this.#nic = options.model ?? options.nic.model(this.#base);
    this.#builder = options.builder ??
      (dragonetGraphBuilder(options.nic) as unknown as GraphBuilder<G>);
    this.#clock = options.clock ?? defaultClock;
    this.#timer = options.timer ?? (() => performance.now());
  }

  /** Runs the start-up reconfiguration (no flows); resolves when it and any follow-up finished. */
  start(): Promise<void> {
    this.#trigger();
    return this.settled();
  }

  /**
   * Handles one application event and returns its reply at once. Without the MORE flag it
   * triggers a reconfiguration (coalesced if one is running); await {@link settled} for it.
   */
  handle(event: AppEvent): EventReply {
    const out = this.#registry.handle(event);
    this.#events++;
    if (out.endpointsChanged) this.#endpointGen++;
    if ((event.flags & EventFlag.More) === 0) this.#trigger();
    return out.reply;
  }

  /**
   * Resolves once no reconfiguration is running or pending; rejects with the error of a
   * listener (`onReconfigured`) that threw since the last call.
   */
  async settled(): Promise<void> {
    while (this.#updating) await this.#running;
    if (this.#error !== undefined) {
      const e = this.#error;
      this.#error = undefined;
      throw e;
    }
  }

  /** Every run so far, oldest first. */
  log(): readonly ReconfigRecord[] {
    return this.#log;
  }

  /** The NIC model the diffs are applied to. */
  get nicModel(): NicModel {
    return this.#nic;
  }

  /** The current software graph, or null before the first successful run. */
  graph(): G | null {
    return this.#graph;
  }

  /** The last successful search result, or null. */
  lastSearch(): SearchResult | null {
    return this.#last;
  }

  /** The current graph version (number of runs started). */
  get version(): number {
    return this.#version;
  }

  /** The registered applications, sockets, endpoints and flows. */
  get registry(): AppRegistry {
    return this.#registry;
  }

  /** Whether a run is in progress (a trigger now would be coalesced). */
  get updating(): boolean {
    return this.#updating;
  }

  #trigger(): void {
    if (this.#triggeredAt < 0) this.#triggeredAt = this.#clock();
    if (this.#updating) {
      this.#pending = true;
      this.#coalesced++;
      return;
    }
    this.#updating = true;
    this.#running = this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      do {
        this.#pending = false;
        const step = this.#update();
        if (step !== null) await step;
      } while (this.#pending);
    } catch (e) {
      // Only a throwing listener (onReconfigured, onPipelines) gets here; settled() rethrows.
      this.#error = e;
    } finally {
      this.#updating = false;
    }
  }

  #search(flows: FlowsState): SearchResult {
    const { nic, cost } = this.#o;
    if (this.#o.search === "greedy") {
      return greedySearch({
        plan: nic.plan,
        config: this.#base,
        oracle: nic.oracle(this.#base),
        cost,
        flows: resetFlows(flows).current,
      });
    }
    if (this.#incremental === null) {
      // From scratch (start-up, or after a failed run left the search state unusable).
      this.#incremental = new IncrementalSearch({
        plan: nic.plan,
        config: this.#base,
        oracle: nic.oracle(this.#base),
        cost,
      });
      return this.#incremental.update(resetFlows(flows).current);
    }
    return this.#incremental.update(flows.added, flows.removed);
  }

  /** One run; returns a promise only when the builder or the pipeline hand-over is async. */
  #update(): Promise<void> | null {
    const version = ++this.#version;
    const startedAt = this.#clock();
    const triggeredAt = this.#triggeredAt < 0 ? startedAt : this.#triggeredAt;
    const events = this.#events;
    const coalesced = this.#coalesced;
    this.#triggeredAt = -1;
    this.#events = 0;
    this.#coalesced = 0;
    const flows = this.#registry.flows();
    const fresh = this.#incremental === null;
    const base = {
      version,
      triggeredAt,
      startedAt,
      events,
      coalesced,
      added: fresh && this.#o.search === "incremental" ? resetFlows(flows).current : flows.added,
      removed: flows.removed,
    };
    const t0 = this.#timer();
    let result: SearchResult;
    try {
      result = this.#search(flows);
    } catch (e) {
      this.#incremental = null;
      this.#record({ ...base, searchMs: this.#timer() - t0 }, null, "none", 0, [], e);
      return null;
    }
    const searchMs = this.#timer() - t0;
    this.#registry.setFlows(resetFlows(flows));
    const ops = this.#o.search === "incremental" && !fresh
      ? result.ops
      : diffConfig(this.#nic.config(), result.config);
    const reason: RebuildReason = !this.#built
      ? "initial"
      : version < this.#warmup
      ? "warm-up"
      : this.#endpointGen !== this.#builtGen && this.#o.rebuildOnEndpointChange !== false
      ? "endpoints"
      : "none";
    const done = { ...base, searchMs, endpointGen: this.#endpointGen };
    if (reason === "none") {
      return this.#finish(done, result, reason, 0, ops, null);
    }
    const t1 = this.#timer();
    let built: G | Promise<G>;
    try {
      built = this.#builder(result.config, this.#registry.endpoints(), version);
    } catch (e) {
      return this.#fail(done, result, reason, t1, e);
    }
    if (!(built instanceof Promise)) {
      return this.#finish(done, result, reason, this.#timer() - t1, ops, built);
    }
    return built.then(
      async (g) => {
        await this.#finish(done, result, reason, this.#timer() - t1, ops, g);
      },
      (e) => {
        this.#fail(done, result, reason, t1, e);
      },
    );
  }

  #fail(
    done: RunBase,
    result: SearchResult,
    reason: RebuildReason,
    t1: number,
    e: unknown,
  ): null {
    // The search moved on but the NIC did not: the next run starts the search afresh and
    // takes every flow as new.
    this.#incremental = null;
    this.#record(done, result, reason, this.#timer() - t1, [], e);
    return null;
  }

  #finish(
    done: RunBase,
    result: SearchResult,
    reason: RebuildReason,
    rebuildMs: number,
    ops: readonly ConfigOp[],
    graph: G | null,
  ): Promise<void> | null {
    try {
      this.#nic.apply(ops);
    } catch (e) {
      this.#incremental = null;
      this.#record(done, result, reason, rebuildMs, [], e);
      return null;
    }
    this.#last = result;
    if (reason === "none") {
      this.#record(done, result, reason, rebuildMs, ops, null);
      return null;
    }
    this.#graph = graph as G;
    this.#built = true;
    this.#builtGen = done.endpointGen ?? this.#builtGen;
    // The NIC is reconfigured either way; a failed hand-over is recorded with its error.
    let handed: void | Promise<void>;
    try {
      handed = this.#o.onPipelines?.(graph as G, done.version);
    } catch (e) {
      this.#record(done, result, reason, rebuildMs, ops, e);
      return null;
    }
    if (handed instanceof Promise) {
      return handed.then(
        () => this.#record(done, result, reason, rebuildMs, ops, null),
        (e) => this.#record(done, result, reason, rebuildMs, ops, e),
      );
    }
    this.#record(done, result, reason, rebuildMs, ops, null);
    return null;
  }

  #record(
    { endpointGen: _gen, ...done }: RunBase,
    result: SearchResult | null,
    rebuild: RebuildReason,
    rebuildMs: number,
    ops: readonly ConfigOp[],
    error: unknown,
  ): void {
    const placement: FlowPlacement[] = [];
    if (result !== null && error === null) {
      result.qmap.flows.forEach((flow, i) => {
        placement.push({ flow, queue: result.qmap.queues[i] ?? -1 });
      });
    }
    const record: ReconfigRecord = {
      ...done,
      finishedAt: this.#clock(),
      placement,
      cost: result === null || error !== null ? null : result.cost,
      ops,
      evaluated: result?.evaluated ?? 0,
      rebuild,
      rebuildMs,
      warnings: result?.warnings ?? [],
      error: error === null ? null : error instanceof Error ? error.message : String(error),
    };
    this.#log.push(record);
    this.#o.onReconfigured?.(record);
  }
}

/** The part of a record known before the graph step. */
interface RunBase {
  readonly version: number;
  readonly triggeredAt: number;
  readonly startedAt: number;
  readonly events: number;
  readonly coalesced: number;
  readonly added: readonly Flow[];
  readonly removed: readonly Flow[];
  readonly searchMs: number;
  /** Endpoint generation the graph is built from (absent when the search failed). */
  readonly endpointGen?: number;
}
