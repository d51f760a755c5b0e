/**
 * Canonical experiment results and their renderings: the versioned JSON result (schema,
 * validator, canonical serialisation), atomic partial writes, tidy CSV, terminal summary,
 * vega-lite figures (SVG, PNG), three-valued comparisons and the self-contained HTML report.
 *
 * @example
 * ```ts ignore
 * import { makeContext, makeRun, ResultWriter } from "./mod.ts";
 * const writer = await ResultWriter.create(
 *   makeContext({ gitSha, startedAt: new Date(), seeds, nicCapabilityHash, experiment }),
 *   { jsonPath: "results/out/run.json", csvPath: "results/out/run.csv" },
 * );
 * await writer.add(makeRun({ stack: "dragonet", params: { clients: 8 }, repetition: 0, seed,
 *   clock: "simulated", tps, latencyHistogram: recorder.encode() }));
 * await writer.finish();
 * ```
 *
 * @module
 */
export * from "./schema.ts";
export * from "./canonical_json.ts";
export * from "./validate.ts";
export * from "./histogram.ts";
export * from "./run_builder.ts";
export * from "./tidy_csv.ts";
export * from "./writer.ts";
export * from "./group.ts";
export * from "./summary.ts";
export * from "./plots.ts";
export * from "./compare.ts";
export * from "./report_assets.ts";
export * from "./report_figures.ts";
export * from "./report.ts";
