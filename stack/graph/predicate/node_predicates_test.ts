import assert from "node:assert/strict";
import fc from "fast-check";
import type { Edge, Graph, GraphNode, NodeId, NodeSpec, PredicateExpr } from "../types.ts";
import { AtomTable } from "./atoms.ts";
import { buildPred, foldAlgebra, plainAlgebra } from "./algebra.ts";
import { DnfAlgebra } from "./dnf.ts";
import { predEquivHard } from "./equiv.ts";
import { fromExpr, PredOp, showPred } from "./expr.ts";
import { GraphPredicates, PredicateGraphError } from "./node_predicates.ts";
import { formatPredicate, parsePredicate } from "./parse.ts";
import { udpMatch } from "./vocabulary.ts";
import { parseGraph } from "../json.ts";
import sharedG1 from "../../../tests/graphs/g1.json" with { type: "json" };

type Kind = "bool" | "node" | "and" | "or" | "nand" | "nor";

/** A node of a compact test description: kind, port -> targets, explicit port predicates. */
interface TestNode {
  readonly kind: Kind;
  readonly out?: Readonly<Record<string, readonly string[]>>;
  readonly pred?: Readonly<Record<string, string>>;
  readonly spawn?: readonly { readonly to: string; readonly pred?: string }[];
}

/** Builds graph data from a compact description (one spec per node, like Unicorn). */
function graphOf(name: string, desc: Readonly<Record<string, TestNode>>): Graph {
  const specs: Record<string, NodeSpec> = {};
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [];
  for (const [id, n] of Object.entries(desc)) {
    const ports = n.kind === "node" ? Object.keys(n.out ?? {}) : ["true", "false"];
    const predicates: Record<string, PredicateExpr> = {};
    for (const [p, s] of Object.entries(n.pred ?? {})) predicates[p] = parsePredicate(s);
    specs[id] = {
      name: id,
      kind: n.kind === "bool" || n.kind === "node" ? "fnode" : n.kind,
      ports,
      predicates,
    };
    nodes.push({ id: id as NodeId, spec: id, origin: "LPG" });
    for (const [port, targets] of Object.entries(n.out ?? {})) {
      for (const to of targets) {
        edges.push({ kind: "port", from: id as NodeId, port, to: to as NodeId });
      }
    }
    for (const [k, s] of (n.spawn ?? []).entries()) {
      edges.push({
        kind: "spawn",
        from: id as NodeId,
        spawn: `s${k}`,
        to: s.to as NodeId,
        ...(s.pred === undefined ? {} : { predicate: parsePredicate(s.pred) }),
      });
    }
  }
  return { schemaVersion: 1, name, specs, nodes, edges };
}

const both = (t: string): Record<string, string[]> => ({ true: [t], false: [t] });

/**
 * Graph g1 of the original `tests/Predicate.hs`, with F1's true-port predicate `pred(Prop1,Y)` as
 * reference §14 P2 states it ("branches requiring Prop1=X and Prop1=Y"; the original file has
 * `pred(Prop2,Y)` and also AND-ed the default atom, which §4.2 says the lab must not).
 */
const g1 = graphOf("g1", {
  A1: { kind: "bool", out: both("A3_") },
  A2: { kind: "bool", out: both("A3_") },
  A3_: { kind: "and", out: { true: ["A3"] } },
  A3: { kind: "node" },
  B: { kind: "bool", out: { true: ["B1"] } },
  B1: { kind: "node" },
  C0: { kind: "node", out: { o: ["C1", "C2"], dummy: [] } },
  C1: { kind: "bool", out: both("C3_") },
  C2: { kind: "bool", out: both("C3_") },
  C3_: { kind: "and", out: { true: ["C3"] } },
  C3: { kind: "node" },
  D0: { kind: "node", out: { o1: ["D1"], o2: ["D2"] } },
  D1: { kind: "bool", out: both("D3_") },
  D2: { kind: "bool", out: both("D3_") },
  D3_: { kind: "or", out: { true: ["D3"] } },
  D3: { kind: "node" },
  E1: { kind: "bool", out: both("E3_") },
  E2: { kind: "bool", out: both("E3_") },
  E3_: { kind: "or", out: { true: ["E3"] } },
  E3: { kind: "node" },
  F0: { kind: "node", out: { p1: ["F1"], p2: ["F2"] }, pred: { p1: "pred(Prop1,X)" } },
  F1: { kind: "bool", out: both("F3_"), pred: { true: "pred(Prop1,Y)" } },
  F2: { kind: "bool", out: both("F3_") },
  F3_: { kind: "and", out: { true: ["F3"] } },
  F3: { kind: "node" },
  Gsrc1: { kind: "bool", out: both("G1") },
  Gsrc2: { kind: "bool", out: both("G1") },
  Gsrc3: { kind: "bool", out: both("G2") },
  G1: { kind: "and", out: both("G2") },
  G2: { kind: "or", out: { true: ["G"] } },
  G: { kind: "node" },
});

function expectReach(graph: Graph, facts: readonly [string, string][]) {
  const table = new AtomTable();
  const dnf = new DnfAlgebra(table);
  const viaDnf = new GraphPredicates(graph, table, dnf);
  const viaPlain = new GraphPredicates(graph, table, plainAlgebra);
  const viaFold = new GraphPredicates(graph, table, foldAlgebra(table));
  for (const [id, expected] of facts) {
    const want = fromExpr(parsePredicate(expected), table);
    const got = dnf.toPred(viaDnf.nodePred(id as NodeId));
    assert.ok(
      predEquivHard(got, want, table),
      `${id}: expected ${expected}, got ${showPred(got, table)}`,
    );
    assert.ok(predEquivHard(viaPlain.nodePred(id as NodeId), want, table), `${id} (plain)`);
    assert.ok(predEquivHard(viaFold.nodePred(id as NodeId), want, table), `${id} (fold)`);
  }
}

Deno.test("P1 reach predicates of g1 (reference §14)", async (t) => {
  const facts: [string, string][] = [
    ["A3", "and(pred(A1,true),pred(A2,true))"],
    ["B1", "pred(B,true)"],
    ["C3", "and(pred(C1,true),pred(C2,true),pred(C0,o))"],
    ["D3", "or(and(pred(D0,o1),pred(D1,true)),and(pred(D0,o2),pred(D2,true)))"],
    ["E3", "or(pred(E1,true),pred(E2,true))"],
    ["G", "or(pred(Gsrc3,true),and(pred(Gsrc1,true),pred(Gsrc2,true)))"],
  ];
  for (const fact of facts) {
    await t.step(`${fact[0]} = ${fact[1]}`, () => expectReach(g1, [fact]));
  }
  await t.step("a wrong expectation is detected", () => {
    assert.throws(() => expectReach(g1, [["A3", "or(pred(A1,true),pred(A2,true))"]]));
  });
});

Deno.test("P2 explicit port predicates (reference §14)", async (t) => {
  await t.step("F1 = Prop1=X: the override replaces the default atom", () => {
    expectReach(g1, [["F1", "pred(Prop1,X)"]]);
  });
  await t.step("F3 = false: its AND needs Prop1=X and Prop1=Y", () => {
    expectReach(g1, [["F3", "false"]]);
    const table = new AtomTable();
    const dnf = new DnfAlgebra(table);
    assert.equal(dnf.isFalse(new GraphPredicates(g1, table, dnf).nodePred("F3" as NodeId)), true);
  });
});

Deno.test("P1/P2 hold on the shared example graph tests/graphs/g1.json", () => {
  // There F0.p1 carries Prop1=X and F0.p2 carries Prop1=Y, another reading of §14 P2.
  const g = parseGraph(JSON.stringify(sharedG1), "tests/graphs/g1.json");
  expectReach(g, [
    ["A3", "and(pred(A1,true),pred(A2,true))"],
    ["B1", "pred(B,true)"],
    ["C3", "and(pred(C1,true),pred(C2,true),pred(C0,o))"],
    ["D3", "or(and(pred(D0,o1),pred(D1,true)),and(pred(D0,o2),pred(D2,true)))"],
    ["E3", "or(pred(E1,true),pred(E2,true))"],
    ["G", "or(pred(Gsrc3,true),and(pred(Gsrc1,true),pred(Gsrc2,true)))"],
    ["F1", "pred(Prop1,X)"],
    ["F3", "false"],
  ]);
});

Deno.test("O-node rules, spawn edges, seeds and bad graphs", async (t) => {
  await t.step("false outputs use the dual operator; NAND and NOR negate", () => {
    const g = graphOf("ops", {
      X: {
        kind: "bool",
        out: { true: ["AND", "OR", "NAND", "NOR"], false: ["AND", "OR", "NAND", "NOR"] },
      },
      Y: {
        kind: "bool",
        out: { true: ["AND", "OR", "NAND", "NOR"], false: ["AND", "OR", "NAND", "NOR"] },
      },
      AND: { kind: "and", out: { true: ["ANDt"], false: ["ANDf"] } },
      OR: { kind: "or", out: { true: ["ORt"], false: ["ORf"] } },
      NAND: { kind: "nand", out: { true: ["NANDt"], false: ["NANDf"] } },
      NOR: { kind: "nor", out: { true: ["NORt"], false: ["NORf"] } },
      ANDt: { kind: "node" },
      ANDf: { kind: "node" },
      ORt: { kind: "node" },
      ORf: { kind: "node" },
      NANDt: { kind: "node" },
      NANDf: { kind: "node" },
      NORt: { kind: "node" },
      NORf: { kind: "node" },
    });
    const x = "pred(X,true)", y = "pred(Y,true)", nx = "pred(X,false)", ny = "pred(Y,false)";
    const reached = `or(${x},${nx},${y},${ny})`;
    expectReach(g, [
      ["ANDt", `and(${x},${y})`],
      ["ANDf", `or(${nx},${ny})`],
      ["ORt", `or(${x},${y})`],
      ["ORf", `and(${nx},${ny})`],
      ["NANDt", `and(not(and(${x},${y})),${reached})`],
      ["NANDf", `and(not(or(${nx},${ny})),${reached})`],
      ["NORt", `and(not(or(${x},${y})),${reached})`],
      ["NORf", `and(not(and(${nx},${ny})),${reached})`],
    ]);
  });
  await t.step("an OR fed only by true-inputs never outputs false (a queue's OR node)", () => {
    const g = graphOf("queue-or", {
      F1: { kind: "bool", out: { true: ["Q0Valid"], false: ["F2"] } },
      F2: { kind: "bool", out: { true: ["Q0Valid"], false: [] } },
      Q0Valid: { kind: "or", out: { true: ["Q0"], false: ["Never"] } },
      Q0: { kind: "node" },
      Never: { kind: "node" },
    });
    expectReach(g, [
      ["Q0", "or(pred(F1,true),and(pred(F1,false),pred(F2,true)))"],
      ["Q0Valid", "or(pred(F1,true),and(pred(F1,false),pred(F2,true)))"],
      ["Never", "false"],
    ]);
  });
  await t.step("entry nodes: true, or the OR of spawn predicates (placeholder when none)", () => {
    const g = graphOf("spawn", {
      Init: {
        kind: "node",
        out: { out: [] },
        spawn: [{ to: "Tx" }, { to: "Rx", pred: "pred(Q,q1)" }],
      },
      Poll: { kind: "node", out: { out: ["Rx"] } },
      Rx: { kind: "node" },
      Tx: { kind: "node" },
    });
    expectReach(g, [
      ["Init", "true"],
      ["Tx", "pred(SPAWN.Init,XX)"],
      ["Rx", "or(pred(Poll,out),pred(Q,q1))"],
    ]);
  });
  await t.step("a seed cuts recursion and stands for the node's predicate", () => {
    const table = new AtomTable();
    const dnf = new DnfAlgebra(table);
    const boundary = dnf.atom(table.atom("DstPort", "p7"));
    const preds = new GraphPredicates(g1, table, dnf, {
      seed: (n) => (n.id === "C0" ? boundary : undefined),
    });
    const want = fromExpr(
      parsePredicate("and(pred(DstPort,p7),pred(C0,o),pred(C1,true),pred(C2,true))"),
      table,
    );
    assert.ok(predEquivHard(dnf.toPred(preds.nodePred("C3" as NodeId)), want, table));
  });
  await t.step("an unconfigured C-node port feeding an O-node counts as a true-input", () => {
    const g = graphOf("cnode", {
      In: { kind: "node", out: { out: ["Filters"] } },
      Filters: { kind: "node", out: { queues: ["Q1Valid"], default: ["Q0Valid"] } },
      Q0Valid: { kind: "or", out: { true: ["Q0"] } },
      Q1Valid: { kind: "or", out: { true: ["Q1"] } },
      Q0: { kind: "node" },
      Q1: { kind: "node" },
    });
    const asConfig: Graph = {
      ...g,
      specs: {
        ...g.specs,
        Filters: { ...g.specs["Filters"] as NodeSpec, kind: "config" },
      },
    };
    expectReach(asConfig, [
      ["Q0", "and(pred(In,out),pred(Filters,default))"],
      ["Q1", "and(pred(In,out),pred(Filters,queues))"],
    ]);
    // From an F-node the same edges are refused (quirk Q9), every time they are needed.
    const table = new AtomTable();
    const preds = new GraphPredicates(g, table, plainAlgebra);
    assert.throws(() => preds.nodePred("Q0" as NodeId), /O-node "Q0Valid"/);
    assert.throws(() => preds.nodePred("Q0" as NodeId), /O-node "Q0Valid"/);
  });
  await t.step("live ports: where packets of a class can leave a node", () => {
    const m7 = formatPredicate(udpMatch({ dstPort: 7 }));
    const m8 = formatPredicate(udpMatch({ dstPort: 8 }));
    const g = graphOf("chain", {
      In: { kind: "node", out: { out: ["F7"] } },
      F7: {
        kind: "bool",
        out: { true: ["Q1"], false: ["F8"] },
        pred: { true: m7, false: `not(${m7})` },
      },
      F8: {
        kind: "bool",
        out: { true: ["Q2"], false: ["Q0"] },
        pred: { true: m8, false: `not(${m8})` },
      },
      Q0: { kind: "node" },
      Q1: { kind: "node" },
      Q2: { kind: "node" },
    });
    const table = new AtomTable();
    const dnf = new DnfAlgebra(table);
    const preds = new GraphPredicates(g, table, dnf);
    const flow = buildPred(dnf, fromExpr(udpMatch({ srcPort: 1000, dstPort: 8 }), table));
    assert.deepEqual(preds.livePorts("F7" as NodeId, flow), ["false"]);
    assert.deepEqual(preds.livePorts("F8" as NodeId, flow), ["true"]);
    const anyUdp = buildPred(dnf, fromExpr(udpMatch({}), table));
    assert.deepEqual(preds.livePorts("F8" as NodeId, anyUdp), ["true", "false"]);
    assert.deepEqual(preds.ports("In" as NodeId), ["out"]);
  });
  await t.step("port predicates and reach of ports", () => {
    const table = new AtomTable();
    const dnf = new DnfAlgebra(table);
    const preds = new GraphPredicates(g1, table, dnf);
    assert.equal(
      showPred(dnf.toPred(preds.portPred("F0" as NodeId, "p1")), table),
      "pred(Prop1,X)",
    );
    assert.equal(showPred(dnf.toPred(preds.portPred("F0" as NodeId, "p2")), table), "pred(F0,p2)");
    assert.equal(
      showPred(dnf.toPred(preds.portReach("G1" as NodeId, "false")), table),
      "or(pred(Gsrc1,false),pred(Gsrc2,false))",
    );
    assert.throws(
      () => preds.portReach("F0" as NodeId, "p9"),
      /node "F0" has no port "p9" \(ports: p1, p2\)/,
    );
    assert.throws(() => preds.nodePred("Nope" as NodeId), /graph "g1" has no node "Nope"/);
  });
  await t.step("cycles of normal edges and bad O-node inputs are refused clearly", () => {
    const cyc = graphOf("cyc", {
      S: { kind: "node", out: { out: ["A"] } },
      A: { kind: "node", out: { out: ["B"] } },
      B: { kind: "node", out: { out: ["A"] } },
    });
    const table = new AtomTable();
    assert.throws(
      () => new GraphPredicates(cyc, table, plainAlgebra).nodePred("B" as NodeId),
      PredicateGraphError,
    );
    const bad = graphOf("bad", {
      S: { kind: "node", out: { out: ["O"] } },
      O: { kind: "and", out: { true: [] } },
    });
    const badPreds = new GraphPredicates(bad, table, plainAlgebra);
    assert.throws(() => badPreds.nodePred("O" as NodeId), /O-node "O"/);
    assert.equal(badPreds.nodePred("S" as NodeId).op, PredOp.True);
    assert.throws(
      () => badPreds.nodePred("O" as NodeId),
      /O-node "O": it has an input from port "out" of "S", allowed are true and false/,
    );
  });
});

/** A random small DAG description: entry E, then boolean F-nodes and O-nodes over earlier ones. */
function arbGraph(): fc.Arbitrary<Record<string, TestNode>> {
  const step = fc.record({
    op: fc.constantFrom<Kind>("bool", "bool", "and", "or", "nand", "nor"),
    inputs: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 3 }),
    explicit: fc.option(fc.constantFrom("pred(k,x)", "pred(k,y)", "not(pred(m,z))"), {
      nil: undefined,
    }),
  });
  return fc.array(step, { minLength: 1, maxLength: 7 }).map((steps) => {
    const desc: Record<
      string,
      { kind: Kind; out: Record<string, string[]>; pred?: Record<string, string> }
    > = {
      E: { kind: "node", out: { a: [], b: [] } },
    };
    const names = ["E"];
    steps.forEach((s, i) => {
      const name = `N${i}`;
      const sources = s.op === "bool" ? s.inputs.slice(0, 1) : s.inputs;
      for (const [pick, truePort] of sources) {
        const src = names[pick % names.length] as string;
        const srcDesc = desc[src] as { out: Record<string, string[]> };
        const port = src === "E" ? (truePort ? "a" : "b") : String(truePort);
        if (src === "E" && s.op !== "bool") continue; // O-node inputs need true/false ports
        (srcDesc.out[port] ??= []).push(name);
      }
      desc[name] = {
        kind: s.op,
        out: { true: [], false: [] },
        ...(s.op === "bool" && s.explicit !== undefined ? { pred: { true: s.explicit } } : {}),
      };
      names.push(name);
    });
    // Drop duplicate edges (same source port to the same target).
    for (const d of Object.values(desc)) {
      for (const p of Object.keys(d.out)) d.out[p] = [...new Set(d.out[p])];
    }
    return desc;
  });
}

Deno.test("property: DNF, folding and plain node predicates agree on random graphs", () => {
  fc.assert(
    fc.property(arbGraph(), (desc) => {
      const g = graphOf("random", desc);
      const table = new AtomTable();
      const dnf = new DnfAlgebra(table);
      const viaDnf = new GraphPredicates(g, table, dnf);
      const viaPlain = new GraphPredicates(g, table, plainAlgebra);
      const viaFold = new GraphPredicates(g, table, foldAlgebra(table));
      for (const n of g.nodes) {
        const plain = viaPlain.nodePred(n.id);
        assert.ok(predEquivHard(dnf.toPred(viaDnf.nodePred(n.id)), plain, table), n.id);
        assert.ok(predEquivHard(viaFold.nodePred(n.id), plain, table), n.id);
      }
    }),
    { seed: 42, numRuns: 150 },
  );
});
