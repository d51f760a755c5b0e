/**
 * Types shared by the graph interpreter and the graph compiler: the node work-function ABI, the
 * implementation record attached to a spec, spawn names and task priorities.
 *
 * Source: `/work/shared/reference/dragonet-model.md` §12.3 (Dragonet `stack/Runner/dynamic.c`):
 * a node returns a port index, `-2` to abort (the packet was consumed), another negative value
 * for "no output"; a node may spawn new tasks with a priority.
 *
 * @module
 */
import type { GraphNode, NodeSpec } from "../graph/types.ts";
import type { ExecContext } from "./context.ts";

/** Port result of a node that consumed the packet: stop processing this run (reference §12.3). */
export const ABORT: -2 = -2;
/** Port result of a node that produced no output (an O-node still waiting for inputs). */
export const NO_OUTPUT: -1 = -1;

/** Task priorities: high goes to the front of the task queue, low to the back (§12.3). */
export const Priority = { Low: 0, High: 1 } as const;
/** A task priority code. */
export type PriorityCode = (typeof Priority)[keyof typeof Priority];

/**
 * The spawn names a graph may use, as numeric codes for the hot path.
 *
 * `poll`: a queue node re-polling itself; `send`: a FromSocket node started by the application;
 * `restart`: parked packets re-entering ARP lookup; `request`: an ARP request for a missed lookup
 * (reference §2.3, §6.8).
 */
export const SPAWN_NAMES = ["poll", "send", "restart", "request"] as const;
/** A spawn name. */
export type SpawnName = (typeof SPAWN_NAMES)[number];
/** Numeric spawn codes by name. */
export const Spawn: { readonly [K in SpawnName]: number } = {
  poll: 0,
  send: 1,
  restart: 2,
  request: 3,
};

/**
 * The work function of an F-node: runs the node for the packet in `x.buf` and returns the index
 * of the port it activates (in the spec's port order), {@linkcode ABORT} or {@linkcode NO_OUTPUT}.
 *
 * `node` is the node's number in the program, for its counters (`x.extra[x.extraBase[node] + k]`)
 * and parameters (`x.params[x.paramBase[node] + k]`). It must not allocate per packet.
 */
export type WorkFn<E> = (x: ExecContext<E>, node: number) => number;

/**
 * What an F-node does, attached to its spec by name: the work function, which ports count as
 * drops (port name to the name of a spec counter with `drop: true`), and per-node parameters.
 */
export interface NodeImpl<E> {
  /** The spec this implements. */
  readonly spec: NodeSpec;
  /** The work function. */
  readonly work: WorkFn<E>;
  /**
   * Ports whose activation is a drop, mapped to the spec counter naming the reason; the
   * executor derives these drop counts from the port counts.
   */
  readonly dropPorts?: Readonly<Record<string, string>>;
  /**
   * Names of counters the work function increments itself (`x.extra[x.extraBase[node] + i]`
   * for the i-th name); each must be a counter of the spec.
   */
  readonly extraCounters?: readonly string[];
  /**
   * The port the work function always returns, when it always returns the same one and has no
   * side effects; the compiler then folds the call away (the interpreter still calls it, and
   * the equivalence test checks they agree).
   */
  readonly constantPort?: string;
  /** Numeric parameters of one node instance (from its attributes), read by the work function. */
  readonly params?: (node: GraphNode) => readonly number[];
}
