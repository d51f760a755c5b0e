/**
 * Satisfiability of a predicate tree under single-valued atoms, without converting it to DNF.
 *
 * The DNF builder decides satisfiability by folding (reference `dragonet-model.md` §4.3
 * `dnfSAT`), but some predicates have exponentially many DNF terms: a default queue behind n
 * five-tuple filters receives `¬F1 ∧ … ∧ ¬Fn`, whose DNF holds up to 5^n terms. This solver
 * searches assignments instead (a small DPLL): it evaluates the tree under a partial assignment
 * (three-valued: false, true, unknown), and while the result is unknown it branches on an atom the
 * unknown part mentions, trying first the value that makes that occurrence true. Atoms the tree
 * only tests negated are set false up front (pure literals: a five-tuple filter's source fields
 * in the default queue's `¬F1 ∧ … ∧ ¬Fn`).
 *
 * Assignments respect single-valued atoms (§4.1): setting `(k, v)` true makes every other atom of
 * key `k` false; "no value of `k` holds" is also allowed, exactly as the DNF builder and
 * `predEquivHard` treat keys. So `satisfiable(p)` agrees with `!isFalse(dnf(p))`.
 *
 * Shared subtrees (memoised node predicates are DAGs) are evaluated once per step.
 *
 * @module
 */
import type { AtomId, AtomTable } from "./atoms.ts";
import { type Pred, PredOp } from "./expr.ts";

/** Default most search steps (tree evaluations) one {@linkcode PredSat.satisfiable} call may take. */
export const DEFAULT_MAX_SAT_STEPS = 200_000;

/** Options of {@linkcode PredSat}. */
export interface PredSatOptions {
  /** Most search steps per call (default {@linkcode DEFAULT_MAX_SAT_STEPS}). */
  readonly maxSteps?: number;
}

const FALSE = 0;
const TRUE = 1;
const UNKNOWN = 2;

/**
 * A satisfiability checker for predicate trees over one atom table (see the module doc).
 *
 * @example
 * ```ts
 * import { AtomTable } from "./atoms.ts";
 * import { PredOp } from "./expr.ts";
 * import { PredSat } from "./sat.ts";
 * const t = new AtomTable();
 * const a = t.atom("DstPort", "p7"), b = t.atom("DstPort", "p8");
 * const sat = new PredSat(t);
 * sat.satisfiable({ op: PredOp.And, args: [{ op: PredOp.Atom, atom: a }, { op: PredOp.Atom, atom: b }] }); // false
 * ```
 */
export class PredSat {
  /** The atom table the trees refer to. */
  readonly table: AtomTable;
  readonly #maxSteps: number;
  /** Per key: the atom set true, or -1. */
  #pos = new Int32Array(64).fill(-1);
  /** Per atom: 1 when set false. */
  #neg = new Uint8Array(64);
  /** Undo log: `atom * 2 + (set true ? 0 : 1)`. */
  #trail: number[] = [];
  #steps = 0;
  #memo = new Map<Pred, number>();
  /** Per root: atoms that occur only negated in it (pure literals). */
  #pure = new WeakMap<Pred, Int32Array>();

  /** Makes a checker over `table`. */
  constructor(table: AtomTable, options: PredSatOptions = {}) {
    const max = options.maxSteps ?? DEFAULT_MAX_SAT_STEPS;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`PredSat option maxSteps must be an integer >= 1, got ${max}`);
    }
    this.table = table;
    this.#maxSteps = max;
  }

  /**
   * Whether some assignment satisfies `pred` together with the `literals`
   * (`literal = atom * 2 + negated`, as in DNF terms).
   *
   * @throws {RangeError} when the search takes more than `maxSteps` steps.
   */
  satisfiable(pred: Pred, literals: ArrayLike<number> = []): boolean {
    this.#grow();
    this.#steps = 0;
    const mark = this.#trail.length;
    try {
      for (let i = 0; i < literals.length; i++) {
        const lit = literals[i] as number;
        const atom = lit >> 1;
        const value = (lit & 1) === 0;
        const now = this.#value(atom);
        if (now === UNKNOWN) this.#assign(atom, value);
        else if ((now === TRUE) !== value) return false;
      }
      // Pure literals: an atom the tree only tests negated can be false in some model if there
      // is one at all (false is always allowed for one key's atoms, and the tree only gains).
      for (const atom of this.#pureNegatives(pred)) {
        if (this.#value(atom) === UNKNOWN) this.#assign(atom, false);
      }
      return this.#search(pred);
    } finally {
      this.#undo(mark);
    }
  }

  /** Atoms that occur in `root` only under an odd number of negations (memoised per root). */
  #pureNegatives(root: Pred): Int32Array {
    const known = this.#pure.get(root);
    if (known !== undefined) return known;
    const seen = new Map<Pred, number>(); // bit 1: visited positive, bit 2: visited negated
    const polarity = new Map<AtomId, number>();
    const stack: [Pred, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [p, negated] = stack.pop() as [Pred, boolean];
      const bit = negated ? 2 : 1;
      const mask = seen.get(p) ?? 0;
      if ((mask & bit) !== 0) continue;
      seen.set(p, mask | bit);
      switch (p.op) {
        case PredOp.Atom:
          polarity.set(p.atom, (polarity.get(p.atom) ?? 0) | bit);
          break;
        case PredOp.Not:
          stack.push([p.arg, !negated]);
          break;
        case PredOp.And:
        case PredOp.Or:
          for (const a of p.args) stack.push([a, negated]);
          break;
      }
    }
    const out: number[] = [];
    for (const [atom, mask] of polarity) if (mask === 2) out.push(atom);
    const result = Int32Array.from(out);
    this.#pure.set(root, result);
    return result;
  }

  #grow(): void {
    const keys = this.table.keyCount, atoms = this.table.size;
    if (this.#pos.length < keys) {
      const p = new Int32Array(keys * 2).fill(-1);
      p.set(this.#pos);
      this.#pos = p;
    }
    if (this.#neg.length < atoms) {
      const n = new Uint8Array(atoms * 2);
      n.set(this.#neg);
      this.#neg = n;
    }
  }

  #value(atom: AtomId): number {
    const set = this.#pos[this.table.keyOf(atom)] as number;
    if (set !== -1) return set === atom ? TRUE : FALSE;
    return this.#neg[atom] === 1 ? FALSE : UNKNOWN;
  }

  #assign(atom: AtomId, value: boolean): void {
    if (value) this.#pos[this.table.keyOf(atom)] = atom;
    else this.#neg[atom] = 1;
    this.#trail.push(atom * 2 + (value ? 0 : 1));
  }

  #undo(mark: number): void {
    while (this.#trail.length > mark) {
      const e = this.#trail.pop() as number;
      const atom = e >> 1;
      if ((e & 1) === 0) this.#pos[this.table.keyOf(atom)] = -1;
      else this.#neg[atom] = 0;
    }
  }

  #search(root: Pred): boolean {
    if (++this.#steps > this.#maxSteps) {
      throw new RangeError(
        `Cannot decide satisfiability: the search took more than maxSteps ${this.#maxSteps} steps`,
      );
    }
    this.#memo.clear();
    const r = this.#eval(root);
    const code = r & 3;
    if (code === TRUE) return true;
    if (code === FALSE) return false;
    // Unknown: r >> 2 = atom * 2 + (occurrence negated ? 1 : 0).
    const atom = r >> 3;
    const first = ((r >> 2) & 1) === 0;
    for (const value of [first, !first]) {
      const mark = this.#trail.length;
      this.#assign(atom, value);
      const ok = this.#search(root);
      this.#undo(mark);
      if (ok) return true;
    }
    return false;
  }

  /** Three-valued evaluation; an unknown result carries one unknown atom and its polarity. */
  #eval(p: Pred): number {
    switch (p.op) {
      case PredOp.False:
        return FALSE;
      case PredOp.True:
        return TRUE;
      case PredOp.Atom: {
        const v = this.#value(p.atom);
        return v === UNKNOWN ? UNKNOWN + ((p.atom * 2) << 2) : v;
      }
      case PredOp.Not: {
        const r = this.#eval(p.arg);
        const code = r & 3;
        if (code !== UNKNOWN) return 1 - code;
        return r ^ 4; // flip the occurrence's polarity
      }
      default: {
        const known = this.#memo.get(p);
        if (known !== undefined) return known;
        const isAnd = p.op === PredOp.And;
        const absorbing = isAnd ? FALSE : TRUE;
        let result = isAnd ? TRUE : FALSE;
        for (const a of p.args) {
          const r = this.#eval(a);
          const code = r & 3;
          if (code === absorbing) {
            result = absorbing;
            break;
          }
          if (code === UNKNOWN && (result & 3) !== UNKNOWN) result = r;
        }
        this.#memo.set(p, result);
        return result;
      }
    }
  }
}
