import assert from "node:assert/strict";
import { GraphBuilder } from "../graph/builder.ts";
import { defineSpec, type NodeKind } from "../graph/types.ts";
import { BufferPool } from "../packet/buffer_pool.ts";
import { compileProgram, generateSource } from "./compiler.ts";
import { ExecContext } from "./context.ts";
import { type Executor, Interpreter } from "./interpreter.ts";
import { buildProgram, nodeNumber, ProgramError } from "./program.ts";
import { TaskQueue } from "./task_queue.ts";
import { type NodeImpl, Priority, Spawn } from "./types.ts";

interface Toy {
  a: boolean;
  b: boolean;
}

const srcSpec = defineSpec(
  {
    name: "toy.src",
    kind: "fnode",
    ports: ["out"],
    attributes: { source: true },
  } as const,
);
const aSpec = defineSpec({ name: "toy.a", kind: "fnode", ports: ["false", "true"] } as const);
const bSpec = defineSpec({ name: "toy.b", kind: "fnode", ports: ["false", "true"] } as const);
const sinkSpec = defineSpec({ name: "toy.sink", kind: "fnode", ports: ["done"] } as const);

const impls = new Map<string, NodeImpl<Toy>>([
  ["toy.src", { spec: srcSpec, work: () => 0 }],
  ["toy.a", { spec: aSpec, work: (x) => (x.env.a ? 1 : 0) }],
  ["toy.b", { spec: bSpec, work: (x) => (x.env.b ? 1 : 0) }],
  ["toy.sink", { spec: sinkSpec, work: () => 0 }],
]);

/** src -> a, b (b runs first: last pushed); a, b (both ports) -> op -> sink on true and false. */
function toyGraph(kind: NodeKind) {
  const g = new GraphBuilder(`toy-${kind}`);
  g.node("src", srcSpec, { out: { out: ["a", "b"] } });
  g.node("a", aSpec, { out: { true: "op", false: "op" } });
  g.node("b", bSpec, { out: { true: "op", false: "op" } });
  g.node("op", defineSpec({ name: `op.${kind}`, kind, ports: ["true", "false"] }), {
    out: { true: "yes", false: "no" },
  });
  g.node("yes", sinkSpec);
  g.node("no", sinkSpec);
  return g.build();
}

function run(kind: NodeKind, mode: string, a: boolean, b: boolean) {
  const program = buildProgram(toyGraph(kind), impls);
  const pool = new BufferPool({ count: 4 });
  const env = { a, b };
  const ctx = new ExecContext({ program, pool, env, trace: true });
  const exec: Executor = mode === "compiled"
    ? compileProgram(program, ctx, { trace: true })
    : new Interpreter(program, ctx);
  exec.run(nodeNumber(program, "src"), pool.alloc(0));
  const trace: string[] = [];
  const t = ctx.trace ?? [];
  for (let i = 0; i < t.length; i += 2) {
    const n = t[i] ?? 0;
    trace.push(`${program.ids[n]}.${program.portNames[n]?.[t[i + 1] ?? 0]}`);
  }
  const op = nodeNumber(program, "op");
  return { trace, opCalls: ctx.callsOf(op), pool, ctx };
}

for (const mode of ["interpreter", "compiled"]) {
  Deno.test(`runtime fact R1 (${mode})`, async (t) => {
    await t.step("AND outputs false as soon as one input is false", () => {
      const r = run("and", mode, true, false);
      assert.deepEqual(r.trace, ["src.out", "b.false", "op.false", "no.done", "a.true"]);
    });
    await t.step("AND outputs true only after every input fired", () => {
      const r = run("and", mode, true, true);
      assert.deepEqual(r.trace, ["src.out", "b.true", "a.true", "op.true", "yes.done"]);
      assert.equal(r.opCalls, 2, "evaluated once waiting, once firing");
    });
    await t.step("AND fires at most once per run", () => {
      const r = run("and", mode, false, false);
      assert.deepEqual(r.trace, ["src.out", "b.false", "op.false", "no.done", "a.false"]);
    });
    await t.step("NAND and NOR negate AND and OR", () => {
      assert.deepEqual(run("nand", mode, true, false).trace.slice(2, 3), ["op.true"]);
      assert.deepEqual(run("nand", mode, true, true).trace.slice(3, 4), ["op.false"]);
      assert.deepEqual(run("or", mode, false, true).trace.slice(2, 3), ["op.true"]);
      assert.deepEqual(run("or", mode, false, false).trace.slice(3, 4), ["op.false"]);
      assert.deepEqual(run("nor", mode, false, true).trace.slice(2, 3), ["op.false"]);
      assert.deepEqual(run("nor", mode, false, false).trace.slice(3, 4), ["op.true"]);
    });
    await t.step("a buffer nobody took is freed at the end of the run", () => {
      const r = run("and", mode, true, true);
      assert.equal(r.pool.inUse, 0);
      assert.equal(r.ctx.freedAtEnd, 1);
    });
  });
}

Deno.test("runtime fact R2: high-priority spawns run before queued low-priority polls", async (t) => {
  await t.step("task queue order", () => {
    const q = new TaskQueue(8);
    q.push(1, -1, Priority.Low);
    q.push(2, -1, Priority.Low);
    q.push(3, 7, Priority.High);
    q.push(4, 8, Priority.High);
    const order: number[] = [];
    while (q.size > 0) {
      order.push(q.peekNode());
      q.shift();
    }
    assert.deepEqual(order, [4, 3, 1, 2]);
  });
  await t.step("a full queue refuses and counts", () => {
    const q = new TaskQueue(1);
    assert.equal(q.push(1, -1, Priority.Low), true);
    assert.equal(q.push(2, -1, Priority.High), false);
    assert.equal(q.overflows, 1);
  });
  await t.step("spawn through the context targets the spawn edge", () => {
    const g = new GraphBuilder("spawns");
    g.node("src", srcSpec).spawn("poll", "src").spawn("restart", "sink");
    g.node("sink", defineSpec({ ...sinkSpec, attributes: { source: true } }));
    const impls2 = new Map<string, NodeImpl<Toy>>([
      ["toy.src", { spec: srcSpec, work: () => 0 }],
      ["toy.sink", {
        spec: defineSpec({ ...sinkSpec, attributes: { source: true } }),
        work: () => 0,
      }],
    ]);
    const program = buildProgram(g.build(), impls2);
    const ctx = new ExecContext({
      program,
      pool: new BufferPool({ count: 2 }),
      env: { a: true, b: true },
    });
    const src = nodeNumber(program, "src");
    ctx.spawn(src, Spawn.poll, -1, Priority.Low);
    ctx.spawn(src, Spawn.restart, 0, Priority.High);
    assert.equal(ctx.tasks.peekNode(), nodeNumber(program, "sink"));
    assert.equal(ctx.spawn(src, Spawn.send, -1, Priority.Low), false, "no such spawn");
    assert.equal(ctx.spawnFailures, 1);
  });
});

Deno.test("buildProgram and the compiler", async (t) => {
  await t.step(
    "a graph with a C-node or a missing implementation is rejected with all problems",
    () => {
      const g = new GraphBuilder("bad");
      g.node("src", srcSpec, { out: { out: "c" } });
      g.node(
        "c",
        defineSpec({
          name: "toy.c",
          kind: "config",
          ports: ["x"],
          config: { space: "s", expansion: "e" },
        }),
      );
      g.node("q", defineSpec({ name: "toy.q", kind: "fnode", ports: ["out"] }));
      try {
        buildProgram(g.build(), impls);
        assert.fail("expected an error");
      } catch (err) {
        assert.ok(err instanceof ProgramError);
        assert.equal(err.problems.length, 2, err.message);
        assert.match(err.message, /apply the configuration/);
        assert.match(err.message, /no implementation for spec "toy.q"/);
      }
    },
  );
  await t.step("generated source names nodes and has no dispatch table", () => {
    const src = generateSource(buildProgram(toyGraph("and"), impls));
    assert.match(src, /\/\/ op \(and\)/);
    assert.match(src, /const p\d+ = w\d+\(x, \d+\);/);
    assert.doesNotMatch(src, /W\[n\]|work\[/);
  });
  await t.step("starting at a node that is not an entry throws", () => {
    const program = buildProgram(toyGraph("and"), impls);
    const ctx = new ExecContext({
      program,
      pool: new BufferPool({ count: 2 }),
      env: { a: true, b: true },
    });
    const c = compileProgram(program, ctx);
    assert.throws(() => c.run(nodeNumber(program, "op"), -1), /Cannot start a run at node/);
  });
});
