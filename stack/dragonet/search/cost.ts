/**
 * The three-valued search cost (dragonet-model.md §9, `Search.hs` `Cost`).
 *
 * `ok` (accept immediately) < `val(x)` (acceptable) < `reject(y)` (rejected but still ordered,
 * so a search that starts with only bad options can progress). Compared by kind first, then by
 * value; lower is better.
 *
 * @module
 */

/** Cost kinds in their order (numeric so comparisons allocate nothing). */
export const CostKind = {
  /** Accept immediately. */
  Ok: 0,
  /** Acceptable, with a value (lower is better). */
  Val: 1,
  /** Rejected, with a value (lower is less bad). */
  Reject: 2,
} as const;

/** A {@link CostKind} code. */
export type CostKindCode = (typeof CostKind)[keyof typeof CostKind];

/** A cost: kind and value (0 for `ok`). */
export interface Cost {
  /** Kind code. */
  readonly kind: CostKindCode;
  /** Value within the kind (0 for `ok`). */
  readonly value: number;
}

/** The `ok` cost. */
export const COST_OK: Cost = { kind: CostKind.Ok, value: 0 };

/** An acceptable cost with value `x`. */
export function costVal(x: number): Cost {
  return { kind: CostKind.Val, value: x };
}

/** A rejected cost with value `y`. */
export function costReject(y: number): Cost {
  return { kind: CostKind.Reject, value: y };
}

/** Orders two costs: negative when `a` is better, 0 when equal, positive when worse. */
export function compareCost(a: Cost, b: Cost): number {
  if (a.kind !== b.kind) return a.kind - b.kind;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** True unless the cost is a rejection. */
export function isAcceptable(c: Cost): boolean {
  return c.kind !== CostKind.Reject;
}

/** Formats a cost like "ok", "val(0.3307)" or "reject(100)". */
export function formatCost(c: Cost): string {
  if (c.kind === CostKind.Ok) return "ok";
  const v = Number.isInteger(c.value) ? String(c.value) : c.value.toFixed(4);
  return c.kind === CostKind.Val ? `val(${v})` : `reject(${v})`;
}
