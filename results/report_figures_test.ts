import assert from "node:assert/strict";
import { syntheticResult } from "./_fixture.ts";
import { inlineSpec, latencyCdfFigure, PlotError, renderSvg, throughputFigure } from "./plots.ts";
import {
  counterBarsFigure,
  interactiveCdfSpec,
  interactiveThroughputSpec,
  pointLabel,
} from "./report_figures.ts";
import type { ResultFile } from "./schema.ts";

const RESULT = syntheticResult({ clients: [8, 32], samples: 50 });

function withoutCounters(result: ResultFile): ResultFile {
  return {
    ...result,
    runs: result.runs.map((r) => ({ ...r, metrics: { ...r.metrics, queues: [], cores: [] } })),
  };
}

Deno.test("report figures", async (t) => {
  await t.step("pointLabel names the parameters in order", () => {
    assert.equal(pointLabel({ payload: 64, clients: 8 }), "clients=8 payload=64");
    assert.equal(pointLabel({}), "(no parameters)");
  });

  await t.step("counter bars average each queue counter over the repetitions", () => {
    const fig = counterBarsFigure(RESULT, "queues");
    const find = (stack: string, point: string, index: number, counter: string) =>
      fig.rows.find((r) =>
        r.stack === stack && r.point === point && r.index === index && r.counter === counter
      );
    // The fixture gives queue 1 `rx_drops` = stack number, queue 0 `rx_packets` = 1000 x clients.
    assert.equal(find("stack-b", "clients=32 payload=64", 1, "rx_drops (count)")?.value, 1);
    assert.equal(find("stack-a", "clients=32 payload=64", 1, "rx_drops (count)")?.value, 0);
    assert.equal(find("stack-a", "clients=8 payload=64", 0, "rx_packets (count)")?.value, 8000);
    assert.equal(find("stack-a", "clients=8 payload=64", 0, "rx_packets (count)")?.reps, 2);
    assert.equal(fig.rows.length, 2 * 2 * 2 * 2);
    const cores = counterBarsFigure(RESULT, "cores");
    assert.deepEqual(
      cores.rows.filter((r) => r.stack === "stack-a").map((r) => [r.point, r.counter, r.value]),
      [["clients=8 payload=64", "busy (fraction)", 0.2], [
        "clients=32 payload=64",
        "busy (fraction)",
        0.8,
      ]],
    );
  });

  await t.step("counter bars refuse a result without those counters", () => {
    assert.throws(
      () => counterBarsFigure(withoutCounters(RESULT), "cores"),
      (e) =>
        e instanceof PlotError &&
        e.message === "Cannot plot per-core counters: no run reports cores counters",
    );
  });

  await t.step("the CDF starts on all points only while the series are few", () => {
    const pick = (r: ResultFile) =>
      JSON.stringify(
        (interactiveCdfSpec(r).params as { name: string; value?: string }[])
          .find((p) => p.name === "cdf_point")?.value,
      );
    assert.equal(pick(RESULT), '"(all points)"');
    const many = syntheticResult({ clients: [4, 8, 12, 16, 20, 24], repetitions: 1, samples: 20 });
    assert.equal(pick(many), '"clients=4"');
  });

  await t.step("interactive specs keep the figures' data and render", async () => {
    const tp = interactiveThroughputSpec(RESULT);
    assert.deepEqual(tp.data, inlineSpec(throughputFigure(RESULT)).data);
    const cdf = interactiveCdfSpec(RESULT);
    const values = (cdf.data as { values: { point: string }[] }).values;
    assert.deepEqual(
      values.map(({ point: _, ...row }) => row),
      JSON.parse(JSON.stringify(latencyCdfFigure(RESULT).rows)),
    );
    assert.deepEqual([...new Set(values.map((v) => v.point))], ["clients=8", "clients=32"]);
    assert.ok(JSON.stringify(cdf.params).includes('"bind":"legend"'));
    for (const spec of [tp, cdf, counterBarsFigure(RESULT, "queues").spec]) {
      assert.match(await renderSvg(spec), /^<svg/);
    }
  });
});
