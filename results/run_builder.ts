/**
 * Builds result records from what a simulator or experiment measured: derives the latency
 * statistics from the encoded histogram (so stored statistics always agree with it), fills
 * defaults and checks the outcome with the validator.
 *
 * @module
 */
import { latencyMetricsFromEncoded } from "./histogram.ts";
import {
  type ClockKind,
  type CounterSet,
  type JsonValue,
  type Measure,
  type ResultContext,
  type ResultFile,
  type RunParams,
  type RunResult,
  SCHEMA_VERSION,
} from "./schema.ts";
import { formatProblems, validateResult, validateRun } from "./validate.ts";

/** What a caller measured in one run. */
export interface RunInput {
  /** Stack name. */
  readonly stack: string;
  /** Sweep point (clients, payload, burst, ...). */
  readonly params: RunParams;
  /** Repetition number, from 0. */
  readonly repetition: number;
  /** The run's seed. */
  readonly seed: number;
  /** "simulated" (deterministic) or "wall" (measured). */
  readonly clock: ClockKind;
  /** Achieved transactions per second. */
  readonly tps: number;
  /**
   * Latency histogram as HdrHistogram compressed base64 (e.g. `LatencyRecorder.encode()` of
   * `workloads/metrics`), or null when nothing completed; statistics are derived from it.
   */
  readonly latencyHistogram: string | null;
  /** Drops by reason (counts); absent = none. */
  readonly drops?: Readonly<Record<string, number>>;
  /** Timeouts by reason (counts); absent = none. */
  readonly timeouts?: Readonly<Record<string, number>>;
  /** Per-queue counters; plain numbers are counts. */
  readonly queues?: readonly Readonly<Record<string, number | Measure>>[];
  /** Per-core counters; plain numbers are counts. */
  readonly cores?: readonly Readonly<Record<string, number | Measure>>[];
  /** Further scalar metrics by name. */
  readonly other?: Readonly<Record<string, Measure>>;
}

/** Thrown when a run or context is not valid; the message lists every problem. */
export class ResultInputError extends RangeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ResultInputError";
  }
}

function counterSet(set: Readonly<Record<string, number | Measure>>): CounterSet {
  const out: Record<string, Measure> = {};
  for (const [k, v] of Object.entries(set)) {
    out[k] = typeof v === "number" ? { value: v, unit: "count" } : v;
  }
  return out;
}

/**
 * Builds a {@link RunResult}, deriving the latency statistics from the histogram.
 *
 * @throws {ResultInputError} listing every problem (bad names, negative counts, undecodable
 *   histogram, ...).
 */
export function makeRun(input: RunInput): RunResult {
  let latency = null;
  if (input.latencyHistogram !== null) {
    try {
      latency = latencyMetricsFromEncoded(input.latencyHistogram);
    } catch (err) {
      throw new ResultInputError(
        `Run of stack "${input.stack}" has a bad latencyHistogram: ${
          err instanceof Error ? err.message : String(err)
        }`,
      );
    }
  }
  const run: RunResult = {
    stack: input.stack,
    params: { ...input.params },
    repetition: input.repetition,
    seed: input.seed,
    clock: input.clock,
    metrics: {
      tps: { value: input.tps, unit: "1/s" },
      latency,
      drops: { ...input.drops },
      timeouts: { ...input.timeouts },
      queues: (input.queues ?? []).map(counterSet),
      cores: (input.cores ?? []).map(counterSet),
      other: { ...input.other },
    },
  };
  const problems = validateRun(run);
  if (problems.length > 0) {
    throw new ResultInputError(
      `Run of stack "${input.stack}" is invalid:\n${formatProblems(problems)}`,
    );
  }
  return run;
}

/** What a caller knows about the experiment when it starts. */
export interface ContextInput {
  /** Git commit (read by the caller, e.g. `git rev-parse HEAD`), or "unknown". */
  readonly gitSha: string;
  /** Start time (the caller's clock), as a Date or ISO 8601 UTC text. */
  readonly startedAt: Date | string;
  /** Every seed the experiment uses, root seed first. */
  readonly seeds: readonly number[];
  /** Hash of the NIC capabilities (`canonicalSha256(capabilities)`), or "none". */
  readonly nicCapabilityHash: string;
  /** The experiment description, as JSON data. */
  readonly experiment: JsonValue;
  /** Deno version; default `Deno.version.deno`. */
  readonly denoVersion?: string;
}

/** Builds a {@link ResultContext} (Deno version filled in from the running process). */
export function makeContext(input: ContextInput): ResultContext {
  return {
    gitSha: input.gitSha,
    denoVersion: input.denoVersion ?? Deno.version.deno,
    startedAt: typeof input.startedAt === "string"
      ? input.startedAt
      : Number.isNaN(input.startedAt.getTime())
      ? "invalid date"
      : input.startedAt.toISOString(),
    seeds: [...input.seeds],
    nicCapabilityHash: input.nicCapabilityHash,
    experiment: input.experiment,
  };
}

/**
 * Builds and validates a whole result document.
 *
 * @throws {ResultInputError} listing every problem.
 */
export function makeResult(
  context: ResultContext,
  runs: readonly RunResult[],
  complete: boolean,
): ResultFile {
  const result: ResultFile = { schemaVersion: SCHEMA_VERSION, context, complete, runs };
  const problems = validateResult(result);
  if (problems.length > 0) {
    throw new ResultInputError(`Result is invalid:\n${formatProblems(problems)}`);
  }
  return result;
}
