/**
 * The full graph construction (reference `dragonet-model.md` §5.5, Dragonet
 * `Optimization.makeGraph`) from a configured PRG and a configured LPG: embed (Algorithm B,
 * §5.2), TX offload (§5.4), constant folding (§5.3), cleanup (§5.6), the implementation
 * transforms the stack used (`balanceAcrossRxQs`, `coupleTxSockets`, §5.5 step 4; each followed
 * by cleanup), drop the hardware, and partition the software into pipelines (one per queue, one
 * per application, §12.2) with the executor's Mux/ToPipeline and FromPipeline/Demux plumbing
 * (`stack/exec/pipelines.ts`).
 *
 * @module
 */
import { type PipelineGraph, splitPipelines } from "../../exec/pipelines.ts";
import { AtomTable } from "../../graph/predicate/atoms.ts";
import type { Graph } from "../../graph/types.ts";
import { cleanupEmbedded } from "./cleanup_embedded.ts";
import { dropHardware } from "./drop_hardware.ts";
import { type Embedding, embedGraphs, type EmbedOptions } from "./embed.ts";
import { foldConstants } from "./fold_constants.ts";
import { offloadTx, type TxOffload } from "./tx_offload.ts";
import { balanceAcrossRxQs, type BalanceResult, coupleTxSockets } from "./transforms.ts";

/** Options of {@linkcode makeGraph}: the embedding's options, plus the transforms switch. */
export interface MakeGraphOptions extends Omit<EmbedOptions, "table"> {
  /** Apply `balanceAcrossRxQs` and `coupleTxSockets` (default true). */
  readonly transforms?: boolean;
}

/** Every stage of the construction, for inspection and drawing. */
export interface BuiltGraph {
  /** The raw embedding and per-queue outcomes. */
  readonly embedding: Embedding;
  /** TX offload result. */
  readonly offload: TxOffload;
  /** Balance nodes given one socket per queue, and warnings (empty without transforms). */
  readonly balance: Omit<BalanceResult, "graph">;
  /** PRG plus software after offload, folding and cleanup. */
  readonly embedded: Graph;
  /** The software part (hardware dropped). */
  readonly software: Graph;
  /** The software split into pipelines. */
  readonly pipelines: readonly PipelineGraph[];
}

/** Builds the embedded graph, its software part and its pipelines (see the module doc). */
export function makeGraph(prg: Graph, lpg: Graph, options: MakeGraphOptions = {}): BuiltGraph {
  const table = new AtomTable();
  const embedding = embedGraphs(prg, lpg, { ...options, table });
  const queues = embedding.queues.map((q) => q.queue);
  const offload = offloadTx(embedding.graph, prg, lpg, queues, {
    table,
    ...(options.lpgTxQueue === undefined ? {} : { lpgTxQueue: options.lpgTxQueue }),
  });
  let embedded = cleanupEmbedded(foldConstants(offload.graph));
  let balance: Omit<BalanceResult, "graph"> = { assigned: [], warnings: [] };
  if (options.transforms !== false) {
    const b = balanceAcrossRxQs(embedded);
    balance = { assigned: b.assigned, warnings: b.warnings };
    embedded = cleanupEmbedded(coupleTxSockets(cleanupEmbedded(b.graph)));
  }
  const software = dropHardware(embedded, queues);
  return {
    embedding,
    offload,
    balance,
    embedded,
    software,
    pipelines: splitPipelines(software),
  };
}
