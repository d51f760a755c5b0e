import assert from "node:assert/strict";
import { syntheticResult } from "./_fixture.ts";
import {
  figureCsv,
  inlineSpec,
  latencyCdfFigure,
  PlotError,
  renderPng,
  renderSvg,
  throughputFigure,
  writePlots,
} from "./plots.ts";

const result = syntheticResult({ clients: [8, 16, 24], repetitions: 2, samples: 100 });
/** resvg is a native module: PNG rendering needs --allow-ffi (see pngUnavailableReason). */
const ffi = (await Deno.permissions.query({ name: "ffi" })).state === "granted";

Deno.test("plots", async (t) => {
  await t.step(
    "throughput: one row per stack and point, mean within the repetitions' range",
    () => {
      const fig = throughputFigure(result);
      assert.equal(fig.rows.length, 6);
      assert.deepEqual([...new Set(fig.rows.map((r) => r.series))], ["stack-a", "stack-b"]);
      for (const r of fig.rows) {
        assert.ok(r.tps_min <= r.tps_mean && r.tps_mean <= r.tps_max);
        assert.equal(r.reps, 2);
      }
      assert.deepEqual(fig.spec.data, {
        url: "throughput.csv",
        format: {
          type: "csv",
          parse: {
            x: "number",
            tps_mean: "number",
            tps_min: "number",
            tps_max: "number",
            reps: "number",
          },
        },
      });
      assert.equal(figureCsv(fig).split("\n")[0], "series,stack,x,tps_mean,tps_min,tps_max,reps");
    },
  );

  await t.step("throughput: names the parameters it could use instead of a missing one", () => {
    assert.throws(
      () => throughputFigure(result, "burst"),
      (e: unknown) =>
        e instanceof PlotError &&
        e.message ===
          'Cannot plot throughput against "burst": no run has it as a numeric parameter; allowed: clients, payload',
    );
  });

  await t.step("latency CDF: series per stack and point, each rising to 1; where filters", () => {
    const fig = latencyCdfFigure(result);
    const series = [...new Set(fig.rows.map((r) => r.series))];
    assert.deepEqual(series, [
      "stack-a clients=8",
      "stack-a clients=16",
      "stack-a clients=24",
      "stack-b clients=8",
      "stack-b clients=16",
      "stack-b clients=24",
    ]);
    for (const s of series) {
      const rows = fig.rows.filter((r) => r.series === s);
      assert.equal(rows[rows.length - 1]?.fraction, 1);
    }
    const only = latencyCdfFigure(result, { clients: 16 });
    assert.deepEqual([...new Set(only.rows.map((r) => r.series))], ["stack-a", "stack-b"]);
    assert.throws(() => latencyCdfFigure(result, { clients: 99 }), /no point matches clients=99/);
  });

  await t.step("renders deterministic SVG", async () => {
    const spec = inlineSpec(throughputFigure(result));
    const a = await renderSvg(spec);
    assert.equal(await renderSvg(spec), a);
    assert.match(a, /^<svg[^>]*>/);
    assert.match(a, /aria-label="Symbol legend titled 'stack' [^"]*: stack-a, stack-b"/);
    assert.match(a, /<text[^>]*>stack-b<\/text>/);
  });

  await t.step({
    name: "renders byte-identical PNG",
    ignore: !ffi, // Reason: resvg needs --allow-ffi, which this test run did not grant.
    fn: async () => {
      const svg = await renderSvg(inlineSpec(latencyCdfFigure(result)));
      const png = await renderPng(svg);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.deepEqual(await renderPng(svg), png);
    },
  });

  await t.step("writes spec, CSV, SVG (and PNG with --allow-ffi) of each figure", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const { written, skipped } = await writePlots(result, `${dir}/plots`);
      const files = ["vl.json", "csv", "svg", ...(ffi ? ["png"] : [])];
      assert.deepEqual(written.map((p) => p.slice(dir.length + 7)), [
        ...files.map((f) => `throughput.${f}`),
        ...files.map((f) => `latency_cdf.${f}`),
      ]);
      assert.equal(skipped.length, ffi ? 0 : 1);
      if (!ffi) assert.match(skipped[0] ?? "", /^PNG rendering needs --allow-ffi/);
      const spec = JSON.parse(await Deno.readTextFile(`${dir}/plots/latency_cdf.vl.json`));
      assert.equal(spec.data.url, "latency_cdf.csv");
      const noX = await writePlots(result, `${dir}/b`, { x: "nope", png: false });
      assert.equal(noX.skipped.length, 1);
      assert.match(noX.skipped[0] ?? "", /Cannot plot throughput against "nope"/);
      assert.equal(noX.written.length, 3);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
