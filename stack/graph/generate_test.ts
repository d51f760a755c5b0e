import assert from "node:assert/strict";
import { generateLayeredGraph } from "./generate.ts";

Deno.test("layered graph generator", async (t) => {
  await t.step("makes exactly the requested number of nodes, the same for the same seed", () => {
    const a = generateLayeredGraph({ nodes: 1000, seed: 7 });
    assert.equal(a.nodes.length, 1000);
    assert.deepEqual(generateLayeredGraph({ nodes: 1000, seed: 7 }), a);
    assert.notDeepEqual(generateLayeredGraph({ nodes: 1000, seed: 8 }).edges, a.edges);
  });
  await t.step("uses every node kind it offers on a large graph", () => {
    const g = generateLayeredGraph({ nodes: 500, seed: 1 });
    const used = new Set(g.nodes.map((n) => n.spec));
    assert.deepEqual([...used].sort(), [
      "gen.and",
      "gen.boolean",
      "gen.demux",
      "gen.or",
      "gen.sink",
      "gen.source",
    ]);
  });
  await t.step("refuses sizes it cannot make", () => {
    assert.throws(
      () => generateLayeredGraph({ nodes: 2, seed: 1 }),
      /nodes must be an integer >= 3, got 2/,
    );
    assert.throws(
      () => generateLayeredGraph({ nodes: 10, seed: 1, width: 0 }),
      /width must be an integer >= 1, got 0/,
    );
  });
});
