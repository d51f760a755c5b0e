import assert from "node:assert/strict";
import { dragonetCommand } from "./dragonet.ts";
import { runCaptured } from "./_io.ts";

const EXAMPLE = new URL("../../stack/dragonet/control/examples/flows.json", import.meta.url)
  .pathname;
const EVENTS = new URL("../../stack/dragonet/control/examples/events.json", import.meta.url)
  .pathname;

async function run(args: string[]): Promise<string> {
  return (await runCaptured(dragonetCommand, args)).text;
}

Deno.test("lab dragonet explain", async (t) => {
  await t.step("prints configuration, flow -> queue map and cost for the example", async () => {
    const text = await run(["explain", "--flows", EXAMPLE, "--queues", "4"]);
    assert.match(text, /^NIC intel-82599, 4 queues \(queue 0 = default\), 9 flows\n/);
    assert.match(text, /cost val\(0\), search [\d.]+ ms\n/);
    assert.match(text, /configuration \(9 filters; 9 ops from bring-up\):\n {2}add five-tuple/);
    assert.match(text, /UDP 10\.0\.0\.222:8000 -> 10\.0\.0\.1:7 +-> 1\n/);
    assert.match(text, /queue {2}flows\n {4}0 {2}0\n {4}1 {2}3\n {4}2 {2}3\n {4}3 {2}3\n/);
  });
  await t.step("JSON output with the priority cost", async () => {
    const text = await run([
      "explain",
      "--flows",
      EXAMPLE,
      "--queues",
      "5",
      "--cost",
      "priority",
      "--gold-src",
      "10.0.0.222",
      "--json",
    ]);
    const j = JSON.parse(text);
    const queues = j.placement.map((p: { queue: number }) => p.queue);
    assert.deepEqual(queues, [1, 2, 3, 4, 4, 4, 4, 4, 4]);
    assert.equal(j.config.filters.length, 9);
  });
  await t.step("--out writes SVGs of the PRG, the embedded graph and each pipeline", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const text = await run(["explain", "--flows", EXAMPLE, "--queues", "2", "--out", dir]);
      assert.match(text, /wrote 5 SVGs to /);
      const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(files, [
        "embedded.svg",
        "pipeline-App0.svg",
        "pipeline-Q0.svg",
        "pipeline-Q1.svg",
        "prg.svg",
      ]);
      assert.match(await Deno.readTextFile(`${dir}/prg.svg`), /<svg/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  await t.step("bad input gives a clear error", async () => {
    await assert.rejects(
      run(["explain", "--flows", EXAMPLE, "--cost", "static"]),
      /Cost "static" needs the source address of gold flows/,
    );
    await assert.rejects(run(["explain", "--flows", EXAMPLE, "--queues", "1"]), /--queues/);
    await assert.rejects(run(["explain", "--flows", "/nonexistent.json"]), /nonexistent/);
    await assert.rejects(run(["explain", "--nic", "e1000", "--flows", EXAMPLE]), /e1000/);
  });
});

Deno.test("lab dragonet replay", async (t) => {
  await t.step("prints replies and the reconfiguration log of the example script", async () => {
    const text = await run(["replay", "--events", EVENTS, "--queues", "3", "--no-graphs"]);
    assert.match(text, /^events:\n {11}0 ns {2}register -> ok id 0\n/);
    assert.match(text, /\n {5}6000000 ns {2}close {4}-> ok\n/);
    assert.match(text, /\nv3 at 1000000 ns: 4 events, \+4 -0 flows \(4 placed\), 4 ops, /);
    assert.match(text, /\nv5 at 3000000 ns: .*rebuild none/);
    assert.match(
      text,
      /\nv8 at 6000000 ns: 1 events, \+0 -1 flows \(7 placed\).*rebuild endpoints/,
    );
  });
  await t.step("JSON records with the incremental search and built graphs", async () => {
    const text = await run([
      "replay",
      "--events",
      EVENTS,
      "--queues",
      "2",
      "--search",
      "incremental",
      "--json",
    ]);
    const log = JSON.parse(text) as { version: number; error: string | null; rebuild: string }[];
    assert.equal(log.length, 8);
    assert.ok(log.every((r, i) => r.version === i + 1 && r.error === null));
    assert.deepEqual(log.map((r) => r.rebuild).slice(0, 5), [
      "initial",
      "warm-up",
      "warm-up",
      "warm-up",
      "none",
    ]);
  });
  await t.step("a bad script is a clear error", async () => {
    await assert.rejects(run(["replay", "--events", EXAMPLE]), /element 0: kind must be one of/);
  });
});
