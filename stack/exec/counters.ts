/**
 * Per-node counters as rows for reports: calls, activations per port, drops by reason (derived
 * from the ports an implementation marks as drops) and the counters work functions keep.
 *
 * @module
 */
import type { ExecContext } from "./context.ts";
import type { Program } from "./program.ts";

/** One counter of one node. */
export interface CounterRow {
  /** Node id. */
  readonly node: string;
  /** `calls`, `port:<name>`, `drop:<reason>` or the name of a counter the node keeps. */
  readonly counter: string;
  /** Value. */
  readonly value: number;
}

/** Every non-zero counter of every node of a program run in `ctx`, in node order. */
export function counterRows<E>(program: Program<E>, ctx: ExecContext<E>): CounterRow[] {
  const rows: CounterRow[] = [];
  const mp = program.maxPorts;
  for (let n = 0; n < program.ids.length; n++) {
    const node = program.ids[n] ?? "";
    const calls = ctx.callsOf(n);
    if (calls === 0) continue;
    rows.push({ node, counter: "calls", value: calls });
    const drops = new Map<string, number>();
    (program.portNames[n] ?? []).forEach((port, p) => {
      const value = ctx.ports[n * mp + p] ?? 0;
      if (value === 0) return;
      rows.push({ node, counter: `port:${port}`, value });
      const reason = program.dropPortCounter[n]?.[p];
      if (reason !== undefined) drops.set(reason, (drops.get(reason) ?? 0) + value);
    });
    for (const [reason, value] of drops) rows.push({ node, counter: `drop:${reason}`, value });
    (program.extraNames[n] ?? []).forEach((name, k) => {
      const value = ctx.extra[(program.extraBase[n] ?? 0) + k] ?? 0;
      if (value !== 0) rows.push({ node, counter: name, value });
    });
  }
  return rows;
}

/** Total drops by reason over all nodes (`reason -> count`). */
export function dropsByReason<E>(program: Program<E>, ctx: ExecContext<E>): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of counterRows(program, ctx)) {
    if (row.counter.startsWith("drop:")) {
      const reason = row.counter.slice(5);
      out.set(reason, (out.get(reason) ?? 0) + row.value);
    }
  }
  return out;
}
