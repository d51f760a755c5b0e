/**
 * Ready-made 82599 configurations: the Linux ixgbe bring-up and Dragonet's.
 *
 * @module
 */
import type { NicConfig } from "../_shared/nic.ts";
import { defaultRssConfig } from "../_shared/rss.ts";
import { INTEL_82599 } from "./capabilities.ts";

/** Microsoft's verification key: a fixed stand-in for Linux's random per-boot key (§2.3, §4). */
export const VERIFICATION_RSS_KEY =
  "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

/**
 * The Linux ixgbe bring-up (nic-models.md §2.10): min(16, cpus) RSS queues, round-robin table,
 * UDP hashed on addresses, 512-descriptor rings, Flow Director in signature mode at PBALLOC 1.
 * `cpus` defaults to 16; the key is the fixed verification key instead of a random one.
 */
export function defaultIntel82599Config(cpus = 16): NicConfig {
  const rss = INTEL_82599.rss;
  if (rss === null) throw new Error("Intel 82599 capabilities lack RSS");
  const queues = Math.max(1, Math.min(cpus, rss.maxQueues.value));
  return {
    queues,
    ringSize: INTEL_82599.rings.default.value,
    rss: defaultRssConfig(rss, queues, VERIFICATION_RSS_KEY),
    filters: [],
    settings: { fdirMode: "signature", fdirPballoc: INTEL_82599.fdir.defaultPballoc.value },
  };
}

/**
 * Dragonet's bring-up (nic-models.md §2.2): 10 queues, 512 descriptors, RSS disabled, Flow
 * Director in perfect mode with `pballoc` (Dragonet modelled 2048 entries; PBALLOC 1 gives 2046).
 */
export function dragonetIntel82599Config(queues = 10, pballoc = 1): NicConfig {
  return {
    queues,
    ringSize: 512,
    rss: null,
    filters: [],
    settings: { fdirMode: "perfect", fdirPballoc: pballoc },
  };
}
