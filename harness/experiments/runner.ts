/**
 * Runs an experiment: for every point, a fresh testbed with the point's seed, the stack's server,
 * the client machines of engineer A's load generators (`workloads/`), a simulated run, and one
 * canonical run result (`results/`) written after every point.
 *
 * @module
 */
import { makeCalibration } from "../sim/calibration.ts";
import { createTestbed, type Testbed } from "../sim/testbed.ts";
import { CORE_CAT_NAMES } from "../sim/host_core.ts";
import { createNicModel, createServer, type Server } from "../stacks/server.ts";
import type { StackReport } from "../stacks/stack_model.ts";
import { DragonetStack } from "../stacks/dragonet.ts";
import { LoadClient } from "../../workloads/clients/load_client.ts";
import { consecutiveFlows } from "../../workloads/clients/flow.ts";
import { aggregateClients } from "../../workloads/clients/aggregate.ts";
import { createMemcachedClient } from "../../workloads/memcached/memcached_client.ts";
import { createMemcachedTcpClient } from "../../workloads/memcached/memcached_tcp_client.ts";
import type { TcpLoadClient } from "../../workloads/clients/tcp_load_client.ts";
import {
  DRAGONET_MEMCACHED_64,
  type MemcachedWorkload,
} from "../../workloads/memcached/presets.ts";
import { UdpEchoClient } from "../../workloads/echo/udp_rr.ts";
import {
  canonicalSha256,
  type JsonValue,
  makeContext,
  makeRun,
  type ResultFile,
  ResultWriter,
  type RunResult,
} from "../../results/mod.ts";
import { ECHO_PORT, MEMCACHED_PORT } from "../stacks/server_app.ts";
import {
  type ExperimentPoint,
  experimentPoints,
  type ExperimentSpec,
  validateExperiment,
} from "./spec.ts";

/**
 * Simulated time after the measurement window during which replies still count as in flight,
 * so the report's counters settle (ns). The lab's choice.
 */
export const DRAIN_NS = 1_000_000;

/** What one point produced: the canonical run and the server's full report. */
export interface PointOutcome {
  /** The canonical run result. */
  readonly run: RunResult;
  /** The stack model's counters. */
  readonly stack: StackReport;
}

function clientMac(m: number): Uint8Array {
  return new Uint8Array([2, 0, 0, 0, 2, m + 1]);
}

function clientIp(m: number): number {
  return ((10 << 24) | (2 << 8) | (m + 1)) >>> 0;
}

/** The memcached workload of a point: Dragonet's memaslap preset with the spec's values. */
function memcachedWorkload(spec: ExperimentSpec, p: ExperimentPoint): MemcachedWorkload {
  const w = spec.system.workload;
  if (w.kind !== "memcached-memaslap") throw new Error("Not a memcached experiment");
  return {
    ...DRAGONET_MEMCACHED_64,
    name: `memaslap-${w.keyBytes}-${p.size}`,
    keySize: `fixed:${w.keyBytes}`,
    valueSize: `fixed:${p.size}`,
    getRatio: w.getRatio,
    records: w.windowKeys,
    serverPort: MEMCACHED_PORT,
    firstSrcPort: spec.system.firstClientPort,
    loop: { mode: "closed", outstanding: w.concurrency },
    timeoutNs: w.timeoutNs,
    warmupNs: spec.run.warmupNs,
    durationNs: spec.run.durationNs,
  };
}

/** Builds the clients of a point: `clients` instances spread round robin over the machines. */
function makeClients(
  tb: Testbed,
  server: Server,
  spec: ExperimentSpec,
  p: ExperimentPoint,
): (LoadClient | TcpLoadClient)[] {
  const machines = Math.min(spec.system.clientMachines, p.clients);
  const measureStartNs = spec.run.warmupNs;
  const measureEndNs = spec.run.warmupNs + spec.run.durationNs;
  const out: (LoadClient | TcpLoadClient)[] = [];
  let firstIndex = 0;
  for (let m = 0; m < machines; m++) {
    const n = Math.floor(p.clients / machines) + (m < p.clients % machines ? 1 : 0);
    const firstSrcPort = spec.system.firstClientPort + firstIndex;
    const name = `client${m}`;
    const w = spec.system.workload;
    if (w.kind === "memcached-memaslap") {
      const create = w.transport === "tcp" ? createMemcachedTcpClient : createMemcachedClient;
      out.push(create(tb, {
        workload: memcachedWorkload(spec, p),
        name,
        mac: clientMac(m),
        ip: clientIp(m),
        serverIp: server.host.ip,
        serverMac: server.host.mac,
        connections: n,
        firstSrcPort,
        loadOffset: firstIndex,
        loadConnections: p.clients,
        measureStartNs,
        measureEndNs,
      }));
    } else {
      out.push(
        new LoadClient(tb, {
          name,
          mac: clientMac(m),
          ip: clientIp(m),
          flows: consecutiveFlows({
            count: n,
            firstSrcPort,
            dstIp: server.host.ip,
            dstPort: ECHO_PORT,
            dstMac: server.host.mac,
          }),
          protocol: () => new UdpEchoClient(p.size),
          // netperf -b: the burst plus the one transaction of the plain loop (workloads.md §6).
          loop: { mode: "closed", outstanding: p.burst + 1 },
          measureStartNs,
          measureEndNs,
        }),
      );
    }
    firstIndex += n;
  }
  return out;
}

/** A counter name as results accept it: letters, digits and "_" ("stack.socket-full" -> "stack_socket_full"). */
function metricName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/** Runs one point of `spec` (deterministic: same spec and point, same outcome). */
export function runPoint(spec: ExperimentSpec, p: ExperimentPoint): PointOutcome {
  const serverSpec = spec.system.servers[p.stack];
  if (serverSpec === undefined) {
    throw new Error(
      `Experiment "${spec.name}" has no stack "${p.stack}": stacks are ${
        Object.keys(spec.system.servers).join(", ")
      }`,
    );
  }
  const model = spec.model;
  const tb = createTestbed({
    seed: p.seed,
    calibration: makeCalibration(model.calibration),
    ...(model.switchLatencyNs === undefined ? {} : { switchLatencyNs: model.switchLatencyNs }),
  });
  const w = spec.system.workload;
  const server = createServer(tb, {
    ...serverSpec,
    app: w.kind === "memcached-memaslap" ? "memcached" : "echo",
    ...(w.kind === "memcached-memaslap" && w.transport === "tcp" ? { transport: "tcp" } : {}),
    ...(model.nicLatencyNs === undefined ? {} : { nicLatencyNs: model.nicLatencyNs }),
  });
  const clients = makeClients(tb, server, spec, p);
  for (const c of clients) c.start();
  const endNs = spec.run.warmupNs + spec.run.durationNs;
  tb.sim.run(endNs + DRAIN_NS);
  const reports = clients.map((c) => c.report());
  const agg = aggregateClients(clients, reports);
  for (const c of clients) c.destroy();
  const stack = server.stack.report();
  const sum = (f: (r: (typeof reports)[number]) => number) => reports.reduce((a, r) => a + f(r), 0);
  const drops: Record<string, number> = {};
  for (const [k, v] of Object.entries(stack.drops)) {
    if (!k.startsWith("packet.")) drops[metricName(k)] = v;
  }
  const c = tb.counters;
  for (
    const [k, v] of [
      ["testbed_uplink_full", c.dropUplinkFull],
      ["testbed_port_full", c.dropPortFull],
      ["testbed_no_route", c.dropNoRoute],
    ] as const
  ) if (v > 0) drops[k] = v;
  const elapsed = tb.sim.now;
  const completed = agg.overall.completed;
  // Every run records the server's total cores: stacks are compared on equal cores.
  const cores = server.host.cores.length;
  const run = makeRun({
    stack: p.stack,
    params: w.kind === "memcached-memaslap"
      ? { clients: p.clients, valueBytes: p.size, cores }
      : { clients: p.clients, payloadBytes: p.size, burst: p.burst, cores },
    repetition: p.repetition,
    seed: p.seed,
    clock: "simulated",
    tps: agg.overall.transactionsPerSecond,
    latencyHistogram: completed > 0 ? agg.histograms.overall ?? null : null,
    drops,
    timeouts: agg.overall.timeouts > 0 ? { client_timeout: agg.overall.timeouts } : {},
    queues: stack.queues.map((q) => ({
      rx_packets: q.rxPackets,
      ring_drops: q.ringDrops,
      interrupts: q.interrupts,
      tx_frames: q.txFrames,
    })),
    cores: stack.cores.map((core) => {
      const row: Record<string, { value: number; unit: "fraction" }> = {};
      for (const name of CORE_CAT_NAMES) {
        row[`busy_${metricName(name)}`] = {
          value: (core.busy[name] ?? 0) / elapsed,
          unit: "fraction",
        };
      }
      row["idle"] = { value: core.idleNs / elapsed, unit: "fraction" };
      return row;
    }),
    other: {
      sent: { value: agg.overall.sent, unit: "count" },
      completed: { value: completed, unit: "count" },
      errors: { value: agg.overall.errors, unit: "count" },
      misses: { value: agg.overall.misses, unit: "count" },
      valid_total_tps: { value: agg.validTotalTps, unit: "1/s" },
      min_connection_tps: { value: agg.minConnectionTps, unit: "1/s" },
      late: { value: sum((r) => r.late), unit: "count" },
      wakeups: { value: stack.wakeups, unit: "count" },
      spurious_wakeups: { value: stack.spuriousWakeups, unit: "count" },
      lock_wait_ns: {
        value: stack.sockets.reduce((a, s) => a + s.lockWaitNs, 0),
        unit: "ns",
      },
      ...(server.stack instanceof DragonetStack ? server.stack.controlMetrics() : {}),
    },
  });
  return { run, stack };
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Where the canonical JSON goes (rewritten after every point). */
  readonly jsonPath: string;
  /** Where the tidy CSV goes. */
  readonly csvPath?: string;
  /** Git commit of the code (or "unknown"). */
  readonly gitSha: string;
  /** Start time recorded in the context. */
  readonly startedAt: Date;
  /** Called after every point. */
  readonly onPoint?: (done: number, total: number, outcome: PointOutcome) => void | Promise<void>;
}

/** Hash of the capabilities of every NIC the experiment's servers use, in stack order. */
async function nicHash(spec: ExperimentSpec): Promise<string> {
  const app = spec.system.workload.kind === "memcached-memaslap" ? "memcached" : "echo";
  const caps = Object.values(spec.system.servers).map((s) =>
    createNicModel({ ...s, app }).capabilities
  );
  return await canonicalSha256(caps);
}

/**
 * Runs every point of `spec` and writes the result after each one; returns the final result.
 *
 * @throws {Error} listing every problem of an invalid spec.
 */
export async function runExperiment(
  spec: ExperimentSpec,
  options: RunExperimentOptions,
): Promise<ResultFile> {
  const problems = validateExperiment(spec);
  if (problems.length > 0) {
    throw new Error(`Experiment "${spec.name}" is invalid:\n${problems.join("\n")}`);
  }
  const points = experimentPoints(spec);
  const seeds = [...new Set(points.map((p) => p.seed))];
  const writer = await ResultWriter.create(
    makeContext({
      gitSha: options.gitSha,
      startedAt: options.startedAt,
      seeds,
      nicCapabilityHash: await nicHash(spec),
      experiment: spec as unknown as JsonValue,
    }),
    {
      jsonPath: options.jsonPath,
      ...(options.csvPath === undefined ? {} : { csvPath: options.csvPath }),
    },
  );
  let done = 0;
  for (const p of points) {
    const outcome = runPoint(spec, p);
    await writer.add(outcome.run);
    await options.onPoint?.(++done, points.length, outcome);
  }
  await writer.finish();
  return writer.result;
}
