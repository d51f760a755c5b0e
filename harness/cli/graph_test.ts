import assert from "node:assert/strict";
import { join } from "node:path";
import { graphCommand, renderSvg } from "./graph.ts";
import { runCaptured } from "./_io.ts";

const G1 = new URL("../../tests/graphs/g1.json", import.meta.url).pathname;
const BROKEN = new URL("../../tests/graphs/broken.json", import.meta.url).pathname;
const CLI = new URL("../cli.ts", import.meta.url).pathname;
const hasDot = await new Deno.Command("dot", { args: ["-V"], stderr: "null", stdout: "null" })
  .output().then((o) => o.success, () => false);

function run(args: string[], dotCommand = "dot") {
  return runCaptured((io) => graphCommand(io, dotCommand), args);
}

Deno.test("lab graph", async (t) => {
  await t.step("check passes g1 with exit status 0", async () => {
    const { text, exitCode } = await run(["check", G1]);
    assert.equal(exitCode, 0);
    assert.match(text, /graph "g1" \(31 nodes, 41 edges\): no problems\n$/);
  });

  await t.step(
    "check prints every problem of the broken graph and sets exit status 1",
    async () => {
      const { text, exitCode } = await run(["check", BROKEN]);
      assert.equal(exitCode, 1);
      const lines = text.trimEnd().split("\n");
      assert.equal(lines.length, 22);
      assert.match(lines[21] ?? "", /21 problem\(s\)$/);
      assert.ok(lines.some((l) => l.includes('goes to "rx.deliver", which does not exist')));
    },
  );

  await t.step("check names a missing file", async () => {
    await assert.rejects(
      run(["check", "/no/such/graph.json"]),
      /"\/no\/such\/graph.json": no such file/,
    );
  });

  await t.step({
    name: "show prints DOT; --dot and --svg write files",
    ignore: !hasDot,
    fn: async () => {
      assert.match((await run(["show", G1])).text, /^digraph "g1" \{/);
      const dir = await Deno.makeTempDir();
      try {
        const dot = join(dir, "g1.dot");
        const svg = join(dir, "g1.svg");
        const { text } = await run(["show", G1, "--dot", dot, "--svg", svg, "--rankdir", "TB"]);
        assert.equal(text, `Wrote ${dot}\nWrote ${svg}\n`);
        assert.match(await Deno.readTextFile(dot), /rankdir=TB;/);
        assert.match(await Deno.readTextFile(svg), /<svg/);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });

  await t.step("show --svg without Graphviz says so clearly", async () => {
    await assert.rejects(
      run(["show", G1, "--svg", "/tmp/never.svg"], "no-such-graphviz-dot"),
      /Graphviz "no-such-graphviz-dot" was not found on PATH; install Graphviz/,
    );
    await assert.rejects(
      run(["show", G1, "--rankdir", "RL"]),
      /--rankdir must be LR or TB, got "RL"/,
    );
  });

  await t.step({
    name: "a Graphviz failure is reported with its message",
    ignore: !hasDot,
    fn: async () => {
      await assert.rejects(renderSvg("digraph {", "/tmp/never.svg"), /exited with status \d+: /);
    },
  });

  await t.step("the real CLI exits with status 1 on a broken graph", async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", CLI, "graph", "check", BROKEN],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1);
    assert.match(new TextDecoder().decode(out.stdout), /21 problem\(s\)/);
  });
});
