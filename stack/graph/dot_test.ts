import assert from "node:assert/strict";
import { assertSnapshot } from "../../tests/_snapshot.ts";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { GraphBuilder } from "./builder.ts";
import { graphToDot } from "./dot.ts";
import { parseGraph } from "./json.ts";
import { defineSpec } from "./types.ts";

const hasDot = await new Deno.Command("dot", { args: ["-V"], stderr: "null", stdout: "null" })
  .output().then((o) => o.success, () => false);

/** Renders DOT text with Graphviz; returns its exit status and error text. */
async function render(dot: string): Promise<{ ok: boolean; stderr: string }> {
  const child = new Deno.Command("dot", {
    args: ["-Tsvg"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(dot));
  await writer.close();
  const out = await child.output();
  return { ok: out.success, stderr: new TextDecoder().decode(out.stderr) };
}

function queuesGraph() {
  const poll = defineSpec(
    {
      name: "rx.queue.poll",
      kind: "fnode",
      ports: ["out"],
      attributes: { source: true, software: true },
    } as const,
  );
  const filter = defineSpec(
    {
      name: "rx.filter",
      kind: "config",
      ports: ["queues", "default"],
      config: { space: "5tuple-list", expansion: "config5tuple" },
    } as const,
  );
  const check = defineSpec({ name: "rx.check", kind: "fnode", ports: ["true", "false"] } as const);
  const valid = defineSpec({ name: "rx.valid", kind: "or", ports: ["true", "false"] } as const);
  const b = new GraphBuilder("queues", { origin: "PRG" });
  b.node("filter", filter, { out: { queues: ["q0.valid", "q1.valid"], default: "q0.valid" } });
  b.node("check", check, { label: 'CRC "ok" {x|y}', out: { true: "filter" } });
  for (let q = 0; q < 2; q++) {
    const c = b.cluster(`q${q}`, { tag: `Q${q}` });
    c.node("valid", valid, { out: { true: "poll" } });
    c.node("poll", poll, { origin: "LPG" }).spawn("repoll", c.ref(`q${q}.poll`));
  }
  return b.build();
}

Deno.test("DOT export", async (t) => {
  await t.step("g1 as DOT (snapshot)", async () => {
    await assertSnapshot(import.meta.url, "g1", graphToDot(buildG1()));
  });

  await t.step("shows ports as record fields, kinds, tags, hardware and software", () => {
    const dot = graphToDot(queuesGraph());
    assert.match(dot, /subgraph "cluster_Q1" \{/);
    assert.match(
      dot,
      /"filter" \[label="\{ filter\\nconfig: config5tuple \| \{ <p0> queues \| <p1> default \} \}", style="filled,dashed", fillcolor="#cfe2f3"\]/,
    );
    assert.match(dot, /"filter":p0 -> "q1.valid";/);
    assert.match(dot, /"q0.valid" \[label="\{ q0.valid\\nOR\\n\[tag Q0\]/);
    assert.match(dot, /"q0.poll" -> "q0.poll" \[style=dashed, color="#888888", label="repoll"\];/);
    assert.match(dot, /fillcolor="#d9ead3"/, "LPG node coloured as software");
    assert.match(dot, /CRC \\"ok\\" \\\{x\\\|y\\\}/, "record characters and quotes escaped");
  });

  await t.step("edges to missing nodes and from unknown ports are drawn in red", async () => {
    const broken = parseGraph(
      await Deno.readTextFile(new URL("../../tests/graphs/broken.json", import.meta.url)),
    );
    const dot = graphToDot(broken);
    assert.match(dot, /"rx.deliver" \[shape=box, style=dashed, color=red/);
    assert.match(dot, /"rx.classify" -> "rx.drop" \[color=red, label="unknown port ipv6"\];/);
  });

  await t.step({
    name: "Graphviz accepts the output of every example",
    ignore: !hasDot,
    fn: async () => {
      const broken = parseGraph(
        await Deno.readTextFile(new URL("../../tests/graphs/broken.json", import.meta.url)),
      );
      for (const g of [buildG1(), queuesGraph(), broken]) {
        const result = await render(graphToDot(g));
        assert.ok(result.ok, `${g.name}: ${result.stderr}`);
        assert.equal(result.stderr, "", `${g.name}: Graphviz warned`);
      }
    },
  });
});
