import assert from "node:assert/strict";
import fc from "fast-check";
import { cleanupGraph } from "./cleanup.ts";
import { dominatedNodes } from "./dominance.ts";
import { graphToDot } from "./dot.ts";
import { graphToJson, parseGraph } from "./json.ts";
import { reachable } from "./reachability.ts";
import { GraphCycleError, topologicalOrder } from "./topological_order.ts";
import { type Graph, NODE_KINDS, type NodeId } from "./types.ts";
import { validateGraph } from "./validate.ts";

const plain = { noNullPrototype: true } as const;
const name = fc.constantFrom("a", "b", "c", "d", "x.y", "bad id", "", "true", "__proto__");
const port = fc.constantFrom("true", "false", "out", "q", "");

/** Arbitrary messy graphs: unknown specs, dangling edges, odd ids, cycles, duplicates. */
const messy: fc.Arbitrary<Graph> = fc.record({
  specs: fc.array(
    fc.record({
      name: fc.constantFrom("s1", "s2", "s3"),
      kind: fc.constantFrom(...NODE_KINDS),
      ports: fc.array(port, { maxLength: 3 }),
      source: fc.boolean(),
      sink: fc.boolean(),
    }, plain),
    { maxLength: 3 },
  ),
  nodes: fc.array(
    fc.record({ id: name, spec: fc.constantFrom("s1", "s2", "s3", "s4") }, plain),
    { maxLength: 8 },
  ),
  edges: fc.array(
    fc.record({ spawn: fc.boolean(), from: name, port, to: name }, plain),
    { maxLength: 12 },
  ),
}).map(({ specs, nodes, edges }): Graph => ({
  schemaVersion: 1,
  name: "messy",
  specs: Object.fromEntries(specs.map((s) => [s.name, {
    name: s.name,
    kind: s.kind,
    ports: s.ports,
    attributes: { source: s.source, sink: s.sink },
  }])),
  nodes: nodes.map((n) => ({ id: n.id as NodeId, spec: n.spec, origin: "LPG" as const })),
  edges: edges.map((e) =>
    e.spawn
      ? { kind: "spawn" as const, from: e.from as NodeId, spawn: e.port, to: e.to as NodeId }
      : { kind: "port" as const, from: e.from as NodeId, port: e.port, to: e.to as NodeId }
  ),
}));

Deno.test("bad graphs never crash the graph tools", async (t) => {
  await t.step("validation, JSON, DOT, cleanup, reachability, order and dominance", () => {
    fc.assert(
      fc.property(messy, (g) => {
        const problems = validateGraph(g);
        for (const p of problems) assert.ok(p.message.length > 0);
        assert.deepEqual(
          parseGraph(graphToJson(g)),
          parseGraph(graphToJson(parseGraph(graphToJson(g)))),
        );
        graphToDot(g);
        cleanupGraph(g);
        const ids = [...new Set(g.nodes.map((n) => n.id))];
        reachable(g, ids, { spawn: true });
        try {
          topologicalOrder(g);
          assert.ok(
            !problems.some((p) => p.code === "cycle"),
            "an order exists only without cycles",
          );
        } catch (err) {
          assert.ok(err instanceof GraphCycleError);
          assert.ok(
            problems.some((p) => p.code === "cycle"),
            "a cycle error matches a cycle problem",
          );
        }
        for (const id of ids) dominatedNodes(g, { node: id, port: "true" });
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
