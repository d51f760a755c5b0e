import assert from "node:assert/strict";
import { parseFlowsJson, searchCommand } from "./search.ts";
import { runCaptured } from "./_io.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(searchCommand, args)).text;
}

Deno.test("lab search", async (t) => {
  await t.step("greedy balance spreads generated flows over queues 1..nq-1", async () => {
    const text = await run(["run", "--flows", "20", "--queues", "4"]);
    assert.match(text, /^flows 20, cost val\(0\.4714\), search [\d.]+ ms, 60 candidates evaluated/);
    assert.match(text, /filters: five-tuple 20\n/);
    assert.match(text, /\n {4}0 {2}0\n {4}1 {2}7\n {4}2 {2}7\n {4}3 {2}6\n$/);
  });
  await t.step("incremental search on the SFC9020, JSON output", async () => {
    const text = await run([
      "run",
      "--nic",
      "solarflare-sfc9020",
      "--search",
      "incremental",
      "--flows",
      "9",
      "--json",
    ]);
    const j = JSON.parse(text);
    assert.equal(j.config.filters.length, 9);
    assert.deepEqual(j.qmap.map((e: { queue: number }) => e.queue).sort(), [
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
    ]);
  });
  await t.step("priority from a flows file with gold flows", async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/flows.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify([
        { srcIp: "10.0.0.222", srcPort: 1, dstPort: 7 },
        { srcIp: "10.0.0.100", srcPort: 2, dstPort: 7 },
        { srcIp: "10.0.0.100", srcPort: 3, dstPort: 7 },
      ]),
    );
    const text = await run([
      "run",
      "--flows-file",
      path,
      "--cost",
      "priority",
      "--gold-src",
      "10.0.0.222",
      "--queues",
      "4",
    ]);
    assert.match(text, /\n {4}1 {2}1\n {4}2 {2}1\n {4}3 {2}1\n$/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step(
    "--overflow unfiltered leaves flows beyond the filter tables on queue 0",
    async () => {
      const text = await run(["run", "--flows", "2200", "--overflow", "unfiltered"]);
      assert.match(text, /filters: five-tuple 128, fdir-perfect 2046\n/);
      assert.match(text, /\n {4}0 {2}26\n/);
      await assert.rejects(
        () => run(["run", "--flows", "2200"]),
        /every filter table it may use is full/,
      );
      await assert.rejects(
        () => run(["run", "--flows", "10", "--search", "incremental", "--overflow", "unfiltered"]),
        /--overflow unfiltered works only with --search greedy/,
      );
    },
  );
  await t.step("errors name the problem", async () => {
    await assert.rejects(() => run(["run", "--cost", "priority"]), /needs --gold-src/);
    await assert.rejects(
      () => run(["run", "--queues", "1"]),
      /--queues must be an integer in 2\.\.128, got "1"/,
    );
    await assert.rejects(
      () => run(["run", "--cost", "priority", "--gold-src", "10.0.0"]),
      /--gold-src must be an IPv4 address like 10\.0\.0\.1, got "10\.0\.0"/,
    );
    await assert.rejects(
      () => run(["run", "--search", "annealing"]),
      /--search must be greedy or incremental, got "annealing"/,
    );
    await assert.rejects(
      () => run(["run", "--flows-file", "/nonexistent/flows.json"]),
      /Cannot read flows file "\/nonexistent\/flows\.json": no such file/,
    );
    assert.throws(() => parseFlowsJson("{}", "f.json"), /expected a JSON array/);
    assert.throws(
      () => parseFlowsJson('[{"dstPort": 70000}]', "f.json"),
      /element 0: Invalid flow .*dstPort must be an integer 0\.\.65535/,
    );
    assert.throws(() => parseFlowsJson('[{"proto": 6}]', "f.json"), /unknown field "proto"/);
    assert.throws(() => parseFlowsJson('[{"srcIp": "1.2.3"}]', "f.json"), /Cannot parse IPv4/);
  });
});
