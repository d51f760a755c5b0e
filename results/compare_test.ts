import assert from "node:assert/strict";
import { assertSnapshot } from "../tests/_snapshot.ts";
import { syntheticResult } from "./_fixture.ts";
import { compareResults, formatComparison } from "./compare.ts";
import type { ResultFile, RunResult } from "./schema.ts";

const small = { clients: [8, 16], repetitions: 2, samples: 100 } as const;
const base = syntheticResult(small);

/** `result` with every run's TPS multiplied by `factor` (latency untouched). */
function scaleTps(result: ResultFile, factor: number, stack?: string): ResultFile {
  return {
    ...result,
    runs: result.runs.map((r): RunResult =>
      stack !== undefined && r.stack !== stack ? r : {
        ...r,
        metrics: { ...r.metrics, tps: { value: r.metrics.tps.value * factor, unit: "1/s" } },
      }
    ),
  };
}

function asWall(result: ResultFile): ResultFile {
  return { ...result, runs: result.runs.map((r) => ({ ...r, clock: "wall" as const })) };
}

Deno.test("compareResults", async (t) => {
  await t.step("identical results: everything unchanged, nothing gates", () => {
    const c = compareResults(base, syntheticResult(small));
    assert.equal(c.counts.improved + c.counts.regressed, 0);
    assert.equal(c.counts.unchanged, 4 * 6);
    assert.equal(c.gatingRegressions, 0);
    assert.deepEqual(c.notes, []);
    assert.match(formatComparison(c), /No metric changed\n\n0 improved, 0 regressed, 24 unchanged/);
  });

  await t.step("simulated metrics are exact: any change is a gating verdict", () => {
    const c = compareResults(base, scaleTps(base, 1.0001, "stack-a"));
    const tps = c.metrics.filter((m) => m.metric === "tps");
    assert.deepEqual(tps.map((m) => [m.stack, m.verdict, m.gating]), [
      ["stack-a", "improved", true],
      ["stack-a", "improved", true],
      ["stack-b", "unchanged", true],
      ["stack-b", "unchanged", true],
    ]);
    assert.equal(compareResults(base, scaleTps(base, 0.9)).gatingRegressions, 4);
  });

  await t.step("the tolerance knob absorbs small simulated changes", () => {
    const c = compareResults(base, scaleTps(base, 0.995), { simTolerance: 0.01 });
    assert.ok(c.metrics.every((m) => m.verdict === "unchanged"));
    assert.equal(c.metrics[0]?.basis, "tolerance 1%");
    assert.equal(
      compareResults(base, scaleTps(base, 0.98), { simTolerance: 0.01 }).counts.regressed,
      4,
    );
  });

  await t.step("higher latency is a regression, lower an improvement", () => {
    const slower = compareResults(base, syntheticResult({ ...small, latencyScale: 1.25 }));
    const lat = slower.metrics.filter((m) => m.metric.startsWith("latency."));
    assert.ok(lat.length > 0 && lat.every((m) => m.verdict === "regressed"));
    const faster = compareResults(syntheticResult({ ...small, latencyScale: 1.25 }), base);
    assert.ok(
      faster.metrics.filter((m) => m.metric.startsWith("latency.")).every((m) =>
        m.verdict === "improved"
      ),
    );
  });

  await t.step("wall-clock metrics are trended with the relative threshold and never gate", () => {
    const old = asWall(base);
    const small5 = compareResults(old, asWall(scaleTps(base, 0.97)));
    assert.ok(small5.metrics.every((m) => m.verdict === "unchanged" && !m.gating));
    const big = compareResults(old, asWall(scaleTps(base, 0.5)));
    const tps = big.metrics.filter((m) => m.metric === "tps");
    assert.ok(tps.every((m) => m.verdict === "regressed" && !m.gating));
    assert.equal(big.gatingRegressions, 0);
    assert.match(tps[0]?.basis ?? "", /^trend 5%\/2σ$/);
  });

  await t.step("wall-clock changes within the repetitions' noise are unchanged", () => {
    const noisy = (spread: number): ResultFile =>
      asWall({
        ...base,
        runs: base.runs.map((r) => ({
          ...r,
          metrics: {
            ...r.metrics,
            tps: { value: 1000 + (r.repetition === 0 ? -spread : spread), unit: "1/s" },
          },
        })),
      });
    // Means 1000 vs 1100 (+10%): beyond 5%, but within 2 standard errors when runs spread ±200.
    const shifted = (spread: number) => scaleTps(noisy(spread), 1.1);
    const tps = (o: ResultFile, n: ResultFile) =>
      compareResults(o, n).metrics.filter((m) => m.metric === "tps").map((m) => m.verdict);
    assert.deepEqual(tps(noisy(200), shifted(200)), [
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    assert.deepEqual(tps(noisy(1), shifted(1)), ["improved", "improved", "improved", "improved"]);
  });

  await t.step("simulated points with different seeds are trended, with a note", () => {
    const reseeded = syntheticResult({ ...small, seed: 7 });
    const c = compareResults(base, reseeded);
    assert.ok(c.metrics.every((m) => !m.gating));
    assert.ok(c.notes.some((n) => /different seeds/.test(n)));
    assert.ok(c.notes.some((n) => /experiment descriptions differ/.test(n)) === false);
  });

  await t.step("lists points present on one side only and notes partial results", () => {
    const fewer: ResultFile = {
      ...base,
      complete: false,
      runs: base.runs.filter((r) => r.params.clients === 8),
    };
    const c = compareResults(base, fewer);
    assert.deepEqual(c.onlyOld, ["stack-a clients=16 payload=64", "stack-b clients=16 payload=64"]);
    assert.deepEqual(c.onlyNew, []);
    assert.deepEqual(c.notes, ["The new result is partial (the experiment had not finished)"]);
  });

  await t.step("rejects a negative or infinite knob", () => {
    assert.throws(
      () => compareResults(base, base, { simTolerance: -0.1 }),
      /simTolerance is -0\.1: must be a finite number >= 0/,
    );
    assert.throws(
      () => compareResults(base, base, { noiseSigmas: Infinity }),
      /noiseSigmas is Infinity/,
    );
  });

  await t.step("text rendering (snapshot)", async () => {
    const other = scaleTps(syntheticResult({ ...small, latencyScale: 1.1 }), 1.05, "stack-b");
    const text = formatComparison(compareResults(base, other));
    await assertSnapshot(import.meta.url, "text", text);
  });
});
