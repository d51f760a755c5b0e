/**
 * The incremental search (dragonet-model.md §10, `Search.hs` `incrSearchGreedyFlows`, active
 * with the stack's `-i`): state persists across calls, each call takes a flow delta.
 *
 * 1. Removed flows leave the flow -> queue map; their filters stay installed, unowned (lazy
 *    removal), and become recyclable.
 * 2. Added flows (in the cost function's order) get candidates from the stateful oracle
 *    (`flowConfChangesS`): first every unowned filter rewritten for the flow on its queue
 *    (recycling), then fresh filters for the queues recycling does not cover, in a rotating
 *    queue order `1 + ((start + i) mod (nq − 1))` whose start advances by one per call modulo
 *    nq − 1 (quirk Q6 fixed; `quirkQ6: true` advances modulo nq like the original). The first
 *    candidate is evaluated, then the next ones in order keeping the strictly better; the
 *    search stops early once the best cost is acceptable and at least `earlyStopAfter`
 *    (default 6) candidates were evaluated.
 * 3. If the cost after the last added flow is a rejection, the search jumps: it discards every
 *    filter it installed (the original's default jump) and places all flows again, once per
 *    call; with nothing to discard the rejected result is returned as is.
 * The NIC is then moved to the new configuration by the returned diff.
 *
 * @module
 */
import type {
  ConfigOp,
  FilterRule,
  NicConfig,
  ProposedChange,
} from "../../../nicmodels/_shared/nic.ts";
import { compareCost, type Cost, CostKind, formatCost, isAcceptable } from "./cost.ts";
import type { CostFunction } from "./cost_function.ts";
import { checkFlow, type Flow, flowKey, formatFlow } from "./flow.ts";
import { type FlowsState, resetFlows } from "./flows_state.ts";
import type { MapperPlan } from "./mapper_plan.ts";
import type { SearchOracle } from "./oracle.ts";
import { QMapState } from "./qmap_state.ts";
import { type Placement, SearchError, type SearchResult } from "./search_result.ts";

/** Inputs of {@link IncrementalSearch}. */
export interface IncrementalOptions {
  /** The NIC's queue-mapping plan. */
  readonly plan: MapperPlan;
  /** Starting configuration; its queue count is nq. */
  readonly config: NicConfig;
  /** Proposes fresh filters and replacements. */
  readonly oracle: SearchOracle;
  /** Scores placements. */
  readonly cost: CostFunction;
  /** Candidates to evaluate before an acceptable best may stop the loop (default 6, §10). */
  readonly earlyStopAfter?: number;
  /** Reproduce quirk Q6 (start queue advances modulo nq instead of nq − 1). Default false. */
  readonly quirkQ6?: boolean;
}

/** A filter the search installed and the flow that owns it (null after lazy removal). */
export interface OwnedFilter {
  /** The installed rule. */
  readonly rule: FilterRule;
  /** Its queue. */
  readonly queue: number;
  /** Key of the owning flow, or null when its flow was removed. */
  readonly owner: string | null;
}

interface Candidate {
  readonly change: ProposedChange;
  /** Index into the owned-filter list when recycling, else -1. */
  readonly recycles: number;
}

function addedRule(change: ProposedChange): FilterRule | undefined {
  for (let i = change.ops.length - 1; i >= 0; i--) {
    const op = change.ops[i] as ConfigOp;
    if (op.op === "add") return op.rule;
  }
  return undefined;
}

/**
 * Nets a sequence of committed ops into a diff: a rule added and removed again in the same
 * call disappears; removes of earlier rules come first, then the remaining adds, in order.
 */
export function netOps(ops: readonly ConfigOp[]): ConfigOp[] {
  const added = new Map<FilterRule, number>();
  const removes: ConfigOp[] = [];
  const adds: (ConfigOp | null)[] = [];
  for (const op of ops) {
    if (op.op === "add") {
      added.set(op.rule, adds.length);
      adds.push(op);
    } else if (op.op === "remove") {
      const i = added.get(op.rule);
      if (i !== undefined) {
        adds[i] = null;
        added.delete(op.rule);
      } else removes.push(op);
    } else removes.push(op);
  }
  return [...removes, ...adds.filter((o): o is ConfigOp => o !== null)];
}

/** Incremental greedy search with persistent state (see module doc). */
export class IncrementalSearch {
  #o: IncrementalOptions;
  #state: QMapState;
  #owned: OwnedFilter[] = [];
  /** Index into #owned per owning flow key. */
  #ownerIndex = new Map<string, number>();
  /** Indices into #owned of unowned filters, in the order they were freed. */
  #unowned = new Set<number>();
  /** Ops committed during the current call, netted into the returned diff. */
  #ops: ConfigOp[] = [];
  #start = 0;
  readonly #earlyStop: number;

  /** A search starting from `options.config` with no flows. */
  constructor(options: IncrementalOptions) {
    const k = options.earlyStopAfter ?? 6;
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`earlyStopAfter must be an integer >= 1, got ${k}`);
    }
    if (options.config.queues < 2) {
      throw new RangeError(
        `The search needs at least 2 queues (queue 0 is the default), got ${options.config.queues}`,
      );
    }
    this.#earlyStop = k;
    this.#o = options;
    this.#state = new QMapState(options.plan, options.config, options.cost);
    options.oracle.reset(options.config);
  }

  /** The configuration in force. */
  config(): NicConfig {
    return this.#state.config();
  }

  /** Filters this search installed, with their owners. */
  owned(): readonly OwnedFilter[] {
    return this.#owned;
  }

  /** Queue of a placed flow, or undefined. */
  queueOf(flow: Flow): number | undefined {
    return this.#state.queueOf(flow);
  }

  /** Number of placed flows. */
  get size(): number {
    return this.#state.size;
  }

  /** The current cost. */
  cost(): Cost {
    return this.#state.cost();
  }

  /** The stateful oracle's candidates for `flow` (advances the rotating start queue). */
  #candidates(flow: Flow): Candidate[] {
    const out: Candidate[] = [];
    const covered = new Set<number>();
    for (const i of this.#unowned) {
      const f = this.#owned[i] as OwnedFilter;
      const c = this.#o.oracle.replace(f.rule, flow);
      if (c === null) continue;
      out.push({ change: c, recycles: i });
      covered.add(c.queue);
    }
    const nq = this.#state.queues;
    const byQueue = new Map<number, ProposedChange>();
    for (const c of this.#o.oracle.propose(flow)) {
      if (c.queue > 0 && !covered.has(c.queue) && !byQueue.has(c.queue)) byQueue.set(c.queue, c);
    }
    for (let i = 0; i < nq - 1; i++) {
      const c = byQueue.get(1 + ((this.#start + i) % (nq - 1)));
      if (c !== undefined) out.push({ change: c, recycles: -1 });
    }
    this.#start = (this.#start + 1) % (this.#o.quirkQ6 === true ? nq : nq - 1);
    return out;
  }

  #place(flow: Flow, placements: Placement[]): number {
    const pending = this.#state.pend(flow);
    const cands = this.#candidates(flow);
    if (cands.length === 0) {
      throw new SearchError(
        `Oracle ${this.#o.oracle.name} proposes no change for flow ${formatFlow(flow)} after ` +
          `${this.#state.size} placed flows: every filter table it may use is full`,
        flow,
      );
    }
    let best = cands[0] as Candidate;
    let bestCost = this.#state.evaluate(best.change, pending);
    let n = 1;
    for (let i = 1; i < cands.length; i++) {
      if (bestCost.kind === CostKind.Ok) break;
      if (isAcceptable(bestCost) && n >= this.#earlyStop) break;
      const c = cands[i] as Candidate;
      const cost = this.#state.evaluate(c.change, pending);
      n++;
      if (compareCost(cost, bestCost) < 0) {
        best = c;
        bestCost = cost;
      }
    }
    const queue = this.#state.commit(best.change, pending);
    this.#o.oracle.commit(best.change);
    for (const op of best.change.ops) this.#ops.push(op);
    const rule = addedRule(best.change);
    if (rule !== undefined) {
      const key = flowKey(flow);
      const entry = { rule, queue: best.change.queue, owner: key };
      if (best.recycles >= 0) {
        this.#owned[best.recycles] = entry;
        this.#unowned.delete(best.recycles);
        this.#ownerIndex.set(key, best.recycles);
      } else {
        this.#ownerIndex.set(key, this.#owned.length);
        this.#owned.push(entry);
      }
    }
    placements.push({ flow, queue, change: best.change, cost: bestCost, evaluated: n });
    return n;
  }

  /** Removes `removed`, then places `added`; jumps once when the result is rejected. */
  update(added: readonly Flow[], removed: readonly Flow[] = []): SearchResult {
    for (const f of added) checkFlow(f);
    this.#ops = [];
    const warnings: string[] = [];
    const placements: Placement[] = [];
    let evaluated = 0;
    for (const f of removed) {
      const key = flowKey(f);
      if (!this.#state.remove(f)) {
        warnings.push(`Flow ${key} removed but not placed: ignored`);
        continue;
      }
      const i = this.#ownerIndex.get(key);
      const o = i === undefined ? undefined : this.#owned[i];
      if (i !== undefined && o !== undefined) {
        this.#owned[i] = { ...o, owner: null };
        this.#ownerIndex.delete(key);
        this.#unowned.add(i);
      }
    }
    const fresh: Flow[] = [];
    const seen = new Set<string>();
    for (const f of added) {
      const key = flowKey(f);
      if (this.#state.has(f) || seen.has(key)) {
        warnings.push(`Flow ${key} added but already placed: ignored`);
      } else {
        seen.add(key);
        fresh.push(f);
      }
    }
    const ordered = this.#o.cost.order?.(fresh) ?? fresh;
    for (const f of ordered) evaluated += this.#place(f, placements);
    let cost = this.#state.cost();
    if (!isAcceptable(cost) && this.#owned.length > 0) {
      warnings.push(
        `Cost ${formatCost(cost)} is a rejection: discarded every search filter and jumped`,
      );
      const all = this.#state.qmap().flows;
      const discard: ConfigOp[] = this.#owned.map((o) => ({ op: "remove", rule: o.rule }));
      const { plan, cost: fn } = this.#o;
      const base = new QMapState(plan, this.#state.config(), fn);
      base.commit({ ops: discard, queue: 0, affectedQueues: [] }, null);
      for (const op of discard) this.#ops.push(op);
      const restart = base.config();
      this.#state = new QMapState(plan, restart, fn);
      this.#o.oracle.reset(restart);
      this.#owned = [];
      this.#ownerIndex.clear();
      this.#unowned.clear();
      for (const f of this.#o.cost.order?.(all) ?? all) evaluated += this.#place(f, placements);
      cost = this.#state.cost();
    }
    const config = this.#state.config();
    return {
      config,
      ops: netOps(this.#ops),
      qmap: this.#state.qmap(),
      cost,
      placements,
      evaluated,
      warnings,
    };
  }

  /** Runs {@link update} on a {@link FlowsState} delta; returns the result and the reset state. */
  updateFlows(st: FlowsState): { result: SearchResult; state: FlowsState } {
    return { result: this.update(st.added, st.removed), state: resetFlows(st) };
  }
}
