import assert from "node:assert/strict";
import fc from "fast-check";
import { GraphBuilder } from "./builder.ts";
import { cleanupGraph } from "./cleanup.ts";
import { generateLayeredGraph } from "./generate.ts";
import { attributesOf } from "./graph_index.ts";
import { defineSpec, type Graph } from "./types.ts";

const bool = defineSpec({ name: "bool", kind: "fnode", ports: ["true", "false"] } as const);
const and = defineSpec({ name: "and", kind: "and", ports: ["true", "false"] } as const);
const leaf = defineSpec({ name: "leaf", kind: "fnode", ports: [] } as const);

/** The reference rule (§5.6) as repeated whole-graph passes, as an oracle. */
function naiveCleanup(graph: Graph): Set<string> {
  let alive = new Set(graph.nodes.map((n) => n.id as string));
  for (;;) {
    const edges = graph.edges.filter((e) =>
      e.kind === "port" && alive.has(e.from) && alive.has(e.to)
    );
    const next = new Set(
      graph.nodes.filter((n) => {
        if (!alive.has(n.id)) return false;
        const a = attributesOf(graph, n);
        const hasIn = edges.some((e) => e.to === n.id);
        const hasOut = edges.some((e) => e.from === n.id);
        return (hasIn || a.source === true) && (hasOut || a.sink === true);
      }).map((n) => n.id as string),
    );
    if (next.size === alive.size) return next;
    alive = next;
  }
}

Deno.test("cleanup", async (t) => {
  await t.step("removes dead ends repeatedly and keeps sources and sinks", () => {
    const b = new GraphBuilder("c");
    b.node("in", bool, { attributes: { source: true }, out: { true: "a", false: "dead1" } });
    b.node("a", bool, { out: { true: "out" } });
    b.node("dead1", bool, { out: { true: "dead2" } });
    b.node("dead2", bool);
    b.node("orphan", bool, { out: { true: "out" } });
    b.node("out", leaf, { attributes: { sink: true } });
    b.node("lonely", leaf, { attributes: { sink: true } });
    b.spawn(b.ref("dead2"), "again", "in");
    const g = cleanupGraph(b.build());
    assert.deepEqual(g.nodes.map((n) => n.id), ["in", "a", "out"]);
    assert.deepEqual(g.edges.length, 2, "edges touching removed nodes, spawn edges too, are gone");
  });

  await t.step("ignores spawn edges when judging inputs", () => {
    const b = new GraphBuilder("s");
    b.node("src", bool, { attributes: { source: true } }).spawn("poll", "q");
    b.node("q", bool, { out: { true: "sink" } });
    b.node("sink", leaf, { attributes: { sink: true } });
    assert.deepEqual(cleanupGraph(b.build()).nodes.map((n) => n.id), []);
  });

  await t.step("options decide sources, sinks and nodes always kept", () => {
    const b = new GraphBuilder("o");
    b.node("x", bool, { out: { true: "y" } });
    b.node("y", and);
    const g = b.build();
    assert.deepEqual(cleanupGraph(g).nodes.length, 0);
    const kept = cleanupGraph(g, { isSource: (n) => n.id === "x", isSink: (n) => n.id === "y" });
    assert.deepEqual(kept.nodes.map((n) => n.id), ["x", "y"]);
    assert.deepEqual(cleanupGraph(g, { keep: (n) => n.id === "y" }).nodes.map((n) => n.id), ["y"]);
  });

  await t.step("matches the repeated-pass rule, is idempotent, leaves no dead end", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 150 }), fc.integer(), fc.nat(), (nodes, seed, cut) => {
        const full = generateLayeredGraph({ nodes, seed });
        // Drop some edges so that cleanup has work to do.
        const g = { ...full, edges: full.edges.filter((_, i) => (i + cut) % 4 !== 0) };
        const cleaned = cleanupGraph(g);
        assert.deepEqual(new Set(cleaned.nodes.map((n) => n.id)), naiveCleanup(g));
        assert.deepEqual(cleanupGraph(cleaned), cleaned);
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
