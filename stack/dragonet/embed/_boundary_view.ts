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
 * Equivalence (the redundancy test of §5.2): `dnfEquiv` of the seeded predicates first (the
 * reference's cheap check), then the complete check under `B`: `x ∧ ¬y` and `y ∧ ¬x` both dead.
 * `B` can make predicates equal that differ without it (a filter sending only UDP port 7 to the
 * queue makes the port-7 demux filter redundant). The complete check finds every equivalence the
 * reference's `dnfEquiv` of `B ∧ x` and `B ∧ y` finds, and some it misses (normal forms that
 * differ), so a copy is dropped at least as often; liveness is exact in both.
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
  /**
   * Whether every packet of the queue reaching a node leaves on one port: `reach = node ∧ port`
   * is equivalent to `node` (`port` is the port's local predicate). Same answer as
   * `equiv(reach, node)`, computed as "`node ∧ ¬port` is dead" (reach never exceeds node).
   */
  covers(reach: Dnf, node: Dnf, port: Dnf): boolean;
}

/**
 * The view of the queue whose boundary predicate is `boundary`, for LPG predicates computed with
 * the seed atom `opaque` (see the module doc).
 */
export function boundaryView(
  sat: PredSat,
  opaque: AtomId,
  boundary: Pred,
): BoundaryView {
  const table = sat.table;
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
  /**
   * Whether `y ∧ ¬x` is live, term by term: each term `u` of `y` conditions `x` (terms of `x`
   * contradicting `u` drop out, literals `u` implies are removed), so only the small residue of
   * `x` is negated; a term of `x` that `u` implies makes `u ∧ ¬x` dead at once.
   */
  const differ = (y: Dnf, x: Dnf): boolean => {
    for (const u of y) {
      if (!liveTerm(u)) continue;
      const has = new Set<number>(u);
      const posOf = new Map<KeyId, number>();
      for (const lit of u) if ((lit & 1) === 0) posOf.set(table.keyOf(lit >> 1), lit >> 1);
      const residue: Term[] = [];
      let implied = false;
      for (const w of x) {
        const rest: number[] = [];
        let conflict = false;
        for (const lit of w) {
          if (has.has(lit)) continue;
          const atom = lit >> 1;
          const p = posOf.get(table.keyOf(atom));
          if ((lit & 1) === 1) {
            if (p === atom) conflict = true;
            else if (p !== undefined) continue; // ¬(k,v2) implied by (k,v1)
          } else if (has.has(lit ^ 1) || (p !== undefined && p !== atom)) conflict = true;
          if (conflict) break;
          rest.push(lit);
        }
        if (conflict) continue;
        if (rest.length === 0) {
          implied = true;
          break;
        }
        residue.push(Int32Array.from(rest));
      }
      if (implied) continue;
      if (residue.length === 0) return true;
      if (liveDnf(small.and([[u], small.not(residue)]))) return true;
    }
    return false;
  };
  const equiv = (x: Dnf, y: Dnf): boolean => {
    if (dnfEquiv(x, y)) return true;
    try {
      return !differ(y, x) && !differ(x, y);
    } catch (err) {
      if (err instanceof RangeError) return false; // too large to decide: keep the copy
      throw err;
    }
  };
  const boundaryKeys = new Set([...atomsOf(boundary)].map((a) => table.keyOf(a)));
  const keysOf = (d: Dnf, out: Set<KeyId>): Set<KeyId> => {
    for (const t of d) for (const lit of t) out.add(table.keyOf(lit >> 1));
    return out;
  };
  const covers = (reach: Dnf, node: Dnf, port: Dnf): boolean => {
    if (dnfEquiv(reach, node)) return true;
    if (small.isTrue(port)) return false;
    // A port predicate over keys neither the boundary nor the node mentions (a default
    // (label, port) atom) can be false for any packet that reaches the node.
    const nodeKeys = keysOf(node, new Set(boundaryKeys));
    if ([...keysOf(port, new Set())].every((k) => !nodeKeys.has(k))) return !liveDnf(node);
    try {
      return !liveDnf(small.and([node, small.not(port)]));
    } catch (err) {
      if (err instanceof RangeError) return false; // too large to decide: keep the copy
      throw err;
    }
  };
  return { live: liveDnf, equiv, covers };
}
