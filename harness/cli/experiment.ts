/**
 * The `lab experiment` command group: list, show and run the experiments of
 * `harness/experiments/` (memcached memaslap profile, UDP echo) on the timed stack models.
 *
 * @example
 * ```sh
 * deno task lab experiment list
 * deno task lab experiment show udp-echo
 * deno task lab experiment run udp-echo --out results/out/udp-echo --duration-ms 5
 * deno task lab experiment run memcached-memaslap --clients 8,40 --stacks linux-default,onload
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { integerOption, listOption, numberOption } from "./_options.ts";
import {
  experimentPoints,
  EXPERIMENTS,
  type ExperimentSpec,
  validateExperiment,
} from "../experiments/mod.ts";
import { runExperiment } from "../experiments/runner.ts";
import type { ServerSpec } from "../stacks/server.ts";
import { runStartTime } from "../experiments/start_time.ts";
import { currentGitSha } from "../bench.ts";

type ServerSpecNoApp = Omit<ServerSpec, "app">;

/** Loads a preset by name or a spec from a JSON file. */
async function loadSpec(nameOrFile: string): Promise<ExperimentSpec> {
  const preset = EXPERIMENTS[nameOrFile];
  if (preset !== undefined) return preset;
  if (!nameOrFile.endsWith(".json")) {
    throw new Error(
      `Experiment "${nameOrFile}" is unknown: presets are ${
        Object.keys(EXPERIMENTS).join(", ")
      }, or give a .json file`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(nameOrFile));
  } catch (err) {
    throw new Error(
      `Cannot read experiment "${nameOrFile}": ${err instanceof Error ? err.message : err}`,
    );
  }
  return parsed as ExperimentSpec;
}

/** Builds the `experiment` command group writing to `out` (stdout by default). */
export function experimentCommand(out: CliIo = processIo): Command {
  const group = new Command("experiment").description(
    "Experiments on the timed stack models: list, show, run (results via results/)",
  );
  group
    .command("list")
    .description("List the preset experiments with their point counts")
    .action(() => {
      for (const spec of Object.values(EXPERIMENTS)) {
        out.write(
          `${spec.name}: ${experimentPoints(spec).length} points; ${spec.description}\n`,
        );
      }
    });
  group
    .command("show")
    .description("Print an experiment description as JSON (system, model choices, run)")
    .argument("<experiment>", "preset name or .json file")
    .action(async (name) => {
      out.write(`${JSON.stringify(await loadSpec(name), null, 2)}\n`);
    });
  group
    .command("run")
    .description("Run an experiment; writes <out>/<name>.json and .csv after every point")
    .argument("<experiment>", "preset name or .json file")
    .option("--out <dir>", "output directory", "results/out")
    .option(
      "--clients <list>",
      "override the client counts, e.g. 8,40",
      listOption("--clients", integerOption("--clients", { min: 1 })),
    )
    .option("--stacks <list>", "run only these stacks (comma-separated labels)")
    .option(
      "--duration-ms <ms>",
      "override the simulated measurement window",
      numberOption("--duration-ms", { min: 0, exclusiveMin: true }),
    )
    .option(
      "--warmup-ms <ms>",
      "override the simulated warm-up",
      numberOption("--warmup-ms", { min: 0, exclusiveMin: true }),
    )
    .action(async (name, opts) => {
      let spec = await loadSpec(name);
      if (opts.stacks !== undefined) {
        const want = opts.stacks.split(",").map((s) => s.trim());
        const unknown = want.filter((s) => spec.system.servers[s] === undefined);
        if (unknown.length > 0) {
          throw new Error(
            `--stacks names unknown stacks ${unknown.join(", ")}: allowed ${
              Object.keys(spec.system.servers).join(", ")
            }`,
          );
        }
        spec = {
          ...spec,
          system: {
            ...spec.system,
            servers: Object.fromEntries(
              want.map((s) => [s, spec.system.servers[s] as ServerSpecNoApp]),
            ),
          },
        };
      }
      spec = {
        ...spec,
        run: {
          ...spec.run,
          ...(opts.durationMs === undefined
            ? {}
            : { durationNs: Math.round(opts.durationMs * 1e6) }),
          ...(opts.warmupMs === undefined ? {} : { warmupNs: Math.round(opts.warmupMs * 1e6) }),
          sweep: {
            ...spec.run.sweep,
            ...(opts.clients === undefined ? {} : { clients: opts.clients }),
          },
        },
      };
      const problems = validateExperiment(spec);
      if (problems.length > 0) {
        throw new Error(`Experiment "${spec.name}" is invalid:\n  ${problems.join("\n  ")}`);
      }
      await Deno.mkdir(opts.out, { recursive: true });
      const base = `${opts.out}/${spec.name}`;
      out.write(
        `${spec.name}: ${
          experimentPoints(spec).length
        } points, writing ${base}.json and ${base}.csv\n`,
      );
      await runExperiment(spec, {
        jsonPath: `${base}.json`,
        csvPath: `${base}.csv`,
        gitSha: await currentGitSha(),
        startedAt: runStartTime(),
        onPoint: (done, total, o) => {
          const r = o.run;
          const lat = r.metrics.latency;
          const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(" ");
          const drops = Object.values(r.metrics.drops).reduce((a, v) => a + v, 0);
          out.write(
            `[${done}/${total}] ${r.stack} ${params}: ${Math.round(r.metrics.tps.value)} TPS, ` +
              `p50 ${lat === null ? "-" : (lat.p50 / 1000).toFixed(1)} us, ` +
              `p99 ${lat === null ? "-" : (lat.p99 / 1000).toFixed(1)} us, ${drops} drops\n`,
          );
        },
      });
    });
  return group;
}
