/**
 * Builds graph g1 of Dragonet's predicate tests (`tests/Predicate.hs` of BarrelfishOS/dragonet,
 * reference `dragonet-model.md` §14 "Predicates"): small groups of boolean F-nodes feeding AND/OR
 * nodes, one F-node with an explicit port predicate. `g1.json` beside this file is its JSON form.
 *
 * Changes from the stored original: every node without inputs is marked `source` and every node
 * without ports `sink` (the original had no such attributes in g1), so the graph validates
 * cleanly; and `F0.p2` carries the predicate `pred(Prop1,Y)`, the version the reference's fact P2
 * describes ("F3 = false: AND of branches requiring Prop1=X and Prop1=Y").
 *
 * @module
 */
import { GraphBuilder } from "../../stack/graph/builder.ts";
import { atom } from "../../stack/graph/expr.ts";
import { defineSpec, type Graph } from "../../stack/graph/types.ts";

const boolean = defineSpec(
  { name: "g1.boolean", kind: "fnode", ports: ["true", "false"] } as const,
);
const leaf = defineSpec({ name: "g1.node", kind: "fnode", ports: [] } as const);
const and = defineSpec({ name: "g1.and", kind: "and", ports: ["true", "false"] } as const);
const or = defineSpec({ name: "g1.or", kind: "or", ports: ["true", "false"] } as const);
const c0 = defineSpec({ name: "g1.c0", kind: "fnode", ports: ["o", "dummy"] } as const);
const d0 = defineSpec({ name: "g1.d0", kind: "fnode", ports: ["o1", "o2"] } as const);
const f0 = defineSpec({ name: "g1.f0", kind: "fnode", ports: ["p1", "p2"] } as const);

const source = { source: true } as const;
const sink = { sink: true } as const;

/** Returns graph g1 as graph data. */
export function buildG1(): Graph {
  const b = new GraphBuilder("g1", { origin: "LPG" });

  // A3 = A1.true AND A2.true
  for (const name of ["A1", "A2"]) {
    b.node(name, boolean, { attributes: source, out: { true: "A3_", false: "A3_" } });
  }
  b.node("A3_", and, { out: { true: "A3" } });
  b.node("A3", leaf, { attributes: sink });

  // B1 behind B.true
  b.node("B", boolean, { attributes: source, out: { true: "B1" } });
  b.node("B1", leaf, { attributes: sink });

  // C3 = C0.o AND C1.true AND C2.true
  b.node("C0", c0, { attributes: source, out: { o: ["C1", "C2"] } });
  for (const name of ["C1", "C2"]) b.node(name, boolean, { out: { true: "C3_", false: "C3_" } });
  b.node("C3_", and, { out: { true: "C3" } });
  b.node("C3", leaf, { attributes: sink });

  // D3 = (D0.o1 AND D1.true) OR (D0.o2 AND D2.true)
  b.node("D0", d0, { attributes: source, out: { o1: "D1", o2: "D2" } });
  for (const name of ["D1", "D2"]) b.node(name, boolean, { out: { true: "D3_", false: "D3_" } });
  b.node("D3_", or, { out: { true: "D3" } });
  b.node("D3", leaf, { attributes: sink });

  // E3 = E1.true OR E2.true
  for (const name of ["E1", "E2"]) {
    b.node(name, boolean, { attributes: source, out: { true: "E3_", false: "E3_" } });
  }
  b.node("E3_", or, { out: { true: "E3" } });
  b.node("E3", leaf, { attributes: sink });

  // F: explicit port predicates; F3 = false (needs Prop1=X and Prop1=Y)
  b.node("F0", f0, {
    attributes: source,
    predicates: { p1: atom("Prop1", "X"), p2: atom("Prop1", "Y") },
    out: { p1: "F1", p2: "F2" },
  });
  b.node("F1", boolean, {
    predicates: { true: atom("Prop2", "Y") },
    out: { true: "F3_", false: "F3_" },
  });
  b.node("F2", boolean, { out: { true: "F3_", false: "F3_" } });
  b.node("F3_", and, { out: { true: "F3" } });
  b.node("F3", leaf, { attributes: sink });

  // G = Gsrc3.true OR (Gsrc1.true AND Gsrc2.true)
  for (const name of ["Gsrc1", "Gsrc2"]) {
    b.node(name, boolean, { attributes: source, out: { true: "G1", false: "G1" } });
  }
  b.node("Gsrc3", boolean, { attributes: source, out: { true: "G2", false: "G2" } });
  b.node("G1", and, { out: { true: "G2", false: "G2" } });
  b.node("G2", or, { out: { true: "G" } });
  b.node("G", leaf, { attributes: sink });

  return b.build();
}
