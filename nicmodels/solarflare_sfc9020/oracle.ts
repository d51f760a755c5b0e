/**
 * The SFC9020 oracle: proposes configuration changes that steer one flow to each queue, and
 * detects when the hashed filter table would refuse the rule (dragonet-model.md §8.3, SF
 * oracle; with the real 8192-entry hashed table instead of Dragonet's flat 4048-entry list, Q10).
 *
 * Queue 0 is the catch-all default and never a candidate; candidates are queues 1..queues-1.
 * For a flow, in order:
 * 1. the flow already has an IP rule (same match): move it, one remove + add per other queue;
 * 2. a fully specified TCP/UDP flow whose full filter the table accepts: one full rule per queue;
 * 3. the full filter would be refused (EBUSY: no free slot within 200 probes), or the flow gives
 *    only its local address and port: one wildcard rule (local IP + port) per queue, when no
 *    wildcard for that endpoint exists and the table accepts it. A wildcard captures every flow
 *    to that endpoint that no full filter claims, so every queue counts as affected;
 * 4. nothing fits (both refused, or the flow has a shape the NIC cannot match): the fallback,
 *    one candidate with no ops that leaves the flow where the NIC sends it now (an existing
 *    wildcard's queue, or the default destination with RSS when enabled).
 *
 * Refusals are decided on the table state: the live model's tables when the oracle was given the
 * model and `config` is the model's configuration object, else one reusable scratch table holding
 * `config.filters` inserted in list order (refilled only from where the list stops extending the
 * previous one, so a search that appends one rule per step pays for one insert). The two can
 * differ when the live table's history (removals, insertion order) placed filters differently.
 * Compiled rules are cached per rule object: reuse rule objects across configurations.
 *
 * @module
 */
import { parseIpv4Address } from "../_shared/addr.ts";
import type {
  ConfigOp,
  FilterRule,
  FlowMatch,
  FlowSpec,
  NicConfig,
  NicOracle,
  ProposedChange,
  ValidationIssue,
} from "../_shared/nic.ts";
import { parseKeyHex, ToeplitzHasher } from "../_shared/toeplitz.ts";
import {
  SFC9020_CAPABILITIES,
  SFC_IP_TABLE,
  type SfcCapabilities,
  SfcSetting,
} from "./capabilities.ts";
import { SfcFilterTable } from "./filter_table.ts";
import { type Sfc9020Nic, SFC_IP_TABLE_INDEX } from "./model.ts";
import { type CompiledSfcRule, compileSfcRule } from "./rule.ts";

const TCP = 6;
const UDP = 17;

/** The table state the oracle judges a configuration by, and the rule in each slot. */
interface TableView {
  readonly ip: SfcFilterTable;
  ruleAt(slot: number): FilterRule | undefined;
}

/** Proposes SFC filter rules for a flow, detecting hashed-table refusals (see module doc). */
export class Sfc9020Oracle implements NicOracle {
  readonly #caps: SfcCapabilities;
  readonly #nic: Sfc9020Nic | null;
  readonly #rules = new WeakMap<
    FilterRule,
    { readonly queues: number; readonly c: CompiledSfcRule | null }
  >();
  // One reusable scratch table, filled from `#scratchSrc` (IP rule objects, in list order).
  #scratch: SfcFilterTable | null = null;
  #scratchFor: NicConfig | null = null;
  #scratchSrc: FilterRule[] = [];
  #scratchSlots: number[] = [];
  readonly #scratchRuleAt = new Map<number, FilterRule>();
  #hasher: ToeplitzHasher | null = null;
  #hasherKey = "";

  /**
   * Creates an oracle; give it the live model so refusals are judged on the real table state.
   */
  constructor(nic: Sfc9020Nic | null = null, caps: SfcCapabilities = SFC9020_CAPABILITIES) {
    this.#caps = nic?.sfcCapabilities ?? caps;
    this.#nic = nic;
  }

  /** Candidate changes for `flow` under `config` (see module doc); never empty. */
  propose(config: NicConfig, flow: FlowSpec): readonly ProposedChange[] {
    const caps = this.#caps;
    const sum = this.#summary(config);
    const queues: number[] = [];
    for (let q = 1; q < config.queues; q++) queues.push(q);
    const proto = flow.proto ?? UDP;
    const current = this.#currentQueue(config, sum, flow, proto);
    const scratch: ValidationIssue[] = [];
    const compile = (m: FlowMatch) =>
      compileSfcRule(caps, { table: SFC_IP_TABLE, match: m, queue: 0 }, config.queues, "", scratch);

    const fullMatch = this.#fullMatch(flow, proto);
    const wildMatch = this.#wildMatch(flow, proto);

    // 1. The flow's match is already installed: move it.
    for (const m of [fullMatch, wildMatch]) {
      if (m === null || (m === wildMatch && fullMatch !== null)) continue;
      const c = compile(m);
      const old = c === null ? undefined : this.#installed(sum, c);
      if (old !== undefined) {
        return queues.filter((q) => q !== old.queue).map((q) => ({
          ops: [{ op: "remove", rule: old }, { op: "add", rule: { ...old, queue: q } }],
          queue: q,
          affectedQueues: m === fullMatch ? uniq([old.queue, q]) : this.#allQueues(config),
        }));
      }
    }

    // 2. Full filter, when the table accepts it.
    if (fullMatch !== null) {
      const c = compile(fullMatch);
      if (c !== null && this.#accepts(sum.ip, c)) {
        return queues.map((q) =>
          this.#add({ table: SFC_IP_TABLE, match: fullMatch, queue: q }, q, uniq([current, q]))
        );
      }
    }

    // 3. Wildcard on the local endpoint.
    if (wildMatch !== null) {
      const c = compile(wildMatch);
      const existing = c === null ? undefined : this.#installed(sum, c);
      if (c !== null && existing === undefined && this.#accepts(sum.ip, c)) {
        const all = this.#allQueues(config);
        return queues.map((q) =>
          this.#add({ table: SFC_IP_TABLE, match: wildMatch, queue: q }, q, all)
        );
      }
    }

    // 4. Fallback: leave the flow where it goes now.
    return [{ ops: [], queue: current, affectedQueues: [] }];
  }

  #add(rule: FilterRule, queue: number, affected: number[]): ProposedChange {
    const ops: ConfigOp[] = [{ op: "add", rule }];
    return { ops, queue, affectedQueues: affected };
  }

  #allQueues(config: NicConfig): number[] {
    return Array.from({ length: config.queues }, (_, i) => i);
  }

  #accepts(table: SfcFilterTable, c: CompiledSfcRule): boolean {
    return table.wouldInsert(c.type, c.d0, c.d1, c.d2, c.key, c.priority) >= 0;
  }

  #fullMatch(flow: FlowSpec, proto: number): FlowMatch | null {
    if (proto !== TCP && proto !== UDP) return null;
    const { srcIp, dstIp, srcPort, dstPort } = flow;
    if (srcIp === undefined || dstIp === undefined || srcPort === undefined) return null;
    if (dstPort === undefined || srcPort === 0 || dstPort === 0) return null;
    return { proto, srcIp, srcPort, dstIp, dstPort };
  }

  #wildMatch(flow: FlowSpec, proto: number): FlowMatch | null {
    if (proto !== TCP && proto !== UDP) return null;
    const { dstIp, dstPort } = flow;
    if (dstIp === undefined || dstPort === undefined || dstPort === 0) return null;
    return { proto, dstIp, dstPort };
  }

  /** Queue the NIC sends the flow to now without a rule of its own: wildcard, RSS or default. */
  #currentQueue(config: NicConfig, sum: TableView, flow: FlowSpec, proto: number): number {
    const wild = this.#wildMatch(flow, proto);
    if (wild !== null) {
      const c = compileSfcRule(
        this.#caps,
        { table: SFC_IP_TABLE, match: wild, queue: 0 },
        config.queues,
        "",
        [],
      );
      const w = c === null ? undefined : this.#installed(sum, c);
      if (w !== undefined && w.rss !== true) return w.queue;
    }
    const s = config.settings;
    const base = typeof s[SfcSetting.UnicastQueue] === "number"
      ? s[SfcSetting.UnicastQueue] as number
      : this.#caps.defaultQueue.value;
    const rss = config.rss;
    if (rss === null || !rss.enabled || s[SfcSetting.UnicastRss] === false) return base;
    if (flow.srcIp === undefined || flow.dstIp === undefined) return base;
    if (this.#hasher === null || this.#hasherKey !== rss.key) {
      this.#hasher = new ToeplitzHasher(parseKeyHex(rss.key));
      this.#hasherKey = rss.key;
    }
    const src = parseIpv4Address(flow.srcIp);
    const dst = parseIpv4Address(flow.dstIp);
    // Siena hashes TCP on the 4-tuple, everything else on addresses (nic-models.md §3.7).
    const h = proto === TCP && flow.srcPort !== undefined && flow.dstPort !== undefined
      ? this.#hasher.hashIpv4Ports(src, dst, flow.srcPort, flow.dstPort)
      : this.#hasher.hashIpv4(src, dst);
    return base + (rss.table[h & (rss.table.length - 1)] ?? 0);
  }

  /** Compiles a rule once per rule object (rules are immutable data, reused across configs). */
  #compiled(r: FilterRule, queues: number): CompiledSfcRule | null {
    const known = this.#rules.get(r);
    if (known !== undefined && known.queues === queues) return known.c;
    const c = compileSfcRule(this.#caps, r, queues, "", []);
    this.#rules.set(r, { queues, c });
    return c;
  }

  /** The installed rule equal to `c` (same type and data words), if any. */
  #installed(view: TableView, c: CompiledSfcRule): FilterRule | undefined {
    const slot = view.ip.lookup(c.type, c.d0, c.d1, c.d2, c.key);
    return slot < 0 ? undefined : view.ruleAt(slot);
  }

  /**
   * The live table when `config` is the live model's configuration; else the scratch table
   * filled with `config`'s IP rules in list order. When the previous fill's rules are a prefix
   * of this list (by object identity) only the rest is inserted, which gives exactly the state
   * of a fresh fill; otherwise the scratch table is emptied (search depths reset) and refilled.
   */
  #summary(config: NicConfig): TableView {
    const nic = this.#nic;
    if (nic !== null && nic.config() === config) {
      return { ip: nic.ipTable, ruleAt: (slot) => nic.ruleAt(SFC_IP_TABLE_INDEX, slot) };
    }
    const ip = this.#scratchFor === config && this.#scratch !== null
      ? this.#scratch
      : this.#fill(config);
    const ruleAt = this.#scratchRuleAt;
    return { ip, ruleAt: (slot) => ruleAt.get(slot) };
  }

  #fill(config: NicConfig): SfcFilterTable {
    const t = this.#scratch ?? new SfcFilterTable(this.#caps.sfc.ipTable);
    this.#scratch = t;
    const src: FilterRule[] = [];
    for (const r of config.filters) if (r.table === SFC_IP_TABLE) src.push(r);
    const old = this.#scratchSrc;
    let k = 0;
    while (k < old.length && k < src.length && old[k] === src[k]) k++;
    if (k < old.length) {
      for (const slot of this.#scratchSlots) if (slot >= 0) t.remove(slot);
      this.#scratchSlots = [];
      this.#scratchRuleAt.clear();
      k = 0;
    }
    for (let i = k; i < src.length; i++) {
      const r = src[i] as FilterRule;
      const c = this.#compiled(r, config.queues);
      const slot = c === null
        ? -1
        : t.insert(c.type, c.d0, c.d1, c.d2, c.key, c.queue, c.flags, c.priority);
      this.#scratchSlots.push(slot);
      if (slot >= 0) this.#scratchRuleAt.set(slot, r);
    }
    this.#scratchSrc = src;
    this.#scratchFor = config;
    return t;
  }
}

function uniq(xs: number[]): number[] {
  return [...new Set(xs)];
}
