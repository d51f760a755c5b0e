/**
 * The two experiments as data: memcached over UDP with Dragonet's memaslap profile
 * (clients 8..40 step 8), and UDP echo (64 / 1024 B, burst 1 and 32).
 *
 * Simulated durations are the lab's choice (a real run measured 50 s after 2 s; simulating
 * milliseconds keeps a sweep to seconds of wall time) and are parameters of the run layer.
 *
 * @module
 */
import type { ExperimentSpec, MemaslapWorkload } from "./spec.ts";

/**
 * Server shape of Dragonet's runs: 10 hardware queues and 10 server threads (workloads.md §5,
 * host-stacks.md §2.7), one core per queue.
 */
const CORES = 10;

/** The Linux-like variants and the Onload-like stack, each on the NIC Dragonet's baselines used. */
const SERVERS = {
  "linux-default": { cores: CORES, queues: CORES, nic: "intel-82599", stack: "linux-like" },
  "linux-rss-pinned": {
    cores: CORES,
    queues: CORES,
    nic: "intel-82599",
    stack: "linux-like",
    variant: "rss-pinned",
  },
  "linux-busy-poll": {
    cores: CORES,
    queues: CORES,
    nic: "intel-82599",
    stack: "linux-like",
    variant: "busy-poll",
  },
  "onload": { cores: CORES, queues: CORES, nic: "sfc9020", stack: "onload-like" },
} as const;

/** memcached UDP, memaslap profile (workloads.md §5, §11 preset `dragonet-memcached-64/-1024`). */
export const MEMCACHED_MEMASLAP: ExperimentSpec = {
  name: "memcached-memaslap",
  description:
    "memcached over UDP, memaslap profile: 64 B keys, 64/1024 B values, 90% get, one closed-loop flow per client",
  system: {
    servers: SERVERS,
    clientMachines: 8,
    firstClientPort: 8000,
    workload: {
      kind: "memcached-memaslap",
      keyBytes: 64,
      valueBytes: 64,
      getRatio: 0.9,
      windowKeys: 1000,
      concurrency: 1,
      timeoutNs: 10_000_000_000,
    },
  },
  model: { calibration: {} },
  run: {
    warmupNs: 2_000_000,
    durationNs: 20_000_000,
    repetitions: 1,
    seed: 1,
    sweep: { clients: [8, 16, 24, 32, 40], valueBytes: [64, 1024] },
  },
};

/** UDP echo, netperf UDP_RR style (workloads.md §6, §11 presets `dragonet-echo-64/-1024`). */
export const UDP_ECHO: ExperimentSpec = {
  name: "udp-echo",
  description: "UDP echo, request = response 64/1024 B, netperf burst 1 and 32, 16 clients",
  system: {
    servers: {
      "linux-default": SERVERS["linux-default"],
      "linux-busy-poll": SERVERS["linux-busy-poll"],
      "onload": SERVERS.onload,
    },
    clientMachines: 8,
    firstClientPort: 5000,
    workload: { kind: "udp-echo", payloadBytes: 64, burst: 1 },
  },
  model: { calibration: {} },
  run: {
    warmupNs: 2_000_000,
    durationNs: 20_000_000,
    repetitions: 1,
    seed: 1,
    sweep: { clients: [16], payloadBytes: [64, 1024], burst: [1, 32] },
  },
};

/**
 * memcached over TCP with the same memaslap profile (issue 8): one real TCP connection per client
 * instance from its own source port, the handshake before the measurement, on the stacks that
 * model TCP (the Linux-like default kernel path and the Onload-like stack).
 */
export const MEMCACHED_TCP: ExperimentSpec = {
  name: "memcached-tcp",
  description:
    "memcached over TCP, memaslap profile: 64 B keys, 64/1024 B values, 90% get, one closed-loop connection per client",
  system: {
    ...MEMCACHED_MEMASLAP.system,
    servers: { "linux-default": SERVERS["linux-default"], "onload": SERVERS.onload },
    workload: {
      ...(MEMCACHED_MEMASLAP.system.workload as MemaslapWorkload),
      transport: "tcp",
    },
  },
  model: { calibration: {} },
  run: MEMCACHED_MEMASLAP.run,
};

/** Presets by name. */
export const EXPERIMENTS: Readonly<Record<string, ExperimentSpec>> = {
  [MEMCACHED_MEMASLAP.name]: MEMCACHED_MEMASLAP,
  [MEMCACHED_TCP.name]: MEMCACHED_TCP,
  [UDP_ECHO.name]: UDP_ECHO,
};
