/**
 * Greedy search over flows (dragonet-model.md §10, `Search.hs` `searchGreedyFlows`), the default
 * search: order the flows (the cost function's order), start from the given configuration, and
 * for each flow evaluate every candidate the oracle proposes on the incremental flow -> queue
 * map; keep the lowest cost, ties to the first candidate (lowest queue); commit and continue.
 * A candidate costing `ok` is taken at once. O(flows × queues × cost).
 *
 * When the oracle proposes nothing for a flow (every filter table it may use is full), the
 * search throws a {@link SearchError} by default; with `overflow: "unfiltered"` it places the flow
 * under the rules already installed, with no change: on the NIC's default queue unless an
 * installed wildcard rule claims it (queue mapping does not model RSS, so a flow a real NIC would
 * hash over its RSS queues counts on the default queue here), and says how many in a warning.
 *
 * @module
 */
import { diffConfig } from "../../../nicmodels/_shared/config_diff.ts";
import type { NicConfig, ProposedChange } from "../../../nicmodels/_shared/nic.ts";
import { compareCost, type Cost, CostKind } from "./cost.ts";
import type { CostFunction } from "./cost_function.ts";
import { checkFlow, type Flow, flowKey, formatFlow } from "./flow.ts";
import type { MapperPlan } from "./mapper_plan.ts";
import type { SearchOracle } from "./oracle.ts";
import { QMapState } from "./qmap_state.ts";
import { type Placement, SearchError, type SearchResult } from "./search_result.ts";

/** Inputs of {@link greedySearch}. */
export interface GreedyOptions {
  /** The NIC's queue-mapping plan. */
  readonly plan: MapperPlan;
  /** Starting configuration (e.g. `dragonetIntel82599Config(10)`); its queue count is nq. */
  readonly config: NicConfig;
  /** Proposes candidates; reset to `config` first. */
  readonly oracle: SearchOracle;
  /** Scores placements. */
  readonly cost: CostFunction;
  /** Flows to place. */
  readonly flows: readonly Flow[];
  /**
   * What to do with a flow the oracle proposes nothing for: "error" (default) throws a
   * {@link SearchError}; "unfiltered" places it under the installed rules with an empty change.
   */
  readonly overflow?: "error" | "unfiltered";
}

/** Places every flow greedily; throws {@link SearchError} when the oracle has no candidate. */
export function greedySearch(o: GreedyOptions): SearchResult {
  for (const f of o.flows) checkFlow(f);
  const state = new QMapState(o.plan, o.config, o.cost);
  o.oracle.reset(o.config);
  const order = o.cost.order?.(o.flows) ?? o.flows;
  const placements: Placement[] = [];
  const warnings: string[] = [];
  let evaluated = 0;
  let unfiltered = 0;
  const overflow = o.overflow ?? "error";
  if (overflow !== "error" && overflow !== "unfiltered") {
    throw new RangeError(`Overflow "${overflow}" is unknown: use "error" or "unfiltered"`);
  }
  order.forEach((flow, i) => {
    if (state.has(flow)) {
      warnings.push(`Flow ${flowKey(flow)} given twice: placed once`);
      return;
    }
    const pending = state.pend(flow);
    const cands = o.oracle.propose(flow);
    if (cands.length === 0 && overflow === "unfiltered") {
      const change: ProposedChange = { ops: [], queue: -1, affectedQueues: [] };
      const queue = state.commit(change, pending);
      placements.push({
        flow,
        queue,
        change: { ...change, queue },
        cost: state.cost(),
        evaluated: 0,
      });
      unfiltered++;
      return;
    }
    if (cands.length === 0) {
      throw new SearchError(
        `Oracle ${o.oracle.name} proposes no change for flow #${i} (${formatFlow(flow)}) after ` +
          `${state.size} placed flows: every filter table it may use is full`,
        flow,
      );
    }
    let best: ProposedChange | null = null;
    let bestCost: Cost | null = null;
    let n = 0;
    for (const c of cands) {
      const cost = state.evaluate(c, pending);
      n++;
      if (bestCost === null || compareCost(cost, bestCost) < 0) {
        best = c;
        bestCost = cost;
        if (cost.kind === CostKind.Ok) break;
      }
    }
    evaluated += n;
    const change = best as ProposedChange;
    const queue = state.commit(change, pending);
    o.oracle.commit(change);
    placements.push({ flow, queue, change, cost: bestCost as Cost, evaluated: n });
  });
  if (unfiltered > 0) {
    warnings.push(
      `${unfiltered} of ${order.length} flows found no room in any filter table oracle ` +
        `${o.oracle.name} may use: left unfiltered (placements with no ops)`,
    );
  }
  const config = state.config();
  return {
    config,
    ops: diffConfig(o.config, config),
    qmap: state.qmap(),
    cost: state.cost(),
    placements,
    evaluated,
    warnings,
  };
}
