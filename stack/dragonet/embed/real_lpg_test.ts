import assert from "node:assert/strict";
import fc from "fast-check";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { build82599Prg } from "../../../nicmodels/intel_82599/prg.ts";
import { TableId82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { configureSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg_configure.ts";
import { lpgCollapsible } from "./lpg_predicates.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { buildSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg.ts";
import { buildProgram } from "../../exec/program.ts";
import { graphToDot } from "../../graph/dot.ts";
import type { Graph, NodeId } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { buildLpg, lpgImpls } from "../../protocols/lpg.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { constImpls } from "./const_impls.ts";
import { copyId } from "./conventions.ts";
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

  await t.step("configured PRGs with 5-tuple filters prune the annotated LPG per queue", () => {
    const lpg = buildLpg(ENDPOINTS);
    const rule = (dstPort: number, queue: number) => ({
      table: "five-tuple",
      match: { proto: 17, dstPort },
      queue,
      priority: 1,
    });
    const configs: [string, Graph][] = [
      [
        "82599",
        configure82599Prg({
          ...dragonetIntel82599Config(3),
          filters: [rule(7, 1), rule(11211, 2)],
        }),
      ],
      ["SFC9020", configureSfc9020Prg({ ...sfcDragonetConfig(3), filters: [] })],
    ];
    for (const [name, prg] of configs) {
      const built = makeGraph(prg, lpg, { collapsible: lpgCollapsible });
      // Queues no rule reaches are unreachable in the configured PRG already.
      const show = (g: Graph) => validateGraph(g).map((p) => `${p.code} ${p.node ?? ""}`);
      const own = new Set(show(prg));
      assert.deepEqual(show(built.embedded).filter((p) => !own.has(p)), [], name);
      assert.deepEqual(validateGraph(built.software), [], name);
      for (const p of built.pipelines) {
        assert.deepEqual(validateGraph(p.graph), [], `${name} ${p.name}`);
      }
    }
    const e10k = makeGraph(configs[0]?.[1] as Graph, lpg, { collapsible: lpgCollapsible });
    const [q0, q1, q2] = e10k.embedding.queues.map((q) => q.outcomes);
    // Queue 1 gets only UDP port 7: ARP is gone, the port-7 demux is decided by the NIC.
    assert.equal(q1?.get("rx.arp.classify" as never), "removed");
    assert.equal(q1?.get("rx.udp.demux.e1" as never), "const");
    assert.equal(q1?.get("sock.s1.to" as never), "removed");
    // The classifiers keep running (they set offsets), pruned to the live port.
    assert.equal(q1?.get("rx.l2.classify-l3" as never), "partial");
    assert.deepEqual(e10k.embedding.queues[1]?.livePorts.get("rx.l2.classify-l3" as never), [
      "ipv4",
    ]);
    // Queue 2 gets port 11211: only the Balance endpoint's sockets remain.
    assert.equal(q2?.get("sock.s0.to" as never), "removed");
    // Default queue 0 still receives everything else, ARP included.
    assert.equal(q0?.get("rx.arp.classify" as never), "normal");
    assert.equal(q0?.get("sock.s0.to" as never), "removed");
  });
});

Deno.test("property: per-queue search decides as the full boundary DNF, and drops at least as much", () => {
  const lpg = buildLpg([
    ...ENDPOINTS,
    { sockets: [{ sid: 3, appId: 2 }], srcIp: 0, srcPort: 40001, dstIp: 0, dstPort: 9 },
    { sockets: [{ sid: 4, appId: 2 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 9 },
  ]);
  const arbRule = fc.record({
    dstPort: fc.constantFrom(7, 9, 53, 11211),
    srcPort: fc.option(fc.constantFrom(40000, 40001, 40002)),
    queue: fc.integer({ min: 0, max: 3 }),
    priority: fc.integer({ min: 1, max: 3 }),
  });
  const collapsed = new Set(["redundant", "const"]);
  fc.assert(
    fc.property(
      fc.uniqueArray(arbRule, { maxLength: 5, selector: (r) => `${r.dstPort}:${r.srcPort}` }),
      (rules) => {
        const filters = rules.map((r) => ({
          table: "five-tuple",
          match: {
            proto: 17,
            dstPort: r.dstPort,
            ...(r.srcPort === null ? {} : { srcPort: r.srcPort }),
          },
          queue: r.queue,
          priority: r.priority,
        }));
        const prg = configure82599Prg({ ...dragonetIntel82599Config(4), filters });
        const fast = embedGraphs(prg, lpg, { collapsible: lpgCollapsible });
        const exact = embedGraphs(prg, lpg, { collapsible: lpgCollapsible, exact: true });
        fast.queues.forEach((fq, i) => {
          const eq = exact.queues[i];
          assert.ok(eq !== undefined);
          for (const [id, e] of eq.outcomes) {
            const f = fq.outcomes.get(id);
            const where = `${JSON.stringify(filters)} Q${i} ${id}: fast ${f}, exact ${e}`;
            // Liveness is exact both ways: the same copies vanish.
            assert.equal(f === "removed", e === "removed", where);
            if (collapsed.has(e)) assert.equal(f, e, where);
            else if (f !== undefined && collapsed.has(f)) {
              // An equivalence dnfEquiv missed: only ever with a single live port.
              assert.equal(eq.livePorts.get(id)?.length, 1, where);
            } else if (e !== "removed") {
              assert.deepEqual(fq.livePorts.get(id), eq.livePorts.get(id), where);
            }
          }
        });
      },
    ),
    { seed: 42, numRuns: 15 },
  );
});

Deno.test("a queue fed only frames the LPG drops keeps the nodes that count them", () => {
  // 82599 EtherType filters: IPv6 to queue 1, LLDP to queue 2. Neither has a receive path in the
  // LPG; the copies of rx.l2.classify-l3 there have only a drop port live and must survive
  // cleanup, with the chain from the queue to them.
  const lpg = buildLpg(ENDPOINTS);
  const prg = configure82599Prg({
    ...dragonetIntel82599Config(3),
    filters: [
      { table: TableId82599.EtherType, match: { etherType: 0x86dd }, queue: 1 },
      { table: TableId82599.EtherType, match: { etherType: 0x88cc }, queue: 2 },
    ],
  });
  const built = makeGraph(prg, lpg, { collapsible: lpgCollapsible });
  const classify = "rx.l2.classify-l3" as NodeId;
  for (const [q, port] of [[1, "ipv6"], [2, "drop"]] as const) {
    const report = built.embedding.queues[q];
    assert.deepEqual(report?.livePorts.get(classify), [port], `queue ${q}`);
    const id = copyId(q, classify);
    const node = built.software.nodes.find((n) => n.id === id);
    assert.equal(node?.attributes?.sink, true, `${id} kept as a sink`);
    // Reachable from the queue's RX node over normal edges.
    const seen = new Set<string>([report?.queue.rx ?? ""]);
    for (let grew = true; grew;) {
      grew = false;
      for (const e of built.software.edges) {
        if (e.kind === "port" && seen.has(e.from) && !seen.has(e.to)) {
          seen.add(e.to);
          grew = true;
        }
      }
    }
    assert.ok(seen.has(id), `${id} is not reachable from ${report?.queue.rx}`);
  }
  // Queue 0 (IPv4, ARP, the rest) still has its receive path; no IPv4 node on queues 1 and 2.
  const ids = new Set(built.software.nodes.map((n) => n.id));
  assert.ok(ids.has(copyId(0, "rx.ipv4.valid-header-length" as NodeId)));
  assert.ok(!ids.has(copyId(1, "rx.ipv4.valid-header-length" as NodeId)));
  assert.ok(!ids.has(copyId(2, "rx.ipv4.valid-header-length" as NodeId)));
});
