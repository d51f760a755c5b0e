import assert from "node:assert/strict";
import { validateGraph } from "../../stack/graph/validate.ts";
import { graphToDot } from "../../stack/graph/dot.ts";
import { buildSfc9020Prg } from "./prg.ts";
import { sfcDefaultConfig, sfcDragonetConfig } from "./config.ts";
import { SfcSetting } from "./capabilities.ts";

Deno.test("SFC9020 PRG as graph data", async (t) => {
  const stagesOf = (g: ReturnType<typeof buildSfc9020Prg>) =>
    g.nodes.filter((n) => n.id.startsWith("rx.c.")).map((n) => `${n.id}:${n.slotsLeft}`);

  await t.step("Dragonet bring-up: IP table then MAC table, capacities from capabilities", () => {
    const g = buildSfc9020Prg(sfcDragonetConfig(10, 512));
    assert.deepEqual(validateGraph(g), []);
    assert.deepEqual(stagesOf(g), ["rx.c.ip:8192", "rx.c.mac:512"]);
    assert.equal(g.nodes.filter((n) => n.spec === "nic.rx.queue").length, 10);
    assert.equal(g.edges.find((e) => e.from === "rx.to-default")?.to, "rx.q0.valid");
    assert.match(graphToDot(g), /digraph/);
  });

  await t.step("RSS on the default destination adds an RSS stage; the default queue moves", () => {
    const cfg = sfcDefaultConfig(8);
    assert.deepEqual(stagesOf(buildSfc9020Prg(cfg)), [
      "rx.c.ip:8192",
      "rx.c.mac:512",
      "rx.c.rss:128",
    ]);
    const g = buildSfc9020Prg({
      ...cfg,
      settings: { [SfcSetting.UnicastRss]: false, [SfcSetting.UnicastQueue]: 3 },
    });
    assert.deepEqual(validateGraph(g), []);
    // Multicast keeps its defaults (queue 0, RSS on): the default path splits after the MAC stage.
    assert.deepEqual(stagesOf(g), ["rx.c.ip:8192", "rx.c.mac:512", "rx.c.rss-mc:128"]);
    assert.equal(g.edges.find((e) => e.from === "rx.to-default")?.to, "rx.q3.valid");
    assert.equal(g.edges.find((e) => e.from === "rx.to-default-mc")?.to, "rx.q0.valid");
    const same = buildSfc9020Prg({
      ...cfg,
      settings: {
        [SfcSetting.UnicastRss]: false,
        [SfcSetting.UnicastQueue]: 3,
        [SfcSetting.MulticastRss]: false,
        [SfcSetting.MulticastQueue]: 3,
      },
    });
    assert.deepEqual(stagesOf(same), ["rx.c.ip:8192", "rx.c.mac:512"]);
    assert.ok(!same.nodes.some((n) => n.id === "rx.l2-cast"));
  });
});
