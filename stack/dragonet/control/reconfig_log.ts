/**
 * The record of one reconfiguration of Dragonet's stack (dragonet-model.md §12.1): when it
 * ran, which flows it placed, the NIC configuration operations it applied, how long the search
 * took and whether the software graph was rebuilt; plus a text rendering of a log.
 *
 * @module
 */
import type { ConfigOp } from "../../../nicmodels/_shared/nic.ts";
import { type Cost, formatCost } from "../search/cost.ts";
import { type Flow, formatFlow } from "../search/flow.ts";

/** Why the software graph was or was not rebuilt ({@link ReconfigRecord.rebuild}). */
export type RebuildReason =
  /** No graph existed yet. */
  | "initial"
  /** The version was still below the warm-up limit (original: version < 5). */
  | "warm-up"
  /** The endpoints (sockets) changed, so the LPG changed (extension, see the control loop). */
  | "endpoints"
  /** Warm: only the NIC configuration changed. */
  | "none";

/** A flow and the queue it was placed on. */
export interface FlowPlacement {
  /** The flow. */
  readonly flow: Flow;
  /** Its RX queue (-1 = dropped). */
  readonly queue: number;
}

/** One reconfiguration (one run of `updateGraph`). */
export interface ReconfigRecord {
  /** Graph version after this run (1 = the start-up run). */
  readonly version: number;
  /** Clock time (ns) of the first trigger this run serves. */
  readonly triggeredAt: number;
  /** Clock time (ns) the run started. */
  readonly startedAt: number;
  /** Clock time (ns) the run finished. */
  readonly finishedAt: number;
  /** Application events handled since the previous run. */
  readonly events: number;
  /** Triggers that arrived while an update was running and were folded into this run (Q11). */
  readonly coalesced: number;
  /** Flows added since the previous run. */
  readonly added: readonly Flow[];
  /** Flows removed since the previous run. */
  readonly removed: readonly Flow[];
  /** Every placed flow and its queue after this run. */
  readonly placement: readonly FlowPlacement[];
  /** Cost of the placement. */
  readonly cost: Cost | null;
  /** NIC configuration operations applied (the diff). */
  readonly ops: readonly ConfigOp[];
  /** Search time in milliseconds, from the injected timer. */
  readonly searchMs: number;
  /** Candidates the search evaluated. */
  readonly evaluated: number;
  /** Whether and why the software graph was rebuilt. */
  readonly rebuild: RebuildReason;
  /** Graph rebuild time in milliseconds, from the injected timer (0 without a rebuild). */
  readonly rebuildMs: number;
  /** Search warnings. */
  readonly warnings: readonly string[];
  /** Why the run failed (NIC unchanged), or null. */
  readonly error: string | null;
}

function opText(op: ConfigOp): string {
  if (op.op === "set") return `set ${op.key}=${JSON.stringify(op.value)}`;
  const m = op.rule.match;
  const fields = Object.entries(m).map(([k, v]) => `${k}=${v}`).join(" ");
  return `${op.op} ${op.rule.table} [${fields}] -> q${op.rule.queue}`;
}

/** Formats a log as text: one header line per run, then its operations indented. */
export function formatReconfigLog(records: readonly ReconfigRecord[]): string {
  const lines: string[] = [];
  for (const r of records) {
    lines.push(
      `v${r.version} at ${r.startedAt} ns: ${r.events} events, +${r.added.length} ` +
        `-${r.removed.length} flows (${r.placement.length} placed), ${r.ops.length} ops, ` +
        `search ${r.searchMs.toFixed(3)} ms, rebuild ${r.rebuild}` +
        (r.rebuild === "none" ? "" : ` ${r.rebuildMs.toFixed(1)} ms`) +
        (r.cost === null ? "" : `, cost ${formatCost(r.cost)}`) +
        (r.coalesced > 0 ? `, ${r.coalesced} coalesced` : "") +
        (r.error === null ? "" : `, failed: ${r.error}`),
    );
    for (const f of r.added) lines.push(`  + ${formatFlow(f)}`);
    for (const f of r.removed) lines.push(`  - ${formatFlow(f)}`);
    for (const op of r.ops) lines.push(`  ${opText(op)}`);
  }
  return lines.join("\n") + (lines.length > 0 ? "\n" : "");
}

/** Formats one configuration operation as a short line (for explain output and logs). */
export function formatConfigOp(op: ConfigOp): string {
  return opText(op);
}
