import assert from "node:assert/strict";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { reachable } from "./reachability.ts";
import { subgraph } from "./subgraph.ts";
import { nodeId } from "./types.ts";
import { validateGraph } from "./validate.ts";

Deno.test("subgraph", async (t) => {
  const g1 = buildG1();
  await t.step("keeps the chosen nodes, the edges between them and the specs they use", () => {
    const ids = reachable(g1, [nodeId("D0")]);
    const d = subgraph(g1, ids, "d-part");
    assert.equal(d.name, "d-part");
    assert.deepEqual(d.nodes.map((n) => n.id), ["D0", "D1", "D2", "D3_", "D3"]);
    assert.equal(d.edges.length, 7);
    assert.deepEqual(Object.keys(d.specs), ["g1.boolean", "g1.d0", "g1.node", "g1.or"]);
    assert.deepEqual(validateGraph(d), []);
  });
  await t.step("edges leaving the chosen set are dropped", () => {
    const s = subgraph(g1, [nodeId("A1"), nodeId("A3_")]);
    assert.deepEqual(s.edges.map((e) => e.kind === "port" ? e.port : e.spawn), ["true", "false"]);
  });
  await t.step("an unknown id is a clear error", () => {
    assert.throws(() => subgraph(g1, [nodeId("Z")]), /node "Z" is not in the graph/);
  });
});
