import assert from "node:assert/strict";
import { encodeLatencies } from "./histogram.ts";
import { makeContext, makeResult, makeRun, ResultInputError } from "./run_builder.ts";

const histogramOf = encodeLatencies;

const input = {
  stack: "dragonet",
  params: { clients: 8, preset: "echo" },
  repetition: 0,
  seed: 7,
  clock: "simulated" as const,
  tps: 1234.5,
  latencyHistogram: histogramOf([10_000, 20_000, 30_000, 40_000]),
};

Deno.test("run builder", async (t) => {
  await t.step("derives latency statistics from the histogram and fills defaults", () => {
    const run = makeRun({
      ...input,
      queues: [{ rx: 5 }],
      cores: [{ busy: { value: 0.5, unit: "fraction" } }],
    });
    assert.equal(run.metrics.latency?.count, 4);
    const max = run.metrics.latency?.max ?? 0; // highest value equivalent to the sample's bucket
    assert.ok(max >= 40_000 && max <= 40_000 * 1.001, String(max));
    assert.ok(Math.abs((run.metrics.latency?.mean ?? 0) - 25_000) < 25);
    assert.deepEqual(run.metrics.tps, { value: 1234.5, unit: "1/s" });
    assert.deepEqual(run.metrics.drops, {});
    assert.deepEqual(run.metrics.queues, [{ rx: { value: 5, unit: "count" } }]);
    assert.deepEqual(run.metrics.cores, [{ busy: { value: 0.5, unit: "fraction" } }]);
  });

  await t.step("stores no latency for a run without samples", () => {
    assert.equal(makeRun({ ...input, latencyHistogram: null }).metrics.latency, null);
    assert.equal(makeRun({ ...input, latencyHistogram: histogramOf([]) }).metrics.latency, null);
  });

  await t.step("lists every problem of a bad run", () => {
    assert.throws(
      () => makeRun({ ...input, tps: NaN, seed: -1, drops: { "no good": 1 } }),
      (err: unknown) => {
        assert.ok(err instanceof ResultInputError);
        assert.equal(
          err.message,
          'Run of stack "dragonet" is invalid:\n' +
            "  $.run.seed: must be an integer in 0..9007199254740991, got the number -1\n" +
            "  $.run.metrics.tps.value: must be a finite number, got the number NaN\n" +
            '  $.run.metrics.drops["no good"]: reason "no good" is not allowed; use a letter or "_" then letters, digits or "_"',
        );
        return true;
      },
    );
    assert.throws(
      () => makeRun({ ...input, latencyHistogram: "xyz" }),
      /has a bad latencyHistogram: Histogram text/,
    );
  });

  await t.step("builds a context and a whole result, checking seeds", () => {
    const context = makeContext({
      gitSha: "abcdef0",
      startedAt: new Date(Date.UTC(2026, 10, 22, 3, 0, 0)),
      seeds: [7],
      nicCapabilityHash: "none",
      experiment: { stacks: ["dragonet"] },
    });
    assert.equal(context.startedAt, "2026-11-22T03:00:00.000Z");
    assert.equal(context.denoVersion, Deno.version.deno);
    assert.equal(makeResult(context, [makeRun(input)], true).runs.length, 1);
    assert.throws(
      () => makeResult({ ...context, seeds: [8] }, [makeRun(input)], true),
      /\$\.runs\[0\]\.seed: 7 is not listed in \$\.context\.seeds/,
    );
    assert.throws(
      () => makeResult(makeContext({ ...context, startedAt: new Date(NaN) }), [], false),
      /startedAt: must be an ISO 8601 UTC time/,
    );
  });
});
