/**
 * The flow -> queue map (QMap) and the interface of anything that computes it
 * (dragonet-model.md §8.2, `FlowMap.hs`).
 *
 * Semantics (the reference's PRG walk): follow the NIC's receive path for the flow; at each
 * filter take the first port whose predicate the flow satisfies; stop at the first queue
 * (`RxQ<n>Valid`) reached, or at the default queue when nothing claims the flow. A flow that is
 * only partly covered by a filter (the filter compares a field the flow leaves open) is not
 * claimed by it. -1 means the NIC drops the flow.
 *
 * @module
 */
import type { Flow } from "./flow.ts";

/** Flows and the queue each lands on (`queues[i]` for `flows[i]`; -1 = dropped). */
export interface QMap {
  /** The flows. */
  readonly flows: readonly Flow[];
  /** Queue per flow. */
  readonly queues: Int32Array;
}

/** Computes the queue of a flow under a configuration of type `C`. */
export interface QueueMapper<C> {
  /** Short name, e.g. "nic-config" or "prg-walk". */
  readonly name: string;
  /** Queue `flow` lands on under `config` (the default queue when nothing claims it; -1 = drop). */
  queueOf(config: C, flow: Flow): number;
}

/** The QMap of `flows` under `config`, computed flow by flow. */
export function qmapOf<C>(mapper: QueueMapper<C>, config: C, flows: readonly Flow[]): QMap {
  const queues = new Int32Array(flows.length);
  flows.forEach((f, i) => (queues[i] = mapper.queueOf(config, f)));
  return { flows, queues };
}

/**
 * Incremental QMap after a change (`zQmapIncremental`): keeps `prev` except for flows whose old
 * queue is in `affected`, which are recomputed under `config`, and appends `added` flows.
 */
export function remapAffected<C>(
  mapper: QueueMapper<C>,
  config: C,
  prev: QMap,
  affected: readonly number[],
  added: readonly Flow[] = [],
): QMap {
  const n = prev.flows.length;
  const queues = new Int32Array(n + added.length);
  for (let i = 0; i < n; i++) {
    const q = prev.queues[i] ?? -1;
    queues[i] = affected.includes(q) ? mapper.queueOf(config, prev.flows[i] as Flow) : q;
  }
  added.forEach((f, j) => (queues[n + j] = mapper.queueOf(config, f)));
  return { flows: [...prev.flows, ...added], queues };
}
