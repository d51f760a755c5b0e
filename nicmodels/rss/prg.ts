/**
 * The plain RSS NIC's PRG as graph data: entry, an RSS C-node (when enabled), default queue,
 * queues.
 *
 * @module
 */
import type { Graph } from "../../stack/graph/types.ts";
import type { NicCapabilities, NicConfig } from "../_shared/nic.ts";
import { buildPrg, type PrgStage, RSS_EXPANSION } from "../_shared/prg.ts";
import { RSS_NIC_FRAMES } from "./capabilities.ts";

/** Builds the RSS NIC's PRG for `config` on a NIC with capabilities `caps`. */
export function buildRssNicPrg(caps: NicCapabilities, config: NicConfig): Graph {
  const stages: PrgStage[] = [];
  if (caps.rss !== null && config.rss !== null && config.rss.enabled) {
    stages.push({
      id: "rss",
      label: `RSS Toeplitz, ${caps.rss.tableEntries.value}-entry table`,
      capacity: caps.rss.tableEntries.value,
      space: `${caps.id}.rss`,
      expansion: RSS_EXPANSION,
      source: caps.rss.tableEntries.source,
    });
  }
  const maxFrame = config.settings.maxFrame;
  return buildPrg(caps.id, config.queues, stages, caps.defaultQueue.value, {
    checksums: config.settings.rxChecksum !== false,
    maxFrame: typeof maxFrame === "number" ? maxFrame : RSS_NIC_FRAMES.default.value,
    l2Drop: "short",
  });
}
