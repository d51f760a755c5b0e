import assert from "node:assert/strict";
import { experimentCommand } from "./experiment.ts";
import { runCaptured } from "./_io.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(experimentCommand, args)).text;
}

Deno.test("lab experiment", async (t) => {
  await t.step("list names both presets with their point counts", async () => {
    const text = await run(["list"]);
    assert.match(text, /^memcached-memaslap: 40 points; /m);
    assert.match(text, /^udp-echo: 12 points; /m);
  });

  await t.step("show prints the description as JSON", async () => {
    const spec = JSON.parse(await run(["show", "udp-echo"]));
    assert.equal(spec.system.workload.kind, "udp-echo");
    assert.deepEqual(spec.run.sweep.burst, [1, 32]);
  });

  await t.step("run writes the result files and a line per point", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const text = await run([
        "run",
        "udp-echo",
        "--out",
        dir,
        "--stacks",
        "onload",
        "--clients",
        "2",
        "--warmup-ms",
        "0.2",
        "--duration-ms",
        "0.5",
      ]);
      assert.match(text, /^udp-echo: 4 points, writing /);
      assert.equal(text.match(/^\[\d\/4\] onload clients=2 /gm)?.length, 4);
      const result = JSON.parse(await Deno.readTextFile(`${dir}/udp-echo.json`));
      assert.equal(result.complete, true);
      assert.equal(result.runs.length, 4);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("unknown experiments and stacks are refused by name", async () => {
    await assert.rejects(run(["show", "nope"]), /Experiment "nope" is unknown: presets are/);
    await assert.rejects(
      run(["run", "udp-echo", "--stacks", "bsd"]),
      /--stacks names unknown stacks bsd: allowed linux-default, linux-busy-poll, onload/,
    );
  });
});
