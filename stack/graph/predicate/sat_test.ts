import assert from "node:assert/strict";
import fc from "fast-check";
import { arbExpr } from "./_test_exprs.ts";
import { AtomTable } from "./atoms.ts";
import { buildPred } from "./algebra.ts";
import { DnfAlgebra } from "./dnf.ts";
import { predEquivHard } from "./equiv.ts";
import { fromExpr, type Pred, PredOp } from "./expr.ts";
import { parsePredicate } from "./parse.ts";
import { PredSat } from "./sat.ts";
import { udpMatch } from "./vocabulary.ts";

function fixture() {
  const table = new AtomTable();
  const p = (s: string): Pred => fromExpr(parsePredicate(s), table);
  return { table, p, sat: new PredSat(table), dnf: new DnfAlgebra(table) };
}

Deno.test("PredSat: satisfiability under single-valued atoms", async (t) => {
  await t.step("two values of one key contradict; one value and no value do not", () => {
    const { p, sat } = fixture();
    assert.equal(sat.satisfiable(p("and(pred(DstPort,p7),pred(DstPort,p8))")), false);
    assert.equal(sat.satisfiable(p("and(pred(DstPort,p7),not(pred(DstPort,p8)))")), true);
    assert.equal(sat.satisfiable(p("and(not(pred(DstPort,p7)),not(pred(DstPort,p8)))")), true);
    assert.equal(sat.satisfiable(p("and(pred(a,a),not(pred(a,a)))")), false);
    assert.equal(sat.satisfiable(p("false")), false);
    assert.equal(sat.satisfiable(p("true")), true);
  });

  await t.step("literals are assumptions; contradictory assumptions are unsatisfiable", () => {
    const { p, sat, table } = fixture();
    const e = p("or(pred(IpProt,UDP),pred(IpProt,TCP))");
    const udp = (table.find("IpProt", "UDP") as number) * 2;
    const tcp = (table.find("IpProt", "TCP") as number) * 2;
    assert.equal(sat.satisfiable(e, [udp]), true);
    assert.equal(sat.satisfiable(e, [udp + 1, tcp + 1]), false);
    assert.equal(sat.satisfiable(p("true"), [udp, tcp]), false);
    // Assumptions do not leak into the next call.
    assert.equal(sat.satisfiable(e), true);
  });

  await t.step("the default queue behind many five-tuple filters (DNF would explode)", () => {
    const { table, sat } = fixture();
    const flows = Array.from({ length: 40 }, (_, k) =>
      fromExpr(
        udpMatch({ srcIp: 0x0a010000 + k, srcPort: 4000 + k, dstIp: 0x0a000001, dstPort: 11211 }),
        table,
      ));
    const rest: Pred = {
      op: PredOp.And,
      args: flows.map((f): Pred => ({ op: PredOp.Not, arg: f })),
    };
    assert.equal(sat.satisfiable(rest), true);
    // Any packet of flow 3 is claimed by its filter, so it never reaches the default queue.
    const flow3: Pred = { op: PredOp.And, args: [rest, flows[3] as Pred] };
    assert.equal(sat.satisfiable(flow3), false);
    const bounded = new DnfAlgebra(table, { maxTerms: 10_000 });
    assert.throws(() => buildPred(bounded, rest), /more than maxTerms 10000/);
  });

  await t.step("a search over its step budget throws a clear error", () => {
    const table = new AtomTable();
    const tiny = new PredSat(table, { maxSteps: 1 });
    const e = fromExpr(parsePredicate("and(or(pred(a,a),pred(b,b)),not(pred(a,a)))"), table);
    assert.throws(() => tiny.satisfiable(e), /more than maxSteps 1 steps/);
    assert.throws(() => new PredSat(table, { maxSteps: 0 }), /maxSteps must be an integer >= 1/);
  });
});

Deno.test("property: PredSat agrees with the truth table and with DNF folding", () => {
  fc.assert(
    fc.property(arbExpr(4), (s) => {
      const { p, sat, table, dnf } = fixture();
      const e = p(s);
      const truth = !predEquivHard(e, p("false"), table);
      return sat.satisfiable(e) === truth && !dnf.isFalse(buildPred(dnf, e)) === truth;
    }),
    { seed: 42, numRuns: 300 },
  );
});

Deno.test("property: PredSat under assumptions agrees with the truth table of the conjunction", () => {
  const leaves = ["pred(a,a)", "pred(a,A)", "pred(b,b)", "pred(d,d)", "pred(d,D)"];
  const arbLits = fc.uniqueArray(
    fc.record({ leaf: fc.constantFrom(...leaves), negated: fc.boolean() }),
    { maxLength: 3, selector: (l) => l.leaf },
  );
  fc.assert(
    fc.property(arbExpr(4), arbLits, (s, lits) => {
      const { p, sat, table } = fixture();
      const e = p(s);
      const parts = lits.map((l) => p(l.negated ? `not(${l.leaf})` : l.leaf));
      const literals = lits.map((l) => {
        const atom = p(l.leaf);
        return atom.op === PredOp.Atom ? atom.atom * 2 + (l.negated ? 1 : 0) : -1;
      });
      const both: Pred = { op: PredOp.And, args: [e, ...parts] };
      const truth = !predEquivHard(both, p("false"), table);
      return sat.satisfiable(e, literals) === truth;
    }),
    { seed: 42, numRuns: 300 },
  );
});
