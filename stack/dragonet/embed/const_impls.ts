/**
 * Executor implementations of the constant nodes `_True` / `_False` that constant folding could
 * not remove (reference `dragonet-model.md` §5.3): each always takes its one port.
 *
 * @module
 */
import type { NodeImpl } from "../../exec/types.ts";
import { constFalseSpec, constTrueSpec } from "./conventions.ts";

/** Implementations of the constant node specs, to add to a graph's implementation map. */
export function constImpls<E>(): Map<string, NodeImpl<E>> {
  return new Map<string, NodeImpl<E>>([
    [constTrueSpec.name, { spec: constTrueSpec, work: () => 0, constantPort: "true" }],
    [constFalseSpec.name, { spec: constFalseSpec, work: () => 0, constantPort: "false" }],
  ]);
}
