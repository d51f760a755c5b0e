import assert from "node:assert/strict";
import { GraphBuilder } from "../graph/builder.ts";
import { defineSpec } from "../graph/types.ts";
import { validateGraph } from "../graph/validate.ts";
import { splitPipelines } from "./pipelines.ts";

const src = defineSpec(
  {
    name: "t.src",
    kind: "fnode",
    ports: ["out"],
    attributes: { source: true },
  } as const,
);
const mid = defineSpec({ name: "t.mid", kind: "fnode", ports: ["out"] } as const);
const sink = defineSpec({ name: "t.sink", kind: "fnode", ports: ["done"] } as const);

/** Two hardware queues (tags Q0, Q1) delivering to one application node (appid=1). */
function twoQueues() {
  const b = new GraphBuilder("two-queues");
  for (const q of [0, 1]) {
    const c = b.cluster(`q${q}`, { tag: `Q${q}` });
    c.node("rx", src, { out: { out: "valid" } });
    c.node("valid", mid, { out: { out: b.ref("app.to-socket") } });
  }
  b.node("app.to-socket", sink, { attributes: { values: { appid: "1" } } });
  return b.build();
}

Deno.test("splitPipelines: one pipeline per hardware queue and one per application", async (t) => {
  const parts = splitPipelines(twoQueues());
  await t.step("pipelines by tag and appid", () => {
    assert.deepEqual(parts.map((p) => p.name), ["App1", "Q0", "Q1"]);
    const app = parts.find((p) => p.name === "App1");
    assert.deepEqual(app?.receivesFrom, ["Q0", "Q1"]);
    assert.deepEqual(parts.find((p) => p.name === "Q1")?.sendsTo, ["App1"]);
  });
  await t.step("each queue's edge into the app becomes Mux -> ToPipeline", () => {
    const q0 = parts.find((p) => p.name === "Q0")?.graph;
    assert.ok(q0);
    const mux = q0.nodes.find((n) => n.spec === "pl.mux");
    assert.equal(mux?.attributes?.values?.["multiplex"], "app.to-socket");
    assert.equal(mux?.attributes?.values?.["muxid"], "1");
    assert.ok(q0.edges.some((e) => e.kind === "port" && e.from === "q0.valid" && e.to === mux?.id));
  });
  await t.step("the app receives through FromPipeline -> Demux per source pipeline", () => {
    const app = parts.find((p) => p.name === "App1")?.graph;
    assert.ok(app);
    assert.equal(app.nodes.filter((n) => n.spec === "pl.from-pipeline").length, 2);
    assert.deepEqual(
      app.edges.filter((e) => e.kind === "port" && e.to === "app.to-socket").map((e) => e.from)
        .sort(),
      ["pl.from-Q0.demux", "pl.from-Q1.demux"],
    );
  });
  await t.step("every pipeline graph validates", () => {
    for (const p of parts) assert.deepEqual(validateGraph(p.graph), [], p.name);
  });
  await t.step("a spawn edge across pipelines is refused", () => {
    const b = new GraphBuilder("bad");
    b.node("a", src, { tag: "Q0" }).spawn("poll", "b");
    b.node("b", { ...src, name: "t.src2" }, { tag: "Q1" });
    assert.throws(() => splitPipelines(b.build()), /crosses pipelines/);
  });
});
