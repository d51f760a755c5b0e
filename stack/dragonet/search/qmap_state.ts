/**
 * The search's incremental flow -> queue map: flows, installed rules, the queue and claiming
 * rule of every flow, and the per-queue loads the cost function reads (dragonet-model.md §8.2,
 * `zQmapIncremental`; the role of the incremental search's FlowMap).
 *
 * Evaluating a candidate change recomputes only flows whose queue is in the change's affected
 * queues, plus the flow being placed, and only against the rules the change adds (or, for a
 * flow whose claiming rule the change removes, against all rules). Moves are applied to the
 * loads, the cost is read, and the moves are reverted, so evaluating allocates almost nothing.
 * A change that only adds one exact rule (all four fields under full masks, the oracles' usual
 * candidate for a fully specified flow) can move only the one flow with the rule's numbers, so
 * that flow is found through a hash of fully specified flows instead of scanning the affected
 * queues (the same move under the same affected-queues contract).
 * Agreement with the from-scratch {@link NicConfigMapper} is a tested property.
 *
 * @module
 */
import { ruleKey } from "../../../nicmodels/_shared/config_diff.ts";
import type { FilterRule, NicConfig, ProposedChange } from "../../../nicmodels/_shared/nic.ts";
import { type CompiledRule, ruleClaims } from "./_compiled_rule.ts";
import type { Cost } from "./cost.ts";
import { type CostFunction, flowWeight } from "./cost_function.ts";
import { ALL_FLOW_FIELDS, type Flow, flowFields, flowKey, flowPorts } from "./flow.ts";
import { checkMappable, type MapperPlan } from "./mapper_plan.ts";
import type { QMap } from "./queue_mapper.ts";
import { QueueLoads } from "./queue_loads.ts";

/** A flow prepared for placement: its numbers and the rule that claims it before any change. */
export interface PendingFlow {
  /** The flow. */
  readonly flow: Flow;
  /** Field bits. */
  readonly fields: number;
  /** Source address (0 when wildcard). */
  readonly src: number;
  /** Destination address (0 when wildcard). */
  readonly dst: number;
  /** Ports (source << 16 | destination). */
  readonly ports: number;
  /** Cost-function class. */
  readonly cls: number;
  /** Weight. */
  readonly weight: number;
  /** Claiming rule index under the current rules, or -1. */
  readonly decider: number;
}

const NONE = -1;

/** Rules comparing the same fields under the same masks, by masked values. */
interface Shape {
  readonly pattern: number;
  readonly srcMask: number;
  readonly dstMask: number;
  readonly portMask: number;
  readonly byKey: Map<string, number[]>;
}

function shapeKey(src: number, dst: number, ports: number): string {
  return `${src >>> 0}.${dst >>> 0}.${ports >>> 0}`;
}

/** A number (no allocation) hashing a fully specified flow's fields, for {@link QMapState}. */
function exactHash(src: number, dst: number, ports: number): number {
  return (Math.imul(src, 0x9e3779b1) ^ Math.imul(dst ^ 0x85ebca6b, 0xc2b2ae35) ^ ports) | 0;
}

/** True when `r` compares all four fields under full masks (claims one fully specified flow). */
function isExact(r: CompiledRule): boolean {
  return r.pattern === ALL_FLOW_FIELDS && r.srcMask === 0xffffffff &&
    r.dstMask === 0xffffffff && r.portMask === 0xffffffff;
}

/** Incremental flow -> queue state over one NIC plan and cost function. */
export class QMapState {
  /** The NIC plan. */
  readonly plan: MapperPlan;
  /** The cost function whose classes and weights the loads use. */
  readonly costFn: CostFunction;
  /** Per-class per-queue loads of the placed flows. */
  readonly loads: QueueLoads;
  #base: NicConfig;
  #filters: FilterRule[];
  #configCache: NicConfig | null = null;
  // rules, in configuration list order (dead ones stay as null)
  #rules: (CompiledRule | null)[] = [];
  #ruleObj: (FilterRule | null)[] = [];
  #ruleByObj = new Map<FilterRule, number[]>();
  /** Live rules grouped by match shape (fields and masks), then by masked values. */
  #shapes: Shape[] = [];
  // flows by slot
  #flows: (Flow | undefined)[] = [];
  #fFields = new Int32Array(64);
  #fSrc = new Uint32Array(64);
  #fDst = new Uint32Array(64);
  #fPorts = new Uint32Array(64);
  #fQueue = new Int32Array(64);
  #fDecider = new Int32Array(64);
  #fCls = new Int32Array(64);
  #fWeight = new Float64Array(64);
  #fPos = new Int32Array(64);
  #free: number[] = [];
  #slotByKey = new Map<string, number>();
  /** Slots of fully specified flows by a hash of their numbers (exact rules find them here). */
  #exactSlots = new Map<number, number[]>();
  #byQueue: number[][];
  // scratch for candidate evaluation
  #moveFlow = new Int32Array(64);
  #moveTo = new Int32Array(64);
  #moveDecider = new Int32Array(64);
  #nMoves = 0;

  /** Starts from `config` with no flows. */
  constructor(plan: MapperPlan, config: NicConfig, costFn: CostFunction) {
    checkMappable(config);
    this.plan = plan;
    this.costFn = costFn;
    this.#base = config;
    this.#filters = [];
    this.loads = new QueueLoads(config.queues, costFn.classes);
    this.#byQueue = Array.from({ length: config.queues }, () => []);
    for (const r of config.filters) this.#pushRule(r);
    this.#configCache = config;
  }

  /** The configuration in force (initial configuration plus committed changes). */
  config(): NicConfig {
    if (this.#configCache === null) {
      this.#configCache = { ...this.#base, filters: this.#filters.slice() };
    }
    return this.#configCache;
  }

  /** Configured queue count (nq). */
  get queues(): number {
    return this.#base.queues;
  }

  /** Number of placed flows. */
  get size(): number {
    return this.#slotByKey.size;
  }

  /** True when a flow with the same fields is placed. */
  has(flow: Flow): boolean {
    return this.#slotByKey.has(flowKey(flow));
  }

  /** Queue of a placed flow, or undefined when it is not placed. */
  queueOf(flow: Flow): number | undefined {
    const s = this.#slotByKey.get(flowKey(flow));
    return s === undefined ? undefined : this.#fQueue[s];
  }

  /** The installed rule claiming a placed flow (null for the default queue), undefined if absent. */
  claimingRule(flow: Flow): FilterRule | null | undefined {
    const s = this.#slotByKey.get(flowKey(flow));
    if (s === undefined) return undefined;
    const d = this.#fDecider[s] ?? NONE;
    return d === NONE ? null : this.#ruleObj[d] ?? null;
  }

  /** The current cost. */
  cost(): Cost {
    return this.costFn.evaluate(this.loads);
  }

  /** The placed flows and their queues, in slot order (a copy). */
  qmap(): QMap {
    const n = this.#flows.length;
    if (this.#free.length === 0) {
      return { flows: this.#flows.slice() as Flow[], queues: this.#fQueue.slice(0, n) };
    }
    const flows: Flow[] = new Array(this.#slotByKey.size);
    const queues = new Int32Array(this.#slotByKey.size);
    let k = 0;
    for (let s = 0; s < n; s++) {
      const f = this.#flows[s];
      if (f === undefined) continue;
      flows[k] = f;
      queues[k++] = this.#fQueue[s] ?? NONE;
    }
    return { flows, queues };
  }

  #pushRule(rule: FilterRule): number {
    const i = this.#rules.length;
    const compiled = this.plan.compile(rule, this.#base);
    this.#rules.push(compiled);
    if (compiled !== null) this.#index(compiled, i, 1);
    this.#ruleObj.push(rule);
    this.#filters.push(rule);
    const list = this.#ruleByObj.get(rule);
    if (list === undefined) this.#ruleByObj.set(rule, [i]);
    else list.push(i);
    return i;
  }

  /** Adds (1) or removes (-1) rule `i` in the index of its match shape. */
  #index(r: CompiledRule, i: number, sign: 1 | -1): void {
    let sh = this.#shapes.find((x) =>
      x.pattern === r.pattern && x.srcMask === r.srcMask && x.dstMask === r.dstMask &&
      x.portMask === r.portMask
    );
    if (sh === undefined) {
      sh = { ...r, byKey: new Map() };
      this.#shapes.push(sh);
    }
    const key = shapeKey(r.src, r.dst, r.ports);
    const list = sh.byKey.get(key);
    if (sign === 1) {
      if (list === undefined) sh.byKey.set(key, [i]);
      else list.push(i); // indices grow, so lists stay sorted
    } else if (list !== undefined) {
      list.splice(list.indexOf(i), 1);
      if (list.length === 0) sh.byKey.delete(key);
    }
  }

  /** Index of the first installed rule that is `rule` (same object, else same content). */
  #findRule(rule: FilterRule): number {
    const list = this.#ruleByObj.get(rule);
    if (list !== undefined && list.length > 0) return list[0] as number;
    const k = ruleKey(rule);
    for (let i = 0; i < this.#ruleObj.length; i++) {
      const r = this.#ruleObj[i];
      if (r && ruleKey(r) === k) return i;
    }
    throw new Error(`Cannot remove rule ${k}: it is not installed`);
  }

  /** The claiming rule among live rules not in `skip` (lowest rank, then lowest index), or -1. */
  #walk(fields: number, src: number, dst: number, ports: number, skip: readonly number[]): number {
    let best = NONE;
    let bestRank = Infinity;
    for (const sh of this.#shapes) {
      if ((fields & sh.pattern) !== sh.pattern) continue;
      const list = sh.byKey.get(shapeKey(src & sh.srcMask, dst & sh.dstMask, ports & sh.portMask));
      if (list === undefined) continue;
      for (const i of list) {
        const r = this.#rules[i];
        if (!r || (skip.length > 0 && skip.includes(i))) continue;
        if (r.rank < bestRank || (r.rank === bestRank && i < best)) {
          best = i;
          bestRank = r.rank;
        }
      }
    }
    return best;
  }

  #queueOfDecider(d: number, added: readonly (CompiledRule | null)[]): number {
    if (d === NONE) return this.plan.defaultQueue;
    const base = this.#rules.length;
    const r = d < base ? this.#rules[d] : added[d - base];
    return !r ? this.plan.defaultQueue : r.queue;
  }

  #rankOf(d: number, added: readonly (CompiledRule | null)[]): number {
    if (d === NONE) return Infinity;
    const base = this.#rules.length;
    const r = d < base ? this.#rules[d] : added[d - base];
    return !r ? Infinity : r.rank;
  }

  /** Prepares `flow` for placement (computes its claiming rule under the current rules). */
  pend(flow: Flow): PendingFlow {
    const fields = flowFields(flow);
    const src = flow.srcIp ?? 0;
    const dst = flow.dstIp ?? 0;
    const ports = flowPorts(flow);
    return {
      flow,
      fields,
      src,
      dst,
      ports,
      cls: this.costFn.classOf(flow),
      weight: flowWeight(flow, this.costFn.weighting),
      decider: this.#walk(fields, src, dst, ports, []),
    };
  }

  #decide(
    d: number,
    fields: number,
    src: number,
    dst: number,
    ports: number,
    removed: readonly number[],
    added: readonly (CompiledRule | null)[],
  ): number {
    if (d !== NONE && removed.includes(d)) d = this.#walk(fields, src, dst, ports, removed);
    const base = this.#rules.length;
    let rank = this.#rankOf(d, added);
    for (let j = 0; j < added.length; j++) {
      const a = added[j];
      if (!a || a.rank >= rank) continue;
      if (ruleClaims(a, fields, src, dst, ports)) {
        d = base + j;
        rank = a.rank;
      }
    }
    return d;
  }

  #parse(change: ProposedChange): { removed: number[]; added: (CompiledRule | null)[] } {
    const removed: number[] = [];
    const added: (CompiledRule | null)[] = [];
    for (const op of change.ops) {
      if (op.op === "remove") removed.push(this.#findRule(op.rule));
      else if (op.op === "add") added.push(this.plan.compile(op.rule, this.#base));
      else {
        throw new Error(
          `Cannot evaluate a "set ${op.key}" change: the search handles filter adds and removes only`,
        );
      }
    }
    return { removed, added };
  }

  #grow(n: number): void {
    if (n <= this.#moveFlow.length) return;
    const cap = Math.max(n, this.#moveFlow.length * 2);
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.#moveFlow = g(this.#moveFlow);
    this.#moveTo = g(this.#moveTo);
    this.#moveDecider = g(this.#moveDecider);
  }

  /** Fills the move buffers with flows in affected queues whose queue the change alters. */
  #moves(change: ProposedChange, removed: number[], added: (CompiledRule | null)[]): void {
    this.#nMoves = 0;
    const a0 = added[0];
    if (removed.length === 0 && added.length === 1 && a0 && isExact(a0)) {
      this.#exactMove(change, added);
      return;
    }
    const seen: number[] = [];
    const base = this.#rules.length;
    const fFields = this.#fFields;
    const fSrc = this.#fSrc;
    const fDst = this.#fDst;
    const fPorts = this.#fPorts;
    const fDecider = this.#fDecider;
    for (const q of change.affectedQueues) {
      if (q < 0 || q >= this.#byQueue.length || seen.includes(q)) continue;
      seen.push(q);
      const list = this.#byQueue[q] as number[];
      this.#grow(this.#nMoves + list.length);
      for (let k = 0; k < list.length; k++) {
        const s = list[k] as number;
        const old = fDecider[s] ?? NONE;
        let d = old;
        if (removed.length > 0) {
          d = this.#decide(
            old,
            fFields[s] ?? 0,
            fSrc[s] ?? 0,
            fDst[s] ?? 0,
            fPorts[s] ?? 0,
            removed,
            added,
          );
        } else {
          // add-only change: a flow moves only to an added rule that claims it and outranks;
          // the rank of its current rule is looked up only once an added rule claims it
          let rank = NaN;
          for (let j = 0; j < added.length; j++) {
            const a = added[j];
            if (
              !a || ((fFields[s] ?? 0) & a.pattern) !== a.pattern ||
              (((fSrc[s] ?? 0) ^ a.src) & a.srcMask) !== 0 ||
              (((fDst[s] ?? 0) ^ a.dst) & a.dstMask) !== 0 ||
              (((fPorts[s] ?? 0) ^ a.ports) & a.portMask) !== 0
            ) continue;
            if (rank !== rank) rank = this.#rankOf(old, added); // NaN: not looked up yet
            if (a.rank < rank) {
              d = base + j;
              rank = a.rank;
            }
          }
        }
        if (d === old) continue;
        this.#moveFlow[this.#nMoves] = s;
        this.#moveTo[this.#nMoves] = this.#queueOfDecider(d, added);
        this.#moveDecider[this.#nMoves] = d;
        this.#nMoves++;
      }
    }
  }

  /**
   * The moves of a change that only adds one exact rule (`added[0]`): only the fully
   * specified flow with the rule's numbers can move, so it is found by hash instead of scanning
   * the affected queues' flows (the same single move, if its queue is an affected one).
   */
  #exactMove(change: ProposedChange, added: readonly (CompiledRule | null)[]): void {
    const a = added[0] as CompiledRule;
    const list = this.#exactSlots.get(exactHash(a.src, a.dst, a.ports));
    if (list === undefined) return;
    for (let k = 0; k < list.length; k++) {
      const s = list[k] as number;
      if (this.#fSrc[s] !== a.src || this.#fDst[s] !== a.dst || this.#fPorts[s] !== a.ports) {
        continue;
      }
      const q = this.#fQueue[s] ?? NONE;
      if (q < 0 || q >= this.#byQueue.length || !change.affectedQueues.includes(q)) return;
      const old = this.#fDecider[s] ?? NONE;
      if (a.rank >= this.#rankOf(old, added)) return;
      const d = this.#rules.length; // base + 0: the added rule
      this.#grow(1);
      this.#moveFlow[0] = s;
      this.#moveTo[0] = a.queue;
      this.#moveDecider[0] = d;
      this.#nMoves = 1;
      return;
    }
  }

  #applyMoves(sign: 1 | -1): void {
    const loads = this.loads;
    for (let m = 0; m < this.#nMoves; m++) {
      const s = this.#moveFlow[m] as number;
      const from = this.#fQueue[s] ?? NONE;
      const to = this.#moveTo[m] as number;
      const cls = this.#fCls[s] ?? 0;
      const w = this.#fWeight[s] ?? 0;
      loads.add(cls, sign === 1 ? from : to, w, -1);
      loads.add(cls, sign === 1 ? to : from, w, 1);
    }
  }

  /** The cost if `change` were committed and `pending` (if given) placed; changes nothing. */
  evaluate(change: ProposedChange, pending: PendingFlow | null): Cost {
    const { removed, added } = this.#parse(change);
    this.#moves(change, removed, added);
    this.#applyMoves(1);
    let pq = NONE;
    if (pending !== null) {
      const d = this.#decide(
        pending.decider,
        pending.fields,
        pending.src,
        pending.dst,
        pending.ports,
        removed,
        added,
      );
      pq = this.#queueOfDecider(d, added);
      this.loads.add(pending.cls, pq, pending.weight, 1);
    }
    const cost = this.costFn.evaluate(this.loads);
    if (pending !== null) this.loads.add(pending.cls, pq, pending.weight, -1);
    this.#applyMoves(-1);
    return cost;
  }

  /** Commits `change` and places `pending` (if given); returns the pending flow's queue. */
  commit(change: ProposedChange, pending: PendingFlow | null): number {
    const { removed, added } = this.#parse(change);
    this.#moves(change, removed, added);
    let pd = NONE;
    if (pending !== null) {
      pd = this.#decide(
        pending.decider,
        pending.fields,
        pending.src,
        pending.dst,
        pending.ports,
        removed,
        added,
      );
    }
    // rules: removed ones die, added ones are appended (their indices match base + j)
    this.#configCache = null;
    for (const i of removed) {
      const obj = this.#ruleObj[i];
      if (obj) {
        const list = this.#ruleByObj.get(obj);
        if (list !== undefined) list.splice(list.indexOf(i), 1);
        if (list !== undefined && list.length === 0) this.#ruleByObj.delete(obj);
        this.#filters.splice(this.#filters.indexOf(obj), 1);
      }
      const dead = this.#rules[i];
      if (dead) this.#index(dead, i, -1);
      this.#rules[i] = null;
      this.#ruleObj[i] = null;
    }
    for (const op of change.ops) if (op.op === "add") this.#pushRule(op.rule);
    for (let m = 0; m < this.#nMoves; m++) {
      const s = this.#moveFlow[m] as number;
      this.#relocate(s, this.#moveTo[m] as number);
      this.#fDecider[s] = this.#moveDecider[m] as number;
    }
    if (pending === null) return NONE;
    return this.#place(pending, pd);
  }

  #ensure(n: number): void {
    if (n <= this.#fFields.length) return;
    const cap = Math.max(n, this.#fFields.length * 2);
    const gi = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const gu = (a: Uint32Array) => {
      const b = new Uint32Array(cap);
      b.set(a);
      return b;
    };
    this.#fFields = gi(this.#fFields);
    this.#fSrc = gu(this.#fSrc);
    this.#fDst = gu(this.#fDst);
    this.#fPorts = gu(this.#fPorts);
    this.#fQueue = gi(this.#fQueue);
    this.#fDecider = gi(this.#fDecider);
    this.#fCls = gi(this.#fCls);
    this.#fPos = gi(this.#fPos);
    const w = new Float64Array(cap);
    w.set(this.#fWeight);
    this.#fWeight = w;
  }

  #relocate(s: number, to: number): void {
    const from = this.#fQueue[s] ?? NONE;
    if (from === to) return;
    this.loads.add(this.#fCls[s] ?? 0, from, this.#fWeight[s] ?? 0, -1);
    this.#unlist(s);
    this.#fQueue[s] = to;
    this.#list(s);
    this.loads.add(this.#fCls[s] ?? 0, to, this.#fWeight[s] ?? 0, 1);
  }

  #list(s: number): void {
    const q = this.#fQueue[s] ?? NONE;
    const list = this.#byQueue[q];
    if (list === undefined) return; // dropped flows are in no queue list
    this.#fPos[s] = list.length;
    list.push(s);
  }

  #unlist(s: number): void {
    const list = this.#byQueue[this.#fQueue[s] ?? NONE];
    if (list === undefined) return;
    const pos = this.#fPos[s] ?? 0;
    const last = list.pop() as number;
    if (last !== s) {
      list[pos] = last;
      this.#fPos[last] = pos;
    }
  }

  #place(p: PendingFlow, decider: number): number {
    const key = flowKey(p.flow);
    if (this.#slotByKey.has(key)) {
      throw new Error(`Flow ${key} is already placed: remove it before placing it again`);
    }
    const s = this.#free.pop() ?? this.#flows.length;
    if (s === this.#flows.length) this.#flows.push(p.flow);
    else this.#flows[s] = p.flow;
    this.#ensure(this.#flows.length);
    this.#slotByKey.set(key, s);
    if (p.fields === ALL_FLOW_FIELDS) {
      const h = exactHash(p.src, p.dst, p.ports);
      const list = this.#exactSlots.get(h);
      if (list === undefined) this.#exactSlots.set(h, [s]);
      else list.push(s);
    }
    this.#fFields[s] = p.fields;
    this.#fSrc[s] = p.src;
    this.#fDst[s] = p.dst;
    this.#fPorts[s] = p.ports;
    this.#fCls[s] = p.cls;
    this.#fWeight[s] = p.weight;
    this.#fDecider[s] = decider;
    const q = this.#queueOfDecider(decider, []);
    this.#fQueue[s] = q;
    this.#list(s);
    this.loads.add(p.cls, q, p.weight, 1);
    return q;
  }

  /** Places `flow` under the current rules (no change); returns its queue. */
  add(flow: Flow): number {
    const p = this.pend(flow);
    return this.#place(p, p.decider);
  }

  /** Removes a placed flow (its rules stay installed); false when it is not placed. */
  remove(flow: Flow): boolean {
    const key = flowKey(flow);
    const s = this.#slotByKey.get(key);
    if (s === undefined) return false;
    this.loads.add(this.#fCls[s] ?? 0, this.#fQueue[s] ?? NONE, this.#fWeight[s] ?? 0, -1);
    this.#unlist(s);
    this.#slotByKey.delete(key);
    if (this.#fFields[s] === ALL_FLOW_FIELDS) {
      const h = exactHash(this.#fSrc[s] ?? 0, this.#fDst[s] ?? 0, this.#fPorts[s] ?? 0);
      const list = this.#exactSlots.get(h);
      if (list !== undefined) {
        list.splice(list.indexOf(s), 1);
        if (list.length === 0) this.#exactSlots.delete(h);
      }
    }
    this.#flows[s] = undefined;
    this.#free.push(s);
    return true;
  }
}
