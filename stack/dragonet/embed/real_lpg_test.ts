import assert from "node:assert/strict";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { build82599Prg } from "../../../nicmodels/intel_82599/prg.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { buildSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg.ts";
import { buildProgram } from "../../exec/program.ts";
import { graphToDot } from "../../graph/dot.ts";
import type { Graph } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { buildLpg, lpgImpls } from "../../protocols/lpg.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { constImpls } from "./const_impls.ts";
import { embedGraphs } from "./embed.ts";
import { makeGraph } from "./make_graph.ts";

const ENDPOINTS: UdpEndpoint[] = [
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  {
    sockets: [{ sid: 1, appId: 1 }, { sid: 2, appId: 1 }],
    srcIp: 0,
    srcPort: 0,
    dstIp: 0,
    dstPort: 11211,
  },
];

const prgs: [string, (queues: number) => Graph][] = [
  ["Intel 82599, Dragonet bring-up", (q) => build82599Prg(dragonetIntel82599Config(q))],
  ["SFC9020, Dragonet bring-up", (q) => buildSfc9020Prg(sfcDragonetConfig(q))],
];

Deno.test("the real LPG embedded into the NIC PRGs", async (t) => {
  for (const [name, prg] of prgs) {
    await t.step(`${name}, 4 queues: validates, draws, and every pipeline builds a program`, () => {
      const lpg = buildLpg(ENDPOINTS);
      const built = makeGraph(prg(4), lpg);
      assert.deepEqual(validateGraph(built.embedded), []);
      assert.deepEqual(validateGraph(built.software), []);
      assert.equal(built.embedding.queues.length, 4);
      for (const q of built.embedding.queues) {
        assert.equal(q.outcomes.get("rx.queue" as never), "queue");
        // Every RX queue node runs the LPG's queue implementation after the merge.
        const rx = built.software.nodes.find((n) => n.id === q.queue.rx);
        assert.equal(rx?.spec, "rx.queue");
        assert.equal(rx?.tag, q.queue.tag);
      }
      assert.deepEqual(built.pipelines.map((p) => p.name), [
        "App0",
        "App1",
        "Q0",
        "Q1",
        "Q2",
        "Q3",
      ]);
      const impls = new Map([...lpgImpls(lpg), ...constImpls()]);
      for (const p of built.pipelines) {
        assert.deepEqual(validateGraph(p.graph), [], p.name);
        // Plumbing implementations are added by PipelineSet; only check the LPG's nodes here.
        const lpgOnly: Graph = {
          ...p.graph,
          nodes: p.graph.nodes.filter((n) => !n.spec.startsWith("pl.")),
          edges: p.graph.edges.filter((e) => !e.from.startsWith("pl.") && !e.to.startsWith("pl.")),
        };
        assert.ok(buildProgram(lpgOnly, impls).ids.length > 0, p.name);
      }
      // The independence shortcut (opaque boundary) decides exactly as the full boundary.
      const small = prg(2);
      const fast = embedGraphs(small, lpg);
      const exact = embedGraphs(small, lpg, { exact: true });
      assert.deepEqual(
        fast.queues.map((q) => [...q.outcomes]),
        exact.queues.map((q) => [...q.outcomes]),
      );
      const dot = graphToDot(built.embedded);
      assert.match(dot, /^digraph /);
      assert.match(dot, /RxQueue3/);
    });
  }
});
