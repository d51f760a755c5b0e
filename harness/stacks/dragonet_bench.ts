/**
 * Simulation speed of the Dragonet model: one bench point of memcached UDP (40 clients, 10
 * queues, 64 B values) and of UDP echo (40 clients, 64 B, burst 1 and 32), each simulating a
 * fixed window. Simulated transactions per wall second = the completed count printed once at
 * start-up divided by the time per iteration Deno reports. Reported, never asserted.
 *
 * Run: `deno bench --allow-read --allow-env --allow-sys harness/stacks/dragonet_bench.ts`
 *
 * @module
 */
import { runPoint } from "../experiments/runner.ts";
import { BENCH_ECHO, BENCH_MEMCACHED } from "../experiments/bench_presets.ts";
import type { ExperimentPoint, ExperimentSpec } from "../experiments/spec.ts";

/** Simulated measurement window of each bench iteration (ns), after a 4 ms warm-up. */
const WINDOW_NS = 4_000_000;

function short(spec: ExperimentSpec): ExperimentSpec {
  return { ...spec, run: { ...spec.run, warmupNs: 4_000_000, durationNs: WINDOW_NS } };
}

const CASES: readonly [string, ExperimentSpec, ExperimentPoint][] = [
  ["memcached UDP, 40 clients, 10 queues, 64 B values", short(BENCH_MEMCACHED), {
    stack: "dragonet-82599",
    clients: 40,
    size: 64,
    burst: 0,
    repetition: 0,
    seed: 1,
  }],
  ["UDP echo, 40 clients, 64 B, burst 1", short(BENCH_ECHO), {
    stack: "dragonet-82599",
    clients: 40,
    size: 64,
    burst: 1,
    repetition: 0,
    seed: 1,
  }],
  ["UDP echo, 40 clients, 64 B, burst 32", short(BENCH_ECHO), {
    stack: "dragonet-82599",
    clients: 40,
    size: 64,
    burst: 32,
    repetition: 0,
    seed: 1,
  }],
];

for (const [name, spec, point] of CASES) {
  // Transactions one iteration simulates (whole run, warm-up load and requests included).
  const o = runPoint(spec, point);
  const sent = o.run.metrics.other["sent"]?.value ?? 0;
  const served = o.stack.served;
  console.log(`${name}: ${served} transactions served per iteration (${sent} measured)`);
  Deno.bench(`dragonet ${name}`, { group: "dragonet-speed" }, () => {
    runPoint(spec, point);
  });
}
