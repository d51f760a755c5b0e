import assert from "node:assert/strict";
import fc from "fast-check";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { GraphBuilder } from "./builder.ts";
import { generateLayeredGraph } from "./generate.ts";
import { GraphCycleError, topologicalOrder } from "./topological_order.ts";
import { defineSpec } from "./types.ts";

const f = defineSpec({ name: "f", kind: "fnode", ports: ["out"] } as const);

Deno.test("topological order", async (t) => {
  await t.step("every normal edge goes forward and every node appears once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), fc.integer(), (nodes, seed) => {
        const g = generateLayeredGraph({ nodes, seed });
        const order = topologicalOrder(g);
        assert.equal(order.length, g.nodes.length);
        const position = new Map(order.map((id, i) => [id, i]));
        assert.equal(position.size, g.nodes.length);
        for (const e of g.edges) {
          if (e.kind === "port") {
            assert.ok(
              (position.get(e.from) ?? -1) < (position.get(e.to) ?? -1),
              `${e.from}->${e.to}`,
            );
          }
        }
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  await t.step("ties keep declaration order", () => {
    const order = topologicalOrder(buildG1());
    assert.deepEqual(order.slice(0, 4), ["A1", "A2", "B", "C0"]);
  });

  await t.step("spawn edges are ignored; a normal cycle is an error naming it", () => {
    const b = new GraphBuilder("loop");
    b.node("a", f, { out: { out: "b" } });
    b.node("b", f).spawn("back", "a");
    assert.deepEqual(topologicalOrder(b.build()), ["a", "b"]);
    b.node("c", f, { out: { out: "c" } });
    assert.throws(() => topologicalOrder(b.build()), (err: unknown) => {
      assert.ok(err instanceof GraphCycleError);
      assert.deepEqual(err.cycles, [["c", "c"]]);
      assert.match(err.message, /Cannot order graph "loop" topologically: 1 cycle\(s\)/);
      return true;
    });
  });
});
