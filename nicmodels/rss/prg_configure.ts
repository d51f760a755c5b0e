/**
 * The configured PRG of the plain RSS NIC: {@link buildRssNicPrg} with its RSS C-node expanded
 * (Toeplitz over the configured key, table and hashed fields; `nohash` → the default queue).
 *
 * @module
 */
import { applyConfig, type ConfigRegistries } from "../../stack/graph/config/mod.ts";
import type { ConfValue } from "../../stack/graph/config/space.ts";
import type { Graph, NodeId } from "../../stack/graph/types.ts";
import type { NicCapabilities, NicConfig } from "../_shared/nic.ts";
import { makePrgRegistries, prgRssValue, rssSpace } from "../_shared/prg_expand.ts";
import { buildRssNicPrg } from "./prg.ts";

/** Registries that configure the RSS NIC's PRG (the RSS space and expansion). */
export function makeRssNicPrgRegistries(
  caps: NicCapabilities,
  config: NicConfig,
): ConfigRegistries {
  return makePrgRegistries(
    new Map(),
    caps.rss === null
      ? undefined
      : { space: `${caps.id}.rss`, value: rssSpace(caps.rss, config.queues) },
  );
}

/** The C-node values of the RSS NIC's PRG `prg` for `config`. */
export function prgRssNicConfiguration(
  prg: Graph,
  caps: NicCapabilities,
  config: NicConfig,
): Map<NodeId, ConfValue> {
  const out = new Map<NodeId, ConfValue>();
  for (const n of prg.nodes) {
    const space = prg.specs[n.spec]?.config?.space;
    if (space === `${caps.id}.rss` && caps.rss !== null && config.rss !== null) {
      out.set(n.id, prgRssValue(caps.rss, config.rss, 0) as unknown as ConfValue);
    }
  }
  return out;
}

/** The configured PRG of the RSS NIC with capabilities `caps` in `config`. */
export function configureRssNicPrg(caps: NicCapabilities, config: NicConfig): Graph {
  const prg = buildRssNicPrg(caps, config);
  return applyConfig(
    prg,
    prgRssNicConfiguration(prg, caps, config),
    makeRssNicPrgRegistries(caps, config),
  );
}
