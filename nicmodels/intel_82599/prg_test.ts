import assert from "node:assert/strict";
import { validateGraph } from "../../stack/graph/validate.ts";
import { graphToDot } from "../../stack/graph/dot.ts";
import { build82599Prg } from "./prg.ts";
import { defaultIntel82599Config, dragonetIntel82599Config } from "./default_config.ts";

Deno.test("82599 PRG as graph data", async (t) => {
  const stagesOf = (g: ReturnType<typeof build82599Prg>) =>
    g.nodes.filter((n) => n.id.startsWith("rx.c.")).map((n) => `${n.id}:${n.slotsLeft}`);

  await t.step(
    "Dragonet bring-up: stages in precedence order, capacities from capabilities",
    () => {
      const g = build82599Prg(dragonetIntel82599Config(10, 1));
      assert.deepEqual(validateGraph(g), []);
      assert.deepEqual(stagesOf(g), [
        "rx.c.ethertype:8",
        "rx.c.five-tuple:128",
        "rx.c.syn:1",
        "rx.c.fdir:2046",
      ]);
      assert.equal(g.nodes.filter((n) => n.spec === "nic.rx.queue").length, 10);
      const toDefault = g.edges.find((e) => e.from === "rx.to-default");
      assert.equal(toDefault?.to, "rx.q0.valid");
    },
  );

  await t.step("SYN priority bit, PBALLOC 3 and RSS change the graph", () => {
    const cfg = defaultIntel82599Config(16);
    const g = build82599Prg({
      ...cfg,
      settings: { fdirMode: "perfect", fdirPballoc: 3, synHighPriority: true },
    });
    assert.deepEqual(validateGraph(g), []);
    assert.deepEqual(stagesOf(g), [
      "rx.c.ethertype:8",
      "rx.c.syn:1",
      "rx.c.five-tuple:128",
      "rx.c.fdir:8190",
      "rx.c.rss:128",
    ]);
    // Every stage reaches every queue on its "queues" port.
    const fromFdir = g.edges.filter((e) =>
      e.from === "rx.c.fdir" && e.kind === "port" && e.port === "queues"
    );
    assert.equal(fromFdir.length, 16);
    assert.match(graphToDot(g), /digraph/);
  });
});
