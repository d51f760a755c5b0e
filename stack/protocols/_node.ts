/**
 * Shared helpers of the LPG node modules: the implementation type bound to {@linkcode LpgEnv},
 * boolean port order, and data-end arithmetic.
 *
 * @module
 */
import type { ExecContext } from "../exec/context.ts";
import type { NodeImpl } from "../exec/types.ts";
import type { LpgEnv } from "./env.ts";

/** An LPG node implementation. */
export type LpgImpl = NodeImpl<LpgEnv>;

/** The execution context LPG nodes see. */
export type LpgCtx = ExecContext<LpgEnv>;

/** Boolean F-node ports: false = port 0, true = port 1 (reference §6). */
export const BOOL_PORTS = ["false", "true"] as const;

/** Returns 1 (port `true`) or 0 (port `false`). */
export function bool(ok: boolean): number {
  return ok ? 1 : 0;
}

/** Absolute offset one past the last data byte of the current buffer. */
export function dataEnd(x: LpgCtx): number {
  const b = x.buf;
  return (x.pool.start[b] ?? 0) + (x.pool.length[b] ?? 0);
}

/** Absolute offset of the first data byte of the current buffer. */
export function dataStart(x: LpgCtx): number {
  return x.pool.start[x.buf] ?? 0;
}
