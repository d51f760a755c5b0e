/**
 * Predicate builders: the plain constructors and the folding builder, behind one interface that
 * the DNF builder also implements.
 *
 * Source: reference `dragonet-model.md` §4.3 (Dragonet `Predicate.hs` builders `predBuildSimple`,
 * `predBuildFold`, `predBuildDNF`).
 *
 * @module
 */
import type { AtomId, AtomTable } from "./atoms.ts";
import { type Pred, PRED_FALSE, PRED_TRUE, PredOp } from "./expr.ts";

/**
 * A way to build predicates of representation `T` (a boolean algebra over atoms). Node-predicate
 * computation is generic over it, so the same graph walk yields plain trees, folded trees or DNF.
 */
export interface PredAlgebra<T> {
  /** Builder name for messages (`plain`, `fold`, `dnf`). */
  readonly name: string;
  /** The constant `true`. */
  readonly top: T;
  /** The constant `false`. */
  readonly bottom: T;
  /** The single atom `a`. */
  atom(a: AtomId): T;
  /** Conjunction of `args` (`true` when empty). */
  and(args: readonly T[]): T;
  /** Disjunction of `args` (`false` when empty). */
  or(args: readonly T[]): T;
  /** Negation. */
  not(arg: T): T;
  /** Whether `x` is the constant `false` in this representation. */
  isFalse(x: T): boolean;
  /** Converts to the expression tree. */
  toPred(x: T): Pred;
}

/** Builds any {@linkcode Pred} into representation `T` with `algebra`. */
export function build<T>(algebra: PredAlgebra<T>, pred: Pred): T {
  switch (pred.op) {
    case PredOp.False:
      return algebra.bottom;
    case PredOp.True:
      return algebra.top;
    case PredOp.Atom:
      return algebra.atom(pred.atom);
    case PredOp.Not:
      return algebra.not(build(algebra, pred.arg));
    case PredOp.And:
      return algebra.and(pred.args.map((a) => build(algebra, a)));
    case PredOp.Or:
      return algebra.or(pred.args.map((a) => build(algebra, a)));
  }
}

/** The plain constructors: no simplification at all (the reference's "plain" builder). */
export const plainAlgebra: PredAlgebra<Pred> = {
  name: "plain",
  top: PRED_TRUE,
  bottom: PRED_FALSE,
  atom: (a) => ({ op: PredOp.Atom, atom: a }),
  and: (args) => ({ op: PredOp.And, args: [...args] }),
  or: (args) => ({ op: PredOp.Or, args: [...args] }),
  not: (arg) => ({ op: PredOp.Not, arg }),
  isFalse: (x) => x.op === PredOp.False,
  toPred: (x) => x,
};

/** Structural key of a predicate, for de-duplication of operands. */
function structKey(p: Pred): string {
  switch (p.op) {
    case PredOp.False:
      return "F";
    case PredOp.True:
      return "T";
    case PredOp.Atom:
      return `a${p.atom}`;
    case PredOp.Not:
      return `!${structKey(p.arg)}`;
    case PredOp.And:
      return `&(${p.args.map(structKey).join(",")})`;
    case PredOp.Or:
      return `|(${p.args.map(structKey).join(",")})`;
  }
}

/**
 * The folding builder (reference §4.3): constant folding, flattening, idempotence,
 * `A ∧ ¬A = false`, `A ∨ ¬A = true`, and single-valued keys (`(k,v1) ∧ (k,v2) = false`).
 */
export function foldAlgebra(table: AtomTable): PredAlgebra<Pred> {
  const junction = (isAnd: boolean, args: readonly Pred[]): Pred => {
    const op = isAnd ? PredOp.And : PredOp.Or;
    const absorbing = isAnd ? PRED_FALSE : PRED_TRUE;
    const neutral = isAnd ? PRED_TRUE : PRED_FALSE;
    const flat: Pred[] = [];
    const stack = [...args].reverse();
    while (stack.length > 0) {
      const p = stack.pop() as Pred;
      if (p.op === op) {
        for (let i = p.args.length - 1; i >= 0; i--) stack.push(p.args[i] as Pred);
      } else flat.push(p);
    }
    const seen = new Set<string>();
    const out: Pred[] = [];
    const posByKey = new Map<number, AtomId>();
    for (const p of flat) {
      if (p.op === absorbing.op) return absorbing;
      if (p.op === neutral.op) continue;
      const k = structKey(p);
      if (seen.has(k)) continue;
      // A together with not(A): contradiction (and) or tautology (or).
      const negKey = p.op === PredOp.Not ? structKey(p.arg) : `!${k}`;
      if (seen.has(negKey)) return absorbing;
      if (isAnd && p.op === PredOp.Atom) {
        const key = table.keyOf(p.atom);
        const other = posByKey.get(key);
        if (other !== undefined && other !== p.atom) return PRED_FALSE;
        posByKey.set(key, p.atom);
      }
      seen.add(k);
      out.push(p);
    }
    if (out.length === 0) return neutral;
    if (out.length === 1) return out[0] as Pred;
    return { op, args: out };
  };
  return {
    name: "fold",
    top: PRED_TRUE,
    bottom: PRED_FALSE,
    atom: (a) => ({ op: PredOp.Atom, atom: a }),
    and: (args) => junction(true, args),
    or: (args) => junction(false, args),
    not: (arg) => {
      if (arg.op === PredOp.True) return PRED_FALSE;
      if (arg.op === PredOp.False) return PRED_TRUE;
      if (arg.op === PredOp.Not) return arg.arg;
      return { op: PredOp.Not, arg };
    },
    isFalse: (x) => x.op === PredOp.False,
    toPred: (x) => x,
  };
}
