import assert from "node:assert/strict";
import { workloadCommand } from "./workload.ts";
import { runCaptured } from "./_io.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(workloadCommand, args)).text;
}

Deno.test("lab workload", async (t) => {
  await t.step("presets lists every preset with its source", async () => {
    const text = await run(["presets"]);
    for (
      const name of ["dragonet-memcached-64", "dragonet-memcached-1024", "etc", "dragonet-echo-64"]
    ) {
      assert.match(text, new RegExp(`^${name}: `, "m"));
    }
    assert.match(text, /timeout 10 s/);
    const json = JSON.parse(await run(["presets", "--json"]));
    assert.equal(json.memcached.etc.getRatio, 0.75);
    assert.equal(json.echo["dragonet-echo-64"].timeoutNs, "Infinity");
  });

  await t.step("requests shows real frames of the sizes in workloads.md §3.1", async () => {
    const text = await run(["requests", "dragonet-memcached-64", "--count", "20"]);
    const lines = text.trim().split("\n");
    assert.equal(lines.length, 20);
    assert.ok(lines.every((l) => l.startsWith("10.0.2.1:8000 -> 10.0.1.1:7777 ")));
    // GET 64-byte key: 124 B frame; SET 64/64: 197 B frame.
    assert.ok(lines.some((l) => l.includes("frame 124 B with FCS") && l.includes("get 00")));
    assert.ok(lines.some((l) => l.includes("frame 197 B with FCS")));
    const echo = await run(["requests", "dragonet-echo-1024", "--count", "1"]);
    assert.match(echo, /:5000 -> 10\.0\.1\.1:888 frame 1070 B with FCS, UDP payload 1024 B/);
  });

  await t.step("bad arguments name the value and what is allowed", async () => {
    await assert.rejects(
      run(["requests", "nope"]),
      /Preset "nope" is unknown: allowed dragonet-memcached-64/,
    );
    await assert.rejects(
      run(["requests", "etc", "--count", "0"]),
      /--count must be an integer in 1\.\.1000, got "0"/,
    );
  });
});
