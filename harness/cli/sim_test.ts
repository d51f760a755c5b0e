import assert from "node:assert/strict";
import { simCommand } from "./sim.ts";
import { runCaptured } from "./_io.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(simCommand, args)).text;
}

Deno.test("lab sim", async (t) => {
  await t.step("queue compares the simulated mean wait with Pollaczek-Khinchine", async () => {
    const text = await run([
      "queue",
      "--model",
      "md1",
      "--arrivals",
      "20000",
      "--utilisation",
      "0.6",
    ]);
    assert.match(
      text,
      /^M\/D\/1, utilisation 0.6, mean service 10000 ns, 20000 arrivals, seed 42\n/,
    );
    assert.match(text, /7500\.0 ns analytical \(Pollaczek-Khinchine\)/);
    assert.match(text, /events: 40000 in /);
  });

  await t.step("dist prints the canonical form and the closed-form mean", async () => {
    const text = await run(["dist", "FB_IA", "--samples", "1000", "--rate", "100000"]);
    assert.match(
      text,
      /^distribution pareto:0,0\.00000845029,0\.154971 \(rescaled to rate 100000\)/,
    );
    assert.match(text, /closed form/);
    assert.match(text, /1\.0000e-5 closed form/);
  });

  await t.step("dist reports parse errors precisely", async () => {
    await assert.rejects(
      () => run(["dist", "pareto:1,,2"]),
      /at column 10: parameter scale of pareto is empty/,
    );
  });

  await t.step("wire prints the §5.4 table", async () => {
    const text = await run(["wire", "--sizes", "64,1024"]);
    assert.match(text, /^ +64 +84 +67\.2 +14\.881$/m);
    assert.match(text, /^ +1024 +1044 +835\.2 +1\.197$/m);
    await assert.rejects(
      () => run(["wire", "--sizes", "64,x"]),
      /--sizes must be a comma-separated list where each entry is an integer in 1\.\.65535, got "64,x" \(entry 2 is "x"\)/,
    );
  });

  await t.step("costs lists every operation with its source, and as JSON", async () => {
    const text = await run(["costs"]);
    assert.match(text, /^driver_rx\s+300 ns .*host-stacks\.md §5\.2/m);
    const json = JSON.parse(await run(["costs", "--json"]));
    assert.equal(json.ops.ipi.ns, 1000);
  });

  await t.step("speed runs one bench point twice and prints the rates", async () => {
    const text = await run([
      "speed",
      "--experiment",
      "echo",
      "--stack",
      "onload",
      "--clients",
      "4",
      "--windows",
      "1,2",
      "--repeat",
      "1",
    ]);
    assert.match(text, /^echo on onload, 4 clients, 64 B, burst 1, seed 1/);
    assert.match(text, /2 ms simulated: [\d,]+ transactions in \d+ ms wall/);
    await assert.rejects(
      () => run(["speed", "--windows", "1,2,3"]),
      /--windows takes two numbers \(short,long\), got 3/,
    );
  });

  await t.step("bad options name the option, the range and the value", async () => {
    await assert.rejects(
      () => run(["queue", "--utilisation", "1.5"]),
      /--utilisation must be a number in 0.01..0.99, got "1.5"/,
    );
    await assert.rejects(
      () => run(["queue", "--model", "mm2"]),
      /--model must be mm1 or md1, got "mm2"/,
    );
  });
});
