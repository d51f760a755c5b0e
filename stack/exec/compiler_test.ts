import assert from "node:assert/strict";
import fc from "fast-check";
import { GraphBuilder } from "../graph/builder.ts";
import { defineSpec } from "../graph/types.ts";
import { BufferPool } from "../packet/buffer_pool.ts";
import {
  type CompileOptions,
  compileProgram,
  generateSource,
  inlineOf,
  templateWork,
} from "./compiler.ts";
import { ExecContext } from "./context.ts";
import { type Executor, Interpreter } from "./interpreter.ts";
import { buildProgram, nodeNumber } from "./program.ts";
import { ABORT, type NodeImpl } from "./types.ts";

/** Per-run inputs of the toy graph: the value `a` reads, the value `b` reads. */
interface Toy {
  a: number;
  b: number;
  /** Sums the `sum` helper saw (a side effect the templates must reproduce). */
  seen: number;
}

const srcSpec = defineSpec(
  { name: "toy.src", kind: "fnode", ports: ["out"], attributes: { source: true } } as const,
);
const aSpec = defineSpec(
  { name: "toy.a", kind: "fnode", ports: ["false", "true", "other"] } as const,
);
const bSpec = defineSpec({ name: "toy.b", kind: "fnode", ports: ["false", "true"] } as const);
const sinkSpec = defineSpec({ name: "toy.sink", kind: "fnode", ports: ["drop"] } as const);

function sum(e: Toy, v: number): number {
  e.seen += v;
  return v;
}

/** `a`: port `a % 3`, or no output for a negative value; inlined. */
const aWork = templateWork<Toy>({
  code: (s) => `if (E.a < 0) {} else ${s.ret("E.a % 3")}`,
});
/** `b`: true when positive, after passing its value through the `sum` helper; inlined. */
const bWork = templateWork<Toy>({
  uses: { sum },
  code: (s) => s.ret("sum(E, E.b) > 0 ? 1 : 0"),
});
/** The sink aborts when `a` is 2 (a template returning ABORT), else drops. */
const sinkWork = templateWork<Toy>({
  code: (s) => s.ret(`E.a === 2 ? ${ABORT} : 0`),
});

const impls = new Map<string, NodeImpl<Toy>>([
  ["toy.src", { spec: srcSpec, work: () => 0 }],
  ["toy.a", { spec: aSpec, work: aWork }],
  ["toy.b", { spec: bSpec, work: bWork }],
  ["toy.sink", { spec: sinkSpec, work: sinkWork }],
]);

/** src -> a, b; a.true, b.true -> and; a.false, b.false -> or; both O-nodes and a.other -> join. */
function toyGraph() {
  const g = new GraphBuilder("toy-inline");
  g.node("src", srcSpec, { out: { out: ["a", "b"] } });
  g.node("a", aSpec, { out: { true: ["and", "or"], false: ["and", "or"], other: "join" } });
  g.node("b", bSpec, { out: { true: ["and", "or"], false: ["and", "or"] } });
  const ports = ["true", "false"] as const;
  g.node("and", defineSpec({ name: "op.and", kind: "and", ports }), {
    out: { true: "join", false: "join" },
  });
  g.node("or", defineSpec({ name: "op.or", kind: "or", ports }), {
    out: { true: "join", false: "end" },
  });
  g.node("join", sinkSpec);
  g.node("end", sinkSpec);
  return g.build();
}

/** Runs the toy graph on `inputs` with an executor; returns everything observable. */
function observe(mode: "interpreter" | CompileOptions, inputs: readonly [number, number][]) {
  const program = buildProgram(toyGraph(), impls);
  const pool = new BufferPool({ count: 4 });
  const env: Toy = { a: 0, b: 0, seen: 0 };
  const ctx = new ExecContext({ program, pool, env, trace: true });
  const exec: Executor = mode === "interpreter"
    ? new Interpreter(program, ctx)
    : compileProgram(program, ctx, { ...mode, trace: true });
  const traces: number[][] = [];
  const aborted: boolean[] = [];
  for (const [a, b] of inputs) {
    env.a = a;
    env.b = b;
    aborted.push(exec.run(nodeNumber(program, "src"), pool.alloc(0)));
    traces.push([...(ctx.trace ?? [])]);
  }
  return { traces, aborted, seen: env.seen, misses: [...ctx.misses], ports: [...ctx.ports] };
}

const OPTIONS: Record<string, CompileOptions> = {
  "templates, joins copied": { joinInlineLimit: 1_000_000 },
  "templates, joins called": { joinInlineLimit: 0 },
  "calls only": { inline: false },
  "defaults": {},
};

Deno.test("compiler code templates", async (t) => {
  await t.step("a template replaces the call; inline: false keeps the call", () => {
    const program = buildProgram(toyGraph(), impls);
    const a = nodeNumber(program, "a");
    const src = generateSource(program);
    assert.doesNotMatch(src, new RegExp(`w${a}\\(x, ${a}\\)`));
    assert.match(src, new RegExp(`n${a}: \\{`));
    assert.match(src, /const \{ sum \} = U;/);
    const plain = generateSource(program, { inline: false });
    assert.match(plain, new RegExp(`const p${a} = w${a}\\(x, ${a}\\);`));
    assert.doesNotMatch(plain, /= U;/);
  });

  await t.step("every compile option runs exactly like the interpreter", () => {
    const input = fc.tuple(fc.integer({ min: -1, max: 5 }), fc.integer({ min: -2, max: 2 }));
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), (inputs) => {
        const want = observe("interpreter", inputs);
        for (const [name, options] of Object.entries(OPTIONS)) {
          assert.deepEqual(observe(options, inputs), want, name);
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  await t.step("joins are copied below the limit and called above it", () => {
    const program = buildProgram(toyGraph(), impls);
    const join = nodeNumber(program, "join");
    assert.doesNotMatch(
      generateSource(program, { joinInlineLimit: 1_000_000 }),
      /function v\d+\(\) \{\n {2}\/\/ join/,
    );
    assert.match(
      generateSource(program, { joinInlineLimit: 0 }),
      new RegExp(`function v${join}\\(\\) \\{`),
    );
  });

  await t.step("a join limit below 0 or not a number is refused", () => {
    const program = buildProgram(toyGraph(), impls);
    for (const limit of [-1, NaN]) {
      assert.throws(
        () => generateSource(program, { joinInlineLimit: limit }),
        new RegExp(`graph "toy-inline": joinInlineLimit must be a number >= 0, got ${limit}`),
      );
    }
  });

  await t.step("a helper name the generated code uses itself is refused", () => {
    for (const name of ["x", "ver", "p3", "not an identifier"]) {
      assert.throws(
        () => templateWork<Toy>({ uses: { [name]: sum }, code: (s) => s.ret("0") }),
        new RegExp(`helper name "${name}" must be an identifier`),
      );
    }
  });

  await t.step("two nodes binding one helper name to different values fail to compile", () => {
    const other = templateWork<Toy>({
      uses: { sum: (_e: Toy, v: number) => v },
      code: (s) => `if (E.a < 0) {} else ${s.ret("sum(E, E.a) % 3")}`,
    });
    const clash = new Map(impls);
    clash.set("toy.a", { spec: aSpec, work: other });
    assert.throws(
      () => generateSource(buildProgram(toyGraph(), clash)),
      (err: Error) =>
        /nodes "(a|b)" and "(a|b)" bind the helper name "sum" to different values/.test(
          err.message,
        ),
    );
  });

  await t.step("inlineOf finds the template of a work function and nothing else", () => {
    assert.equal(inlineOf(aWork)?.code === undefined, false);
    assert.equal(inlineOf(() => 0), undefined);
    assert.equal(inlineOf("w1"), undefined);
  });
  await t.step("templateWork builds the work function from the template's own text", () => {
    // Parameters and counters are looked up by the node argument; falling off the end is -1.
    const work = templateWork<Toy>({
      uses: { sum },
      code: (s) => `
        XC[${s.extraBase}]++;
        if (E.a < 0) {} else ${s.ret(`sum(E, PR[${s.paramBase}]) + ${s.node}`)}`,
    });
    const program = buildProgram(toyGraph(), impls);
    const pool = new BufferPool({ count: 1 });
    const env: Toy = { a: 0, b: 0, seen: 0 };
    const ctx = new ExecContext({ program, pool, env });
    const params = new Float64Array([0, 0, 0, 7]);
    const x = Object.assign(Object.create(ctx), {
      params,
      paramBase: Int32Array.of(0, 3),
      extraBase: Int32Array.of(0, 1),
      extra: new Float64Array(2),
    }) as ExecContext<Toy>;
    assert.equal(work(x, 1), 8);
    assert.equal(env.seen, 7);
    env.a = -1;
    assert.equal(work(x, 1), -1);
    assert.deepEqual([...x.extra], [0, 2]);
    assert.match(String(work), /return \(sum\(E, PR\[x\.paramBase\[N\]\]\) \+ N\);/);
  });

  await t.step(
    "a template that is not JavaScript is refused when the work function is built",
    () => {
      assert.throws(
        () => templateWork<Toy>({ code: (s) => `if (E.a ${s.ret("0")}` }),
        /Cannot build a work function from a code template: .*; the template must be JavaScript/,
      );
    },
  );
});
