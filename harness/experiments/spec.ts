/**
 * Experiment descriptions as data, in three layers (STYLE.md rule 10): the system (server per
 * stack, client machines, workload), the model choices (calibration, NIC and switch latency) and
 * the run (duration, warm-up, repetitions, seed, sweep axes). JSON-serialisable and stored with
 * the results so any run replays exactly.
 *
 * @module
 */
import type { ServerSpec } from "../stacks/server.ts";
import { OP_NAMES } from "../sim/calibration.ts";

/** memcached over UDP, memaslap style (workloads.md §5): closed loop, one flow per client. */
export interface MemaslapWorkload {
  /** Workload kind. */
  readonly kind: "memcached-memaslap";
  /** Key length in bytes (fixed). */
  readonly keyBytes: number;
  /** Value length in bytes (fixed); a sweep axis `valueBytes` overrides it. */
  readonly valueBytes: number;
  /** Fraction of gets (the rest are sets). */
  readonly getRatio: number;
  /** Keys in each client's task window. */
  readonly windowKeys: number;
  /** Requests in flight per client (memaslap concurrency). */
  readonly concurrency: number;
  /** A request unanswered this long is lost (ns; UDP only: TCP does not lose requests). */
  readonly timeoutNs: number;
  /**
   * Transport (default "udp"): "tcp" runs each client instance as one real TCP connection
   * (handshake first, then the same requests and reply checks over the byte stream).
   */
  readonly transport?: "udp" | "tcp";
}

/** UDP echo, netperf UDP_RR style (workloads.md §6): closed loop with a burst. */
export interface EchoWorkload {
  /** Workload kind. */
  readonly kind: "udp-echo";
  /** Request = response payload bytes; a sweep axis `payloadBytes` overrides it. */
  readonly payloadBytes: number;
  /** netperf `-b`: transactions in flight per client are burst + 1; a sweep axis overrides it. */
  readonly burst: number;
}

/** A workload. */
export type WorkloadSpec = MemaslapWorkload | EchoWorkload;

/** The system layer. */
export interface SystemSpec {
  /** Server per stack label (application set by the workload). */
  readonly servers: Readonly<Record<string, Omit<ServerSpec, "app">>>;
  /** Client machines; client instances are spread over them round robin. */
  readonly clientMachines: number;
  /** First client source port (each client instance is one flow: port + index). */
  readonly firstClientPort: number;
  /** The workload. */
  readonly workload: WorkloadSpec;
}

/** The model-choices layer. */
export interface ModelSpec {
  /** Calibration name, clock and overrides (see `makeCalibration`). */
  readonly calibration: {
    readonly name?: string;
    readonly cpuGhz?: number;
    readonly overrides?: Readonly<Record<string, number>>;
  };
  /** NIC latency per direction (ns); absent = the default. */
  readonly nicLatencyNs?: number;
  /** Switch forwarding latency (ns); absent = the default. */
  readonly switchLatencyNs?: number;
}

/** Sweep axes; every combination is a point. */
export interface SweepSpec {
  /** Client instances. */
  readonly clients: readonly number[];
  /** memcached value sizes (memaslap workloads only). */
  readonly valueBytes?: readonly number[];
  /** Echo payload sizes (echo workloads only). */
  readonly payloadBytes?: readonly number[];
  /** Echo bursts (echo workloads only). */
  readonly burst?: readonly number[];
}

/** The run layer. */
export interface RunSpec {
  /** Simulated warm-up before measuring (ns). */
  readonly warmupNs: number;
  /** Simulated measurement window (ns). */
  readonly durationNs: number;
  /** Repetitions per point (each with its own seed). */
  readonly repetitions: number;
  /** Root seed; repetition r uses seed + r. */
  readonly seed: number;
  /** Sweep axes. */
  readonly sweep: SweepSpec;
}

/** A whole experiment. */
export interface ExperimentSpec {
  /** Short name (file names, reports). */
  readonly name: string;
  /** One line: what it measures. */
  readonly description: string;
  /** System layer. */
  readonly system: SystemSpec;
  /** Model-choices layer. */
  readonly model: ModelSpec;
  /** Run layer. */
  readonly run: RunSpec;
}

/** One point of an experiment: a stack at one sweep combination, one repetition. */
export interface ExperimentPoint {
  /** Stack label (key of `system.servers`). */
  readonly stack: string;
  /** Client instances. */
  readonly clients: number;
  /** memcached value bytes or echo payload bytes. */
  readonly size: number;
  /** Echo burst (0 for memcached). */
  readonly burst: number;
  /** Repetition. */
  readonly repetition: number;
  /** Seed. */
  readonly seed: number;
}

function intIn(problems: string[], path: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    problems.push(`${path} must be an integer ${lo}..${hi}, got ${JSON.stringify(v)}`);
  }
}

function intList(problems: string[], path: string, v: unknown, lo: number, hi: number): void {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${path} must be a non-empty list of integers ${lo}..${hi}`);
    return;
  }
  v.forEach((x, i) => intIn(problems, `${path}[${i}]`, x, lo, hi));
}

/** Every problem with `spec` (empty when it can run). */
export function validateExperiment(spec: ExperimentSpec): string[] {
  const p: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name ?? "")) {
    p.push(`name must be lower-case letters, digits and dashes, got ${JSON.stringify(spec.name)}`);
  }
  const sys = spec.system;
  const labels = Object.keys(sys?.servers ?? {});
  if (labels.length === 0) p.push("system.servers must name at least one stack");
  intIn(p, "system.clientMachines", sys?.clientMachines, 1, 64);
  intIn(p, "system.firstClientPort", sys?.firstClientPort, 1, 65000);
  const w = sys?.workload;
  if (w?.kind === "memcached-memaslap") {
    intIn(p, "system.workload.keyBytes", w.keyBytes, 1, 250);
    intIn(p, "system.workload.valueBytes", w.valueBytes, 1, 1392 - 100);
    if (!(w.getRatio >= 0 && w.getRatio <= 1)) {
      p.push(`system.workload.getRatio must be in 0..1, got ${w.getRatio}`);
    }
    intIn(p, "system.workload.windowKeys", w.windowKeys, 1, 100_000);
    intIn(p, "system.workload.concurrency", w.concurrency, 1, 64);
    intIn(p, "system.workload.timeoutNs", w.timeoutNs, 1, 1e12);
    if (w.transport !== undefined && w.transport !== "udp" && w.transport !== "tcp") {
      p.push(
        `system.workload.transport must be "udp" or "tcp", got ${JSON.stringify(w.transport)}`,
      );
    }
  } else if (w?.kind === "udp-echo") {
    intIn(p, "system.workload.payloadBytes", w.payloadBytes, 1, 1472);
    intIn(p, "system.workload.burst", w.burst, 0, 1024);
  } else {
    p.push(
      `system.workload.kind must be "memcached-memaslap" or "udp-echo", got ${
        JSON.stringify((w as { kind?: unknown } | undefined)?.kind)
      }`,
    );
  }
  for (const name of Object.keys(spec.model?.calibration?.overrides ?? {})) {
    if (!(OP_NAMES as readonly string[]).includes(name)) {
      p.push(
        `model.calibration.overrides.${name} is not an operation: allowed ${OP_NAMES.join(", ")}`,
      );
    }
  }
  const run = spec.run;
  intIn(p, "run.warmupNs", run?.warmupNs, 0, 1e12);
  intIn(p, "run.durationNs", run?.durationNs, 1, 1e12);
  intIn(p, "run.repetitions", run?.repetitions, 1, 100);
  intIn(p, "run.seed", run?.seed, 0, 0xffff_ffff - 100);
  intList(p, "run.sweep.clients", run?.sweep?.clients, 1, 4096);
  if (run?.sweep?.valueBytes !== undefined) {
    intList(p, "run.sweep.valueBytes", run.sweep.valueBytes, 1, 1292);
  }
  if (run?.sweep?.payloadBytes !== undefined) {
    intList(p, "run.sweep.payloadBytes", run.sweep.payloadBytes, 1, 1472);
  }
  if (run?.sweep?.burst !== undefined) intList(p, "run.sweep.burst", run.sweep.burst, 0, 1024);
  return p;
}

/** Every point of `spec`, stacks outermost, repetitions innermost. */
export function experimentPoints(spec: ExperimentSpec): ExperimentPoint[] {
  const w = spec.system.workload;
  const sw = spec.run.sweep;
  const sizes = w.kind === "memcached-memaslap"
    ? sw.valueBytes ?? [w.valueBytes]
    : sw.payloadBytes ?? [w.payloadBytes];
  const bursts = w.kind === "udp-echo" ? sw.burst ?? [w.burst] : [0];
  const out: ExperimentPoint[] = [];
  for (const stack of Object.keys(spec.system.servers)) {
    for (const size of sizes) {
      for (const burst of bursts) {
        for (const clients of sw.clients) {
          for (let r = 0; r < spec.run.repetitions; r++) {
            out.push({ stack, clients, size, burst, repetition: r, seed: spec.run.seed + r });
          }
        }
      }
    }
  }
  return out;
}
