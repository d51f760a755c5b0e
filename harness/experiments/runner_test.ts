import assert from "node:assert/strict";
import { MEMCACHED_MEMASLAP, MEMCACHED_TCP, UDP_ECHO } from "./presets.ts";
import { runExperiment, runPoint } from "./runner.ts";
import type { ExperimentSpec } from "./spec.ts";

/** A preset cut down to a short run on two clients. */
function small(spec: ExperimentSpec, stacks: string[], warmupNs = 500_000): ExperimentSpec {
  return {
    ...spec,
    system: {
      ...spec.system,
      servers: Object.fromEntries(stacks.map((s) => [s, spec.system.servers[s] as object])),
    } as ExperimentSpec["system"],
    run: {
      ...spec.run,
      warmupNs,
      durationNs: 1_000_000,
      sweep: { ...spec.run.sweep, clients: [2] },
    },
  };
}

Deno.test("experiment runner", async (t) => {
  await t.step(
    "a memcached point completes requests with no wrong reply, deterministically",
    () => {
      // Eight connections load the 1000 keys within the preset's 2 ms warm-up.
      const spec = small(MEMCACHED_MEMASLAP, ["linux-default"], 2_000_000);
      const p = { stack: "linux-default", clients: 8, size: 64, burst: 0, repetition: 0, seed: 1 };
      const a = runPoint(spec, p);
      const m = a.run.metrics;
      assert.ok(m.tps.value > 0);
      assert.equal(m.other.errors?.value, 0);
      assert.ok((m.latency?.count ?? 0) > 0);
      assert.equal(m.queues.length, 10);
      assert.equal(m.cores.length, 10);
      assert.deepEqual(runPoint(spec, p).run, a.run);
    },
  );

  await t.step("a memcached-over-TCP point on each stack: requests completed, none wrong", () => {
    for (const stack of ["linux-default", "onload"]) {
      const spec = small(MEMCACHED_TCP, [stack], 2_000_000);
      const p = { stack, clients: 8, size: 64, burst: 0, repetition: 0, seed: 1 };
      const m = runPoint(spec, p).run.metrics;
      assert.ok(m.tps.value > 0, stack);
      assert.equal(m.other.errors?.value, 0);
      assert.equal(m.other.completed?.value, m.other.sent?.value);
      assert.deepEqual(m.drops, {});
    }
  });

  await t.step(
    "an echo point with a burst keeps burst + 1 transactions per client in flight",
    () => {
      const spec = small(UDP_ECHO, ["onload"]);
      const one = runPoint(spec, {
        stack: "onload",
        clients: 2,
        size: 64,
        burst: 0,
        repetition: 0,
        seed: 1,
      });
      const more = runPoint(spec, {
        stack: "onload",
        clients: 2,
        size: 64,
        burst: 3,
        repetition: 0,
        seed: 1,
      });
      assert.equal(one.run.metrics.other.errors?.value, 0);
      // Four transactions in flight per client instead of one: more throughput, more latency.
      assert.ok(more.run.metrics.tps.value > one.run.metrics.tps.value);
      assert.ok((more.run.metrics.latency?.p50 ?? 0) > (one.run.metrics.latency?.p50 ?? 0));
    },
  );

  await t.step("runExperiment writes a complete result with one run per point", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const spec = small(UDP_ECHO, ["linux-default"]);
      const seen: number[] = [];
      const result = await runExperiment(
        { ...spec, run: { ...spec.run, sweep: { clients: [2], payloadBytes: [64], burst: [1] } } },
        {
          jsonPath: `${dir}/r.json`,
          csvPath: `${dir}/r.csv`,
          gitSha: "unknown",
          startedAt: new Date("2026-11-22T03:00:00Z"),
          onPoint: (done) => {
            seen.push(done);
          },
        },
      );
      assert.equal(result.complete, true);
      assert.equal(result.runs.length, 1);
      assert.deepEqual(seen, [1]);
      const onDisk = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
      assert.equal(onDisk.complete, true);
      assert.equal(onDisk.context.experiment.name, "udp-echo");
      assert.ok((await Deno.readTextFile(`${dir}/r.csv`)).includes("linux-default"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("refuses an invalid experiment, listing its problems", async () => {
    const bad = { ...UDP_ECHO, run: { ...UDP_ECHO.run, durationNs: 0 } };
    await assert.rejects(
      runExperiment(bad, {
        jsonPath: "/nonexistent/x.json",
        gitSha: "unknown",
        startedAt: new Date(),
      }),
      /run.durationNs must be an integer 1\.\.1000000000000, got 0/,
    );
  });
});
