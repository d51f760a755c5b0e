/**
 * The predicate engine's expression tree over interned atoms, with numeric operator codes.
 *
 * @module
 */
import type { PredicateExpr } from "../types.ts";
import type { AtomId, AtomTable } from "./atoms.ts";

/** Numeric operator codes of {@linkcode Pred}. */
export const PredOp = { False: 0, True: 1, Atom: 2, Not: 3, And: 4, Or: 5 } as const;

/** A path predicate over interned atoms (reference `dragonet-model.md` §4). */
export type Pred =
  | { readonly op: typeof PredOp.False }
  | { readonly op: typeof PredOp.True }
  | { readonly op: typeof PredOp.Atom; readonly atom: AtomId }
  | { readonly op: typeof PredOp.Not; readonly arg: Pred }
  | { readonly op: typeof PredOp.And; readonly args: readonly Pred[] }
  | { readonly op: typeof PredOp.Or; readonly args: readonly Pred[] };

/** The constant `true`. */
export const PRED_TRUE: Pred = { op: PredOp.True };
/** The constant `false`. */
export const PRED_FALSE: Pred = { op: PredOp.False };

/** Interns the atoms of a stored {@linkcode PredicateExpr} and returns the engine's tree. */
export function fromExpr(expr: PredicateExpr, table: AtomTable): Pred {
  switch (expr.op) {
    case "const":
      return expr.value ? PRED_TRUE : PRED_FALSE;
    case "atom":
      return { op: PredOp.Atom, atom: table.atom(expr.key, expr.value) };
    case "not":
      return { op: PredOp.Not, arg: fromExpr(expr.arg, table) };
    case "and":
      return { op: PredOp.And, args: expr.args.map((a) => fromExpr(a, table)) };
    case "or":
      return { op: PredOp.Or, args: expr.args.map((a) => fromExpr(a, table)) };
  }
}

/** Converts the engine's tree back to the stored {@linkcode PredicateExpr} form. */
export function toExpr(pred: Pred, table: AtomTable): PredicateExpr {
  switch (pred.op) {
    case PredOp.False:
      return { op: "const", value: false };
    case PredOp.True:
      return { op: "const", value: true };
    case PredOp.Atom:
      return { op: "atom", key: table.keyName(pred.atom), value: table.valueName(pred.atom) };
    case PredOp.Not:
      return { op: "not", arg: toExpr(pred.arg, table) };
    case PredOp.And:
      return { op: "and", args: pred.args.map((a) => toExpr(a, table)) };
    case PredOp.Or:
      return { op: "or", args: pred.args.map((a) => toExpr(a, table)) };
  }
}

/** Renders a predicate in the Unicorn syntax: `and(pred(EthType,IPv4),not(pred(IpProt,UDP)))`. */
export function showPred(pred: Pred, table: AtomTable): string {
  switch (pred.op) {
    case PredOp.False:
      return "false";
    case PredOp.True:
      return "true";
    case PredOp.Atom:
      return `pred(${table.keyName(pred.atom)},${table.valueName(pred.atom)})`;
    case PredOp.Not:
      return `not(${showPred(pred.arg, table)})`;
    case PredOp.And:
      return `and(${pred.args.map((a) => showPred(a, table)).join(",")})`;
    case PredOp.Or:
      return `or(${pred.args.map((a) => showPred(a, table)).join(",")})`;
  }
}

/** Collects the distinct atoms of a predicate into `out` (in first-seen order). */
export function atomsOf(pred: Pred, out: Set<AtomId> = new Set()): Set<AtomId> {
  switch (pred.op) {
    case PredOp.Atom:
      out.add(pred.atom);
      break;
    case PredOp.Not:
      atomsOf(pred.arg, out);
      break;
    case PredOp.And:
    case PredOp.Or:
      for (const a of pred.args) atomsOf(a, out);
      break;
  }
  return out;
}

/** Evaluates a predicate under an assignment (`assignment[atom]` non-zero = atom true). */
export function evalPred(pred: Pred, assignment: Uint8Array): boolean {
  switch (pred.op) {
    case PredOp.False:
      return false;
    case PredOp.True:
      return true;
    case PredOp.Atom:
      return assignment[pred.atom] === 1;
    case PredOp.Not:
      return !evalPred(pred.arg, assignment);
    case PredOp.And:
      for (const a of pred.args) if (!evalPred(a, assignment)) return false;
      return true;
    case PredOp.Or:
      for (const a of pred.args) if (evalPred(a, assignment)) return true;
      return false;
  }
}

/** Returns whether a predicate is in disjunctive normal form (an OR of ANDs of literals). */
export function isDnf(pred: Pred): boolean {
  const isLiteral = (p: Pred) =>
    p.op === PredOp.Atom || (p.op === PredOp.Not && p.arg.op === PredOp.Atom);
  const isTerm = (p: Pred) => isLiteral(p) || (p.op === PredOp.And && p.args.every(isLiteral));
  if (pred.op === PredOp.True || pred.op === PredOp.False) return true;
  if (pred.op === PredOp.Or) return pred.args.every(isTerm);
  return isTerm(pred);
}
