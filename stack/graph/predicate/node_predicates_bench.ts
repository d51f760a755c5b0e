/**
 * Speed of node-predicate computation and DNF conversion. Reported, never asserted.
 *
 * Run: `deno bench stack/graph/predicate/`
 */
import type { Edge, Graph, GraphNode, NodeId, NodeSpec } from "../types.ts";
import { AtomTable } from "./atoms.ts";
import { buildPred, foldAlgebra } from "./algebra.ts";
import { DnfAlgebra } from "./dnf.ts";
import { fromExpr } from "./expr.ts";
import { GraphPredicates } from "./node_predicates.ts";
import { parsePredicate } from "./parse.ts";

/**
 * A 1,000-node PRG-like graph: an entry, a chain of 978 UDP filter nodes (true → the OR node of
 * queue k mod 10, false → next filter), 10 OR nodes, 10 queue nodes and the default sink.
 * Filters match a distinct dst port, or (5-tuple style) a dst port and a distinct src port; the
 * latter makes the DNF of the "no filter matched" chain exponential, so it is built as a tree.
 */
function filterChainGraph(filters: number, queues: number, withSrcPort: boolean): Graph {
  const specs: Record<string, NodeSpec> = {
    entry: { name: "entry", kind: "fnode", ports: ["out"] },
    or: { name: "or", kind: "or", ports: ["true", "false"] },
    queue: { name: "queue", kind: "fnode", ports: [] },
  };
  const nodes: GraphNode[] = [{ id: "entry" as NodeId, spec: "entry", origin: "PRG" }];
  const edges: Edge[] = [];
  const id = (s: string) => s as NodeId;
  let prev: [NodeId, string] = [id("entry"), "out"];
  for (let k = 0; k < filters; k++) {
    const src = withSrcPort ? `,pred(SrcPort,p${1000 + k})` : "";
    const match = parsePredicate(
      `and(pred(EthType,IPv4),pred(IpProt,UDP),pred(DstPort,p${withSrcPort ? k % 300 : k})${src})`,
    );
    specs[`f${k}`] = {
      name: `f${k}`,
      kind: "fnode",
      ports: ["true", "false"],
      predicates: { true: match, false: { op: "not", arg: match } },
    };
    nodes.push({ id: id(`f${k}`), spec: `f${k}`, origin: "PRG" });
    edges.push({ kind: "port", from: prev[0], port: prev[1], to: id(`f${k}`) });
    edges.push({ kind: "port", from: id(`f${k}`), port: "true", to: id(`q${k % queues}valid`) });
    prev = [id(`f${k}`), "false"];
  }
  for (let q = 0; q < queues; q++) {
    nodes.push({ id: id(`q${q}valid`), spec: "or", origin: "PRG" });
    nodes.push({ id: id(`q${q}`), spec: "queue", origin: "PRG" });
    edges.push({ kind: "port", from: id(`q${q}valid`), port: "true", to: id(`q${q}`) });
  }
  nodes.push({ id: id("default"), spec: "queue", origin: "PRG" });
  edges.push({ kind: "port", from: prev[0], port: prev[1], to: id("default") });
  return { schemaVersion: 1, name: "chain", specs, nodes, edges };
}

const chain = filterChainGraph(978, 10, true);
const dstOnlyChain = filterChainGraph(978, 10, false);
for (const g of [chain, dstOnlyChain]) {
  if (g.nodes.length !== 1000) throw new Error(`expected 1000 nodes, got ${g.nodes.length}`);
}
const queueIds = Array.from({ length: 10 }, (_, q) => `q${q}` as NodeId);

Deno.bench("node predicates of all 1,000 nodes, 5-tuple chain, fold builder", () => {
  const table = new AtomTable();
  const preds = new GraphPredicates(chain, table, foldAlgebra(table));
  for (const n of chain.nodes) preds.nodePred(n.id);
});

Deno.bench("SAT of the 10 queue predicates, 5-tuple chain (fold tree, then DNF)", () => {
  const table = new AtomTable();
  const preds = new GraphPredicates(chain, table, foldAlgebra(table));
  const dnf = new DnfAlgebra(table);
  for (const q of queueIds) {
    if (dnf.isFalse(buildPred(dnf, preds.nodePred(q)))) throw new Error(`${q} unreachable`);
  }
});

Deno.bench("node predicates of all 1,000 nodes, dst-port chain, DNF builder", () => {
  const table = new AtomTable();
  const preds = new GraphPredicates(dstOnlyChain, table, new DnfAlgebra(table));
  for (const n of dstOnlyChain.nodes) preds.nodePred(n.id);
});

Deno.bench("node predicate of one queue, memoised (second call)", (b) => {
  const table = new AtomTable();
  const preds = new GraphPredicates(dstOnlyChain, table, new DnfAlgebra(table));
  preds.nodePred("q3" as NodeId);
  b.start();
  preds.nodePred("q3" as NodeId);
  b.end();
});

const twelveAtomsProduct = parsePredicate(
  "and(" +
    ["ab", "cd", "ef", "gh", "ij", "kl"].map(([x, y]) => `or(pred(${x},${x}),pred(${y},${y}))`)
      .join(",") +
    ")",
);
const twelveAtomsNegated = parsePredicate(
  "not(or(" +
    ["abc", "def", "ghi", "jkl"].map((s) => `and(${[...s].map((c) => `pred(${c},${c})`)})`)
      .join(",") +
    "))",
);

Deno.bench("DNF of a 12-atom expression: and of 6 two-atom ors (64 terms)", () => {
  const table = new AtomTable();
  buildPred(new DnfAlgebra(table), fromExpr(twelveAtomsProduct, table));
});

Deno.bench("DNF of a 12-atom expression: not(or of 4 three-atom ands) (81 terms)", () => {
  const table = new AtomTable();
  buildPred(new DnfAlgebra(table), fromExpr(twelveAtomsNegated, table));
});
