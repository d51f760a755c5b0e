/**
 * The pending flow set `FlowsSt {current, added, removed}` (dragonet-model.md §8.1, `Flows.hs`).
 *
 * Adding a flow pending removal cancels the removal; removing a flow pending addition cancels
 * the addition; {@link resetFlows} folds the pending changes into `current`. Flows are
 * identified by {@link flowKey} (their four fields). Values are immutable: every operation
 * returns a new state.
 *
 * @module
 */
import { type Flow, flowKey } from "./flow.ts";

/** Current flows plus the additions and removals not yet handed to the search. */
export interface FlowsState {
  /** Flows the last search placed. */
  readonly current: readonly Flow[];
  /** Flows added since. */
  readonly added: readonly Flow[];
  /** Flows removed since. */
  readonly removed: readonly Flow[];
}

/** What an add or remove did (numeric codes, see {@link FLOWS_OUTCOME_NAMES}). */
export const FlowsOutcome = {
  /** Queued for addition. */
  Added: 0,
  /** Cancelled a pending removal. */
  CancelledRemoval: 1,
  /** Already present (current and not removed, or already pending addition): no change. */
  AlreadyPresent: 2,
  /** Queued for removal. */
  Removed: 3,
  /** Cancelled a pending addition. */
  CancelledAddition: 4,
  /** Not present (neither current nor pending addition, or already pending removal): no change. */
  NotPresent: 5,
} as const;

/** Names of {@link FlowsOutcome} codes. */
export const FLOWS_OUTCOME_NAMES = [
  "added",
  "cancelled-removal",
  "already-present",
  "removed",
  "cancelled-addition",
  "not-present",
] as const;

/** The state with no flows. */
export const EMPTY_FLOWS: FlowsState = { current: [], added: [], removed: [] };

const has = (list: readonly Flow[], key: string) => list.some((f) => flowKey(f) === key);
const without = (list: readonly Flow[], key: string) => list.filter((f) => flowKey(f) !== key);

/** Adds `flow`; returns the new state and what happened. */
export function addFlow(st: FlowsState, flow: Flow): { state: FlowsState; outcome: number } {
  const k = flowKey(flow);
  if (has(st.removed, k)) {
    return {
      state: { ...st, removed: without(st.removed, k) },
      outcome: FlowsOutcome.CancelledRemoval,
    };
  }
  if (has(st.added, k) || has(st.current, k)) {
    return { state: st, outcome: FlowsOutcome.AlreadyPresent };
  }
  return { state: { ...st, added: [...st.added, flow] }, outcome: FlowsOutcome.Added };
}

/** Removes `flow`; returns the new state and what happened. */
export function removeFlow(st: FlowsState, flow: Flow): { state: FlowsState; outcome: number } {
  const k = flowKey(flow);
  if (has(st.added, k)) {
    return {
      state: { ...st, added: without(st.added, k) },
      outcome: FlowsOutcome.CancelledAddition,
    };
  }
  if (!has(st.current, k) || has(st.removed, k)) {
    return { state: st, outcome: FlowsOutcome.NotPresent };
  }
  return { state: { ...st, removed: [...st.removed, flow] }, outcome: FlowsOutcome.Removed };
}

/** Folds pending changes into `current`: (current − removed) ∪ added, nothing pending. */
export function resetFlows(st: FlowsState): FlowsState {
  const gone = new Set(st.removed.map(flowKey));
  return {
    current: [...st.current.filter((f) => !gone.has(flowKey(f))), ...st.added],
    added: [],
    removed: [],
  };
}
