/**
 * Speed of the embedding (reported, never asserted): the real LPG into the 82599 PRG with 10
 * queues (Dragonet's nq), the memcached experiment's shape (one UDP endpoint on port 11211, 10
 * queues, 10/20/40 client flows each pinned by a five-tuple filter, round robin over queues 1-9
 * as the control loop's greedy search places them), and the predicate-rich test LPG into a small
 * filtered PRG with both algorithms.
 *
 * ```sh
 * deno bench --allow-read --allow-env --allow-sys stack/dragonet/embed/embed_bench.ts
 * ```
 *
 * @module
 */
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { build82599Prg } from "../../../nicmodels/intel_82599/prg.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { lpgCollapsible } from "./lpg_predicates.ts";
import { applyConfig } from "../../graph/config/apply.ts";
import { buildLpg } from "../../protocols/lpg.ts";
import { nid, testLpg, testPrg, testRegistries } from "./_fixtures.ts";
import { embedGraphs } from "./embed.ts";
import { embedSimple } from "./embed_simple.ts";
import { makeGraph } from "./make_graph.ts";

const realLpg = buildLpg([
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  {
    sockets: [{ sid: 1, appId: 1 }, { sid: 2, appId: 1 }],
    srcIp: 0,
    srcPort: 0,
    dstIp: 0,
    dstPort: 11211,
  },
]);
const e10k = build82599Prg(dragonetIntel82599Config(10));
const rule = (dstPort: number, queue: number) => ({
  table: "five-tuple",
  match: { proto: 17, dstPort },
  queue,
  priority: 1,
});
const e10kFiltered = configure82599Prg({
  ...dragonetIntel82599Config(10),
  filters: [rule(7, 1), rule(11211, 2), rule(53, 3)],
});
const memcachedLpg = buildLpg([
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 11211 },
]);
/** The 82599 PRG with `flows` memcached client flows pinned round robin to queues 1..9. */
function memcachedPrg(flows: number) {
  return configure82599Prg({
    ...dragonetIntel82599Config(10),
    filters: Array.from({ length: flows }, (_, k) => ({
      table: "five-tuple",
      match: {
        proto: 17,
        srcIp: `10.1.${k >> 8}.${k & 255}`,
        dstIp: "10.0.0.1",
        srcPort: 4000 + k,
        dstPort: 11211,
      },
      queue: 1 + (k % 9),
      priority: 1,
    })),
  });
}
const filters = [
  { dport: 7, queue: 1 },
  { dport: 8, queue: 2 },
  { dport: 9, queue: 3 },
  { dport: null, queue: 2 },
];
const small = applyConfig(testPrg(4, "l3l4"), [[nid("rx.filters"), filters]], testRegistries());
const lpg = testLpg();

Deno.bench("embed (Algorithm B): real LPG into 82599 PRG, 10 queues", { group: "real" }, () => {
  embedGraphs(e10k, realLpg);
});
Deno.bench("makeGraph: real LPG, 82599, 10 queues, to pipelines", { group: "real" }, () => {
  makeGraph(e10k, realLpg);
});
Deno.bench(
  "makeGraph: real LPG with its predicates, configured 82599 (3 filters), 10 queues",
  { group: "real" },
  () => {
    makeGraph(e10kFiltered, realLpg, { collapsible: lpgCollapsible });
  },
);
for (const flows of [10, 20, 40]) {
  const prg = memcachedPrg(flows);
  Deno.bench(
    `makeGraph: memcached LPG, configured 82599, 10 queues x ${flows} flows`,
    { group: "flows" },
    () => {
      makeGraph(prg, memcachedLpg, { collapsible: lpgCollapsible });
    },
  );
}
Deno.bench("embed (Algorithm B): test LPG, 4 queues, 4 filters", { group: "small" }, () => {
  embedGraphs(small, lpg);
});
Deno.bench("embed (Algorithm A, simple): test LPG, 4 queues, 4 filters", { group: "small" }, () => {
  embedSimple(small, lpg);
});
Deno.bench("makeGraph: test LPG, 4 queues, 4 filters, offload l3l4", { group: "small" }, () => {
  makeGraph(small, lpg);
});
