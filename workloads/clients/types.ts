/**
 * What a load generator needs from the simulated testbed, as structural types (workloads depend
 * only on packet types, STYLE rule 16): the harness's `Testbed` and `Simulator` satisfy them.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";

/** An event handler of the simulator: two numeric arguments, no allocation per event. */
export type ClientEventHandler = (a: number, b: number) => void;

/** The part of the harness's simulator a client uses (virtual clock in integer ns). */
export interface ClientSim {
  /** Current simulated time in ns. */
  readonly now: number;
  /** Registers an event kind under a unique name; returns its code. */
  on(name: string, handler: ClientEventHandler): number;
  /** Schedules `kind` at absolute integer time `timeNs`; returns a handle. */
  at(timeNs: number, kind: number, a?: number, b?: number): number;
}

/** A machine on the testbed: receives whole frames from its switch port. */
export interface ClientNetHost {
  /** Unique name for reports and random streams. */
  readonly name: string;
  /** The host's MAC address (6 bytes, unicast). */
  readonly mac: Uint8Array;
  /** The host's IPv4 address as an unsigned 32-bit integer. */
  readonly ip: number;
  /** A frame arrived at sim.now(); the host now owns buffer `buf`. */
  receive(buf: number, len: number): void;
}

/** Transmits a frame: true when queued, false when dropped (the testbed frees the buffer). */
export type ClientTransmit = (buf: number, len: number) => boolean;

/** The part of the harness's testbed a client uses. */
export interface ClientTestbed {
  /** The simulator. */
  readonly sim: ClientSim;
  /** The one pool holding every frame's bytes. */
  readonly pool: BufferPool;
  /** Seeded named random streams. */
  readonly streams: { stream(name: string, index?: number): RandomGenerator };
  /** Connects a host to the switch; returns its transmit function. */
  attach(host: ClientNetHost): ClientTransmit;
}

/**
 * Client classes: high priority ("gold" flows in Dragonet's priority cost function,
 * dragonet-model.md §9) and best effort.
 */
export const ClientClass = { HighPriority: 0, BestEffort: 1 } as const;
/** One of {@link ClientClass}. */
export type ClientClassCode = typeof ClientClass[keyof typeof ClientClass];
/** Class names in code order, for reports. */
export const CLIENT_CLASS_NAMES: readonly ["high-priority", "best-effort"] = [
  "high-priority",
  "best-effort",
];
