import assert from "node:assert/strict";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { GraphBuilder } from "./builder.ts";
import { reachable } from "./reachability.ts";
import { defineSpec, nodeId } from "./types.ts";

const f = defineSpec({ name: "f", kind: "fnode", ports: ["out"] } as const);

Deno.test("reachability", async (t) => {
  const g1 = buildG1();
  await t.step("forwards from a node reaches its downstream nodes only", () => {
    assert.deepEqual([...reachable(g1, [nodeId("D0")])], ["D0", "D1", "D2", "D3_", "D3"]);
  });
  await t.step("backwards reaches every input of an AND", () => {
    assert.deepEqual(
      [...reachable(g1, [nodeId("G")], { direction: "backward" })].sort(),
      ["G", "G1", "G2", "Gsrc1", "Gsrc2", "Gsrc3"],
    );
  });
  await t.step("spawn edges are followed only when asked", () => {
    const b = new GraphBuilder("s");
    b.node("a", f, { out: { out: "b" } });
    b.node("b", f).spawn("start", "c");
    b.node("c", f);
    const g = b.build();
    assert.deepEqual([...reachable(g, [nodeId("a")])], ["a", "b"]);
    assert.deepEqual([...reachable(g, [nodeId("a")], { spawn: true })], ["a", "b", "c"]);
    assert.deepEqual([...reachable(g, [nodeId("c")], { direction: "backward", spawn: true })], [
      "c",
      "b",
      "a",
    ]);
  });
  await t.step("an unknown start node is a clear error", () => {
    assert.throws(() => reachable(g1, [nodeId("nope")]), /start node "nope" is not in the graph/);
  });
});
