import assert from "node:assert/strict";
import fc from "fast-check";
import { assertSnapshot } from "../../tests/_snapshot.ts";
import { buildG1 } from "../../tests/graphs/g1.ts";
import { buildQueues } from "../../tests/graphs/queues.ts";
import { GraphBuilder } from "./builder.ts";
import { generateLayeredGraph } from "./generate.ts";
import { parseGraph } from "./json.ts";
import { Registry } from "./registry.ts";
import { DEFAULT_EXPANSION, defineSpec, nodeId } from "./types.ts";
import { formatProblems, PROBLEM_CODES, validateGraph } from "./validate.ts";

const brokenUrl = new URL("../../tests/graphs/broken.json", import.meta.url);

Deno.test("validateGraph", async (t) => {
  await t.step("g1 and generated graphs have no problems", () => {
    assert.deepEqual(validateGraph(buildG1()), []);
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 200 }), fc.integer(), (nodes, seed) => {
        assert.deepEqual(validateGraph(generateLayeredGraph({ nodes, seed })), []);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("reports every problem of the broken example at once (snapshot)", async () => {
    const graph = parseGraph(await Deno.readTextFile(brokenUrl), "broken.json");
    const problems = validateGraph(graph);
    await assertSnapshot(import.meta.url, "broken", formatProblems(problems));
    const codes = new Set(problems.map((p) => p.code));
    const missing = PROBLEM_CODES.filter((c) =>
      !codes.has(c) && c !== "bad-kind" &&
      c !== "unexpected-config" && c !== "unknown-expansion"
    );
    assert.deepEqual(missing, [], "the broken example exercises every structural problem");
    assert.ok(problems.every((p) => (p.node ?? p.spec ?? "") !== "" && p.message !== ""));
  });

  await t.step("generated queue example is clean; C-node ports may feed O-nodes", () => {
    const g = buildQueues(3);
    assert.deepEqual(validateGraph(g), []);
    const fromFnode = {
      ...g,
      edges: [...g.edges, {
        kind: "port" as const,
        from: nodeId("rx.in"),
        port: "out",
        to: nodeId("rx.q1.valid"),
      }],
    };
    assert.deepEqual(validateGraph(fromFnode).map((p) => `${p.node}:${p.code}`), [
      "rx.q1.valid:operator-input",
    ]);
  });

  await t.step("C-node functions: missing, unknown to the registry, known", () => {
    const make = (expansion: string) => {
      const b = new GraphBuilder("c", { origin: "PRG" });
      const s = defineSpec(
        {
          name: "in",
          kind: "fnode",
          ports: ["out"],
          attributes: { source: true },
        } as const,
      );
      const c = defineSpec(
        {
          name: "rx.queues",
          kind: "config",
          ports: ["default"],
          config: { space: "queue-count", expansion },
        } as const,
      );
      b.node("in", s, { out: { out: "queues" } });
      b.node("queues", c);
      return b.build();
    };
    const registry = new Registry<() => void>("expansion function").register(
      DEFAULT_EXPANSION,
      () => {},
    );
    assert.deepEqual(validateGraph(make("default"), { expansions: registry }), []);
    assert.deepEqual(
      validateGraph(make("configRxQueues"), { expansions: registry }).map((p) => p.code),
      ["unknown-expansion"],
    );
    assert.deepEqual(validateGraph(make("")).map((p) => p.code), ["config-without-function"]);
  });

  await t.step("a spec of the wrong kind or with a config but not a C-node is reported", () => {
    const b = new GraphBuilder("k");
    b.node("a", {
      name: "odd",
      kind: "fnode",
      ports: [],
      attributes: { source: true },
      config: { space: "s", expansion: "default" },
    });
    const graph = b.build();
    const bad = {
      ...graph,
      specs: { ...graph.specs, weird: { name: "weird", kind: "xor" as never, ports: [] } },
    };
    assert.deepEqual(validateGraph(bad).map((p) => `${p.spec}:${p.code}`), [
      "odd:unexpected-config",
      "weird:bad-kind",
    ]);
  });

  await t.step("loops through spawn edges are allowed, loops of normal edges are not", () => {
    const f = defineSpec({ name: "f", kind: "fnode", ports: ["out"] } as const);
    const b = new GraphBuilder("loops");
    const a = b.node("a", f, { attributes: { source: true }, out: { out: "b" } });
    b.node("b", f, { attributes: { sink: true } }).spawn("again", a);
    assert.deepEqual(validateGraph(b.build()), []);
    b.edge(b.ref("b"), "out", "a");
    const problems = validateGraph(b.build());
    assert.deepEqual(problems.map((p) => p.code), ["cycle"]);
    assert.match(problems[0]?.message ?? "", /\(a -> b -> a\)/);
  });
});
