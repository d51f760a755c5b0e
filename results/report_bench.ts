/**
 * Cost of the HTML report of one result of 16 runs (400 latency samples each) compared with a
 * baseline: building the page (grouping, figures, comparison, escaping) with the vega builds
 * already loaded, and the whole `writeReport` (read and validate both files, load the builds,
 * build, atomic write). Reported by `deno bench`, never asserted.
 */
import { syntheticResult } from "./_fixture.ts";
import { buildReport, writeReport } from "./report.ts";
import { loadReportAssets } from "./report_assets.ts";
import { resultJsonText } from "./writer.ts";

const result = syntheticResult();
const slower = syntheticResult({ latencyScale: 1.25 });
const assets = await loadReportAssets();
const dir = Deno.makeTempDirSync();
Deno.writeTextFileSync(`${dir}/old.json`, resultJsonText(result));
Deno.writeTextFileSync(`${dir}/new.json`, resultJsonText(slower));

Deno.bench("build the report of 16 runs against a baseline (builds loaded)", () => {
  buildReport([{ file: "new.json", result: slower }], assets, {
    baseline: { file: "old.json", result },
  });
});

Deno.bench("writeReport: read, validate, load builds, build, write", async () => {
  await writeReport([`${dir}/new.json`], `${dir}/report.html`, { baseline: `${dir}/old.json` });
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
