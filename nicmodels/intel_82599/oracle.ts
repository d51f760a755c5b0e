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
import { compileFdir, fdirMaskBits } from "./_compile.ts";
import { INTEL_82599, Table82599, TableId82599 } from "./capabilities.ts";
import { readSettings82599 } from "./settings.ts";

function matchOf(flow: FlowSpec): FlowMatch {
  const m: { -readonly [K in keyof FlowMatch]: FlowMatch[K] } = { proto: flow.proto ?? 17 };
  if (flow.srcIp !== undefined) m.srcIp = flow.srcIp;
  if (flow.dstIp !== undefined) m.dstIp = flow.dstIp;
  if (flow.srcPort !== undefined) m.srcPort = flow.srcPort;
  if (flow.dstPort !== undefined) m.dstPort = flow.dstPort;
  return m;
}

/** Proposes five-tuple, then Flow Director rules for a flow (see module doc). */
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
    const nFive = config.filters.filter((r) => r.table === TableId82599.FiveTuple).length;
    if (nFive < fiveCap) {
      return per((q) => ({ table: TableId82599.FiveTuple, match, queue: q, priority: 1 }));
    }
    const s = readSettings82599(config);
    if (s.fdirMode !== "perfect") return [];
    const mask = s.fdirMask;
    const needs = {
      srcIp: mask.srcIp > 0,
      dstIp: mask.dstIp > 0,
      srcPort: mask.srcPort !== 0,
      dstPort: mask.dstPort !== 0,
    };
    for (const [f, need] of Object.entries(needs)) {
      if (need !== (match[f as keyof typeof needs] !== undefined)) return [];
    }
    const fdir = config.filters.filter((r) => r.table === TableId82599.FdirPerfect);
    const cap = INTEL_82599.fdir.perfectByPballoc.value[s.fdirPballoc - 1] ?? 0;
    if (fdir.length >= cap) return [];
    const bits = fdirMaskBits(mask);
    const probe: FilterRule = { table: TableId82599.FdirPerfect, match, queue: 1 };
    const mine = compileFdir(probe, bits);
    let chain = 0;
    for (const r of fdir) {
      const k = compileFdir(r, bits);
      if (k.bucket !== mine.bucket) continue;
      if (
        k.proto === mine.proto && k.src === mine.src && k.dst === mine.dst && k.ports === mine.ports
      ) {
        return []; // an equal tuple is installed; a second rule would be rejected
      }
      chain++;
    }
    if (chain >= INTEL_82599.fdir.bucketChainLimit.value) return [];
    return per((q) => ({ table: TableId82599.FdirPerfect, match, queue: q }));
  }
}
