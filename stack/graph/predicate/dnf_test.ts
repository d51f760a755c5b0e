import assert from "node:assert/strict";
import fc from "fast-check";
import { arbExpr } from "./_test_exprs.ts";
import { AtomTable } from "./atoms.ts";
import { buildPred, foldAlgebra } from "./algebra.ts";
import { DnfAlgebra, dnfEquiv, dnfSat } from "./dnf.ts";
import { allAssignments, predEquiv, predEquivHard, predEquivUnder } from "./equiv.ts";
import { fromExpr, isDnf, type Pred, PredOp, showPred } from "./expr.ts";
import { parsePredicate } from "./parse.ts";

/** Builds a parser/printer pair over a fresh atom table. */
function fixture() {
  const table = new AtomTable();
  const dnf = new DnfAlgebra(table);
  const fold = foldAlgebra(table);
  const p = (s: string): Pred => fromExpr(parsePredicate(s), table);
  return { table, dnf, fold, p };
}

/** Short-hand: single-letter atoms `a` mean `pred(a,a)`. */
function atoms(s: string): string {
  return s.replace(/\b([a-z])\b(?!\()/g, "pred($1,$1)");
}

Deno.test("P3 folding (reference §14)", async (t) => {
  const { fold, dnf, p, table } = fixture();
  const builders: [string, (s: string) => Pred][] = [
    ["fold", (s) => buildPred(fold, p(s))],
    ["dnf", (s) => dnf.toPred(buildPred(dnf, p(s)))],
  ];
  for (const [name, run] of builders) {
    await t.step(`${name}: or(a, not a) = true`, () => {
      const r = run(atoms("or(a,not(a))"));
      assert.equal(r.op, PredOp.True, showPred(r, table));
    });
    await t.step(`${name}: and(a, not a) = false`, () => {
      const r = run(atoms("and(a,not(a))"));
      assert.equal(r.op, PredOp.False, showPred(r, table));
    });
    await t.step(`${name}: and(pred(a,a1), pred(a,a2)) = false`, () => {
      const r = run("and(pred(a,a1),pred(a,a2))");
      assert.equal(r.op, PredOp.False, showPred(r, table));
    });
  }
  await t.step("fold keeps the meaning of constant-laden expressions", () => {
    for (
      const s of [
        "or(a,b,false)",
        "or(a,b,true)",
        "and(a,b,false)",
        "and(a,b,true)",
        "not(or(a,b,false))",
        "or(and(j),and(false),or(false),and(c))",
      ]
    ) {
      const e = p(atoms(s));
      assert.ok(predEquivHard(e, buildPred(fold, e), table), s);
    }
  });
});

Deno.test("P4 hard equivalence (reference §14)", async (t) => {
  const { p, table } = fixture();
  await t.step("or(a,b) ≡ or(b,a)", () => {
    assert.equal(predEquivHard(p(atoms("or(a,b)")), p(atoms("or(b,a)")), table), true);
  });
  await t.step("not(or(a,b)) ≡ and(not a, not b)", () => {
    assert.equal(
      predEquivHard(p(atoms("not(or(a,b))")), p(atoms("and(not(a),not(b))")), table),
      true,
    );
  });
  await t.step("not(and(a,b)) ≢ and(not a, not b)", () => {
    assert.equal(
      predEquivHard(p(atoms("not(and(a,b))")), p(atoms("and(not(a),not(b))")), table),
      false,
    );
  });
  await t.step("true ≢ false; atoms of one key are never both true", () => {
    assert.equal(predEquivHard(p("true"), p("false"), table), false);
    assert.equal(predEquivHard(p("and(pred(k,x),pred(k,y))"), p("false"), table), true);
    assert.equal(predEquivHard(p("or(not(pred(k,x)),not(pred(k,y)))"), p("true"), table), true);
  });
});

Deno.test("P5 DNF conversion is equivalent and in DNF (reference §14)", async (t) => {
  const { dnf, p, table } = fixture();
  for (
    const s of [
      "not(or(and(a,c),not(or(e)),not(and(y))))",
      "and(or(v,c),and(m,e),or(m,n))",
      "or(n,o,and(d,p))",
      "not(and(not(not(p)),not(and(l)),or(r,q)))",
      "true",
      "false",
    ]
  ) {
    await t.step(s, () => {
      const e = p(atoms(s));
      const d = dnf.toPred(buildPred(dnf, e));
      assert.ok(isDnf(d), showPred(d, table));
      assert.ok(predEquivHard(e, d, table), `${s} vs ${showPred(d, table)}`);
    });
  }
  await t.step("isDnf recognises the reference's examples", () => {
    assert.equal(isDnf(p(atoms("and(a,b)"))), true);
    assert.equal(isDnf(p(atoms("and(a,b,or(c,d))"))), false);
    assert.equal(isDnf(p(atoms("or(and(a),b)"))), true);
    assert.equal(isDnf(p(atoms("or(and(a,b),or(d,c))"))), false);
  });
  await t.step("subsumption drops a term that is a superset of another", () => {
    const d = buildPred(dnf, p(atoms("or(and(a,b,c),and(a,b),a)")));
    assert.equal(showPred(dnf.toPred(d), table), "pred(a,a)");
  });
});

Deno.test("P6 assignment enumeration (reference §14)", async (t) => {
  const { table } = fixture();
  const a = (k: string, v: string) => table.atom(k, v);
  const show = (xs: { atom: number; value: boolean }[][]) =>
    new Set(xs.map((x) => x.map((l) => `${table.show(l.atom)}:${l.value}`).sort().join(" ")));
  await t.step("[(a,a),(a,A)] → {a=a}, {a=A}, {both false}", () => {
    assert.deepEqual(
      show(allAssignments([a("a", "a"), a("a", "A")], table)),
      new Set(["a=a:true", "a=A:true", "a=A:false a=a:false"]),
    );
  });
  await t.step("[(a,a),(b,b)] → 4", () => {
    assert.equal(allAssignments([a("a", "a"), a("b", "b")], table).length, 4);
  });
  await t.step("[(a,a),(a,A),(b,b)] → 6", () => {
    const all = allAssignments([a("a", "a"), a("a", "A"), a("b", "b")], table);
    assert.equal(all.length, 6);
    assert.equal(show(all).size, 6);
  });
});

Deno.test("SAT, cheap equivalence, equivalence under a condition", async (t) => {
  const { dnf, p, table } = fixture();
  await t.step("dnfSat returns the surviving conjunctions", () => {
    const d = buildPred(dnf, p("and(pred(EthType,IPv4),or(pred(IpProt,UDP),pred(EthType,ARP)))"));
    const r = dnfSat(d);
    assert.equal(r.sat, true);
    assert.deepEqual(
      r.assignments.map((x) => x.map((l) => `${table.show(l.atom)}:${l.value}`)),
      [["EthType=IPv4:true", "IpProt=UDP:true"]],
    );
    assert.equal(dnfSat(buildPred(dnf, p("and(pred(d,7),pred(d,8))"))).sat, false);
  });
  await t.step("dnfEquiv ignores order but misses differently shaped equivalents", () => {
    assert.ok(dnfEquiv(buildPred(dnf, p(atoms("or(a,b)"))), buildPred(dnf, p(atoms("or(b,a)")))));
    // a∨(¬a∧b) ≡ a∨b, yet the normal forms differ: the cheap check is incomplete.
    const x = buildPred(dnf, p(atoms("or(a,and(not(a),b))")));
    const y = buildPred(dnf, p(atoms("or(a,b)")));
    assert.equal(dnfEquiv(x, y), false);
    assert.equal(predEquiv(dnf.toPred(x), dnf.toPred(y), table), true);
  });
  await t.step("equivalent under a condition: queue 1 sees only UDP port 7 (§4.4)", () => {
    const cond = p("and(pred(IpProt,UDP),pred(DstPort,p7))");
    const socket7 = p("and(pred(EthType,IPv4),pred(IpProt,UDP),pred(DstPort,p7))");
    const socket8 = p("and(pred(EthType,IPv4),pred(IpProt,UDP),pred(DstPort,p8))");
    assert.equal(predEquivUnder(socket8, p("false"), cond, table), true);
    assert.equal(predEquivUnder(socket7, p("pred(EthType,IPv4)"), cond, table), true);
    assert.equal(predEquivUnder(socket7, p("true"), cond, table), false);
  });
});

Deno.test("property: DNF and folding preserve meaning (exhaustive evaluation)", async (t) => {
  await t.step("DNF is equivalent and in DNF", () => {
    fc.assert(
      fc.property(arbExpr(4), (s) => {
        const { dnf, p, table } = fixture();
        const e = p(s);
        const d = dnf.toPred(buildPred(dnf, e));
        return isDnf(d) && predEquivHard(e, d, table);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  await t.step("folding is equivalent", () => {
    fc.assert(
      fc.property(arbExpr(4), (s) => {
        const { fold, p, table } = fixture();
        const e = p(s);
        return predEquivHard(e, buildPred(fold, e), table);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  await t.step("exact equivalence by DNF agrees with the truth table", () => {
    fc.assert(
      fc.property(arbExpr(3), arbExpr(3), (s1, s2) => {
        const { p, table } = fixture();
        const a = p(s1), b = p(s2);
        return predEquiv(a, b, table) === predEquivHard(a, b, table);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  await t.step("SAT by folding agrees with the truth table", () => {
    fc.assert(
      fc.property(arbExpr(4), (s) => {
        const { dnf, p, table } = fixture();
        const e = p(s);
        return dnfSat(buildPred(dnf, e)).sat === !predEquivHard(e, p("false"), table);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
