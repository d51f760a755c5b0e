/**
 * Assignment enumeration and predicate equivalence: exhaustive (tests only), exact by DNF, and
 * under a condition.
 *
 * Source: reference `dragonet-model.md` §4.3 (`predEquivHard`, `predEquivUnder`,
 * `getAllAssigns`).
 *
 * @module
 */
import type { AtomId, AtomTable } from "./atoms.ts";
import { buildPred } from "./algebra.ts";
import { type AtomAssignment, DnfAlgebra } from "./dnf.ts";
import { atomsOf, evalPred, type Pred, PRED_TRUE } from "./expr.ts";

/** Default most assignments {@linkcode predEquivHard} agrees to evaluate. */
export const DEFAULT_MAX_ASSIGNMENTS = 1 << 20;

/** Groups atoms by key, keys and atoms in first-seen order. */
function groupByKey(atoms: Iterable<AtomId>, table: AtomTable): AtomId[][] {
  const groups = new Map<number, AtomId[]>();
  for (const a of atoms) {
    const k = table.keyOf(a);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [a]);
    else if (!g.includes(a)) g.push(a);
  }
  return [...groups.values()];
}

function countAssignments(groups: readonly AtomId[][]): number {
  let n = 1;
  for (const g of groups) n *= g.length + 1;
  return n;
}

/**
 * Every assignment of `atoms` that respects single-valued keys (reference §4.3 and test P6): per
 * key, either exactly one of its atoms is true (only that one is listed) or all are false (all
 * listed as false). `[(a,a),(a,A),(b,b)]` yields 6 assignments.
 */
export function allAssignments(atoms: readonly AtomId[], table: AtomTable): AtomAssignment[][] {
  const groups = groupByKey(atoms, table);
  let acc: AtomAssignment[][] = [[]];
  for (const g of groups) {
    const choices: AtomAssignment[][] = [
      ...g.map((a) => [{ atom: a, value: true }]),
      g.map((a) => ({ atom: a, value: false })),
    ];
    acc = acc.flatMap((prefix) => choices.map((c) => [...prefix, ...c]));
  }
  return acc;
}

/**
 * Calls `visit` with a 0/1 array indexed by atom id for every single-valued assignment of the
 * given atoms; stops early when `visit` returns `false`. Returns whether it visited all.
 */
function forEachAssignment(
  groups: readonly AtomId[][],
  size: number,
  visit: (assignment: Uint8Array) => boolean,
): boolean {
  const assignment = new Uint8Array(size);
  // choice[i] in 0..g.length: index of the true atom of group i, or g.length for "all false".
  const choice = groups.map((g) => g.length);
  while (true) {
    if (!visit(assignment)) return false;
    let i = groups.length - 1;
    for (; i >= 0; i--) {
      const g = groups[i] as AtomId[];
      const c = choice[i] as number;
      if (c < g.length) assignment[g[c] as number] = 0;
      if (c === g.length) {
        choice[i] = 0;
        assignment[g[0] as number] = 1;
        break;
      }
      if (c + 1 < g.length) {
        choice[i] = c + 1;
        assignment[g[c + 1] as number] = 1;
        break;
      }
      choice[i] = g.length; // wrap to "all false", carry
    }
    if (i < 0) return true;
  }
}

/**
 * Exhaustive equivalence by truth table over all atoms of both predicates, atoms sharing a key
 * enumerated as "exactly one true" or "all false" (reference §4.3 `predEquivHard`). Exponential:
 * for tests only.
 *
 * @throws {RangeError} when more than `maxAssignments` assignments would be needed.
 */
export function predEquivHard(
  a: Pred,
  b: Pred,
  table: AtomTable,
  maxAssignments: number = DEFAULT_MAX_ASSIGNMENTS,
): boolean {
  const groups = groupByKey(atomsOf(b, atomsOf(a)), table);
  const n = countAssignments(groups);
  if (n > maxAssignments) {
    throw new RangeError(
      `Cannot compare predicates exhaustively: ${n} assignments needed, maxAssignments is ${maxAssignments}`,
    );
  }
  return forEachAssignment(groups, table.size, (x) => evalPred(a, x) === evalPred(b, x));
}

/** Whether `pred` is true under the given partial assignment with every other atom false. */
export function satisfiedBy(pred: Pred, trueAtoms: readonly AtomId[], table: AtomTable): boolean {
  const x = new Uint8Array(table.size);
  for (const a of trueAtoms) x[a] = 1;
  return evalPred(pred, x);
}

/**
 * Equivalence under a condition (reference §4.3 `predEquivUnder`): `a` and `b` agree on every
 * assignment that satisfies `cond`. Decided exactly: `cond ∧ (a ⊕ b)` has no surviving DNF term.
 */
export function predEquivUnder(
  a: Pred,
  b: Pred,
  cond: Pred,
  table: AtomTable,
  dnf: DnfAlgebra = new DnfAlgebra(table),
): boolean {
  const da = buildPred(dnf, a);
  const db = buildPred(dnf, b);
  const differ = dnf.or([dnf.and([da, dnf.not(db)]), dnf.and([dnf.not(da), db])]);
  return dnf.isFalse(dnf.and([buildPred(dnf, cond), differ]));
}

/** Exact equivalence of two predicates through the DNF builder (no truth table). */
export function predEquiv(
  a: Pred,
  b: Pred,
  table: AtomTable,
  dnf: DnfAlgebra = new DnfAlgebra(table),
): boolean {
  return predEquivUnder(a, b, PRED_TRUE, table, dnf);
}
