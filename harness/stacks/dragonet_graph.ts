/**
 * The software graph the timed Dragonet model runs: the real LPG (with its classifier
 * predicates) embedded into the NIC's configured PRG, split into one pipeline per hardware queue
 * and one per application (`makeGraph`, dragonet-model.md §5.5, §12.2). Built once per NIC,
 * queue count and endpoint set and cached, since a graph is plain data and building it takes
 * tens of milliseconds of wall time.
 *
 * The graph is built for the NIC with RSS over every queue (the 82599's Linux bring-up, the
 * SFC9020 with RSS), so every queue pipeline holds the whole UDP receive path: the search may
 * later steer any flow to any queue with a filter and the pipelines still demultiplex it
 * correctly (dragonet-model.md §12.1: "the LPG already demultiplexes any flow correctly;
 * placement is an optimisation"). Pruning per configuration would need a pipeline restart on
 * every reconfiguration, which this model does not do.
 *
 * @module
 */
import type { NicConfig } from "../../nicmodels/_shared/nic.ts";
import { defaultIntel82599Config } from "../../nicmodels/intel_82599/default_config.ts";
import { sfcDefaultConfig } from "../../nicmodels/solarflare_sfc9020/config.ts";
import type { DragonetNic } from "../../stack/dragonet/control/dragonet_nics.ts";
import { type BuiltGraph, makeGraph } from "../../stack/dragonet/embed/make_graph.ts";
import { lpgCollapsible } from "../../stack/dragonet/embed/lpg_predicates.ts";
import { buildLpg } from "../../stack/protocols/lpg.ts";
import type { UdpEndpoint } from "../../stack/protocols/udp_sockets_expansion.ts";

/** The configuration the graph is built for: RSS over all `queues` queues of `nic`. */
export function graphConfig(nic: DragonetNic, queues: number): NicConfig {
  return nic.id === "intel-82599"
    ? defaultIntel82599Config(queues)
    : sfcDefaultConfig(queues, { rss: true });
}

const cache = new Map<string, BuiltGraph>();

/** The embedded graph for `nic`, `queues` and `endpoints` (cached by their JSON). */
export function dragonetGraph(
  nic: DragonetNic,
  queues: number,
  endpoints: readonly UdpEndpoint[],
): BuiltGraph {
  const key = JSON.stringify([nic.id, queues, endpoints]);
  let g = cache.get(key);
  if (g === undefined) {
    g = makeGraph(
      nic.configurePrg(graphConfig(nic, queues)),
      buildLpg(endpoints),
      { collapsible: lpgCollapsible },
    );
    cache.set(key, g);
  }
  return g;
}
