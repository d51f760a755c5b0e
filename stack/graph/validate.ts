/**
 * `validateGraph()`: one pass reporting every problem of a graph at once (Click's click-check,
 * reference §2.5), each with the node (or spec) it concerns and a reason.
 *
 * @module
 */
import { findCycles } from "./cycles.ts";
import { attributesOf, indexGraph } from "./graph_index.ts";
import { reachable } from "./reachability.ts";
import {
  BOOLEAN_PORTS,
  booleanPortValue,
  type Graph,
  isNodeKind,
  isOperatorKind,
  type NodeId,
  nodeIdProblem,
  type NodeSpec,
} from "./types.ts";

/** Every problem code `validateGraph()` can report. */
export const PROBLEM_CODES = [
  "bad-id",
  "duplicate-id",
  "unknown-spec",
  "spec-name",
  "bad-kind",
  "duplicate-port",
  "operator-ports",
  "unexpected-config",
  "duplicate-counter",
  "config-without-function",
  "unknown-expansion",
  "dangling-source",
  "dangling-target",
  "unknown-port",
  "operator-input",
  "duplicate-edge",
  "duplicate-spawn",
  "unreachable",
  "cycle",
] as const;

/** Code of one kind of problem (stable, for tests and tools). */
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One problem found in a graph. */
export interface GraphProblem {
  /** What kind of problem. */
  readonly code: ProblemCode;
  /** The node the problem concerns (absent for problems of a spec). */
  readonly node?: string;
  /** The spec the problem concerns (for problems of a spec itself). */
  readonly spec?: string;
  /** The port concerned, when there is one. */
  readonly port?: string;
  /** The reason, in sentence case without trailing period. */
  readonly message: string;
}

/** Options of {@linkcode validateGraph}. */
export interface ValidateOptions {
  /**
   * Known expansion functions (e.g. the expansion `Registry`); when given, a C-node whose
   * expansion is not in it is a problem.
   */
  readonly expansions?: { has(name: string): boolean };
}

/**
 * Checks a graph and returns every problem found (an empty list when it is sound).
 *
 * Checks: node id syntax and duplicates; spec names, kinds, ports (O-nodes have exactly `true`
 * and `false`), counters, C-node expansion functions; edges to or from unknown nodes, from
 * unknown ports, into O-nodes from ports other than `true`/`false` (quirk Q9 rejected; edges
 * from unconfigured C-nodes are exempt, expansion replaces them);
 * duplicate edges and spawn names; nodes not reachable from a `source` node (over normal and
 * spawn edges); cycles of normal edges (spawn edges may close loops).
 */
export function validateGraph(graph: Graph, options: ValidateOptions = {}): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const add = (p: GraphProblem) => problems.push(p);

  // Specs.
  for (const [key, spec] of Object.entries(graph.specs)) {
    checkSpec(key, spec, add);
  }

  // Nodes.
  const seen = new Map<string, number>();
  for (const node of graph.nodes) {
    const idProblem = nodeIdProblem(node.id);
    if (idProblem !== undefined) {
      add({ code: "bad-id", node: node.id, message: sentence(idProblem) });
    }
    const count = (seen.get(node.id) ?? 0) + 1;
    seen.set(node.id, count);
    if (count === 2) {
      const total = graph.nodes.filter((n) => n.id === node.id).length;
      add({ code: "duplicate-id", node: node.id, message: `Id is declared ${total} times` });
    }
    if (count > 1) continue;
    const spec = Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
    if (spec === undefined) {
      add({
        code: "unknown-spec",
        node: node.id,
        message: `Spec "${node.spec}" is not in the graph's specs`,
      });
      continue;
    }
    for (const port of Object.keys(node.predicates ?? {})) {
      if (!spec.ports.includes(port)) {
        add({
          code: "unknown-port",
          node: node.id,
          port,
          message: `Predicate given for port "${port}", which spec "${spec.name}" does not have ` +
            `(ports: ${portList(spec)})`,
        });
      }
    }
    if (spec.kind === "config") {
      const expansion = spec.config?.expansion ?? "";
      if (expansion === "") {
        add({
          code: "config-without-function",
          node: node.id,
          message: `C-node has no expansion function: spec "${spec.name}" must name one in ` +
            `config.expansion (use "default" for the port switch)`,
        });
      } else if (options.expansions !== undefined && !options.expansions.has(expansion)) {
        add({
          code: "unknown-expansion",
          node: node.id,
          message: `C-node expansion function "${expansion}" is not registered`,
        });
      }
    }
  }

  // Edges.
  const index = indexGraph(graph);
  const edgeKeys = new Set<string>();
  const spawnKeys = new Set<string>();
  for (const edge of graph.edges) {
    const from = index.numberOf.get(edge.from);
    const to = index.numberOf.get(edge.to);
    const what = edge.kind === "port" ? `port "${edge.port}"` : `spawn "${edge.spawn}"`;
    if (from === undefined) {
      add({
        code: "dangling-source",
        node: edge.from,
        ...(edge.kind === "port" ? { port: edge.port } : {}),
        message: `Edge from ${what} to "${edge.to}" starts at a node that does not exist`,
      });
    }
    if (to === undefined) {
      add({
        code: "dangling-target",
        node: edge.from,
        ...(edge.kind === "port" ? { port: edge.port } : {}),
        message: `Edge from ${what} goes to "${edge.to}", which does not exist`,
      });
    }
    if (edge.kind === "spawn") {
      const key = JSON.stringify([edge.from, edge.spawn]);
      if (spawnKeys.has(key)) {
        add({
          code: "duplicate-spawn",
          node: edge.from,
          message: `Spawn name "${edge.spawn}" is used by more than one spawn edge`,
        });
      }
      spawnKeys.add(key);
      continue;
    }
    const key = JSON.stringify([edge.from, edge.port, edge.to]);
    if (edgeKeys.has(key)) {
      add({
        code: "duplicate-edge",
        node: edge.from,
        port: edge.port,
        message: `Edge from port "${edge.port}" to "${edge.to}" is declared more than once`,
      });
    }
    edgeKeys.add(key);
    const fromSpec = from === undefined ? undefined : index.specs[from];
    if (fromSpec !== undefined && !fromSpec.ports.includes(edge.port)) {
      add({
        code: "unknown-port",
        node: edge.from,
        port: edge.port,
        message: `Edge to "${edge.to}" leaves from port "${edge.port}", which spec ` +
          `"${fromSpec.name}" does not have (ports: ${portList(fromSpec)})`,
      });
    }
    const toSpec = to === undefined ? undefined : index.specs[to];
    // A C-node's ports only say where its expansion may connect (reference §2.1: E10k's filter
    // C-node feeds the RxQ<i>Valid OR nodes from `queues`/`default`); expansion replaces those
    // edges with filter `true` edges, so they are exempt.
    if (
      toSpec !== undefined && isNodeKind(toSpec.kind) && isOperatorKind(toSpec.kind) &&
      fromSpec?.kind !== "config" && booleanPortValue(edge.port) === undefined
    ) {
      add({
        code: "operator-input",
        node: edge.to,
        port: edge.port,
        message: `O-node input from "${edge.from}" port "${edge.port}" is not a true/false port; ` +
          `an ${toSpec.kind.toUpperCase()} input must come from a port named "true" or "false"`,
      });
    }
  }

  // Reachability from sources, over normal and spawn edges.
  const sources = index.nodes.filter((node) => attributesOf(graph, node).source === true).map((
    node,
  ) => node.id);
  const reached = reachable(index, sources, { spawn: true });
  for (const node of index.nodes) {
    if (!reached.has(node.id)) {
      add({
        code: "unreachable",
        node: node.id,
        message: sources.length === 0
          ? "Not reachable: the graph has no node with attribute source"
          : "Not reachable from any source node (attribute source) over normal or spawn edges",
      });
    }
  }

  // Cycles of normal edges.
  for (const cycle of findCycles(index)) {
    add({
      code: "cycle",
      node: cycle[0] as NodeId,
      message: `On a cycle of normal edges (${
        cycle.join(" -> ")
      }); only spawn edges may close a loop`,
    });
  }
  return problems;
}

/** Formats problems one per line: `node "id" port "p": reason [code]`. */
export function formatProblems(problems: readonly GraphProblem[]): string {
  return problems.map(formatProblem).join("\n");
}

/** Formats one problem: `node "id" port "p": reason [code]`. */
export function formatProblem(problem: GraphProblem): string {
  const subject = problem.node !== undefined ? `node "${problem.node}"` : `spec "${problem.spec}"`;
  const port = problem.port === undefined ? "" : ` port "${problem.port}"`;
  return `${subject}${port}: ${problem.message} [${problem.code}]`;
}

function checkSpec(key: string, spec: NodeSpec, add: (p: GraphProblem) => void): void {
  if (spec.name !== key) {
    add({
      code: "spec-name",
      spec: key,
      message:
        `Spec is stored under "${key}" but is named "${spec.name}"; the key must be the name`,
    });
  }
  if (!isNodeKind(spec.kind)) {
    add({
      code: "bad-kind",
      spec: key,
      message: `Kind "${String(spec.kind)}" is not one of fnode, and, or, nand, nor, config`,
    });
    return;
  }
  const ports = new Set<string>();
  for (const port of spec.ports) {
    if (ports.has(port)) {
      add({ code: "duplicate-port", spec: key, port, message: `Port "${port}" is listed twice` });
    }
    ports.add(port);
  }
  if (
    isOperatorKind(spec.kind) &&
    (spec.ports.length !== 2 || spec.ports[0] !== BOOLEAN_PORTS[0] ||
      spec.ports[1] !== BOOLEAN_PORTS[1])
  ) {
    add({
      code: "operator-ports",
      spec: key,
      message: `O-node (${spec.kind}) must have exactly the ports true, false, has ${
        portList(spec)
      }`,
    });
  }
  if (spec.kind !== "config" && spec.config !== undefined) {
    add({
      code: "unexpected-config",
      spec: key,
      message:
        `Only C-nodes (kind config) take a config reference, this spec has kind ${spec.kind}`,
    });
  }
  for (const port of Object.keys(spec.predicates ?? {})) {
    if (!ports.has(port)) {
      add({
        code: "unknown-port",
        spec: key,
        port,
        message: `Predicate given for port "${port}", which the spec does not have (ports: ${
          portList(spec)
        })`,
      });
    }
  }
  const counters = new Set<string>();
  for (const counter of spec.counters ?? []) {
    if (counters.has(counter.name)) {
      add({
        code: "duplicate-counter",
        spec: key,
        message: `Counter "${counter.name}" is listed twice`,
      });
    }
    counters.add(counter.name);
  }
}

function portList(spec: NodeSpec): string {
  return spec.ports.length === 0 ? "none" : spec.ports.join(", ");
}

function sentence(text: string): string {
  return text.length === 0 ? text : text[0]?.toUpperCase() + text.slice(1);
}
