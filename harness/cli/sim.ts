/**
 * The `lab sim` command group: look at the simulator's foundations from the command line.
 *
 * - `queue`: run an M/M/1 or M/D/1 queue built from the simulator's parts and compare its mean
 *   wait with Pollaczek–Khinchine; prints events per wall-second.
 * - `dist`: sample a distribution in mutilate's syntax and compare with its closed-form mean.
 * - `wire`: line-rate arithmetic per frame size.
 * - `costs`: the calibration table with sources (`--json` for the record stored with runs).
 * - `speed`: simulated transactions per wall second of one bench point (issue 8's figure), the
 *   fixed set-up cancelled out by running a short and a long window
 *   (`harness/experiments/sim_speed.ts`).
 *
 * @example
 * ```sh
 * deno task lab sim queue --model md1 --utilisation 0.7
 * deno task lab sim dist fb_value --samples 200000
 * deno task lab sim wire --rate-gbps 25
 * deno task lab sim costs
 * deno task lab sim speed --experiment memcached --stack dragonet-82599
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption, integerOption, listOption, numberOption } from "./_options.ts";
import { RandomStreams } from "../sim/random_streams.ts";
import { runQueue, type ServiceLaw } from "../sim/queue_model.ts";
import { frameTimeNs, lineRatePps, wireBytes } from "../sim/wire.ts";
import { calibrationRecord, makeCalibration, OP_NAMES } from "../sim/calibration.ts";
import { createSampler, formatDistribution, parseDistribution } from "../../workloads/dist/mod.ts";
import {
  formatSimSpeed,
  measureSimSpeed,
  SIM_SPEED_EXPERIMENTS,
} from "../experiments/sim_speed.ts";

/** Options of {@link queueReport}. */
export interface QueueReportOptions {
  /** `mm1` or `md1`. */
  readonly model: "mm1" | "md1";
  /** Server utilisation in (0, 1). */
  readonly utilisation: number;
  /** Customers. */
  readonly arrivals: number;
  /** Mean service time (ns). */
  readonly serviceNs: number;
  /** Seed. */
  readonly seed: number;
}

/** Runs the queue and formats the report printed by `lab sim queue`. */
export function queueReport(o: QueueReportOptions): string {
  const service: ServiceLaw = o.model === "mm1" ? "exponential" : "deterministic";
  const t0 = performance.now();
  const r = runQueue({
    arrivals: o.arrivals,
    utilisation: o.utilisation,
    meanServiceNs: o.serviceNs,
    service,
    seed: o.seed,
  });
  const wallS = (performance.now() - t0) / 1000;
  const err = (r.meanWaitNs / r.analyticMeanWaitNs - 1) * 100;
  return [
    `${o.model === "mm1" ? "M/M/1" : "M/D/1"}, utilisation ${o.utilisation}, mean service ` +
    `${o.serviceNs} ns, ${o.arrivals} arrivals, seed ${o.seed}`,
    `mean wait in queue: ${r.meanWaitNs.toFixed(1)} ns simulated, ` +
    `${r.analyticMeanWaitNs.toFixed(1)} ns analytical (Pollaczek-Khinchine), ` +
    `error ${err >= 0 ? "+" : ""}${err.toFixed(2)}%`,
    `server busy ${(r.measuredUtilisation * 100).toFixed(2)}% of ${r.simulatedNs} ns simulated`,
    `events: ${r.events} in ${wallS.toFixed(2)} s wall ` +
    `(${
      (r.events / wallS / 1e6).toFixed(2)
    } M events/s, wall-clock, not comparable across machines)`,
    "",
  ].join("\n");
}

/** Samples `spec` and formats the report printed by `lab sim dist`. */
export function distReport(spec: string, samples: number, seed: number, rate?: number): string {
  let sampler = createSampler(parseDistribution(spec));
  if (rate !== undefined) sampler = sampler.withRate(rate);
  const rng = new RandomStreams(seed).stream("lab.sim.dist");
  const xs = new Float64Array(samples);
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const x = sampler.sample(rng);
    xs[i] = x;
    sum += x;
  }
  xs.sort();
  const mean = sum / samples;
  let sq = 0;
  for (const x of xs) sq += (x - mean) ** 2;
  const q = (p: number) => xs[Math.min(samples - 1, Math.floor(p * samples))] as number;
  const f = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(4));
  return [
    `distribution ${formatDistribution(sampler.spec)}` +
    (rate === undefined ? "" : ` (rescaled to rate ${rate})`) +
    `, ${samples} samples, seed ${seed}`,
    `mean: ${f(mean)} sampled, ${f(sampler.mean())} closed form`,
    `sd: ${f(Math.sqrt(sq / Math.max(1, samples - 1)))}`,
    `min ${f(xs[0] as number)}  p1 ${f(q(0.01))}  p50 ${f(q(0.5))}  p90 ${f(q(0.9))}  ` +
    `p99 ${f(q(0.99))}  max ${f(xs[samples - 1] as number)}`,
    "",
  ].join("\n");
}

/** Formats the line-rate table printed by `lab sim wire` (frame sizes include the FCS). */
export function wireReport(rateGbps: number, sizesWithFcs: readonly number[]): string {
  const rate = rateGbps * 1e9;
  const lines = [
    `line rate ${rateGbps} Gb/s; frame sizes include the FCS`,
    "frame_B  wire_B  ns_per_frame  Mpps",
  ];
  for (const s of sizesWithFcs) {
    const len = Math.max(0, s - 4);
    lines.push(
      `${String(s).padStart(7)}  ${String(wireBytes(len)).padStart(6)}  ` +
        `${frameTimeNs(len, rate).toFixed(1).padStart(12)}  ${
          (lineRatePps(len, rate) / 1e6).toFixed(3)
        }`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Formats the calibration table printed by `lab sim costs`. */
export function costsReport(json: boolean): string {
  const rec = calibrationRecord(makeCalibration());
  if (json) return JSON.stringify(rec, null, 2) + "\n";
  const lines = [`calibration "${rec.name}", cycles at ${rec.cpuGhz} GHz`];
  for (const name of OP_NAMES) {
    const e = rec.ops[name];
    lines.push(
      `${name.padEnd(22)} ${String(e.value).padStart(7)} ${e.unit.padEnd(11)} ` +
        `${e.ns.toFixed(2).padStart(8)} ns  ${
          e.verified ? "verified  " : "unverified"
        }  ${e.source}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Builds the `sim` command group. */
export function simCommand(io: CliIo = processIo): Command {
  const sim = new Command("sim").description(
    "Simulator foundations: queue check, distributions, wire arithmetic, cost calibration",
  );
  sim
    .command("queue")
    .description(
      "Run an M/M/1 or M/D/1 queue on the simulator and compare with the analytical mean wait",
    )
    .option(
      "--model <model>",
      "mm1 or md1",
      choiceOption("--model", ["mm1", "md1"]),
      "mm1" as const,
    )
    .option(
      "--utilisation <rho>",
      "server utilisation in (0, 1)",
      numberOption("--utilisation", { min: 0.01, max: 0.99 }),
      0.5,
    )
    .option(
      "--arrivals <n>",
      "customers to simulate",
      integerOption("--arrivals", { min: 1, max: 1e8 }),
      1_000_000,
    )
    .option(
      "--service-ns <ns>",
      "mean service time in ns",
      integerOption("--service-ns", { min: 1, max: 1e9 }),
      10_000,
    )
    .option("--seed <n>", "random seed", integerOption("--seed", { min: 0, max: 0xffff_ffff }), 42)
    .action((o) => {
      io.write(queueReport(o));
    });
  sim
    .command("dist")
    .description(
      "Sample a distribution in mutilate's syntax (e.g. fb_value, pareto:15,214.476,0.348238)",
    )
    .argument("<spec>", "distribution: a number or name[:p1[,p2[,p3]]]")
    .option(
      "--samples <n>",
      "samples to draw",
      integerOption("--samples", { min: 1, max: 1e7 }),
      100_000,
    )
    .option("--seed <n>", "random seed", integerOption("--seed", { min: 0, max: 0xffff_ffff }), 42)
    .option(
      "--rate <lambda>",
      "rescale to this rate (mean 1/lambda), as mutilate does for -i",
      numberOption("--rate", { min: 1e-9, max: 1e12 }),
    )
    .action((spec, o) => {
      io.write(distReport(spec, o.samples, o.seed, o.rate));
    });
  sim
    .command("wire")
    .description("Line-rate arithmetic: wire bytes, time per frame and maximum packet rate")
    .option(
      "--rate-gbps <g>",
      "line rate in Gb/s",
      numberOption("--rate-gbps", { min: 0.001, max: 10_000 }),
      10,
    )
    .option(
      "--sizes <list>",
      "comma-separated frame sizes in bytes including FCS",
      listOption("--sizes", integerOption("--sizes", { min: 1, max: 65_535 })),
      [64, 128, 256, 512, 1024, 1518],
    )
    .action((o) => {
      io.write(wireReport(o.rateGbps, o.sizes));
    });
  sim
    .command("costs")
    .description("Print the cost calibration with every value's source")
    .option("--json", "print the JSON record stored with runs")
    .action((o) => {
      io.write(costsReport(o.json === true));
    });
  sim
    .command("speed")
    .description(
      "Simulated transactions per wall second of one bench point (set-up cancelled out)",
    )
    .option(
      "--experiment <name>",
      "memcached (UDP, memaslap profile) or echo (UDP_RR)",
      choiceOption("--experiment", SIM_SPEED_EXPERIMENTS),
      "memcached" as const,
    )
    .option("--stack <label>", "bench stack label", "dragonet-82599")
    .option(
      "--clients <n>",
      "client instances",
      integerOption("--clients", { min: 1, max: 10_000 }),
      40,
    )
    .option(
      "--size <bytes>",
      "memcached value or echo payload bytes (default 1024 or 64)",
      integerOption("--size", { min: 1, max: 65_000 }),
    )
    .option("--burst <n>", "echo burst", integerOption("--burst", { min: 1, max: 1024 }), 1)
    .option(
      "--windows <short,long>",
      "simulated measurement windows in ms",
      listOption("--windows", integerOption("--windows", { min: 1, max: 100_000 })),
      [10, 60],
    )
    .option(
      "--repeat <n>",
      "runs per window, fastest kept",
      integerOption("--repeat", { min: 1, max: 100 }),
      2,
    )
    .option("--seed <n>", "root seed", integerOption("--seed", { min: 0, max: 0xffff_ffff }), 1)
    .option("--json", "print the measurement as JSON")
    .action((o) => {
      if (o.windows.length !== 2) {
        throw new Error(`--windows takes two numbers (short,long), got ${o.windows.length}`);
      }
      const r = measureSimSpeed({
        experiment: o.experiment,
        stack: o.stack,
        clients: o.clients,
        ...(o.size === undefined ? {} : { size: o.size }),
        burst: o.burst,
        shortMs: o.windows[0] as number,
        longMs: o.windows[1] as number,
        repeat: o.repeat,
        seed: o.seed,
      });
      io.write(o.json === true ? `${JSON.stringify(r, null, 2)}\n` : formatSimSpeed(r));
    });
  return sim;
}
