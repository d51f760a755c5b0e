import assert from "node:assert/strict";
import fc from "fast-check";
import { compile, type TopLevelSpec } from "vega-lite";
import { syntheticResult } from "./_fixture.ts";
import { compareResults } from "./compare.ts";
import { canonicalJson } from "./canonical_json.ts";
import { latencyCdfFigure, throughputFigure } from "./plots.ts";
import { buildReport, type ReportSource, writeReport } from "./report.ts";
import { loadReportAssets, type ReportAssets } from "./report_assets.ts";
import type { ResultFile } from "./schema.ts";
import { checkResult, ResultFileError } from "./validate.ts";
import { resultJsonText } from "./writer.ts";

const FAKE: ReportAssets = {
  vega: "window.vega={};/*VEGA-BUILD*/",
  vegaLite: "window.vegaLite={};/*VEGA-LITE-BUILD*/",
  vegaEmbed: "window.vegaEmbed=function(){};/*VEGA-EMBED-BUILD*/",
};
const RESULT = syntheticResult({ clients: [8, 32], samples: 50 });
const SLOWER = syntheticResult({ clients: [8, 32], samples: 50, latencyScale: 1.25 });
const EXAMPLE = new URL("./testdata/synthetic_result.json", import.meta.url).pathname;

/** The vega-lite specs embedded in a report, by their target element id. */
function embeddedSpecs(html: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const re =
    /<script type="application\/json" class="vl-spec" data-target="([^"]+)">(.*?)<\/script>/g;
  for (const m of html.matchAll(re)) out.set(m[1] ?? "", JSON.parse(m[2] ?? "null"));
  return out;
}

function count(html: string, needle: RegExp): number {
  return [...html.matchAll(needle)].length;
}

function source(result: ResultFile, file = "run.json"): ReportSource {
  return { file, result };
}

Deno.test("HTML report", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("embeds every figure's spec with its data", () => {
      const specs = embeddedSpecs(buildReport([source(RESULT)], FAKE));
      assert.deepEqual([...specs.keys()], [
        "exp-1-throughput",
        "exp-1-latency-cdf",
        "exp-1-queues",
        "exp-1-cores",
      ]);
      const tp = specs.get("exp-1-throughput");
      assert.deepEqual(
        (tp?.data as { values: unknown }).values,
        JSON.parse(JSON.stringify(throughputFigure(RESULT).rows)),
      );
      assert.deepEqual(
        (specs.get("exp-1-latency-cdf")?.data as { values: { point: string }[] }).values
          .map(({ point: _, ...row }) => row),
        JSON.parse(JSON.stringify(latencyCdfFigure(RESULT).rows)),
      );
      for (const spec of specs.values()) compile(spec as unknown as TopLevelSpec);
    });

    await t.step("inlines the three builds in load order and fetches nothing", () => {
      const html = buildReport([source(RESULT)], FAKE);
      const at = [FAKE.vega, FAKE.vegaLite, FAKE.vegaEmbed].map((s) => html.indexOf(s));
      assert.ok(at.every((i) => i > 0));
      assert.deepEqual([...at].sort((a, b) => a - b), at);
      assert.equal(count(html, /<script[^>]*\bsrc=/g), 0);
      assert.equal(count(html, /<link\b/g), 0);
    });

    await t.step("shows the context, the summary and drops by reason", () => {
      const html = buildReport([source(RESULT, "a.json")], FAKE);
      const c = RESULT.context;
      for (const text of [c.gitSha, c.denoVersion, c.startedAt, "Experiment 1: a.json"]) {
        assert.ok(html.includes(text), text);
      }
      assert.ok(html.includes(`<dd>${c.seeds.slice(0, 8).join(", ")}, ... (9 seeds)</dd>`));
      assert.match(html, /<details><summary>Experiment description \(JSON\)<\/summary><pre>\{/);
      assert.ok(html.includes("&quot;synthetic&quot;: true"));
      const summary = /<table class="summary">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
      assert.equal(count(summary, /<tr>/g), 1 + 4);
      assert.ok(html.includes('<th class="num">drop: rx_ring_full</th>'));
      assert.ok(html.includes('<th class="num">timeout: request_lost</th>'));
      assert.ok(!html.includes('class="partial"'));
      assert.ok(!html.includes("Compared with the baseline"));
    });

    await t.step("marks partial results and says which figures are missing", () => {
      const bare: ResultFile = {
        ...RESULT,
        complete: false,
        runs: RESULT.runs.map((r) => ({
          ...r,
          params: { payload: 64 },
          metrics: { ...r.metrics, queues: [], cores: [] },
        })).filter((r) => r.repetition === 0 && r.seed < 45),
      };
      const html = buildReport([source(checkResult(bare))], FAKE);
      assert.ok(html.includes('class="partial"'));
      assert.match(html, /Not shown: Throughput against clients per stack: Cannot plot/);
      assert.match(html, /Per-queue counters: Cannot plot per-queue counters/);
      assert.deepEqual([...embeddedSpecs(html).keys()], ["exp-1-latency-cdf"]);
    });

    await t.step("colours the comparison verdicts against a baseline", () => {
      const html = buildReport([source(SLOWER, "new.json")], FAKE, {
        baseline: source(RESULT, "old.json"),
      });
      const c = compareResults(RESULT, SLOWER);
      assert.ok(c.counts.regressed > 0);
      assert.equal(
        count(html, /<td class="verdict-regressed">regressed<\/td>/g),
        c.counts.regressed,
      );
      assert.equal(
        count(html, /<td class="verdict-unchanged">unchanged<\/td>/g),
        c.counts.unchanged,
      );
      assert.ok(html.includes(`gating regressions: ${c.gatingRegressions}</p>`));
      assert.ok(html.includes("Baseline <code>old.json</code>"));
    });

    await t.step("is deterministic", async () => {
      const a = buildReport([source(RESULT), source(SLOWER, "b")], FAKE, {
        baseline: source(RESULT),
      });
      const b = buildReport([source(RESULT), source(SLOWER, "b")], FAKE, {
        baseline: source(RESULT),
      });
      assert.equal(a, b);
      const old = `${dir}/old.json`;
      await Deno.writeTextFile(old, resultJsonText(RESULT));
      await writeReport([old], `${dir}/one.html`, { baseline: old });
      await writeReport([old], `${dir}/two.html`, { baseline: old });
      assert.deepEqual(
        await Deno.readFile(`${dir}/one.html`),
        await Deno.readFile(`${dir}/two.html`),
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const r = syntheticResult({ seed, clients: [4], repetitions: 1, samples: 20 });
          assert.equal(buildReport([source(r)], FAKE), buildReport([source(r)], FAKE));
        }),
        { seed: 42, numRuns: 5 },
      );
    });

    await t.step("escapes names and descriptions so they cannot inject markup", () => {
      const evil = "<script>alert(1)</script>";
      const base = syntheticResult({ stacks: [evil, "ok&<b>"], clients: [8], samples: 20 });
      const result = checkResult({
        ...base,
        context: {
          ...base.context,
          experiment: { description: "</pre></details><script>alert(2)</script>" },
        },
      });
      const html = buildReport([source(result, "<img src=x onerror=alert(3)>")], FAKE, {
        title: "<b>t</b>",
      });
      assert.ok(!html.includes("alert(1)</script>"));
      assert.ok(!html.includes("<script>alert"));
      assert.ok(!html.includes("<img"));
      assert.ok(!html.includes("<b>"));
      assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
      // Four inlined scripts and four figure data blocks, nothing more.
      assert.equal(count(html, /<script\b/g), 8);
      const tp = embeddedSpecs(html).get("exp-1-throughput");
      const stacks = (tp?.data as { values: { stack: string }[] }).values.map((r) => r.stack);
      assert.deepEqual([...new Set(stacks)].sort(), ["ok&<b>", evil].sort());
    });

    await t.step("no stack name appears unescaped (property)", () => {
      // The markers Q...Q make the name findable: escaped forms never contain it verbatim.
      const name = fc.string({
        unit: fc.constantFrom("<", ">", "&", "'", "/", "s", "c", "r", "i", "p", "t", "="),
        minLength: 1,
        maxLength: 12,
      }).filter((s) => /[<>&]/.test(s)).map((s) => `Q${s}Q`);
      fc.assert(
        fc.property(name, (stack) => {
          const r = syntheticResult({ stacks: [stack], clients: [8], repetitions: 1, samples: 10 });
          const html = buildReport([source(r)], FAKE);
          assert.ok(!html.includes(stack), stack);
          assert.equal(count(html, /<script\b/g), 8);
        }),
        { seed: 42, numRuns: 25 },
      );
    });

    await t.step("names a corrupt or missing input file", async () => {
      const cut = `${dir}/cut.json`;
      await Deno.writeTextFile(cut, resultJsonText(RESULT).slice(0, 300));
      await assert.rejects(
        writeReport([EXAMPLE, cut], `${dir}/x.html`),
        (e) =>
          e instanceof ResultFileError && e.file === cut &&
          /Result file ".*cut\.json" is invalid: the JSON ends early/.test(e.message),
      );
      const wrong = `${dir}/wrong.json`;
      await Deno.writeTextFile(wrong, canonicalJson({ schemaVersion: 1, runs: [] }));
      await assert.rejects(
        writeReport([EXAMPLE], `${dir}/x.html`, { baseline: wrong }),
        /Result file ".*wrong\.json" has 2 problems/,
      );
      await assert.rejects(
        writeReport([`${dir}/absent.json`], `${dir}/x.html`),
        /Result file ".*absent\.json" is invalid: no such file/,
      );
      await assert.rejects(() => writeReport([], `${dir}/x.html`), /need at least 1/);
      await assert.rejects(Deno.stat(`${dir}/x.html`), Deno.errors.NotFound);
    });

    await t.step("names a missing vega build", async () => {
      await assert.rejects(
        loadReportAssets(`${dir}/no_node_modules`),
        /Cannot read the vega browser build ".*no_node_modules\/vega\/build\/vega\.min\.js" for the HTML report: no such file; run `deno install`/,
      );
    });

    await t.step("writes the real builds into the page", async () => {
      const assets = await loadReportAssets();
      assert.ok(assets.vega.length > 100_000 && assets.vegaEmbed.length > 10_000);
      const out = `${dir}/sub/report.html`;
      await writeReport([EXAMPLE], out);
      const html = await Deno.readTextFile(out);
      assert.ok(html.includes(assets.vegaLite.slice(0, 200)));
      assert.equal(embeddedSpecs(html).size, 4);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
