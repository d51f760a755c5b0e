import assert from "node:assert/strict";
import fc from "fast-check";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { buildQueues } from "../../tests/graphs/queues.ts";
import { generateLayeredGraph } from "./generate.ts";
import { graphToJson, parseGraph, specsEqual } from "./json.ts";
import { defineSpec, type Graph, type GraphNode, type PredicateExpr } from "./types.ts";

const plain = { noNullPrototype: true } as const;

const predicate: fc.Arbitrary<PredicateExpr> = fc.letrec<{ expr: PredicateExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.boolean().map((value): PredicateExpr => ({ op: "const", value })),
    fc.record({ op: fc.constant("atom" as const), key: fc.string(), value: fc.string() }, plain),
    fc.record(
      { op: fc.constant("and" as const), args: fc.array(tie("expr"), { maxLength: 3 }) },
      plain,
    ),
    fc.record(
      { op: fc.constant("or" as const), args: fc.array(tie("expr"), { maxLength: 3 }) },
      plain,
    ),
    fc.record({ op: fc.constant("not" as const), arg: tie("expr") }, plain),
  ),
})).expr;

/** A generated graph decorated with random labels, tags, attributes and predicates. */
const graphs: fc.Arbitrary<Graph> = fc.record({
  nodes: fc.integer({ min: 3, max: 40 }),
  seed: fc.integer(),
  decorations: fc.array(
    fc.record({
      label: fc.option(fc.string(), { nil: undefined }),
      tag: fc.option(fc.string(), { nil: undefined }),
      software: fc.option(fc.boolean(), { nil: undefined }),
      value: fc.option(fc.string(), { nil: undefined }),
      predicate: fc.option(predicate, { nil: undefined }),
      slotsLeft: fc.option(fc.nat(), { nil: undefined }),
    }),
    { maxLength: 40 },
  ),
}).map(({ nodes, seed, decorations }) => {
  const g = generateLayeredGraph({ nodes, seed });
  const decorated = g.nodes.map((node, i): GraphNode => {
    const d = decorations[i];
    if (d === undefined) return node;
    return {
      ...node,
      ...(d.label === undefined ? {} : { label: d.label }),
      ...(d.tag === undefined ? {} : { tag: d.tag }),
      ...(d.software === undefined && d.value === undefined ? {} : {
        attributes: {
          ...(d.software === undefined ? {} : { software: d.software }),
          ...(d.value === undefined ? {} : { values: { note: d.value } }),
        },
      }),
      ...(d.predicate === undefined ? {} : { predicates: { true: d.predicate } }),
      ...(d.slotsLeft === undefined ? {} : { slotsLeft: d.slotsLeft }),
    };
  });
  return { ...g, nodes: decorated };
});

Deno.test("graph JSON", async (t) => {
  await t.step("the committed g1.json is the JSON form of the g1 builder", async () => {
    const text = await Deno.readTextFile(new URL("../../tests/graphs/g1.json", import.meta.url));
    assert.deepEqual(parseGraph(text, "g1.json"), buildG1());
  });

  await t.step("the committed queues.json is the JSON form of the 4-queue example", async () => {
    const text = await Deno.readTextFile(
      new URL("../../tests/graphs/queues.json", import.meta.url),
    );
    assert.deepEqual(parseGraph(text, "queues.json"), buildQueues(4));
    assert.throws(() => buildQueues(0), /queues must be 1\.\.64, got 0/);
  });

  await t.step("any graph survives a round trip through JSON unchanged", () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const back = parseGraph(graphToJson(g));
        assert.deepEqual(back, g);
        assert.equal(graphToJson(back), graphToJson(g));
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("invalid JSON names the source", () => {
    assert.throws(() => parseGraph("{", "x.json"), /Cannot parse graph "x.json": not valid JSON/);
  });

  await t.step("shape errors name the path, the expected type and the value", () => {
    const g = JSON.parse(graphToJson(buildG1()));
    g.nodes[2].origin = "NIC";
    assert.throws(() => parseGraph(JSON.stringify(g), "g1.json"), {
      message: 'Cannot read graph "g1.json": field "nodes[2].origin" must be PRG or LPG, got "NIC"',
    });
    const h = JSON.parse(graphToJson(buildG1()));
    h.edges[0].kind = "wire";
    assert.throws(
      () => parseGraph(JSON.stringify(h)),
      /field "edges\[0\]\.kind" must be port or spawn/,
    );
    const k = JSON.parse(graphToJson(buildG1()));
    k.specs["g1.and"].kind = "xor";
    assert.throws(() => parseGraph(JSON.stringify(k)), /"specs\.g1\.and\.kind" must be fnode, and/);
    const v = JSON.parse(graphToJson(buildG1()));
    v.schemaVersion = 7;
    assert.throws(() => parseGraph(JSON.stringify(v)), /"schemaVersion" must be 1, got 7/);
    const a = JSON.parse(graphToJson(buildG1()));
    a.nodes[0].attributes = { sourse: true };
    assert.throws(
      () => parseGraph(JSON.stringify(a)),
      /"nodes\[0\]\.attributes\.sourse" must be one of source/,
    );
  });
});

Deno.test("specsEqual ignores key order and sees real differences", () => {
  const a = defineSpec({ name: "x", kind: "fnode", ports: ["true", "false"], doc: "d" } as const);
  const reordered = JSON.parse('{"doc":"d","ports":["true","false"],"kind":"fnode","name":"x"}');
  assert.ok(specsEqual(a, reordered));
  assert.ok(!specsEqual(a, { ...a, ports: ["false", "true"] }));
});
