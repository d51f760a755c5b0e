/**
 * Where Dragonet's pipelines run: the placement of its per-queue stack pipelines and its
 * application pipelines (one per app thread) on the server's cores, as data checked once.
 *
 * The lab's rule is that stacks differ in which operations they perform and on which core, never
 * in the resources one side gets: `cores` is the server's total core count for every stack, and
 * a placement only decides how Dragonet uses those cores.
 *
 * - `colocated` (default): run to completion; core `i` polls hardware queue `i`'s pipeline and
 *   runs app thread `i`'s pipeline (queues and threads default to one per core). Switching the
 *   core between the two pipelines costs the calibration's `sched_running`.
 * - `split`: `stackCores` cores run the queue pipelines (queue `q` on stack core `q % stackCores`)
 *   and the remaining `cores - stackCores` run the app threads (thread `a` on app core
 *   `a % appCores`); default half and half.
 * - `dedicated`: Dragonet's own testbed (dragonet-model.md §12.2, §12.4; workloads.md §5: 10
 *   queues and 10 app threads on a 20-core server): one polling core per queue plus one core per
 *   app thread, so `cores` must equal `queues + threads`.
 *
 * @module
 */

/** Dragonet core placements (see the module documentation). */
export const DRAGONET_PLACEMENTS = ["colocated", "split", "dedicated"] as const;

/** A Dragonet core placement. */
export type DragonetPlacement = typeof DRAGONET_PLACEMENTS[number];

/** The placement a server spec without `placement` gets. */
export const DEFAULT_DRAGONET_PLACEMENT: DragonetPlacement = "colocated";

/** Most cores a Dragonet server may have (the host model's practical limit). */
export const MAX_DRAGONET_CORES = 256;

/** What a placement is computed from: the relevant fields of a server spec. */
export interface DragonetPlacementInput {
  /** Total server cores. */
  readonly cores: number;
  /** Hardware queues (default depends on the placement). */
  readonly queues?: number;
  /** App threads (default depends on the placement). */
  readonly threads?: number;
  /** Placement name (default {@link DEFAULT_DRAGONET_PLACEMENT}). */
  readonly placement?: string;
  /** Cores running queue pipelines (`split` only; default half of `cores`). */
  readonly stackCores?: number;
}

/** A checked placement: how many of each, and the core of every queue and app pipeline. */
export interface DragonetLayout {
  /** The placement. */
  readonly placement: DragonetPlacement;
  /** Total server cores. */
  readonly cores: number;
  /** Hardware queues (one stack pipeline each). */
  readonly queues: number;
  /** App threads (one app pipeline each). */
  readonly threads: number;
  /** Core of queue `q`'s pipeline. */
  readonly queueCore: readonly number[];
  /** Core of app thread `a`'s pipeline. */
  readonly appCore: readonly number[];
}

function count(field: string, value: number, min: number, max: number, why: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Server spec field "${field}" is ${value}: ${why} allows an integer ${min}..${max}`,
    );
  }
  return value;
}

/**
 * The layout of `spec`; throws a clear error naming the field, its value and what is allowed.
 *
 * @example
 * ```ts
 * import { dragonetLayout } from "./dragonet_placement.ts";
 * const l = dragonetLayout({ cores: 20, queues: 10, placement: "dedicated" });
 * if (l.threads !== 10 || l.appCore[0] !== 10) throw new Error("unexpected layout");
 * ```
 */
export function dragonetLayout(spec: DragonetPlacementInput): DragonetLayout {
  const placement = spec.placement ?? DEFAULT_DRAGONET_PLACEMENT;
  if (!(DRAGONET_PLACEMENTS as readonly string[]).includes(placement)) {
    throw new Error(
      `Server spec field "placement" is ${JSON.stringify(placement)}: allowed ${
        DRAGONET_PLACEMENTS.join(", ")
      }`,
    );
  }
  const p = placement as DragonetPlacement;
  const cores = count("cores", spec.cores, 1, MAX_DRAGONET_CORES, "the dragonet stack");
  if (spec.stackCores !== undefined && p !== "split") {
    throw new Error(
      `Server spec field "stackCores" is ${spec.stackCores}: only placement "split" takes it, ` +
        `placement is "${p}"`,
    );
  }
  if (p === "colocated") {
    const queues = count(
      "queues",
      spec.queues ?? Math.min(cores, 16),
      1,
      cores,
      `placement "colocated" on ${cores} cores`,
    );
    const threads = count(
      "threads",
      spec.threads ?? cores,
      1,
      cores,
      `placement "colocated" on ${cores} cores`,
    );
    return {
      placement: p,
      cores,
      queues,
      threads,
      queueCore: Array.from({ length: queues }, (_, q) => q),
      appCore: Array.from({ length: threads }, (_, a) => a),
    };
  }
  if (cores < 2) {
    throw new RangeError(
      `Server spec field "cores" is ${cores}: placement "${p}" needs at least 2 (stack and app cores apart)`,
    );
  }
  if (p === "split") {
    const stackCores = count(
      "stackCores",
      spec.stackCores ?? Math.floor(cores / 2),
      1,
      cores - 1,
      `placement "split" on ${cores} cores`,
    );
    const appCores = cores - stackCores;
    const queues = count(
      "queues",
      spec.queues ?? Math.min(cores, 16),
      1,
      256,
      "the dragonet stack",
    );
    const threads = count("threads", spec.threads ?? appCores, 1, 256, "the dragonet stack");
    return {
      placement: p,
      cores,
      queues,
      threads,
      queueCore: Array.from({ length: queues }, (_, q) => q % stackCores),
      appCore: Array.from({ length: threads }, (_, a) => stackCores + (a % appCores)),
    };
  }
  // dedicated
  const queues = count(
    "queues",
    spec.queues ?? (spec.threads === undefined ? Math.floor(cores / 2) : cores - spec.threads),
    1,
    cores - 1,
    `placement "dedicated" on ${cores} cores`,
  );
  const threads = count(
    "threads",
    spec.threads ?? cores - queues,
    1,
    cores - 1,
    `placement "dedicated" on ${cores} cores`,
  );
  if (queues + threads !== cores) {
    throw new RangeError(
      `Server spec field "cores" is ${cores}: placement "dedicated" needs one core per queue and ` +
        `per app thread, queues ${queues} + threads ${threads} = ${queues + threads}`,
    );
  }
  return {
    placement: p,
    cores,
    queues,
    threads,
    queueCore: Array.from({ length: queues }, (_, q) => q),
    appCore: Array.from({ length: threads }, (_, a) => queues + a),
  };
}
