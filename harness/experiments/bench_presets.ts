/**
 * The two experiments `deno task bench` runs on the embedded defaults, as data: memcached over
 * UDP with Dragonet's memaslap profile and UDP echo, each on Dragonet (82599 and SFC9020), the
 * three Linux-like variants and the Onload-like stack.
 *
 * Shape (workloads.md §5, §6; host-stacks.md §2.7): 10 hardware queues and 10 server cores for
 * every stack (the lab's rule: stacks differ in which operations they run and on which core, never
 * in the resources one side gets), 8 client machines, one flow per client instance, closed loop.
 * Dragonet's main rows use the `colocated` placement (each core polls its queue and runs the app
 * thread for it, `harness/stacks/dragonet_placement.ts`). One extra row, `dragonet-82599-20c`,
 * is Dragonet's own testbed (workloads.md §5: a 20-core server, 10 queues, 10 app threads):
 * `dedicated` placement with 20 cores, labelled with its core count; every run records `cores`
 * among its parameters.
 *
 * Simulated time per point is the lab's choice so that the whole bench takes a few minutes of
 * wall time on a 2-core machine (a real run measured 50 s after 2 s of warm-up); it is a
 * parameter of the run layer and is stored with the results.
 *
 * @module
 */
import { MEMCACHED_MEMASLAP, UDP_ECHO } from "./presets.ts";
import type { ExperimentSpec, SystemSpec } from "./spec.ts";

/**
 * Server cores and hardware queues of every stack's main row (issue 8's first experiment and
 * host-stacks.md §2.7: 10 queues, 10 server cores).
 */
export const BENCH_CORES = 10;

/**
 * Cores of Dragonet's own testbed: one polling core per queue plus one per app thread
 * (workloads.md §5: "Server: 20 cores"; dragonet-model.md §12.4).
 */
export const DRAGONET_TESTBED_CORES = 20;

/**
 * Labels of rows that deliberately differ from {@link BENCH_CORES}, with their core count (the
 * label ends in `-<cores>c`).
 */
export const BENCH_EXTRA_CORE_ROWS: Readonly<Record<string, number>> = {
  "dragonet-82599-20c": DRAGONET_TESTBED_CORES,
};

/** Every stack of the bench by label. */
export const BENCH_SERVERS: SystemSpec["servers"] = {
  "dragonet-82599": {
    cores: BENCH_CORES,
    queues: BENCH_CORES,
    placement: "colocated",
    nic: "intel-82599",
    stack: "dragonet",
  },
  "dragonet-sfc9020": {
    cores: BENCH_CORES,
    queues: BENCH_CORES,
    placement: "colocated",
    nic: "sfc9020",
    stack: "dragonet",
  },
  "dragonet-82599-20c": {
    cores: DRAGONET_TESTBED_CORES,
    queues: BENCH_CORES,
    placement: "dedicated",
    nic: "intel-82599",
    stack: "dragonet",
  },
  ...MEMCACHED_MEMASLAP.system.servers,
};

/**
 * Simulated warm-up per point (ns): lab choice, see the module doc. It must cover memcached's
 * warm-up load (sets of the 1000-key window, workloads.md §5), which the slowest stack
 * (Linux-like, 8 clients) finishes in about 2 ms; measured requests start after it.
 */
export const BENCH_WARMUP_NS = 4_000_000;

/** Simulated measurement window per point (ns): lab choice, see the module doc. */
export const BENCH_DURATION_NS = 6_000_000;

/** memcached UDP, memaslap profile, clients 8..40 step 8, values 64 and 1024 B, every stack. */
export const BENCH_MEMCACHED: ExperimentSpec = {
  ...MEMCACHED_MEMASLAP,
  name: "bench-memcached",
  description: "memcached over UDP, memaslap profile (64 B keys, 64/1024 B values, 90% get), " +
    "clients 8..40, one closed-loop flow each, every stack",
  system: { ...MEMCACHED_MEMASLAP.system, servers: BENCH_SERVERS },
  run: {
    ...MEMCACHED_MEMASLAP.run,
    warmupNs: BENCH_WARMUP_NS,
    durationNs: BENCH_DURATION_NS,
    sweep: { clients: [8, 16, 24, 32, 40], valueBytes: [64, 1024] },
  },
};

/** UDP echo, 64 and 1024 B, 40 clients, burst 1 and 32, every stack. */
export const BENCH_ECHO: ExperimentSpec = {
  ...UDP_ECHO,
  name: "bench-echo",
  description: "UDP echo (netperf UDP_RR style), 64/1024 B, 40 clients, burst 1 and 32, " +
    "every stack",
  system: { ...UDP_ECHO.system, servers: BENCH_SERVERS },
  run: {
    ...UDP_ECHO.run,
    warmupNs: BENCH_WARMUP_NS,
    durationNs: BENCH_DURATION_NS,
    sweep: { clients: [40], payloadBytes: [64, 1024], burst: [1, 32] },
  },
};

/** The bench's experiments, in the order they run. */
export const BENCH_EXPERIMENTS: readonly ExperimentSpec[] = [BENCH_MEMCACHED, BENCH_ECHO];
