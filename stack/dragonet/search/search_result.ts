/**
 * What a search returns: the configuration, its diff from the starting configuration, the
 * flow -> queue map, the cost and per-flow placements.
 *
 * @module
 */
import type { ConfigOp, NicConfig, ProposedChange } from "../../../nicmodels/_shared/nic.ts";
import type { Cost } from "./cost.ts";
import type { Flow } from "./flow.ts";
import type { QMap } from "./queue_mapper.ts";

/** Where one flow went and through which change. */
export interface Placement {
  /** The flow. */
  readonly flow: Flow;
  /** Queue it landed on. */
  readonly queue: number;
  /** The committed change. */
  readonly change: ProposedChange;
  /** Cost after committing it. */
  readonly cost: Cost;
  /** Candidates evaluated for it. */
  readonly evaluated: number;
}

/** Thrown when the oracle has no candidate for a flow (every usable table is full). */
export class SearchError extends Error {
  /** The flow that could not be placed. */
  readonly flow: Flow;
  /** Builds the error. */
  constructor(message: string, flow: Flow) {
    super(message);
    this.name = "SearchError";
    this.flow = flow;
  }
}

/** The outcome of a search. */
export interface SearchResult {
  /** Final configuration. */
  readonly config: NicConfig;
  /** Ops from the starting configuration to {@link config} (removes, then adds). */
  readonly ops: readonly ConfigOp[];
  /** Flow -> queue map of every placed flow. */
  readonly qmap: QMap;
  /** Cost of the final placement. */
  readonly cost: Cost;
  /** Placements made by this call, in order. */
  readonly placements: readonly Placement[];
  /** Candidates evaluated in total. */
  readonly evaluated: number;
  /** Notes such as flows given twice. */
  readonly warnings: readonly string[];
}
