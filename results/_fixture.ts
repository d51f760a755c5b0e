/**
 * Synthetic results for tests, examples and the committed demo file: made-up numbers from a
 * seeded generator with a toy saturation curve, clearly labelled `"synthetic": true` in the
 * experiment description. They say nothing about any real stack.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { encodeLatencies } from "./histogram.ts";
import { makeContext, makeRun } from "./run_builder.ts";
import type { ClockKind, ResultContext, ResultFile, RunResult } from "./schema.ts";
import { SCHEMA_VERSION } from "./schema.ts";

/** Options of {@link syntheticResult}. */
export interface SyntheticOptions {
  /** Root seed (default 42). */
  readonly seed?: number;
  /** Stack names (default stack-a, stack-b). */
  readonly stacks?: readonly string[];
  /** Client counts swept (default 8, 16, 24, 32). */
  readonly clients?: readonly number[];
  /** Repetitions per point (default 2). */
  readonly repetitions?: number;
  /** Latency samples per run (default 400). */
  readonly samples?: number;
  /** Clock kind of every run (default simulated). */
  readonly clock?: ClockKind;
  /** Multiplies every latency sample (default 1), to make a "slower" variant. */
  readonly latencyScale?: number;
}

/** The fixed context of synthetic results (start time fixed so files are reproducible). */
export function syntheticContext(
  seeds: readonly number[],
  options: SyntheticOptions = {},
): ResultContext {
  return makeContext({
    gitSha: "0123456789abcdef0123456789abcdef01234567",
    denoVersion: "2.9.6",
    startedAt: "2026-11-22T02:40:00.000Z",
    seeds,
    nicCapabilityHash: "none",
    experiment: {
      synthetic: true,
      description: "Made-up numbers from results/_fixture.ts for tests and examples",
      stacks: [...(options.stacks ?? ["stack-a", "stack-b"])],
      clients: [...(options.clients ?? [8, 16, 24, 32])],
      repetitions: options.repetitions ?? 2,
      latencyScale: options.latencyScale ?? 1,
    },
  });
}

/** Builds a synthetic, valid result (deterministic for equal options). */
export function syntheticResult(options: SyntheticOptions = {}): ResultFile {
  const root = options.seed ?? 42;
  const stacks = options.stacks ?? ["stack-a", "stack-b"];
  const clients = options.clients ?? [8, 16, 24, 32];
  const reps = options.repetitions ?? 2;
  const samples = options.samples ?? 400;
  const scale = options.latencyScale ?? 1;
  const seeds: number[] = [root];
  const runs: RunResult[] = [];
  stacks.forEach((stack, s) => {
    for (const c of clients) {
      for (let r = 0; r < reps; r++) {
        const seed = root + 1 + runs.length;
        seeds.push(seed);
        const rng = xoroshiro128plus(seed);
        const latencies: number[] = [];
        const base = (20_000 + 5_000 * s) * scale;
        const queueing = base * (c / (48 - 4 * s));
        for (let i = 0; i < samples; i++) {
          const u = uniformFloat64(rng);
          latencies.push(Math.round(base + queueing * -Math.log(1 - u)));
        }
        const encoded = encodeLatencies(latencies);
        const meanNs = latencies.reduce((a, b) => a + b, 0) / latencies.length;
        const jitter = uniformInt(rng, 0, 1000);
        runs.push(makeRun({
          stack,
          params: { clients: c, payload: 64 },
          repetition: r,
          seed,
          clock: options.clock ?? "simulated",
          tps: Math.round((c * 1e9) / meanNs) + jitter,
          latencyHistogram: encoded,
          drops: { rx_ring_full: c > 24 ? 3 * s + r : 0 },
          timeouts: { request_lost: c > 24 ? s : 0 },
          queues: [{ rx_packets: 1000 * c, rx_drops: 0 }, { rx_packets: 900 * c, rx_drops: s }],
          cores: [{ busy: { value: Math.min(1, c / 40), unit: "fraction" } }],
          other: { offered_tps: { value: c * 10_000, unit: "1/s" } },
        }));
      }
    }
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    context: syntheticContext(seeds, options),
    complete: true,
    runs,
  };
}

/** The committed example files: name -> options (regenerate with `deno run -A results/_fixture.ts`). */
export const TESTDATA_FILES: Readonly<Record<string, SyntheticOptions>> = {
  "synthetic_result.json": {},
  "synthetic_slower.json": { latencyScale: 1.25 },
};

if (import.meta.main) {
  const { resultJsonText } = await import("./writer.ts");
  const dir = new URL("./testdata/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, options] of Object.entries(TESTDATA_FILES)) {
    await Deno.writeTextFile(new URL(name, dir), resultJsonText(syntheticResult(options)));
    console.log(`Wrote results/testdata/${name}`);
  }
}
