/**
 * The DNF builder: predicates kept in disjunctive normal form with folding and subsumption,
 * satisfiability by folding, and the cheap DNF equivalence.
 *
 * Representation: a DNF is an array of terms; a term is a sorted `Int32Array` of literals
 * (`literal = atom * 2 + negated`). Every stored term is folded: no `A ∧ ¬A`, at most one positive
 * atom per key, no negative atom of a key that has a positive one. Under single-valued atoms
 * (reference `dragonet-model.md` §4.1) every folded term is satisfiable, so "some term survived"
 * decides satisfiability exactly (§4.3 `dnfSAT`).
 *
 * @module
 */
import type { AtomId, AtomTable } from "./atoms.ts";
import type { PredAlgebra } from "./algebra.ts";
import { type Pred, PRED_FALSE, PRED_TRUE, PredOp } from "./expr.ts";

/** A conjunction of literals, sorted ascending (`literal = atom * 2 + negated`). */
export type Term = Int32Array;
/** A disjunction of folded terms: `[]` is `false`, `[emptyTerm]` is `true`. */
export type Dnf = readonly Term[];

/** Default most terms a DNF may hold before the builder refuses (exponential blow-up guard). */
export const DEFAULT_MAX_DNF_TERMS = 100_000;

const EMPTY_TERM: Term = new Int32Array(0);
const DNF_TRUE: Dnf = [EMPTY_TERM];
const DNF_FALSE: Dnf = [];

function compareTerms(a: Term, b: Term): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether sorted `a` is a subset of sorted `b`. */
function isSubset(a: Term, b: Term): boolean {
  if (a.length > b.length) return false;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    while (j < b.length && (b[j] as number) < x) j++;
    if (j === b.length || b[j] !== x) return false;
    j++;
  }
  return true;
}

/** Options of {@linkcode DnfAlgebra}. */
export interface DnfOptions {
  /** Most terms a DNF may hold (default {@linkcode DEFAULT_MAX_DNF_TERMS}). */
  readonly maxTerms?: number;
}

/**
 * The DNF builder over one atom table (reference §4.3): conjunction distributes and folds,
 * disjunction unions; both drop subsumed terms (a term that is a superset of another) and merge
 * `X∧a ∨ X∧¬a` into `X` (also `X∧¬(k,v1) ∨ X∧¬(k,v2)` into `X`, since a key has one value).
 *
 * @example
 * ```ts
 * import { AtomTable } from "./atoms.ts";
 * import { DnfAlgebra } from "./dnf.ts";
 * const t = new AtomTable();
 * const d = new DnfAlgebra(t);
 * const a = d.atom(t.atom("a", "a"));
 * d.or([a, d.not(a)]); // true: [Int32Array []]
 * ```
 */
export class DnfAlgebra implements PredAlgebra<Dnf> {
  /** Builder name. */
  readonly name = "dnf";
  /** The constant `true`. */
  readonly top: Dnf = DNF_TRUE;
  /** The constant `false`. */
  readonly bottom: Dnf = DNF_FALSE;
  /** The atom table the literals refer to. */
  readonly table: AtomTable;
  readonly #maxTerms: number;
  #scratch = new Int32Array(64);
  #keyStamp = new Int32Array(64);
  #keyAtom = new Int32Array(64);
  #stamp = 0;

  /** Makes a DNF builder over `table`. */
  constructor(table: AtomTable, options: DnfOptions = {}) {
    this.table = table;
    this.#maxTerms = options.maxTerms ?? DEFAULT_MAX_DNF_TERMS;
  }

  /** The DNF of one atom. */
  atom(a: AtomId): Dnf {
    return [Int32Array.of(a * 2)];
  }

  /** The DNF of one literal (`negated` = the atom's negation). */
  literal(a: AtomId, negated: boolean): Dnf {
    return [Int32Array.of(a * 2 + (negated ? 1 : 0))];
  }

  /** Whether `x` is `false` (no term survived folding). */
  isFalse(x: Dnf): boolean {
    return x.length === 0;
  }

  /** Whether `x` is `true` (it holds the empty term). */
  isTrue(x: Dnf): boolean {
    return x.length === 1 && (x[0] as Term).length === 0;
  }

  /**
   * Folds the literals `buf[0..n)` (sorted, possibly repeated) into a term, or `null` when they
   * contradict each other.
   */
  #fold(buf: Int32Array, n: number): Term | null {
    const stamp = this.#nextStamp();
    let w = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const lit = buf[i] as number;
      if (lit === prev) continue;
      if ((lit ^ 1) === prev) return null; // a ∧ ¬a (adjacent after sorting)
      prev = lit;
      if ((lit & 1) === 0) {
        const atom = lit >> 1;
        const k = this.table.keyOf(atom);
        if (this.#keyStamp[k] === stamp && this.#keyAtom[k] !== atom) return null;
        this.#keyStamp[k] = stamp;
        this.#keyAtom[k] = atom;
      }
      buf[w++] = lit;
    }
    // Drop ¬(k,v2) when (k,v1) holds: implied by single-valuedness.
    let r = 0;
    for (let i = 0; i < w; i++) {
      const lit = buf[i] as number;
      if ((lit & 1) === 1 && this.#keyStamp[this.table.keyOf(lit >> 1)] === stamp) continue;
      buf[r++] = lit;
    }
    return buf.slice(0, r);
  }

  /** A fresh stamp for the per-key marks, sized to the table (reset before it would wrap). */
  #nextStamp(): number {
    const keys = this.table.keyCount;
    if (this.#keyStamp.length < keys || this.#stamp >= 0x7ffffffe) {
      this.#keyStamp = new Int32Array(Math.max(64, keys * 2));
      this.#keyAtom = new Int32Array(Math.max(64, keys * 2));
      this.#stamp = 0;
    }
    return ++this.#stamp;
  }

  #ensureScratch(n: number): Int32Array {
    if (this.#scratch.length < n) this.#scratch = new Int32Array(n * 2);
    return this.#scratch;
  }

  /** Conjunction of two folded terms, or `null` when contradictory. */
  #mergeTerms(a: Term, b: Term): Term | null {
    const buf = this.#ensureScratch(a.length + b.length);
    let i = 0, j = 0, n = 0;
    while (i < a.length && j < b.length) {
      const x = a[i] as number, y = b[j] as number;
      if (x <= y) {
        buf[n++] = x;
        i++;
      } else {
        buf[n++] = y;
        j++;
      }
    }
    while (i < a.length) buf[n++] = a[i++] as number;
    while (j < b.length) buf[n++] = b[j++] as number;
    return this.#fold(buf, n);
  }

  /** Makes a folded term from arbitrary literals, or `null` when contradictory. */
  termOf(literals: readonly number[]): Term | null {
    const buf = this.#ensureScratch(literals.length);
    buf.set(literals);
    buf.subarray(0, literals.length).sort();
    return this.#fold(buf, literals.length);
  }

  /**
   * If `x` and `y` (same length) differ in one literal each and those two literals cover every
   * case (`a`/`¬a`, or `¬(k,v1)`/`¬(k,v2)`), returns their common part, else `null`.
   */
  #resolve(x: Term, y: Term): Term | null {
    let i = 0, j = 0, xi = -1, yj = -1;
    while (i < x.length || j < y.length) {
      const a = i < x.length ? x[i] as number : Infinity;
      const b = j < y.length ? y[j] as number : Infinity;
      if (a === b) {
        i++;
        j++;
      } else if (a < b) {
        if (xi !== -1) return null;
        xi = a;
        i++;
      } else {
        if (yj !== -1) return null;
        yj = b;
        j++;
      }
    }
    if (xi === -1 || yj === -1) return null;
    const complementary = (xi ^ 1) === yj;
    const bothNegSameKey = (xi & 1) === 1 && (yj & 1) === 1 &&
      this.table.keyOf(xi >> 1) === this.table.keyOf(yj >> 1);
    if (!complementary && !bothNegSameKey) return null;
    const out = new Int32Array(x.length - 1);
    let w = 0;
    for (const lit of x) if (lit !== xi) out[w++] = lit;
    return out;
  }

  /** Sorts, removes duplicates and subsumed terms, and merges complementary pairs. */
  normalize(terms: readonly Term[]): Dnf {
    let current = [...terms];
    while (true) {
      current.sort(compareTerms);
      if (current.length > 0 && (current[0] as Term).length === 0) return DNF_TRUE;
      const kept: Term[] = [];
      for (const t of current) {
        let subsumed = false;
        for (const k of kept) {
          if (k.length > t.length) break;
          if (isSubset(k, t)) {
            subsumed = true;
            break;
          }
        }
        if (!subsumed) kept.push(t);
      }
      // Merge one round of resolvable pairs; repeat while anything merged.
      const merged: Term[] = [];
      const used = new Uint8Array(kept.length);
      for (let a = 0; a < kept.length; a++) {
        const ta = kept[a] as Term;
        for (let b = a + 1; b < kept.length; b++) {
          const tb = kept[b] as Term;
          if (tb.length !== ta.length) break;
          const r = this.#resolve(ta, tb);
          if (r !== null) {
            merged.push(r);
            used[a] = 1;
            used[b] = 1;
          }
        }
      }
      if (merged.length === 0) return kept;
      current = merged;
      for (let a = 0; a < kept.length; a++) if (used[a] === 0) current.push(kept[a] as Term);
    }
  }

  #checkSize(n: number): void {
    if (n > this.#maxTerms) {
      throw new RangeError(
        `Cannot build DNF: it would hold ${n} terms, more than maxTerms ${this.#maxTerms}`,
      );
    }
  }

  /**
   * Conjunction: distributes, folds each product term, then normalises. Factors are multiplied
   * smallest first, so a short term (a filter's match) prunes the long ones early.
   */
  and(args: readonly Dnf[]): Dnf {
    let acc: Dnf = DNF_TRUE;
    const ordered = args.length > 2 ? [...args].sort((a, b) => a.length - b.length) : args;
    let marked: Term | undefined;
    for (const d of ordered) {
      if (d.length === 0) return DNF_FALSE;
      if (this.isTrue(d)) continue;
      if (this.isTrue(acc)) {
        acc = d;
        continue;
      }
      if (acc.length === 1) {
        // Fast path: a single term that already implies one term of d is unchanged by d.
        const t = acc[0] as Term;
        if (marked !== t) {
          this.#markPositives(t);
          marked = t;
        }
        let implied = false;
        for (const u of d) {
          if (this.#impliesTerm(t, u)) {
            implied = true;
            break;
          }
        }
        if (implied) continue;
      }
      this.#checkSize(acc.length * d.length);
      const out: Term[] = [];
      for (const x of acc) {
        for (const y of d) {
          const t = this.#mergeTerms(x, y);
          if (t !== null) out.push(t);
        }
      }
      if (out.length === 0) return DNF_FALSE;
      acc = out.length === 1 ? out : this.normalize(out);
      marked = undefined;
    }
    return acc;
  }

  /** Records the positive atoms of `t` by key (for {@linkcode #impliesTerm}). */
  #markPositives(t: Term): void {
    const stamp = this.#nextStamp();
    for (const lit of t) {
      if ((lit & 1) === 0) {
        const k = this.table.keyOf(lit >> 1);
        this.#keyStamp[k] = stamp;
        this.#keyAtom[k] = lit >> 1;
      }
    }
  }

  /** Whether folded term `t` (marked) implies every literal of `u`. */
  #impliesTerm(t: Term, u: Term): boolean {
    const stamp = this.#stamp;
    for (const lit of u) {
      if (t.includes(lit)) continue;
      if ((lit & 1) === 1) {
        const k = this.table.keyOf(lit >> 1);
        if (this.#keyStamp[k] === stamp && this.#keyAtom[k] !== lit >> 1) continue;
      }
      return false;
    }
    return true;
  }

  /** Disjunction: unions the terms, then normalises. */
  or(args: readonly Dnf[]): Dnf {
    const all: Term[] = [];
    for (const d of args) {
      if (this.isTrue(d)) return DNF_TRUE;
      for (const t of d) all.push(t);
    }
    this.#checkSize(all.length);
    return args.length === 1 ? (args[0] as Dnf) : this.normalize(all);
  }

  /** Negation by De Morgan: the conjunction over terms of the disjunction of negated literals. */
  not(arg: Dnf): Dnf {
    if (arg.length === 0) return DNF_TRUE;
    const clauses: Dnf[] = arg.map((t) => Array.from(t, (lit) => Int32Array.of(lit ^ 1)));
    return this.and(clauses);
  }

  /** Converts a DNF to the expression tree (an OR of ANDs of literals). */
  toPred(x: Dnf): Pred {
    if (x.length === 0) return PRED_FALSE;
    const termPred = (t: Term): Pred => {
      if (t.length === 0) return PRED_TRUE;
      const lits: Pred[] = Array.from(t, (lit): Pred => {
        const atom: Pred = { op: PredOp.Atom, atom: lit >> 1 };
        return (lit & 1) === 1 ? { op: PredOp.Not, arg: atom } : atom;
      });
      return lits.length === 1 ? lits[0] as Pred : { op: PredOp.And, args: lits };
    };
    if (x.length === 1) return termPred(x[0] as Term);
    return { op: PredOp.Or, args: x.map(termPred) };
  }
}

/** One literal of a satisfying assignment: `atom` is `value`. */
export interface AtomAssignment {
  /** The atom. */
  readonly atom: AtomId;
  /** Its truth value. */
  readonly value: boolean;
}

/**
 * Satisfiability by folding (reference §4.3 `dnfSAT`): a DNF is satisfiable iff some term
 * survived folding. Returns the surviving terms as partial assignments (atoms not mentioned are
 * free, subject to one value per key).
 */
export function dnfSat(
  dnf: Dnf,
): { readonly sat: boolean; readonly assignments: AtomAssignment[][] } {
  return {
    sat: dnf.length > 0,
    assignments: dnf.map((t) =>
      Array.from(t, (lit) => ({ atom: lit >> 1, value: (lit & 1) === 0 }))
    ),
  };
}

/**
 * The cheap DNF equivalence (reference §4.3 `dnfEquiv`): the same set of terms, in any order.
 * Incomplete: equivalent predicates with different normal forms compare unequal.
 */
export function dnfEquiv(a: Dnf, b: Dnf): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort(compareTerms);
  const sb = [...b].sort(compareTerms);
  for (let i = 0; i < sa.length; i++) {
    if (compareTerms(sa[i] as Term, sb[i] as Term) !== 0) return false;
  }
  return true;
}
