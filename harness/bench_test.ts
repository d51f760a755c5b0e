import assert from "node:assert/strict";
import { BENCH_ECHO, BENCH_EXPERIMENTS, BENCH_MEMCACHED } from "./experiments/bench_presets.ts";
import { experimentPoints } from "./experiments/spec.ts";
import { applyOverrides, formatBenchReport, parseBenchArgs, runBench } from "./bench.ts";

/** A short bench: two stacks (Dragonet and one baseline), tiny simulated windows. */
async function shortBench(out: string, seed: number) {
  return await runBench({
    out,
    experiments: [BENCH_MEMCACHED, BENCH_ECHO],
    stacks: ["dragonet-82599", "onload"],
    clients: [8],
    seed,
    warmupNs: 3_000_000,
    durationNs: 400_000,
    gitSha: "unknown",
    startedAt: new Date("2026-01-01T00:00:00Z"),
    progress: false,
  });
}

async function files(dir: string): Promise<Map<string, Uint8Array>> {
  const m = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(dir)) m.set(e.name, await Deno.readFile(`${dir}/${e.name}`));
  return m;
}

Deno.test("deno task bench", async (t) => {
  await t.step(
    "the embedded defaults: the issue's sweep on six stacks plus the 20-core row",
    () => {
      const stacks = [
        "dragonet-82599",
        "dragonet-sfc9020",
        "dragonet-82599-20c",
        "linux-default",
        "linux-rss-pinned",
        "linux-busy-poll",
        "onload",
      ];
      for (const e of BENCH_EXPERIMENTS) {
        assert.deepEqual(Object.keys(e.system.servers).sort(), [...stacks].sort());
        for (const [label, s] of Object.entries(e.system.servers)) {
          assert.equal(s.queues, 10);
          assert.equal(s.cores, label === "dragonet-82599-20c" ? 20 : 10);
        }
        assert.equal(e.system.clientMachines, 8);
      }
      assert.deepEqual(BENCH_MEMCACHED.run.sweep.clients, [8, 16, 24, 32, 40]);
      assert.equal(experimentPoints(BENCH_MEMCACHED).length, 7 * 5 * 2);
      assert.equal(experimentPoints(BENCH_ECHO).length, 7 * 2 * 2);
    },
  );

  const dir = await Deno.makeTempDir({ prefix: "bench_test_" });
  try {
    await t.step("one seed twice gives byte-identical files; another seed differs", async () => {
      const a = await shortBench(`${dir}/a`, 3);
      await shortBench(`${dir}/b`, 3);
      const c = await shortBench(`${dir}/c`, 4);
      const fa = await files(`${dir}/a`);
      const fb = await files(`${dir}/b`);
      assert.deepEqual(
        [...fa.keys()].sort(),
        ["bench-echo.csv", "bench-echo.json", "bench-memcached.csv", "bench-memcached.json"],
      );
      for (const [name, bytes] of fa) assert.deepEqual(fb.get(name), bytes, name);
      // Not vacuous: every point completed transactions; the memcached metrics depend on the seed.
      for (const o of a) {
        for (const r of o.result.runs) assert.ok(r.metrics.tps.value > 0, `${r.stack} TPS`);
      }
      const metrics = (o: typeof a) => JSON.stringify(o[0]?.result.runs.map((r) => r.metrics));
      assert.notEqual(metrics(c), metrics(a));
      const report = formatBenchReport(a);
      for (const h of ["TPS", "mean µs", "p50 µs", "p99 µs", "dragonet-82599", "onload"]) {
        assert.ok(report.includes(h), `report shows ${h}`);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  await t.step("command line: defaults, overrides and clear errors", () => {
    assert.deepEqual(parseBenchArgs([]), { out: "results/out" });
    const o = parseBenchArgs(["--duration-ms", "2", "--clients", "8,16", "--only", "bench-echo"]);
    assert.equal(o.durationNs, 2_000_000);
    assert.deepEqual(o.clients, [8, 16]);
    assert.deepEqual(o.experiments?.map((e) => e.name), ["bench-echo"]);
    assert.throws(
      () => parseBenchArgs(["--only", "nope"]),
      /--only names unknown experiments nope/,
    );
    assert.throws(() => parseBenchArgs(["--clients", "0"]), /--clients must be/);
    assert.throws(() => parseBenchArgs(["--duration-ms=0"]), /--duration-ms must be/);
    assert.throws(
      () => applyOverrides(BENCH_ECHO, { stacks: ["nope"] }),
      /Bench stacks nope are unknown in "bench-echo"/,
    );
  });
});
