/**
 * The 82599 oracle: candidate configuration changes steering one flow to each queue
 * (dragonet-model.md §8.3, E10k non-incremental oracle).
 *
 * Queue 0 is the catch-all default and never a candidate; candidates are queues 1..queues-1.
 * While the five-tuple table has room: one five-tuple rule per queue (the flow's given fields,
 * protocol UDP unless stated, priority 1). Otherwise, in Flow Director perfect mode, for a flow
 * that gives exactly the fields the global mask compares, while the table has room at the
 * current PBALLOC and the flow's bucket chain is not full: one perfect rule per queue.
 * Otherwise nothing. The oracle only proposes; it never changes a NIC.
 *
 * @module
 */
import type {
  FilterRule,
  FlowMatch,
  FlowSpec,
  NicConfig,
  NicOracle,
  ProposedChange,
} from "../_shared/nic.ts";
import { compileFdir, type FdirKey, type FdirMaskBits, fdirMaskBits } from "./_compile.ts";
import { INTEL_82599, Table82599, TableId82599 } from "./capabilities.ts";
import { type FdirMask, readSettings82599 } from "./settings.ts";

function matchOf(flow: FlowSpec): FlowMatch {
  const m: { -readonly [K in keyof FlowMatch]: FlowMatch[K] } = { proto: flow.proto ?? 17 };
  if (flow.srcIp !== undefined) m.srcIp = flow.srcIp;
  if (flow.dstIp !== undefined) m.dstIp = flow.dstIp;
  if (flow.srcPort !== undefined) m.srcPort = flow.srcPort;
  if (flow.dstPort !== undefined) m.dstPort = flow.dstPort;
  return m;
}

/** What the oracle needs to know about one configuration object (computed once, cached). */
interface ConfigSummary {
  readonly nFive: number;
  readonly nFdir: number;
  readonly mode: string;
  readonly cap: number;
  readonly maskText: string;
  readonly bits: FdirMaskBits;
  readonly mask: FdirMask;
  /** Compiled perfect rules per bucket. */
  readonly chains: Map<number, FdirKey[]>;
}

const summaries = new WeakMap<NicConfig, ConfigSummary>();
const compiled = new WeakMap<FilterRule, { readonly maskText: string; readonly key: FdirKey }>();

function fdirKeyOf(rule: FilterRule, bits: FdirMaskBits, maskText: string): FdirKey {
  const c = compiled.get(rule);
  if (c !== undefined && c.maskText === maskText) return c.key;
  const key = compileFdir(rule, bits);
  compiled.set(rule, { maskText, key });
  return key;
}

function summarise(config: NicConfig): ConfigSummary {
  const known = summaries.get(config);
  if (known !== undefined) return known;
  const s = readSettings82599(config);
  const bits = fdirMaskBits(s.fdirMask);
  const maskText = JSON.stringify(s.fdirMask);
  const chains = new Map<number, FdirKey[]>();
  let nFive = 0;
  let nFdir = 0;
  for (const r of config.filters) {
    if (r.table === TableId82599.FiveTuple) nFive++;
    else if (r.table === TableId82599.FdirPerfect) {
      nFdir++;
      if (s.fdirMode === "perfect") {
        const k = fdirKeyOf(r, bits, maskText);
        const chain = chains.get(k.bucket);
        if (chain === undefined) chains.set(k.bucket, [k]);
        else chain.push(k);
      }
    }
  }
  const summary: ConfigSummary = {
    nFive,
    nFdir,
    mode: s.fdirMode,
    cap: INTEL_82599.fdir.perfectByPballoc.value[s.fdirPballoc - 1] ?? 0,
    maskText,
    bits,
    mask: s.fdirMask,
    chains,
  };
  summaries.set(config, summary);
  return summary;
}

/**
 * Proposes five-tuple, then Flow Director rules for a flow (see module doc).
 *
 * Cost: the first call for a configuration object summarises it once (table counts, Flow
 * Director bucket chains; compiled rule keys are cached per rule object); later calls on the same
 * object cost O(queues).
 */
export class Intel82599Oracle implements NicOracle {
  /** Candidate changes for `flow` under `config`, one per non-default queue. */
  propose(config: NicConfig, flow: FlowSpec): readonly ProposedChange[] {
    const queues: number[] = [];
    for (let q = 1; q < config.queues; q++) queues.push(q);
    const match = matchOf(flow);
    const per = (rule: (q: number) => FilterRule) =>
      queues.map((q): ProposedChange => ({
        ops: [{ op: "add", rule: rule(q) }],
        queue: q,
        affectedQueues: [INTEL_82599.defaultQueue.value, q],
      }));
    const fiveCap = INTEL_82599.filterTables[Table82599.FiveTuple]?.capacity.value ?? 0;
    const sum = summarise(config);
    if (sum.nFive < fiveCap) {
      return per((q) => ({ table: TableId82599.FiveTuple, match, queue: q, priority: 1 }));
    }
    if (sum.mode !== "perfect") return [];
    const mask = sum.mask;
    const needs = {
      srcIp: mask.srcIp > 0,
      dstIp: mask.dstIp > 0,
      srcPort: mask.srcPort !== 0,
      dstPort: mask.dstPort !== 0,
    };
    for (const [f, need] of Object.entries(needs)) {
      if (need !== (match[f as keyof typeof needs] !== undefined)) return [];
    }
    if (sum.nFdir >= sum.cap) return [];
    // Flow Director rules give exactly the fields the global mask compares.
    const { proto, ...rest } = match;
    const fmatch: FlowMatch = mask.proto ? match : rest;
    void proto;
    const mine = compileFdir(
      { table: TableId82599.FdirPerfect, match: fmatch, queue: 1 },
      sum.bits,
    );
    const chain = sum.chains.get(mine.bucket) ?? [];
    // An equal tuple is installed: a second rule would be rejected.
    const same = (k: FdirKey) =>
      k.proto === mine.proto && k.src === mine.src && k.dst === mine.dst && k.ports === mine.ports;
    if (chain.some(same)) return [];
    if (chain.length >= INTEL_82599.fdir.bucketChainLimit.value) return [];
    return per((q) => ({ table: TableId82599.FdirPerfect, match: fmatch, queue: q }));
  }
}
