import assert from "node:assert/strict";
import { GraphBuilder } from "../builder.ts";
import { defineSpec, type Graph, type NodeId } from "../types.ts";
import { validateGraph } from "../validate.ts";
import { applyConfig, ConfigError } from "./apply.ts";
import { makeDefaultRegistries } from "./default_expansion.ts";
import { registerQueueExpansions, rxQueuesSpec, txQueuesSpec } from "./queue_expansion.ts";

const fooSpec = defineSpec({ name: "foo", kind: "fnode", ports: ["queues", "default"] } as const);
const outSpec = defineSpec(
  { name: "tx-out", kind: "fnode", ports: [], attributes: { sink: true } } as const,
);

/** The PRG of embedding test t1 (reference §14 E1): Foo → RxQueues, TxQueues → TX out. */
function t1Prg(withTxPath: boolean): Graph {
  const b = new GraphBuilder("t1-prg", { origin: "PRG" });
  b.node("foo", fooSpec, {
    attributes: { source: true },
    out: { queues: "rx-queues", default: "rx-queues" },
  });
  b.node("rx-queues", rxQueuesSpec, { label: "RxQueues" });
  b.node("tx-queues", txQueuesSpec, {
    label: "TxQueues",
    ...(withTxPath ? { out: { out: "tx-out" } } : {}),
  });
  if (withTxPath) b.node("tx-out", outSpec);
  return b.build();
}

const id = (s: string) => s as NodeId;
const registries = () => registerQueueExpansions(makeDefaultRegistries());

function portEdges(g: Graph): string[] {
  return g.edges.filter((e) => e.kind === "port").map((e) =>
    `${e.from}.${e.kind === "port" ? e.port : ""}->${e.to}`
  ).sort();
}

Deno.test("queue-count expansion", async (t) => {
  await t.step("E1 PRG part: queues port reaches every RxQ<i>Valid, default only RxQ0Valid", () => {
    const g = applyConfig(t1Prg(false), [[id("rx-queues"), 2], [id("tx-queues"), 2]], registries());
    assert.deepEqual(portEdges(g), [
      "foo.default->rx-queues.in-default",
      "foo.queues->rx-queues.in-queues",
      "rx-queues.in-default.true->rx-queues.q0-valid",
      "rx-queues.in-queues.true->rx-queues.q0-valid",
      "rx-queues.in-queues.true->rx-queues.q1-valid",
      "rx-queues.q0-valid.true->rx-queues.q0",
      "rx-queues.q1-valid.true->rx-queues.q1",
    ]);
    const labels = g.nodes.map((n) => `${n.label ?? n.id}/${n.tag ?? ""}`).sort();
    assert.deepEqual(labels, [
      "RxQ0Valid/Q0",
      "RxQ1Valid/Q1",
      "RxQueue0/Q0",
      "RxQueue1/Q1",
      "RxQueues.default/",
      "RxQueues.queues/",
      "TxQueue0/Q0",
      "TxQueue1/Q1",
      "foo/",
    ]);
    assert.deepEqual(validateGraph(g), []);
  });

  await t.step("TX queues each reach the C-node's TX path", () => {
    const g = applyConfig(t1Prg(true), [[id("rx-queues"), 1], [id("tx-queues"), 3]], registries());
    assert.deepEqual(
      portEdges(g).filter((e) => e.startsWith("tx-")),
      ["tx-queues.q0.out->tx-out", "tx-queues.q1.out->tx-out", "tx-queues.q2.out->tx-out"],
    );
  });

  await t.step("a count outside 1..max is refused naming the node", () => {
    assert.throws(
      () => applyConfig(t1Prg(false), [[id("rx-queues"), 0]], registries()),
      (e: unknown) => e instanceof ConfigError && /rx-queues/.test(e.message),
    );
    assert.throws(
      () =>
        applyConfig(
          t1Prg(false),
          [[id("rx-queues"), 5]],
          registerQueueExpansions(makeDefaultRegistries(), 4),
        ),
      ConfigError,
    );
  });

  await t.step("an RX queue C-node with out-edges is refused", () => {
    const g = t1Prg(false);
    const bad: Graph = {
      ...g,
      edges: [...g.edges, { kind: "port", from: id("rx-queues"), port: "queues", to: id("foo") }],
    };
    assert.throws(() => applyConfig(bad, [[id("rx-queues"), 2]], registries()), /out-edge/);
  });
});
