/**
 * How fast the simulator runs one bench point: simulated transactions per wall-clock second
 * (issue 8's speed figure), measured on the bench's own experiments
 * (`bench_presets.ts`) so the figure is about the work `deno task bench` does.
 *
 * A point costs a fixed part (building the testbed, the server, compiling its pipelines, the
 * warm-up) plus a part proportional to the simulated measurement window. The point is run with
 * two windows, `shortMs` and `longMs`; the steady rate is the difference of the transactions
 * completed divided by the difference of the wall times, so the fixed part cancels out. The
 * overall rate of the long run (fixed part included) is reported beside it. One untimed run
 * comes first (the process's first point also loads and compiles the lab). Each window is run
 * `repeat` times and the fastest wall time is kept: on a shared machine the minimum is the figure
 * least disturbed by other work. The transaction counts are exact (the simulation is
 * deterministic); only wall times vary.
 *
 * Reported, never asserted: speed goals live in benchmarks, not tests.
 *
 * @example
 * ```ts ignore
 * import { measureSimSpeed } from "./sim_speed.ts";
 * const r = measureSimSpeed({ experiment: "echo", stack: "onload", shortMs: 5, longMs: 30 });
 * console.log(Math.round(r.steadyPerWallSecond));
 * ```
 *
 * @module
 */
import { BENCH_ECHO, BENCH_MEMCACHED } from "./bench_presets.ts";
import { runPoint } from "./runner.ts";
import type { ExperimentSpec } from "./spec.ts";

/** The bench experiments {@link measureSimSpeed} can run. */
export const SIM_SPEED_EXPERIMENTS = ["memcached", "echo"] as const;

/** One of {@link SIM_SPEED_EXPERIMENTS}. */
export type SimSpeedExperiment = (typeof SIM_SPEED_EXPERIMENTS)[number];

/** Options of {@link measureSimSpeed}; every field but the experiment has the bench's default. */
export interface SimSpeedOptions {
  /** `memcached` (UDP, memaslap profile) or `echo` (UDP_RR). */
  readonly experiment: SimSpeedExperiment;
  /** Stack label of the bench (default `dragonet-82599`). */
  readonly stack?: string;
  /** Client instances (default 40, the figure). */
  readonly clients?: number;
  /** memcached value bytes (default 1024) or echo payload bytes (default 64). */
  readonly size?: number;
  /** Echo burst (default 1; ignored for memcached). */
  readonly burst?: number;
  /** Shorter simulated measurement window in ms (default 10). */
  readonly shortMs?: number;
  /** Longer simulated measurement window in ms (default 60). */
  readonly longMs?: number;
  /** Runs per window; the fastest wall time counts (default 2). */
  readonly repeat?: number;
  /** Root seed (default 1, the bench's). */
  readonly seed?: number;
}

/** One window's figures. */
export interface SimSpeedWindow {
  /** Simulated measurement window (ms). */
  readonly simulatedMs: number;
  /** Transactions completed in the window (exact). */
  readonly transactions: number;
  /** Fastest wall time of the whole point, set-up included (ms). */
  readonly wallMs: number;
}

/** What {@link measureSimSpeed} measured. */
export interface SimSpeedResult {
  /** The options with their defaults filled in. */
  readonly options: Required<SimSpeedOptions>;
  /** The short window. */
  readonly short: SimSpeedWindow;
  /** The long window. */
  readonly long: SimSpeedWindow;
  /**
   * Transactions per wall second with the fixed part cancelled out; NaN when the long window
   * ran no slower than the short one (noise larger than the difference).
   */
  readonly steadyPerWallSecond: number;
  /** Transactions per wall second of the long window, set-up and warm-up included. */
  readonly overallPerWallSecond: number;
  /** Estimated fixed wall time of a point: set-up plus warm-up (ms). */
  readonly fixedWallMs: number;
}

function positiveInteger(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(`Simulator speed ${name} must be an integer in 1..${max}, got ${v}`);
  }
  return v;
}

function fill(o: SimSpeedOptions): Required<SimSpeedOptions> {
  if (!SIM_SPEED_EXPERIMENTS.includes(o.experiment)) {
    throw new RangeError(
      `Simulator speed experiment "${o.experiment}" is unknown: allowed ${
        SIM_SPEED_EXPERIMENTS.join(", ")
      }`,
    );
  }
  const memcached = o.experiment === "memcached";
  const filled: Required<SimSpeedOptions> = {
    experiment: o.experiment,
    stack: o.stack ?? "dragonet-82599",
    clients: positiveInteger("clients", o.clients ?? 40, 10_000),
    size: positiveInteger("size", o.size ?? (memcached ? 1024 : 64), 65_000),
    burst: memcached ? 0 : positiveInteger("burst", o.burst ?? 1, 1024),
    shortMs: positiveInteger("short window (ms)", o.shortMs ?? 10, 100_000),
    longMs: positiveInteger("long window (ms)", o.longMs ?? 60, 100_000),
    repeat: positiveInteger("repeat", o.repeat ?? 2, 100),
    seed: o.seed ?? 1,
  };
  if (filled.longMs <= filled.shortMs) {
    throw new RangeError(
      `Simulator speed long window (${filled.longMs} ms) must be longer than the short one ` +
        `(${filled.shortMs} ms)`,
    );
  }
  return filled;
}

function timeWindow(
  base: ExperimentSpec,
  o: Required<SimSpeedOptions>,
  ms: number,
): SimSpeedWindow {
  const spec: ExperimentSpec = { ...base, run: { ...base.run, durationNs: ms * 1_000_000 } };
  const point = {
    stack: o.stack,
    clients: o.clients,
    size: o.size,
    burst: o.burst,
    repetition: 0,
    seed: o.seed,
  };
  let best = Infinity;
  let transactions = 0;
  for (let i = 0; i < o.repeat; i++) {
    const t0 = performance.now();
    const { run } = runPoint(spec, point);
    const wall = performance.now() - t0;
    if (wall < best) best = wall;
    transactions = run.metrics.other["completed"]?.value ?? 0;
  }
  return { simulatedMs: ms, transactions, wallMs: best };
}

/**
 * Runs one bench point with a short and a long simulated window and returns the simulator's
 * speed (see the module doc for the method).
 */
export function measureSimSpeed(options: SimSpeedOptions): SimSpeedResult {
  const o = fill(options);
  const base = o.experiment === "memcached" ? BENCH_MEMCACHED : BENCH_ECHO;
  if (base.system.servers[o.stack] === undefined) {
    throw new RangeError(
      `Simulator speed stack "${o.stack}" is not a bench stack: allowed ${
        Object.keys(base.system.servers).join(", ")
      }`,
    );
  }
  // One untimed run first: the first point in a process also pays for loading and compiling
  // the lab's code, which would inflate the short window's wall time and so the steady rate.
  timeWindow(base, { ...o, repeat: 1 }, o.shortMs);
  const short = timeWindow(base, o, o.shortMs);
  const long = timeWindow(base, o, o.longMs);
  const dt = long.transactions - short.transactions;
  const dw = long.wallMs - short.wallMs;
  // NaN when wall-time noise swamped the difference (the format says so).
  const steady = dw > 0 && dt > 0 ? (dt / dw) * 1000 : NaN;
  return {
    options: o,
    short,
    long,
    steadyPerWallSecond: steady,
    overallPerWallSecond: long.wallMs > 0 ? (long.transactions / long.wallMs) * 1000 : Infinity,
    fixedWallMs: Number.isNaN(steady)
      ? NaN
      : Math.max(0, short.wallMs - (short.transactions / steady) * 1000),
  };
}

/** Formats a {@link SimSpeedResult} as the few lines `lab sim speed` prints. */
export function formatSimSpeed(r: SimSpeedResult): string {
  const o = r.options;
  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  const w = (x: SimSpeedWindow) =>
    `${x.simulatedMs} ms simulated: ${n(x.transactions)} transactions in ${
      x.wallMs.toFixed(0)
    } ms wall`;
  return [
    `${o.experiment} on ${o.stack}, ${o.clients} clients, ${o.size} B` +
    (o.experiment === "echo" ? `, burst ${o.burst}` : "") +
    `, seed ${o.seed}, fastest of ${o.repeat} runs per window`,
    `  ${w(r.short)}`,
    `  ${w(r.long)}`,
    Number.isNaN(r.steadyPerWallSecond)
      ? "  steady: not measurable, the long window ran no slower than the short one " +
        "(widen --windows or raise --repeat)"
      : `  steady: ${n(r.steadyPerWallSecond)} simulated transactions per wall second`,
    `  overall (long window, set-up included): ${n(r.overallPerWallSecond)} per wall second`,
    ...(Number.isNaN(r.fixedWallMs)
      ? []
      : [`  fixed part per point (set-up and warm-up): about ${r.fixedWallMs.toFixed(0)} ms wall`]),
    "",
  ].join("\n");
}
