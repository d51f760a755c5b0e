/**
 * LPG predicates seen through one queue's PRG boundary, without multiplying the boundary into
 * them (the embedding's speed-up, `embed.ts`).
 *
 * The LPG predicates are computed once with the LPG RX queue seeded by an opaque atom `o`. Every
 * such predicate is a boolean function of `o` and LPG atoms, so the predicate the reference
 * computes with the queue's boundary `B` as seed (`dragonet-model.md` §5.2) is the same function
 * with `o := B`. Liveness (does any packet get here) and equivalence are then decided by
 * {@linkcode PredSat} on `B` kept as a tree, instead of expanding `B ∧ X` into DNF: a default
 * queue behind n five-tuple filters has a boundary `¬F1 ∧ … ∧ ¬Fn` whose DNF holds up to 5^n
 * terms, while its tree holds 5n literals.
 *
 * Equivalence: `dnfEquiv` of the seeded predicates (the reference's cheap check); when the
 * boundary mentions a key the LPG tests, also the complete check under `B` (both `x ∧ ¬y` and
 * `y ∧ ¬x` dead), since there `B` can make predicates equal that differ without it (a filter
 * sending only UDP port 7 to the queue makes the port-7 demux filter redundant). When `B` is
 * independent of the LPG's keys it cannot, and `dnfEquiv` alone decides, as before.
 *
 * @module
 */
import type { AtomId, KeyId } from "../../graph/predicate/atoms.ts";
import { type Dnf, DnfAlgebra, dnfEquiv, type Term } from "../../graph/predicate/dnf.ts";
import { atomsOf, type Pred, PredOp } from "../../graph/predicate/expr.ts";
import type { PredSat } from "../../graph/predicate/sat.ts";

/**
 * Most DNF terms of `x ∧ ¬y` in an equivalence check; a larger one counts as "not equivalent",
 * which only keeps a copy the embedding could have dropped (never wrong, at worst slower code).
 */
export const EQUIV_MAX_TERMS = 4096;

/** Liveness and equivalence of LPG predicates within one queue's copy. */
export interface BoundaryView {
  /** Whether some packet of the queue satisfies `d`. */
  live(d: Dnf): boolean;
  /** Whether `x` and `y` hold for the same packets of the queue. */
  equiv(x: Dnf, y: Dnf): boolean;
}

/**
 * The view of the queue whose boundary predicate is `boundary`, for LPG predicates computed with
 * the seed atom `opaque` (see the module doc).
 */
export function boundaryView(
  sat: PredSat,
  opaque: AtomId,
  boundary: Pred,
  lpgKeys: ReadonlySet<KeyId>,
): BoundaryView {
  const table = sat.table;
  const independent = [...atomsOf(boundary)].every((a) => !lpgKeys.has(table.keyOf(a)));
  const small = new DnfAlgebra(table, { maxTerms: EQUIV_MAX_TERMS });
  const pos = opaque * 2;
  const neg = pos + 1;
  const notBoundary: Pred = { op: PredOp.Not, arg: boundary };
  const termLive = new Map<Term, boolean>();
  const liveTerm = (t: Term): boolean => {
    const known = termLive.get(t);
    if (known !== undefined) return known;
    let v: boolean;
    const k = t.findIndex((lit) => lit === pos || lit === neg);
    if (k < 0) v = true; // a folded term without the seed is satisfiable (dnf.ts)
    else {
      const rest = t.filter((_, i) => i !== k);
      v = sat.satisfiable(t[k] === pos ? boundary : notBoundary, rest);
    }
    termLive.set(t, v);
    return v;
  };
  const liveDnf = (d: Dnf): boolean => d.some(liveTerm);
  // The complete check, needed only when the boundary constrains what the LPG tests.
  const differ = (a: Dnf, b: Dnf): boolean => liveDnf(small.and([a, small.not(b)]));
  const equiv = (x: Dnf, y: Dnf): boolean => {
    if (dnfEquiv(x, y)) return true;
    if (independent) return false;
    try {
      return !differ(x, y) && !differ(y, x);
    } catch (err) {
      if (err instanceof RangeError) return false; // too large to decide: keep the copy
      throw err;
    }
  };
  return {
    live: liveDnf,
    equiv,
  };
}
