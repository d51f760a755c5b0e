/**
 * `deno task bench`: the lab's first results. With no set-up, runs the two bench experiments
 * (`harness/experiments/bench_presets.ts`: memcached UDP with Dragonet's memaslap profile, and
 * UDP echo) on every stack with the embedded defaults, writes canonical JSON (parameters, seeds,
 * metrics with units, histograms) and tidy CSV under `results/out/` after every point, shows a
 * progress bar on a terminal, and prints a summary table (TPS, mean, p50, p99 per stack and
 * point) and the simulated transactions per wall-clock second, and writes the HTML report
 * (`results/out/report.html`).
 *
 * Options (all optional): `--out <dir>` (default `results/out`), `--seed <n>`,
 * `--duration-ms <ms>` and `--warmup-ms <ms>` (simulated, per point), `--only <name,...>`
 * (experiments), `--stacks <label,...>`, `--clients <n,...>`.
 *
 * @module
 */
// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import { parseArgs } from "node:util";
import { formatSummary, type ResultFile, writeReport } from "../results/mod.ts";
import { BENCH_EXPERIMENTS } from "./experiments/bench_presets.ts";
import { runExperiment } from "./experiments/runner.ts";
import { experimentPoints, type ExperimentSpec, validateExperiment } from "./experiments/spec.ts";
import { runStartTime } from "./experiments/start_time.ts";

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Output directory (created). */
  readonly out: string;
  /** Experiments to run (default {@link BENCH_EXPERIMENTS}). */
  readonly experiments?: readonly ExperimentSpec[];
  /** Root seed override. */
  readonly seed?: number;
  /** Simulated measurement window per point (ns) override. */
  readonly durationNs?: number;
  /** Simulated warm-up per point (ns) override. */
  readonly warmupNs?: number;
  /** Only these stack labels. */
  readonly stacks?: readonly string[];
  /** Client counts override. */
  readonly clients?: readonly number[];
  /** Git commit recorded in the results (default: `git rev-parse HEAD`, "-dirty" if modified). */
  readonly gitSha?: string;
  /** Start time recorded in the results (default now). */
  readonly startedAt?: Date;
  /** Show a progress bar (default: when stdout is a terminal). */
  readonly progress?: boolean;
}

/** What one experiment of the bench produced. */
export interface BenchExperimentOutcome {
  /** The experiment as run. */
  readonly spec: ExperimentSpec;
  /** Where its JSON and CSV went. */
  readonly jsonPath: string;
  /** CSV path. */
  readonly csvPath: string;
  /** The canonical result. */
  readonly result: ResultFile;
  /** Wall-clock seconds it took (not stored in the results: they stay deterministic). */
  readonly wallSeconds: number;
  /** Transactions completed in simulation, over every point (warm-up excluded). */
  readonly transactions: number;
}

/** The experiment with the option overrides applied; throws listing every problem. */
export function applyOverrides(spec: ExperimentSpec, o: Omit<BenchOptions, "out">): ExperimentSpec {
  let servers = spec.system.servers;
  if (o.stacks !== undefined) {
    const unknown = o.stacks.filter((s) => servers[s] === undefined);
    if (unknown.length > 0) {
      throw new Error(
        `Bench stacks ${unknown.join(", ")} are unknown in "${spec.name}": allowed ${
          Object.keys(servers).join(", ")
        }`,
      );
    }
    servers = Object.fromEntries(o.stacks.map((s) => [s, servers[s] as (typeof servers)[string]]));
  }
  const out: ExperimentSpec = {
    ...spec,
    system: { ...spec.system, servers },
    run: {
      ...spec.run,
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...(o.durationNs === undefined ? {} : { durationNs: o.durationNs }),
      ...(o.warmupNs === undefined ? {} : { warmupNs: o.warmupNs }),
      sweep: { ...spec.run.sweep, ...(o.clients === undefined ? {} : { clients: o.clients }) },
    },
  };
  const problems = validateExperiment(out);
  if (problems.length > 0) {
    throw new Error(`Bench experiment "${out.name}" is invalid:\n  ${problems.join("\n  ")}`);
  }
  return out;
}

/** The current commit, with "-dirty" when tracked files are modified, or "unknown". */
export async function currentGitSha(): Promise<string> {
  try {
    const out = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], stderr: "null" })
      .output();
    const sha = new TextDecoder().decode(out.stdout).trim();
    if (!/^[0-9a-f]{7,64}$/.test(sha)) return "unknown";
    const status = await new Deno.Command("git", {
      args: ["status", "--porcelain", "--untracked-files=no"],
      stderr: "null",
    }).output();
    return status.stdout.length > 0 ? `${sha}-dirty` : sha;
  } catch {
    return "unknown";
  }
}

/** Runs the bench's experiments; writes `<out>/<name>.json` and `.csv` for each. */
export async function runBench(options: BenchOptions): Promise<BenchExperimentOutcome[]> {
  const specs = (options.experiments ?? BENCH_EXPERIMENTS).map((s) => applyOverrides(s, options));
  await Deno.mkdir(options.out, { recursive: true });
  const gitSha = options.gitSha ?? await currentGitSha();
  const startedAt = options.startedAt ?? runStartTime();
  const total = specs.reduce((a, s) => a + experimentPoints(s).length, 0);
  const showBar = options.progress ?? Deno.stdout.isTerminal();
  const bar = showBar
    ? new cliProgress.SingleBar({
      format: "bench [{bar}] {value}/{total} points | {point}",
      hideCursor: true,
    }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(total, 0, { point: "" });
  const outcomes: BenchExperimentOutcome[] = [];
  let done = 0;
  try {
    for (const spec of specs) {
      const base = `${options.out}/${spec.name}`;
      let transactions = 0;
      const t0 = performance.now();
      const result = await runExperiment(spec, {
        jsonPath: `${base}.json`,
        csvPath: `${base}.csv`,
        gitSha,
        startedAt,
        onPoint: (_d, _t, o) => {
          transactions += o.run.metrics.other["completed"]?.value ?? 0;
          const params = Object.entries(o.run.params).map(([k, v]) => `${k}=${v}`).join(" ");
          bar?.update(++done, { point: `${spec.name} ${o.run.stack} ${params}` });
        },
      });
      outcomes.push({
        spec,
        jsonPath: `${base}.json`,
        csvPath: `${base}.csv`,
        result,
        wallSeconds: (performance.now() - t0) / 1000,
        transactions,
      });
    }
  } finally {
    bar?.stop();
  }
  return outcomes;
}

/** The text printed after the bench: per experiment its summary table and speed. */
export function formatBenchReport(outcomes: readonly BenchExperimentOutcome[]): string {
  const parts: string[] = [];
  for (const o of outcomes) {
    const r = o.spec.run;
    parts.push(
      `== ${o.spec.name}: ${o.spec.description}\n` +
        `simulated per point: ${r.warmupNs / 1e6} ms warm-up + ${
          r.durationNs / 1e6
        } ms measured; ` +
        `written ${o.jsonPath} and ${o.csvPath}\n\n` + formatSummary(o.result) +
        `\n${o.result.runs.length} points in ${o.wallSeconds.toFixed(1)} s wall; ` +
        `${Math.round(o.transactions / o.wallSeconds)} simulated transactions per wall second\n`,
    );
  }
  return parts.join("\n");
}

function numberList(name: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(",").map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${name} must be a comma-separated list of integers >= 1, got "${text}"`);
  }
  return list;
}

function positiveMs(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v)) {
    throw new Error(`${name} must be a number of milliseconds > 0, got "${text}"`);
  }
  return Math.round(v * 1e6);
}

/** Parses the command line of `deno task bench` into {@link BenchOptions}. */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      out: { type: "string", default: "results/out" },
      seed: { type: "string" },
      "duration-ms": { type: "string" },
      "warmup-ms": { type: "string" },
      only: { type: "string" },
      stacks: { type: "string" },
      clients: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  let experiments: ExperimentSpec[] | undefined;
  if (values.only !== undefined) {
    const want = values.only.split(",").map((s) => s.trim());
    const names = BENCH_EXPERIMENTS.map((e) => e.name);
    const unknown = want.filter((w) => !names.includes(w));
    if (unknown.length > 0) {
      throw new Error(`--only names unknown experiments ${unknown.join(", ")}: allowed ${names}`);
    }
    experiments = BENCH_EXPERIMENTS.filter((e) => want.includes(e.name));
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) {
    throw new Error(`--seed must be an integer >= 0, got "${values.seed}"`);
  }
  const durationNs = positiveMs("--duration-ms", values["duration-ms"]);
  const warmupNs = positiveMs("--warmup-ms", values["warmup-ms"]);
  const clients = numberList("--clients", values.clients);
  return {
    out: values.out ?? "results/out",
    ...(experiments === undefined ? {} : { experiments }),
    ...(seed === undefined ? {} : { seed }),
    ...(durationNs === undefined ? {} : { durationNs }),
    ...(warmupNs === undefined ? {} : { warmupNs }),
    ...(values.stacks === undefined
      ? {}
      : { stacks: values.stacks.split(",").map((s) => s.trim()) }),
    ...(clients === undefined ? {} : { clients }),
  };
}

if (import.meta.main) {
  try {
    const t0 = performance.now();
    const options = parseBenchArgs(Deno.args);
    const outcomes = await runBench(options);
    console.log(formatBenchReport(outcomes));
    const html = `${options.out}/report.html`;
    await writeReport(outcomes.map((o) => o.jsonPath), html);
    console.log(`written ${html}`);
    console.log(`bench: total wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}
