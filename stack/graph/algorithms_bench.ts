/**
 * Speed of the graph algorithms on a generated 1,000-node layered graph (reported, never
 * asserted). Run: `deno bench stack/graph/algorithms_bench.ts`.
 *
 * @module
 */
import { cleanupGraph } from "./cleanup.ts";
import { dominanceVector } from "./dominance.ts";
import { generateLayeredGraph } from "./generate.ts";
import { indexGraph } from "./graph_index.ts";
import { topologicalNumbers } from "./topological_order.ts";
import { validateGraph } from "./validate.ts";

const graph = generateLayeredGraph({ nodes: 1000, seed: 42 });
const index = indexGraph(graph);
const points = index.nodes
  .map((node, i) => ({ node: node.id, port: index.specs[i]?.ports[0] }))
  .filter((p): p is { node: typeof p.node; port: string } => p.port !== undefined);
let next = 0;

Deno.bench("index a 1,000-node graph", { group: "graph-1000" }, () => {
  indexGraph(graph);
});

Deno.bench(
  "topological order, 1,000 nodes (indexed)",
  { group: "graph-1000", baseline: true },
  () => {
    topologicalNumbers(index);
  },
);

Deno.bench("dominance of one point over all 1,000 nodes (indexed)", { group: "graph-1000" }, () => {
  const point = points[next++ % points.length];
  if (point !== undefined) dominanceVector(index, point);
});

Deno.bench("validateGraph, 1,000 nodes", { group: "graph-1000" }, () => {
  validateGraph(graph);
});

Deno.bench("cleanup, 1,000 nodes", { group: "graph-1000" }, () => {
  cleanupGraph(graph);
});
