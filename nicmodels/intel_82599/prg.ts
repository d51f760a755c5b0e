/**
 * The 82599's PRG as graph data, derived from its capabilities and a configuration: the stages
 * follow the documented precedence (nic-models.md §2.7), with the SYN stage placed by
 * `synHighPriority`, Flow Director sized by mode and PBALLOC, and RSS present only when enabled.
 *
 * @module
 */
import type { Graph } from "../../stack/graph/types.ts";
import type { NicConfig } from "../_shared/nic.ts";
import { buildPrg, FILTER_CHAIN_EXPANSION, type PrgStage, RSS_EXPANSION } from "../_shared/prg.ts";
import { INTEL_82599, Table82599 } from "./capabilities.ts";
import { readSettings82599 } from "./settings.ts";

/**
 * Re-exported for importers written before the names moved to `nicmodels/_shared/prg.ts`.
 *
 * @deprecated Import `FILTER_CHAIN_EXPANSION` and `RSS_EXPANSION` from `nicmodels/_shared/prg.ts`.
 */
export { FILTER_CHAIN_EXPANSION, RSS_EXPANSION } from "../_shared/prg.ts";

/** Builds the 82599 PRG for `config` (queues, SYN priority, Flow Director mode, RSS). */
export function build82599Prg(config: NicConfig): Graph {
  const s = readSettings82599(config);
  const t = INTEL_82599.filterTables;
  const table = (i: number, id: string, capacity?: number, label?: string): PrgStage => {
    const cap = t[i];
    if (cap === undefined) throw new Error(`82599 capabilities lack filter table ${i}`);
    return {
      id,
      label: label ?? `${cap.description} (${capacity ?? cap.capacity.value})`,
      capacity: capacity ?? cap.capacity.value,
      space: `intel-82599.${cap.id}`,
      expansion: FILTER_CHAIN_EXPANSION,
      source: cap.capacity.source,
    };
  };
  const stages: PrgStage[] = [];
  for (const step of INTEL_82599.precedence.value) {
    if (step === "ethertype") stages.push(table(Table82599.EtherType, "ethertype"));
    else if (step === "syn-high" && s.synHighPriority) stages.push(table(Table82599.Syn, "syn"));
    else if (step === "syn" && !s.synHighPriority) stages.push(table(Table82599.Syn, "syn"));
    else if (step === "five-tuple") stages.push(table(Table82599.FiveTuple, "five-tuple"));
    else if (step === "fdir" && s.fdirMode !== "off") {
      const perfect = s.fdirMode === "perfect";
      const by = perfect ? INTEL_82599.fdir.perfectByPballoc : INTEL_82599.fdir.signatureByPballoc;
      const cap = by.value[s.fdirPballoc - 1] ?? 0;
      stages.push(
        table(
          perfect ? Table82599.FdirPerfect : Table82599.FdirSignature,
          "fdir",
          cap,
          `Flow Director ${s.fdirMode} (${cap} at PBALLOC ${s.fdirPballoc})`,
        ),
      );
    } else if (step === "rss" && config.rss !== null && config.rss.enabled && INTEL_82599.rss) {
      stages.push({
        id: "rss",
        label:
          `RSS Toeplitz, ${INTEL_82599.rss.tableEntries.value}-entry table, ≤${INTEL_82599.rss.maxQueues.value} queues`,
        capacity: INTEL_82599.rss.tableEntries.value,
        space: "intel-82599.rss",
        expansion: RSS_EXPANSION,
        source: INTEL_82599.rss.tableEntries.source,
      });
    }
  }
  return buildPrg("intel-82599", config.queues, stages, INTEL_82599.defaultQueue.value, {
    checksums: s.rxChecksum,
    maxFrame: s.maxFrame,
    l2Drop: "short",
    unicastMacs: s.unicastMacs,
    vlanFilter: s.vlanFilter,
  });
}
