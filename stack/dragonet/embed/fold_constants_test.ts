import assert from "node:assert/strict";
import { GraphBuilder } from "../../graph/builder.ts";
import { defineSpec, type Graph, type OperatorKind } from "../../graph/types.ts";
import { cleanupEmbedded } from "./cleanup_embedded.ts";
import { constFalseSpec, constTrueSpec } from "./conventions.ts";
import { fixedOutput, foldConstants, shortCircuits } from "./fold_constants.ts";

const BOOL = ["true", "false"] as const;
const src = defineSpec(
  {
    name: "src",
    kind: "fnode",
    ports: BOOL,
    attributes: { source: true },
  } as const,
);
const check = defineSpec({ name: "check", kind: "fnode", ports: BOOL } as const);
const sink = defineSpec(
  { name: "sink", kind: "fnode", ports: [], attributes: { sink: true } } as const,
);
const op = (kind: OperatorKind) => defineSpec({ name: kind, kind, ports: BOOL } as const);

const ids = (g: Graph) => g.nodes.map((n) => n.label ?? n.id).sort();
const edges = (g: Graph) =>
  g.edges.flatMap((e) => (e.kind === "port" ? [`${e.from}.${e.port}->${e.to}`] : [])).sort();

Deno.test("constant folding with dominance (reference §5.3)", async (t) => {
  await t.step("E5: a _False short-circuits AValid, so A_OK goes and Drop stays", () => {
    const b = new GraphBuilder("e5");
    b.node("A", src, { out: { true: ["F", "A1"] } });
    b.node("F", constFalseSpec, { label: "_False", out: { false: "AValid" } });
    b.node("A1", check, { out: { true: "AValid" } });
    b.node("AValid", op("and"), { out: { true: "A_OK", false: "Drop_" } });
    b.node("Drop_", op("and"), { out: { false: "Drop" } });
    b.node("A_OK", sink);
    b.node("Drop", sink);
    const g = cleanupEmbedded(foldConstants(b.build()));
    const left = ids(g);
    assert.ok(left.includes("A"));
    assert.ok(left.includes("Drop"));
    assert.ok(!left.includes("A_OK"));
    assert.ok(!left.includes("AValid"));
    assert.ok(!left.some((l) => l.startsWith("_")), "no constant is left");
    assert.deepEqual(edges(g), ["A.true->Drop"]);
  });

  await t.step("a constant into an F-node becomes a direct edge", () => {
    const b = new GraphBuilder("f");
    b.node("A", src, { out: { true: "T" } });
    b.node("T", constTrueSpec, { out: { true: "S" } });
    b.node("S", sink);
    assert.deepEqual(edges(foldConstants(b.build())), ["A.true->S"]);
  });

  await t.step("a non-short-circuiting constant goes when its point dominates an operand", () => {
    const b = new GraphBuilder("nsc");
    b.node("A", src, { out: { true: ["T", "C"] } });
    b.node("T", constTrueSpec, { out: { true: "X" } });
    b.node("C", check, { out: { true: "X", false: "X" } });
    b.node("X", op("and"), { out: { true: "S" } });
    b.node("S", sink);
    assert.deepEqual(edges(foldConstants(b.build())), [
      "A.true->C",
      "C.false->X",
      "C.true->X",
      "X.true->S",
    ]);
  });

  await t.step("without dominance the constant and the operator stay", () => {
    const b = new GraphBuilder("nodom");
    b.node("A", src, { out: { true: "T" } });
    b.node("B", src, { out: { true: "X" } });
    b.node("T", constTrueSpec, { out: { true: "X" } });
    b.node("X", op("and"), { out: { true: "S", false: "S" } });
    b.node("S", sink);
    const g = foldConstants(b.build());
    assert.deepEqual(edges(g), edges(b.build()));
  });

  await t.step("a short-circuited operator without dominance only loses its dead port", () => {
    const b = new GraphBuilder("dead");
    b.node("A", src, { out: { true: "F" } });
    b.node("B", src, { out: { true: "X" } });
    b.node("F", constFalseSpec, { out: { false: "X" } });
    b.node("X", op("and"), { out: { true: "OK", false: "S" } });
    b.node("OK", sink);
    b.node("S", sink);
    const e = edges(foldConstants(b.build()));
    assert.ok(!e.includes("X.true->OK"));
    assert.ok(e.includes("X.false->S"));
    assert.ok(e.includes("F.false->X"));
  });

  await t.step("operator table: short-circuit values and fixed outputs", () => {
    const table = (["and", "or", "nand", "nor"] as const).map((k) => [
      k,
      shortCircuits(k, false),
      shortCircuits(k, true),
      fixedOutput(k, false),
      fixedOutput(k, true),
    ]);
    assert.deepEqual(table, [
      ["and", true, false, false, true],
      ["or", false, true, false, true],
      ["nand", true, false, true, false],
      ["nor", false, true, true, false],
    ]);
  });
});
