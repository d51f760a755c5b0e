/**
 * The SFC9020's PRG as graph data, derived from its capabilities and a configuration: the IP
 * filter table (8192, full before wildcard inside the stage), the MAC filter table (512), then
 * RSS when the unicast default destination spreads by RSS, then the default queue
 * (nic-models.md §3.6; Dragonet's SF PRG had one 4048-entry stage, quirk Q10).
 *
 * Not expressed: a filter with the RSS flag spreads over base + indirection entry; the PRG's
 * filter-chain stage sends each rule to one queue.
 *
 * @module
 */
import type { Graph } from "../../stack/graph/types.ts";
import type { NicConfig } from "../_shared/nic.ts";
import { buildPrg, FILTER_CHAIN_EXPANSION, type PrgStage, RSS_EXPANSION } from "../_shared/prg.ts";
import { SFC9020_CAPABILITIES, SFC_IP_TABLE, SFC_MAC_TABLE, SfcSetting } from "./capabilities.ts";

/** Builds the SFC9020 PRG for `config` (queues, RSS on the default, unicast default queue). */
export function buildSfc9020Prg(config: NicConfig): Graph {
  const caps = SFC9020_CAPABILITIES;
  const stages: PrgStage[] = [];
  for (const step of caps.precedence.value) {
    const t = caps.filterTables.find((x) => x.id === step);
    if (t !== undefined && (step === SFC_IP_TABLE || step === SFC_MAC_TABLE)) {
      stages.push({
        id: t.id,
        label: `${t.description} (${t.capacity.value})`,
        capacity: t.capacity.value,
        space: `${caps.id}.${t.id}`,
        expansion: FILTER_CHAIN_EXPANSION,
        source: t.capacity.source,
      });
    }
  }
  const rssOn = config.rss !== null && config.rss.enabled &&
    config.settings[SfcSetting.UnicastRss] !== false;
  if (rssOn && caps.rss !== null) {
    stages.push({
      id: "rss",
      label: `RSS Toeplitz on the default destination, ${caps.rss.tableEntries.value}-entry ` +
        `table, ≤${caps.rss.maxQueues.value} queues`,
      capacity: caps.rss.tableEntries.value,
      space: `${caps.id}.rss`,
      expansion: RSS_EXPANSION,
      source: caps.rss.tableEntries.source,
    });
  }
  const uq = config.settings[SfcSetting.UnicastQueue];
  const defaultQueue = typeof uq === "number" ? uq : caps.defaultQueue.value;
  return buildPrg(caps.id, config.queues, stages, defaultQueue, {
    checksums: true,
    l2Drop: "unparsed",
  });
}
