/**
 * The interface every timed stack model implements, and what it reports.
 *
 * A stack model is installed on a {@link Host} with a {@link ServerApp}: it decides which
 * operations run on which core when frames arrive (interrupts or polling, softirq or user-level
 * stack, shared or per-thread sockets), charges each operation's calibrated cost
 * (`harness/sim/calibration.ts`, the same for every model) and moves the real frame bytes
 * through the real parser, application and frame builders.
 *
 * @module
 */
import type { Host } from "../sim/host.ts";
import type { ServerApp } from "./server_app.ts";

/** Counters a stack model reports (plain data, JSON-ready). */
export interface StackReport {
  /** Model name, e.g. "linux-like". */
  readonly stack: string;
  /** Variant, e.g. "busy-poll". */
  readonly variant: string;
  /** Requests that reached a socket. */
  readonly delivered: number;
  /** Requests the application answered (with or without a reply). */
  readonly served: number;
  /** Reply frames handed to the NIC. */
  readonly repliesSent: number;
  /** Drops by reason name (stack, NIC and parse reasons), only non-zero entries. */
  readonly drops: Readonly<Record<string, number>>;
  /** Per socket: queue drops, high water, lock acquisitions, waits and total wait (ns). */
  readonly sockets: readonly {
    readonly name: string;
    readonly drops: number;
    readonly highWater: number;
    readonly lockAcquisitions: number;
    readonly lockWaited: number;
    readonly lockWaitNs: number;
    readonly lockLineTransfers: number;
  }[];
  /** Per NIC queue: packets put in its RX ring, ring-full drops, interrupts, frames sent. */
  readonly queues: readonly {
    readonly rxPackets: number;
    readonly ringDrops: number;
    readonly interrupts: number;
    readonly txFrames: number;
  }[];
  /** Per core: busy ns per category name and idle ns. */
  readonly cores: readonly {
    readonly busy: Readonly<Record<string, number>>;
    readonly idleNs: number;
  }[];
  /** Thread wake-ups, spurious wake-ups (woken, found nothing) and migrations. */
  readonly wakeups: number;
  /** Wake-ups that found the socket empty. */
  readonly spuriousWakeups: number;
}

/** A stack model running on a host. */
export interface StackModel {
  /** Model name. */
  readonly name: string;
  /** Variant name. */
  readonly variant: string;
  /** The host it runs on. */
  readonly host: Host;
  /** The application it serves. */
  readonly app: ServerApp;
  /**
   * Requests inside the host right now: in RX rings, socket queues, or being processed by a
   * core. Conservation: frames received = served + dropped + inFlight().
   */
  inFlight(): number;
  /** Reply frames built and not yet handed to the NIC. */
  readonly repliesPending: number;
  /** Frames the host received from the wire. */
  received(): number;
  /** Frames dropped in the host, all reasons. */
  dropped(): number;
  /** The counters. */
  report(): StackReport;
}
