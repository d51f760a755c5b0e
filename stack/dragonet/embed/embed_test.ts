import assert from "node:assert/strict";
import { GraphBuilder } from "../../graph/builder.ts";
import { applyConfig } from "../../graph/config/apply.ts";
import { makeDefaultRegistries } from "../../graph/config/default_expansion.ts";
import {
  registerQueueExpansions,
  rxQueuesSpec,
  txQueuesSpec,
} from "../../graph/config/queue_expansion.ts";
import { AtomTable } from "../../graph/predicate/atoms.ts";
import { DnfAlgebra } from "../../graph/predicate/dnf.ts";
import { fromExpr } from "../../graph/predicate/expr.ts";
import { buildPred } from "../../graph/predicate/algebra.ts";
import { GraphPredicates } from "../../graph/predicate/node_predicates.ts";
import { atomExpr, EthTypeValue, IpProtValue, PredKey } from "../../graph/predicate/vocabulary.ts";
import { defineSpec, type Graph, type PredicateExpr } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { nid, testLpg, testPrg, testRegistries, type TxPath } from "./_fixtures.ts";
import { EmbedError, embedGraphs } from "./embed.ts";
import { makeGraph } from "./make_graph.ts";

function configured(queues: number, tx: TxPath, filters: unknown[]): Graph {
  return applyConfig(
    testPrg(queues, tx),
    [[nid("rx.filters"), filters as never]],
    testRegistries(),
  );
}

const byLabel = (g: Graph, label: string) => g.nodes.filter((n) => (n.label ?? n.id) === label);
const portEdges = (g: Graph) =>
  g.edges.flatMap((e) => (e.kind === "port" ? [`${e.from}.${e.port}->${e.to}`] : []));

Deno.test("embedding (reference §14)", async (t) => {
  await t.step("E1 (t1): queue C-nodes expand and each queue gets its own LPG copy", () => {
    const foo = defineSpec({ name: "foo", kind: "fnode", ports: ["queues", "default"] } as const);
    const pb = new GraphBuilder("t1-prg", { origin: "PRG" });
    pb.node("foo", foo, {
      label: "Foo",
      attributes: { source: true },
      out: { queues: "rx-queues", default: "rx-queues" },
    });
    pb.node("rx-queues", rxQueuesSpec, { label: "RxQueues" });
    pb.node("tx-queues", txQueuesSpec, { label: "TxQueues" });
    const registries = registerQueueExpansions(makeDefaultRegistries());
    const prg = applyConfig(pb.build(), [[nid("rx-queues"), 2], [nid("tx-queues"), 2]], registries);
    const lb = new GraphBuilder("t1-lpg");
    const rxq = defineSpec(
      {
        name: "l.rx-queue",
        kind: "fnode",
        ports: ["out"],
        attributes: { source: true },
      } as const,
    );
    const txa = defineSpec(
      {
        name: "l.tx-a",
        kind: "fnode",
        ports: ["out"],
        attributes: { source: true },
      } as const,
    );
    const txq = defineSpec(
      {
        name: "l.tx-queue",
        kind: "fnode",
        ports: [],
        attributes: { sink: true },
      } as const,
    );
    lb.node("rx.queue", rxq, { label: "RxQueue" }).spawn("poll", "rx.queue");
    lb.node("tx.a", txa, { label: "TxA", out: { out: "tx.queue" } });
    lb.node("tx.queue", txq, { label: "TxQueue" });
    const built = makeGraph(prg, lb.build());
    const g = built.embedded;
    const edges = portEdges(g);
    for (const q of [0, 1]) {
      assert.ok(edges.includes(`rx-queues.in-queues.true->rx-queues.q${q}-valid`));
      assert.ok(edges.includes(`rx-queues.q${q}-valid.true->rx-queues.q${q}`));
      assert.ok(edges.includes(`q${q}.tx.a.out->tx-queues.q${q}`));
      const rx = g.nodes.find((n) => n.id === `rx-queues.q${q}`);
      assert.equal(rx?.tag, `Q${q}`);
      assert.equal(rx?.label, `RxQueue${q}`);
      assert.ok(
        g.edges.some((e) =>
          e.kind === "spawn" && e.spawn === "poll" && e.from === rx?.id && e.to === rx?.id
        ),
        `RxQueue${q} keeps its poll spawn`,
      );
      assert.equal(g.nodes.find((n) => n.id === `q${q}.tx.a`)?.tag, `Q${q}`);
    }
    assert.ok(edges.includes("foo.queues->rx-queues.in-queues"));
    assert.ok(edges.includes("foo.default->rx-queues.in-default"));
    assert.deepEqual(
      edges.filter((e) => e.startsWith("rx-queues.in-default.")),
      ["rx-queues.in-default.true->rx-queues.q0-valid"],
    );
    assert.deepEqual(validateGraph(g), []);
  });

  await t.step("E2 (t2): UDP checksum fill moves to the NIC, once, with origin PRG", () => {
    const built = makeGraph(configured(2, "l4", [{ dport: 7, queue: 1 }]), testLpg());
    const nodes = byLabel(built.embedded, "TxL4UDPFillChecksum");
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]?.origin, "PRG");
    assert.deepEqual(built.offload.offloaded.map((o) => [o.queue, o.lpgNode]), [
      [0, "tx.l4-checksum"],
      [1, "tx.l4-checksum"],
    ]);
    // The IPv4 checksum stays in software: this NIC has no IPv4 context.
    assert.equal(byLabel(built.embedded, "TxL3IPv4FillChecksum").length, 2);
  });

  await t.step("E3 (t3): IPv4 and UDP contexts offload both checksum fills", () => {
    const built = makeGraph(configured(2, "l3l4", []), testLpg());
    for (const label of ["TxL4UDPFillChecksum", "TxL3IPv4FillChecksum"]) {
      const nodes = byLabel(built.embedded, label);
      assert.equal(nodes.length, 1, label);
      assert.equal(nodes[0]?.origin, "PRG", label);
    }
  });

  await t.step("a NIC that fills the UDP checksum only for port 7 offloads nothing", () => {
    const built = makeGraph(configured(2, "l4-port7", []), testLpg());
    assert.deepEqual(built.offload.offloaded, []);
    assert.equal(built.offload.kept.length, 2);
    assert.match(built.offload.kept[0]?.reason ?? "", /predicate at TX out node "tx.out" changes/);
    assert.equal(byLabel(built.embedded, "TxL4UDPFillChecksum").length, 3);
  });

  await t.step("E4: the TX queue predicate implies the checksum fills for IPv4 and UDP", () => {
    const table = new AtomTable();
    const dnf = new DnfAlgebra(table);
    const preds = new GraphPredicates(testLpg(), table, dnf);
    const at = preds.nodePred(nid("tx.queue"));
    const p = (e: PredicateExpr) => buildPred(dnf, fromExpr(e, table));
    const ipv4 = p(atomExpr(PredKey.EthType, EthTypeValue.IPv4));
    const udp = p(atomExpr(PredKey.IpProt, IpProtValue.UDP));
    const passed = (label: string) => p(atomExpr(label, "out"));
    const implies = (a: typeof at, b: typeof at) => dnf.isFalse(dnf.and([a, dnf.not(b)]));
    const l4 = dnf.or([dnf.not(dnf.and([ipv4, udp])), passed("TxL4UDPFillChecksum")]);
    const l3 = dnf.or([dnf.not(ipv4), passed("TxL3IPv4FillChecksum")]);
    assert.ok(implies(at, l4));
    assert.ok(implies(at, l3));
    // Not vacuous: the TX queue also sees packets that passed neither (non-IP).
    assert.ok(!implies(at, passed("TxL4UDPFillChecksum")));
  });

  await t.step("per-queue outcomes: the NIC's decisions prune and collapse each copy", () => {
    const built = makeGraph(configured(3, "none", [{ dport: 7, queue: 1 }]), testLpg());
    const [q0, q1, q2] = built.embedding.queues.map((q) => q.outcomes);
    // Queue 1 receives only UDP to port 7: classification is redundant, ARP/ICMP and socket 8 go.
    assert.equal(q1?.get(nid("rx.classify-l3")), "redundant");
    assert.equal(q1?.get(nid("rx.classify-l4")), "redundant");
    assert.equal(q1?.get(nid("rx.arp")), "removed");
    assert.equal(q1?.get(nid("rx.icmp")), "removed");
    assert.equal(q1?.get(nid("rx.sock7")), "const");
    assert.equal(q1?.get(nid("rx.to-socket7")), "normal");
    assert.equal(q1?.get(nid("rx.to-socket8")), "removed");
    // Default queue 0 never sees UDP port 7: its socket vanishes (reference §4.4 example).
    assert.equal(q0?.get(nid("rx.to-socket7")), "removed");
    assert.equal(q0?.get(nid("rx.to-socket8")), "normal");
    assert.equal(q0?.get(nid("rx.classify-l3")), "normal");
    // Queue 2 receives nothing: every RX node of its copy is removed.
    assert.equal(q2?.get(nid("rx.classify-l3")), "removed");
    assert.equal(q2?.get(nid("tx.classify")), "normal");
    // After folding and cleanup queue 1 goes straight from the ring to the checks.
    const edges = portEdges(built.embedded);
    assert.ok(edges.includes("rx.q1.queue.out->q1.rx.ipv4-checksum"));
    assert.ok(edges.includes("q1.rx.udp-valid.true->q1.rx.to-socket7"));
    assert.ok(!built.embedded.nodes.some((n) => n.spec.startsWith("embed.const")));
  });

  await t.step("the embedded graph, its software part and every pipeline validate", () => {
    for (const tx of ["none", "l4", "l3l4"] as const) {
      const built = makeGraph(
        configured(3, tx, [{ dport: 7, queue: 1 }, { dport: 8, queue: 2 }]),
        testLpg(),
      );
      assert.deepEqual(validateGraph(built.embedded), [], tx);
      assert.deepEqual(validateGraph(built.software), [], tx);
      assert.ok(built.software.nodes.every((n) => n.origin === "LPG" || n.tag !== undefined));
      assert.deepEqual(built.pipelines.map((p) => p.name), ["Q0", "Q1", "Q2"]);
      for (const p of built.pipelines) assert.deepEqual(validateGraph(p.graph), [], p.name);
    }
  });

  await t.step("bad input is refused with a specific error", () => {
    const prg = configured(2, "none", []);
    const lpg = testLpg();
    const noTx: Graph = {
      ...lpg,
      nodes: lpg.nodes.filter((n) => n.id !== "tx.queue"),
      edges: lpg.edges.filter((e) => e.to !== "tx.queue"),
    };
    assert.throws(
      () => embedGraphs(prg, noTx),
      (e: unknown) => e instanceof EmbedError && /no TX queue node "tx.queue"/.test(e.message),
    );
    assert.throws(() => embedGraphs(lpg, lpg), /no RX queue node \(label RxQueue<n>\)/);
    const oneSided: Graph = { ...prg, nodes: prg.nodes.filter((n) => n.label !== "TxQueue1") };
    assert.throws(() => embedGraphs(oneSided, lpg), /queue 1 has no TX queue node/);
  });
});
