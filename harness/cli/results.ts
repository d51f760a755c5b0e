/**
 * The `lab results` command group: summarise, validate, export, plot, compare and report on
 * result files (the canonical JSON of `results/`).
 *
 * @example
 * ```sh
 * deno task lab results show results/testdata/synthetic_result.json
 * deno task lab results csv results/testdata/synthetic_result.json --out results/out/run.csv
 * deno task lab results plot results/testdata/synthetic_result.json --out results/out/plots
 * deno task lab results compare old.json new.json --gate
 * deno task lab results report new.json --baseline old.json --out results/out/report.html
 * ```
 *
 * @module
 */
import { Command, InvalidArgumentError, type OptionValues } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { numberOption } from "./_options.ts";
import {
  checkResult,
  compareResults,
  formatComparison,
  formatProblems,
  formatSummary,
  readJsonFile,
  readResultFile,
  resultToTidyCsv,
  type RunParams,
  validateResult,
  writePlots,
  writeReport,
  writeTextAtomic,
} from "../../results/mod.ts";

function whereParam(value: string, previous: RunParams): RunParams {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  if (m === null) {
    throw new InvalidArgumentError(`--where must be name=value (e.g. clients=32), got "${value}"`);
  }
  const [, name = "", text = ""] = m;
  const n = Number(text);
  return { ...previous, [name]: text.trim() !== "" && Number.isFinite(n) ? n : text };
}

/** Adds the comparison's noise options `--sim-tolerance` (help `simHelp`), `--wall-tolerance`, `--sigmas`. */
function withToleranceOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  c: Command<A, O, G>,
  simHelp: string,
) {
  return c
    .option(
      "--sim-tolerance <rel>",
      simHelp,
      numberOption("--sim-tolerance", { min: 0 }),
      0,
    )
    .option(
      "--wall-tolerance <rel>",
      "relative change below which wall-clock metrics are unchanged",
      numberOption("--wall-tolerance", { min: 0 }),
      0.05,
    )
    .option(
      "--sigmas <n>",
      "standard errors a wall-clock change must exceed",
      numberOption("--sigmas", { min: 0 }),
      2,
    );
}

/** Builds the `results` command group writing to `out` (stdout by default). */
export function resultsCommand(out: CliIo = processIo): Command {
  const group = new Command("results").description(
    "Result files: summary table, validation, tidy CSV, plots (SVG/PNG), comparisons, HTML report",
  );
  group
    .command("show")
    .description("Print a summary table (TPS, latency mean/p50/p99 per stack and point)")
    .argument("<file>", "result JSON file")
    .action(async (file) => {
      out.write(formatSummary(await readResultFile(file)));
    });
  group
    .command("validate")
    .description("Check a result file; lists every problem with its path and exits 1 if any")
    .argument("<file>", "result JSON file")
    .action(async (file) => {
      const raw = await readJsonFile(file);
      const problems = validateResult(raw);
      if (problems.length === 0) {
        const r = checkResult(raw, file);
        out.write(
          `${file}: ok (schema ${r.schemaVersion}, ${r.runs.length} runs, ${
            r.complete ? "complete" : "partial"
          })\n`,
        );
        return;
      }
      out.write(`${file}: ${problems.length} problems\n${formatProblems(problems)}\n`);
      throw new Error(`Result file "${file}" is invalid: ${problems.length} problems`);
    });
  group
    .command("csv")
    .description("Print the tidy CSV (one row per run x metric), or write it with --out")
    .argument("<file>", "result JSON file")
    .option("--out <csv>", "write the CSV to this file (atomically) instead of stdout")
    .action(async (file, o) => {
      const csv = resultToTidyCsv(await readResultFile(file));
      if (o.out === undefined) {
        out.write(csv);
      } else {
        await writeTextAtomic(o.out, csv);
        out.write(`Wrote ${o.out}\n`);
      }
    });
  group
    .command("plot")
    .description(
      "Write vega-lite specs beside their CSV, rendered to SVG and PNG: throughput vs a " +
        "parameter per stack, latency CDF per stack and point",
    )
    .argument("<file>", "result JSON file")
    .requiredOption("--out <dir>", "folder for the figures (created if needed)")
    .option("--x <param>", "numeric parameter on the throughput x axis", "clients")
    .option(
      "--where <name=value>",
      "only these points on the latency CDF (repeatable)",
      whereParam,
      {} as RunParams,
    )
    .action(async (file, o) => {
      const result = await readResultFile(file);
      const { written, skipped } = await writePlots(result, o.out, { x: o.x, where: o.where });
      for (const reason of skipped) out.write(`skipped: ${reason}\n`);
      for (const path of written) out.write(`Wrote ${path}\n`);
    });
  withToleranceOptions(
    group
      .command("compare")
      .description(
        "Three-valued verdicts per stack, point and metric between two result files; " +
          "simulated metrics gate, wall-clock ones are trended",
      )
      .argument("<old>", "baseline result JSON file")
      .argument("<new>", "result JSON file to judge"),
    "relative tolerance for simulated metrics (0 = exact)",
  )
    .option("--all", "also list unchanged metrics")
    .option("--gate", "exit 1 when a simulated (gating) metric regressed")
    .action(async (oldFile, newFile, o) => {
      const comparison = compareResults(
        await readResultFile(oldFile),
        await readResultFile(newFile),
        { simTolerance: o.simTolerance, wallTolerance: o.wallTolerance, noiseSigmas: o.sigmas },
      );
      out.write(formatComparison(comparison, { all: o.all === true }));
      if (o.gate === true && comparison.gatingRegressions > 0) {
        throw new Error(
          `${comparison.gatingRegressions} gating regressions between "${oldFile}" and "${newFile}"`,
        );
      }
    });
  withToleranceOptions(
    group
      .command("report")
      .description(
        "Write one self-contained HTML report (vega inlined, no network) of result files: " +
          "context, summary, interactive figures, drops and timeouts, comparison with --baseline",
      )
      .argument("<files...>", "result JSON files, one report section each")
      .requiredOption("--out <html>", "the HTML file to write (atomically)")
      .option("--baseline <old>", "compare every file with this result JSON file")
      .option("--title <text>", "page title", "dragonet-lab report")
      .option("--x <param>", "numeric parameter on the throughput x axis", "clients"),
    "relative tolerance for simulated metrics in the comparison (0 = exact)",
  )
    .action(async (files, o) => {
      await writeReport(files, o.out, {
        title: o.title,
        x: o.x,
        compare: {
          simTolerance: o.simTolerance,
          wallTolerance: o.wallTolerance,
          noiseSigmas: o.sigmas,
        },
        ...(o.baseline === undefined ? {} : { baseline: o.baseline }),
      });
      out.write(`Wrote ${o.out}\n`);
    });
  return group;
}
