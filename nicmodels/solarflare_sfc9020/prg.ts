/**
 * The SFC9020's PRG as graph data, derived from its capabilities and a configuration: the IP
 * filter table (8192, full before wildcard inside the stage), the MAC filter table (512), then
 * RSS when the unicast default destination spreads by RSS, then the default queue
 * (nic-models.md §3.6; Dragonet's SF PRG had one 4048-entry stage, quirk Q10).
 *
 * When the multicast default destination (queue or RSS) differs from the unicast one, a
 * `rx.l2-cast` node after the MAC stage splits the default path: unicast through `rx.c.rss`
 * to the unicast default queue, multicast through `rx.c.rss-mc` to the multicast one.
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
  const rssEnabled = config.rss !== null && config.rss.enabled && caps.rss !== null;
  const rssStage = (id: string, what: string): PrgStage[] =>
    caps.rss === null ? [] : [{
      id,
      label: `RSS Toeplitz on the ${what} default destination, ${caps.rss.tableEntries.value}-` +
        `entry table, ≤${caps.rss.maxQueues.value} queues`,
      capacity: caps.rss.tableEntries.value,
      space: `${caps.id}.rss`,
      expansion: RSS_EXPANSION,
      source: caps.rss.tableEntries.source,
    }];
  const queueOf = (key: string) => {
    const v = config.settings[key];
    return typeof v === "number" ? v : caps.defaultQueue.value;
  };
  const ucQueue = queueOf(SfcSetting.UnicastQueue);
  const mcQueue = queueOf(SfcSetting.MulticastQueue);
  const ucRss = rssEnabled && config.settings[SfcSetting.UnicastRss] !== false;
  const mcRss = rssEnabled && config.settings[SfcSetting.MulticastRss] !== false;
  const at = stages.length;
  if (ucRss) stages.push(...rssStage("rss", "unicast"));
  return buildPrg(caps.id, config.queues, stages, ucQueue, {
    checksums: true,
    l2Drop: "unparsed",
    ...(ucQueue === mcQueue && ucRss === mcRss ? {} : {
      multicast: {
        at,
        stages: mcRss ? rssStage("rss-mc", "multicast") : [],
        defaultQueue: mcQueue,
      },
    }),
  });
}
