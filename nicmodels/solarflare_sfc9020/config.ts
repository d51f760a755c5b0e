/**
 * Default SFC9020 configurations as data: what the Linux sfc driver brings up, and the
 * Dragonet-style bring-up (RSS off, everything unclaimed to queue 0).
 *
 * @module
 */
import type { NicConfig } from "../_shared/nic.ts";
import { defaultRssConfig } from "../_shared/rss.ts";
import { SFC9020_CAPABILITIES, type SfcCapabilities, SfcSetting } from "./capabilities.ts";

/**
 * The deterministic default RSS key: the Microsoft verification key (nic-models.md §4). The
 * Linux driver uses a random key per boot; a fixed key keeps runs reproducible.
 */
export const SFC_DEFAULT_RSS_KEY =
  "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

/** Options of {@linkcode sfcDefaultConfig}. */
export interface SfcDefaultConfigOptions {
  /** Descriptors per ring; default the capability's default (1024). */
  readonly ringSize?: number;
  /** Enable RSS on the default destinations; default true when queues > 1. */
  readonly rss?: boolean;
  /** RSS key as hex; default {@linkcode SFC_DEFAULT_RSS_KEY}. */
  readonly key?: string;
}

/**
 * A Linux-driver-like configuration with `queues` queues: RSS over min(queues, 64) queues with a
 * round-robin indirection table, no filters, defaults to queue 0 with RSS (the driver turns RSS
 * off on the default filter when there is a single channel, nic-models.md §3.7).
 *
 * @example
 * ```ts
 * import { sfcDefaultConfig } from "./config.ts";
 * const cfg = sfcDefaultConfig(8);
 * cfg.rss?.table.length; // 128
 * ```
 */
export function sfcDefaultConfig(
  queues: number,
  opts: SfcDefaultConfigOptions = {},
  caps: SfcCapabilities = SFC9020_CAPABILITIES,
): NicConfig {
  const rssCap = caps.rss;
  const rssOn = opts.rss ?? queues > 1;
  return {
    queues,
    ringSize: opts.ringSize ?? caps.rings.default.value,
    rss: rssCap === null ? null : {
      ...defaultRssConfig(rssCap, queues, opts.key ?? SFC_DEFAULT_RSS_KEY),
      enabled: rssOn,
    },
    filters: [],
    settings: rssOn ? {} : { [SfcSetting.UnicastRss]: false, [SfcSetting.MulticastRss]: false },
  };
}

/**
 * The Dragonet bring-up on the SFC: `queues` queues, RSS off, everything a filter does not
 * claim goes to queue 0 (dragonet-model.md §7-§8.3: queue 0 is the catch-all default).
 */
export function sfcDragonetConfig(
  queues: number,
  ringSize: number = SFC9020_CAPABILITIES.rings.default.value,
): NicConfig {
  return { queues, ringSize, rss: null, filters: [], settings: {} };
}
