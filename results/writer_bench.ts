/**
 * Costs of handling one result of 16 runs (400 latency samples each): canonical JSON, full
 * validation (decodes every histogram), tidy CSV, grouping with histogram merges, and one
 * atomic file write. Reported by `deno bench`, never asserted.
 */
import { syntheticResult } from "./_fixture.ts";
import { groupRuns } from "./group.ts";
import { resultToTidyCsv } from "./tidy_csv.ts";
import { validateResult } from "./validate.ts";
import { resultJsonText, writeResultJson } from "./writer.ts";

const result = syntheticResult();
const text = resultJsonText(result);
const dir = Deno.makeTempDirSync();

Deno.bench("canonical JSON of 16 runs", () => {
  resultJsonText(result);
});

Deno.bench("parse + validate 16 runs (decodes 16 histograms)", () => {
  validateResult(JSON.parse(text));
});

Deno.bench("tidy CSV of 16 runs", () => {
  resultToTidyCsv(result);
});

Deno.bench("group 16 runs into 8 points (merges histograms)", () => {
  groupRuns(result);
});

Deno.bench("atomic write of the 16-run JSON (temp file, fsync, rename)", async () => {
  await writeResultJson(`${dir}/r.json`, result);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
