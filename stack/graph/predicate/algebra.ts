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

/**
 * Builds any {@linkcode Pred} into representation `T` with `algebra`. Shared sub-trees (the same
 * object reached twice, as in memoised node predicates) are built once per call.
 */
export function buildPred<T>(algebra: PredAlgebra<T>, pred: Pred): T {
  const memo = new Map<Pred, T>();
  const go = (p: Pred): T => {
    const known = memo.get(p);
    if (known !== undefined) return known;
    let r: T;
    switch (p.op) {
      case PredOp.False:
        r = algebra.bottom;
        break;
      case PredOp.True:
        r = algebra.top;
        break;
      case PredOp.Atom:
        r = algebra.atom(p.atom);
        break;
      case PredOp.Not:
        r = algebra.not(go(p.arg));
        break;
      case PredOp.And:
        r = algebra.and(flatten(p, PredOp.And).map(go));
        break;
      case PredOp.Or:
        r = algebra.or(flatten(p, PredOp.Or).map(go));
        break;
    }
    memo.set(p, r);
    return r;
  };
  return go(pred);
}

/**
 * Operands of nested same-operator nodes as one list, so a builder sees every factor of a
 * conjunction at once (the DNF builder multiplies small factors first and keeps chains compact).
 */
function flatten(pred: Pred, op: typeof PredOp.And | typeof PredOp.Or): Pred[] {
  const out: Pred[] = [];
  const stack: Pred[] = [pred];
  while (stack.length > 0) {
    const p = stack.pop() as Pred;
    if (p.op === op) {
      for (let i = p.args.length - 1; i >= 0; i--) stack.push(p.args[i] as Pred);
    } else out.push(p);
  }
  return out;
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

/**
 * The folding builder (reference §4.3): constant folding, flattening, idempotence,
 * `A ∧ ¬A = false`, `A ∨ ¬A = true`, and single-valued keys (`(k,v1) ∧ (k,v2) = false`).
 * Operands are compared by atom, negated atom, or object identity (no structural hashing), so
 * two separately built but equal compound operands are kept both; the meaning is unchanged.
 */
export function foldAlgebra(table: AtomTable): PredAlgebra<Pred> {
  // Operand identity without strings: an atom is 2·atom, its negation 2·atom+1; any other
  // predicate gets a negative number per object (memoised node predicates share objects).
  const ids = new WeakMap<Pred, number>();
  let nextId = -1;
  const idOf = (p: Pred): number => {
    if (p.op === PredOp.Atom) return p.atom * 2;
    if (p.op === PredOp.Not && p.arg.op === PredOp.Atom) return p.arg.atom * 2 + 1;
    let id = ids.get(p);
    if (id === undefined) {
      id = nextId--;
      ids.set(p, id);
    }
    return id;
  };
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
    const seen = new Set<number>();
    const negated = new Set<number>(); // ids of X for every not(X) operand
    const out: Pred[] = [];
    const posByKey = new Map<number, AtomId>();
    for (const p of flat) {
      if (p.op === absorbing.op) return absorbing;
      if (p.op === neutral.op) continue;
      const k = idOf(p);
      if (seen.has(k)) continue;
      // A together with not(A): contradiction (and) or tautology (or).
      if (negated.has(k)) return absorbing;
      if (p.op === PredOp.Not) {
        const x = idOf(p.arg);
        if (seen.has(x)) return absorbing;
        negated.add(x);
      }
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
