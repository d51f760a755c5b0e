import assert from "node:assert/strict";
import fc from "fast-check";
import { GraphBuilder } from "./builder.ts";
import { dominatedNodes, dominates, type PortPoint } from "./dominance.ts";
import { generateLayeredGraph } from "./generate.ts";
import { type GraphIndex, indexGraph } from "./graph_index.ts";
import { defineSpec, nodeId } from "./types.ts";

const bool = defineSpec({ name: "bool", kind: "fnode", ports: ["true", "false"] } as const);
const and = defineSpec({ name: "and", kind: "and", ports: ["true", "false"] } as const);
const or = defineSpec({ name: "or", kind: "or", ports: ["true", "false"] } as const);

/** The reference definition (§5.3) written as plain recursion, as an oracle. */
function oracle(index: GraphIndex, point: PortPoint, node: number, depth = 0): boolean {
  if (depth > index.nodes.length) return false;
  const a = index.numberOf.get(point.node);
  const inputs = index.in[node] ?? [];
  const edgeDominated = (e: { from: number; port: string }) =>
    (e.from === a && e.port === point.port) || oracle(index, point, e.from, depth + 1);
  const kind = index.specs[node]?.kind;
  if (kind === "and" || kind === "nand") return inputs.some(edgeDominated);
  if (kind === "or" || kind === "nor") return inputs.length > 0 && inputs.every(edgeDominated);
  // F-node: the single-predecessor chain; several inputs (an extension) all dominated.
  return inputs.length > 0 && inputs.every(edgeDominated);
}

Deno.test("dominance", async (t) => {
  await t.step("follows the single-predecessor chain of F-nodes from the right port", () => {
    const b = new GraphBuilder("chain");
    b.node("a", bool, { out: { true: "b", false: "x" } });
    b.node("b", bool, { out: { true: "c", false: "c" } });
    b.node("c", bool);
    b.node("x", bool);
    const g = b.build();
    assert.deepEqual([...dominatedNodes(g, { node: nodeId("a"), port: "true" })], ["b", "c"]);
    assert.deepEqual([...dominatedNodes(g, { node: nodeId("a"), port: "false" })], ["x"]);
  });

  await t.step("AND needs any operand dominated, OR all of them", () => {
    const b = new GraphBuilder("ops");
    b.node("a", bool, { out: { true: ["a1", "a2"] } });
    b.node("other", bool, { out: { true: ["both", "any"] } });
    b.node("a1", bool, { out: { true: ["both", "any", "all"] } });
    b.node("a2", bool, { out: { true: "all" } });
    b.node("any", and);
    b.node("both", or);
    b.node("all", or);
    const g = b.build();
    const point = { node: nodeId("a"), port: "true" };
    assert.ok(dominates(g, point, nodeId("any")));
    assert.ok(!dominates(g, point, nodeId("both")));
    assert.ok(dominates(g, point, nodeId("all")));
  });

  await t.step(
    "the constant-folding case of test E5: A.true dominates the other AND operand",
    () => {
      const b = new GraphBuilder("e5");
      b.node("A", bool, { attributes: { source: true }, out: { true: ["_False", "A1"] } });
      b.node("_False", bool, { out: { false: "AValid" } });
      b.node("A1", bool, { out: { true: "AValid", false: "AValid" } });
      b.node("AValid", and);
      const g = b.build();
      assert.ok(dominates(g, { node: nodeId("A"), port: "true" }, nodeId("A1")));
    },
  );

  await t.step("an F-node with an undominated input, or none, is not dominated", () => {
    const b = new GraphBuilder("merge");
    b.node("a", bool, { out: { true: "m" } });
    b.node("z", bool, { out: { true: "m" } });
    b.node("m", bool);
    const g = b.build();
    assert.deepEqual([...dominatedNodes(g, { node: nodeId("a"), port: "true" })], []);
  });

  await t.step("agrees with the recursive definition on generated graphs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 120 }),
        fc.integer(),
        fc.nat(),
        fc.nat(),
        (nodes, seed, pickNode, pickPort) => {
          const g = generateLayeredGraph({ nodes, seed });
          const index = indexGraph(g);
          const from = index.nodes[pickNode % index.nodes.length];
          const spec = from === undefined ? undefined : index.specs[pickNode % index.nodes.length];
          if (from === undefined || spec === undefined || spec.ports.length === 0) return;
          const point = { node: from.id, port: spec.ports[pickPort % spec.ports.length] as string };
          const fast = dominatedNodes(index, point);
          for (let i = 0; i < index.nodes.length; i++) {
            const id = (index.nodes[i] as { id: string }).id;
            assert.equal(fast.has(id as never), oracle(index, point, i), id);
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("on a cycle of normal edges it takes the least fixpoint", () => {
    const b = new GraphBuilder("cyc");
    b.node("a", bool, { out: { true: "b" } });
    b.node("b", bool, { out: { true: "c" } });
    b.node("c", bool, { out: { true: "d" } });
    b.node("d", bool, { out: { true: "c" } });
    const g = b.build();
    assert.deepEqual([...dominatedNodes(g, { node: nodeId("a"), port: "true" })], ["b"]);
  });

  await t.step("unknown nodes are clear errors", () => {
    const b = new GraphBuilder("x");
    b.node("a", bool);
    const g = b.build();
    assert.throws(
      () => dominates(g, { node: nodeId("q"), port: "true" }, nodeId("a")),
      /point node "q"/,
    );
    assert.throws(
      () => dominates(g, { node: nodeId("a"), port: "true" }, nodeId("q")),
      /target node "q"/,
    );
  });
});
