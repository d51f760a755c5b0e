/**
 * How a NIC decides the queue of a flow from its configuration data: which rules can claim a
 * flow and in which precedence (dragonet-model.md §8.2; nic-models.md §2.7, §3.6).
 *
 * A plan compiles each installed rule to a {@link CompiledRule} whose rank encodes the NIC's
 * precedence (stage order from the capabilities' `precedence`, then priority or match kind
 * within the stage); the lowest rank claims the flow, ties go to the earlier rule in the
 * configuration's list (slot order, quirk Q1's sensible rule). Rules that can never claim a
 * whole UDP/IPv4 flow compile to null. RSS is not modelled: a configuration with RSS enabled is
 * refused with a clear error (Dragonet runs keep RSS off; unclaimed flows go to the default queue).
 *
 * @module
 */
import type { FilterRule, NicCapabilities, NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { INTEL_82599, TableId82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { readSettings82599 } from "../../../nicmodels/intel_82599/settings.ts";
import {
  SFC9020_CAPABILITIES,
  SFC_IP_TABLE,
} from "../../../nicmodels/solarflare_sfc9020/capabilities.ts";
import { type CompiledRule, compileMatch, type FieldMasks } from "./_compiled_rule.ts";

/** A NIC's flow-claiming rules. */
export interface MapperPlan {
  /** NIC id (capabilities id). */
  readonly nic: string;
  /** Queue for flows no rule claims (capabilities `defaultQueue`). */
  readonly defaultQueue: number;
  /** Where the precedence comes from. */
  readonly source: string;
  /** Compiles `rule` of `config`; null when it can never claim a UDP/IPv4 flow. */
  compile(rule: FilterRule, config: NicConfig): CompiledRule | null;
}

/** Throws a clear error when `config` uses something queue mapping does not model (RSS on). */
export function checkMappable(config: NicConfig): void {
  if (config.rss !== null && config.rss.enabled) {
    throw new RangeError(
      "Queue mapping does not model RSS: config.rss.enabled must be false (Dragonet runs keep " +
        "RSS off and send unclaimed flows to the default queue)",
    );
  }
}

const STAGE_SPAN = 16;

function stageIndex(caps: NicCapabilities, stage: string): number {
  const i = caps.precedence.value.indexOf(stage);
  if (i < 0) {
    throw new Error(`Precedence of ${caps.id} lacks stage "${stage}"`);
  }
  return i;
}

/**
 * A plan for any NIC from its capabilities: stage = position of the rule's table id in
 * `precedence`; within a stage, higher priority first when the table has priorities.
 */
export function planFromCapabilities(caps: NicCapabilities): MapperPlan {
  const tables = new Map(caps.filterTables.map((t) => [t.id, t]));
  return {
    nic: caps.id,
    defaultQueue: caps.defaultQueue.value,
    source: caps.precedence.source,
    compile(rule) {
      const stage = caps.precedence.value.indexOf(rule.table);
      const t = tables.get(rule.table);
      if (stage < 0 || t === undefined) return null;
      let intra = 0;
      if (t.priorities !== null) {
        const p = rule.priority ?? t.priorities.min;
        intra = t.priorities.higherWins ? t.priorities.max - p : p - t.priorities.min;
      }
      return compileMatch(rule.match, stage * STAGE_SPAN + intra, rule.queue);
    },
  };
}

const prefixMask = (p: number) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);
const maskCache = new WeakMap<NicConfig, FieldMasks>();

/**
 * The Intel 82599: EtherType, (SYN), five-tuple by priority 7..1, Flow Director (perfect or
 * signature; fields under the global mask, signature collisions not modelled), default queue
 * (nic-models.md §2.7; `INTEL_82599.precedence`). SYN filters never claim UDP flows.
 */
export const PLAN_82599: MapperPlan = (() => {
  const caps = INTEL_82599;
  const ethertype = stageIndex(caps, "ethertype") * STAGE_SPAN;
  const five = stageIndex(caps, "five-tuple") * STAGE_SPAN;
  const fdir = stageIndex(caps, "fdir") * STAGE_SPAN;
  const fivePrio = caps.filterTables.find((t) => t.id === TableId82599.FiveTuple)?.priorities;
  const maxPrio = fivePrio?.max ?? 7;
  const minPrio = fivePrio?.min ?? 1;
  return {
    nic: caps.id,
    defaultQueue: caps.defaultQueue.value,
    source: `${caps.precedence.source}; five-tuple: ${fivePrio?.source ?? "nic-models.md §2.4"}`,
    compile(rule, config) {
      switch (rule.table) {
        case TableId82599.EtherType:
          return compileMatch(rule.match, ethertype, rule.queue);
        case TableId82599.FiveTuple:
          return compileMatch(rule.match, five + maxPrio - (rule.priority ?? minPrio), rule.queue);
        case TableId82599.FdirPerfect:
        case TableId82599.FdirSignature: {
          let masks = maskCache.get(config);
          if (masks === undefined) {
            const m = readSettings82599(config).fdirMask;
            masks = {
              src: prefixMask(m.srcIp),
              dst: prefixMask(m.dstIp),
              ports: (((m.srcPort & 0xffff) << 16) | (m.dstPort & 0xffff)) >>> 0,
            };
            maskCache.set(config, masks);
          }
          return compileMatch(rule.match, fdir, rule.queue, masks);
        }
        default:
          return null;
      }
    },
  };
})();

/**
 * The Solarflare SFC9020: IP filters, full (remote address given) before wildcard, then MAC
 * filters (never claim a flow: flows carry no MAC), then the default queue (nic-models.md §3.6;
 * `SFC9020_CAPABILITIES.precedence`). A filter with RSS on is taken as its base queue.
 */
export const PLAN_SFC9020: MapperPlan = (() => {
  const caps = SFC9020_CAPABILITIES;
  const ip = stageIndex(caps, SFC_IP_TABLE) * STAGE_SPAN;
  return {
    nic: caps.id,
    defaultQueue: caps.defaultQueue.value,
    source: caps.precedence.source,
    compile(rule) {
      if (rule.table !== SFC_IP_TABLE) return null;
      const full = rule.match.srcIp !== undefined ? 0 : 1;
      return compileMatch(rule.match, ip + full, rule.queue);
    },
  };
})();
