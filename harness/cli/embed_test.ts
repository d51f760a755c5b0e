import assert from "node:assert/strict";
import { join } from "node:path";
import { parseGraph } from "../../stack/graph/json.ts";
import { embedCommand } from "./embed.ts";
import { runCaptured } from "./_io.ts";

const STATE = new URL("../../stack/protocols/testdata/stack_state.json", import.meta.url).pathname;

function run(args: string[]) {
  return runCaptured(embedCommand, args);
}

Deno.test("lab embed", async (t) => {
  await t.step("build writes a valid embedded graph and reports each queue", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const out = join(dir, "e.json");
      const { text, exitCode } = await run([
        "build",
        "--nic",
        "solarflare-sfc9020",
        "--queues",
        "2",
        "--endpoints",
        STATE,
        "--json",
        out,
      ]);
      assert.equal(exitCode, 0);
      assert.match(text, /^Q0: /m);
      assert.match(text, /^Q1: /m);
      assert.match(text, /0 problem\(s\), \d+ unreachable node\(s\); wrote /);
      const g = parseGraph(await Deno.readTextFile(out), out);
      assert.ok(g.nodes.some((n) => n.label === "RxQueue1" && n.spec === "rx.queue"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("a pipeline stage writes that pipeline only", async () => {
    const { text } = await run([
      "build",
      "--nic",
      "solarflare-sfc9020",
      "--queues",
      "2",
      "--stage",
      "pipeline",
      "--pipeline",
      "Q1",
    ]);
    assert.match(text, /pipeline graph ".*\.Q1"/);
  });

  await t.step("bad options are refused naming the allowed values", async () => {
    await assert.rejects(() => run(["build", "--nic", "nope"]), /allowed are intel-82599/);
    await assert.rejects(
      () => run(["build", "--nic", "rss", "--queues", "0"]),
      /--queues must be an integer in 1\.\.128, got "0"/,
    );
    await assert.rejects(
      () => run(["build", "--nic", "rss", "--stage", "all"]),
      /--stage must be one of embedded, software, pipeline/,
    );
    await assert.rejects(
      () => run(["build", "--nic", "rss", "--stage", "pipeline", "--pipeline", "Q99"]),
      /Unknown pipeline "Q99"/,
    );
  });
});
