/**
 * Incremental 82599 proposer for the search: the same candidates as the NIC model's
 * `Intel82599Oracle` (five-tuple rules while the table has room, then Flow Director perfect
 * rules within PBALLOC capacity and the bucket-chain limit; queues 1..n−1), but with table
 * counts kept across commits, so a proposal costs O(queues) instead of a configuration rescan
 * (dragonet-model.md §8.3; nic-models.md §2.4-§2.5). Every limit comes from `INTEL_82599` and
 * the configuration's settings; `oracle_agreement_test.ts` checks it against the model's oracle.
 *
 * @module
 */
import type {
  FilterRule,
  FlowMatch,
  NicConfig,
  ProposedChange,
} from "../../../../nicmodels/_shared/nic.ts";
import { parseIpv4Prefix } from "../../../../nicmodels/_shared/addr.ts";
import {
  INTEL_82599,
  Table82599,
  TableId82599,
} from "../../../../nicmodels/intel_82599/capabilities.ts";
import { fdirBucket } from "../../../../nicmodels/intel_82599/fdir_hash.ts";
import {
  readSettings82599,
  type Settings82599,
} from "../../../../nicmodels/intel_82599/settings.ts";
import { type Flow, flowSpecOf } from "../flow.ts";
import type { SearchOracle } from "../oracle.ts";

const prefixMask = (p: number) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);

/** The 82599 oracle with incremental table counts (see module doc). */
export class Intel82599SearchOracle implements SearchOracle {
  /** "intel-82599". */
  readonly name = "intel-82599";
  #queues = 0;
  #settings!: Settings82599;
  #masks = { proto: 0, src: 0, dst: 0, ports: 0 };
  #nFive = 0;
  #nFdir = 0;
  #buckets = new Map<number, number>();
  #tuples = new Map<string, number>();
  readonly #fiveCap = INTEL_82599.filterTables[Table82599.FiveTuple]?.capacity.value ?? 0;
  #fdirCap = 0;

  /** Starts from `config` (e.g. `dragonetIntel82599Config(10)`). */
  constructor(config: NicConfig) {
    this.reset(config);
  }

  /** Recounts the tables of `config`. */
  reset(config: NicConfig): void {
    this.#queues = config.queues;
    this.#settings = readSettings82599(config);
    const m = this.#settings.fdirMask;
    this.#masks = {
      proto: m.proto ? 0xff : 0,
      src: prefixMask(m.srcIp),
      dst: prefixMask(m.dstIp),
      ports: (((m.srcPort & 0xffff) << 16) | (m.dstPort & 0xffff)) >>> 0,
    };
    this.#fdirCap = INTEL_82599.fdir.perfectByPballoc.value[this.#settings.fdirPballoc - 1] ?? 0;
    this.#nFive = 0;
    this.#nFdir = 0;
    this.#buckets.clear();
    this.#tuples.clear();
    for (const r of config.filters) this.#count(r, 1);
  }

  #fdirKey(match: FlowMatch): { bucket: number; tuple: string } {
    const k = this.#masks;
    const proto = (match.proto ?? 0) & k.proto;
    const src = ((match.srcIp === undefined ? 0 : parseIpv4Prefix(match.srcIp).addr) & k.src) >>>
      0;
    const dst = ((match.dstIp === undefined ? 0 : parseIpv4Prefix(match.dstIp).addr) & k.dst) >>>
      0;
    const ports =
      (((((match.srcPort ?? 0) & 0xffff) << 16) | ((match.dstPort ?? 0) & 0xffff)) & k.ports) >>>
      0;
    return { bucket: fdirBucket(proto, src, dst, ports), tuple: `${proto}/${src}/${dst}/${ports}` };
  }

  #count(rule: FilterRule, sign: 1 | -1): void {
    if (rule.table === TableId82599.FiveTuple) this.#nFive += sign;
    else if (rule.table === TableId82599.FdirPerfect) {
      this.#nFdir += sign;
      const { bucket, tuple } = this.#fdirKey(rule.match);
      this.#buckets.set(bucket, (this.#buckets.get(bucket) ?? 0) + sign);
      this.#tuples.set(tuple, (this.#tuples.get(tuple) ?? 0) + sign);
    }
  }

  #matchOf(flow: Flow): FlowMatch {
    return flowSpecOf(flow) as FlowMatch;
  }

  #fdirFits(match: FlowMatch, removing?: FilterRule): boolean {
    if (this.#settings.fdirMode !== "perfect") return false;
    const m = this.#settings.fdirMask;
    const needs: [boolean, unknown][] = [
      [m.srcIp > 0, match.srcIp],
      [m.dstIp > 0, match.dstIp],
      [m.srcPort !== 0, match.srcPort],
      [m.dstPort !== 0, match.dstPort],
    ];
    if (needs.some(([need, v]) => need !== (v !== undefined))) return false;
    const gone = removing?.table === TableId82599.FdirPerfect
      ? this.#fdirKey(removing.match)
      : null;
    if (this.#nFdir - (gone === null ? 0 : 1) >= this.#fdirCap) return false;
    const { bucket, tuple } = this.#fdirKey(match);
    const same = (this.#tuples.get(tuple) ?? 0) - (gone?.tuple === tuple ? 1 : 0);
    if (same > 0) return false; // an equal tuple is installed
    const chain = (this.#buckets.get(bucket) ?? 0) - (gone?.bucket === bucket ? 1 : 0);
    return chain < INTEL_82599.fdir.bucketChainLimit.value;
  }

  #change(rule: FilterRule): ProposedChange {
    return {
      ops: [{ op: "add", rule }],
      queue: rule.queue,
      affectedQueues: [INTEL_82599.defaultQueue.value, rule.queue],
    };
  }

  /** One five-tuple (or, when full, Flow Director) candidate per queue 1..n−1. */
  propose(flow: Flow): readonly ProposedChange[] {
    const match = this.#matchOf(flow);
    const out: ProposedChange[] = [];
    if (this.#nFive < this.#fiveCap) {
      for (let q = 1; q < this.#queues; q++) {
        out.push(this.#change({ table: TableId82599.FiveTuple, match, queue: q, priority: 1 }));
      }
    } else if (this.#fdirFits(match)) {
      for (let q = 1; q < this.#queues; q++) {
        out.push(this.#change({ table: TableId82599.FdirPerfect, match, queue: q }));
      }
    }
    return out;
  }

  /** Updates the table counts. */
  commit(change: ProposedChange): void {
    for (const op of change.ops) {
      if (op.op === "add") this.#count(op.rule, 1);
      else if (op.op === "remove") this.#count(op.rule, -1);
    }
  }

  /** Rewrites a five-tuple or Flow Director rule for `flow`, same table and queue. */
  replace(rule: FilterRule, flow: Flow): ProposedChange | null {
    const match = this.#matchOf(flow);
    let next: FilterRule;
    if (rule.table === TableId82599.FiveTuple) {
      next = { table: rule.table, match, queue: rule.queue, priority: 1 };
    } else if (rule.table === TableId82599.FdirPerfect && this.#fdirFits(match, rule)) {
      next = { table: rule.table, match, queue: rule.queue };
    } else return null;
    return {
      ops: [{ op: "remove", rule }, { op: "add", rule: next }],
      queue: rule.queue,
      affectedQueues: [INTEL_82599.defaultQueue.value, rule.queue],
    };
  }
}
