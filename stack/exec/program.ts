/**
 * `buildProgram()`: turns a validated pipeline graph plus the implementations of its F-node specs
 * into a numeric program both executors run: node kinds, port successor lists in push order,
 * O-node input tables, spawn targets, counter and parameter layouts.
 *
 * Rules checked (all problems reported at once): no C-nodes (apply the configuration first),
 * every F-node spec has an implementation whose spec is the graph's, every spawn name is known,
 * no cycle of normal edges, O-node inputs come from `true`/`false` ports.
 *
 * Source: `/work/shared/reference/dragonet-model.md` §2.2 (O-node semantics), §12.3 (executor).
 *
 * @module
 */
import { attributesOf, indexGraph } from "../graph/graph_index.ts";
import { topologicalNumbers } from "../graph/topological_order.ts";
import { booleanPortValue, type Graph, type NodeId } from "../graph/types.ts";
import { specsEqual } from "../graph/json.ts";
import { type NodeImpl, SPAWN_NAMES, type SpawnName, type WorkFn } from "./types.ts";

/** Runtime kind codes: F-node and the four O-node operators. */
export const ExecKind = { F: 0, And: 1, Or: 2, Nand: 3, Nor: 4 } as const;

/** A graph ready to execute, as dense numeric tables (node numbers follow declaration order). */
export interface Program<E> {
  /** The graph this was built from. */
  readonly graph: Graph;
  /** Node ids by number. */
  readonly ids: readonly NodeId[];
  /** Node number by id. */
  readonly numberOf: ReadonlyMap<string, number>;
  /** Kind code of each node (`ExecKind`). */
  readonly kind: Uint8Array;
  /** Port names of each node, in spec order. */
  readonly portNames: readonly (readonly string[])[];
  /** Largest port count of any node: port counters live at `node * maxPorts + port`. */
  readonly maxPorts: number;
  /** Successors of `(node, port)` in push (edge declaration) order. */
  readonly succ: readonly (readonly (readonly number[])[])[];
  /** Work function of each F-node (a placeholder for O-nodes). */
  readonly work: readonly WorkFn<E>[];
  /** For each O-node, its distinct predecessors in first-edge order. */
  readonly inputs: readonly (readonly number[])[];
  /**
   * For each O-node and input k: the boolean each port of the predecessor carries into this node
   * (1 true, 0 false, -1 no edge from that port).
   */
  readonly inputValue: readonly (readonly (readonly number[])[])[];
  /** Port index of `true` and `false` for each O-node (-1 for F-nodes). */
  readonly truePort: Int32Array;
  /** Port index of `false` for each O-node (-1 for F-nodes). */
  readonly falsePort: Int32Array;
  /** Spawn target of `node * SPAWN_NAMES.length + code`, or -1. */
  readonly spawnTarget: Int32Array;
  /** Nodes with the `init` attribute, spawned once when the pipeline starts. */
  readonly initNodes: readonly number[];
  /** Nodes with the `source` attribute. */
  readonly sourceNodes: readonly number[];
  /** Whether each node is unproductive (attribute `unproductive`). */
  readonly unproductive: Uint8Array;
  /** Offset of each node's extra counters in the extra-counter array. */
  readonly extraBase: Int32Array;
  /** Names of the extra counters of each node. */
  readonly extraNames: readonly (readonly string[])[];
  /** Total number of extra counters. */
  readonly extraCount: number;
  /** Drop counters derived from ports: per node, port index to counter name (or undefined). */
  readonly dropPortCounter: readonly (readonly (string | undefined)[])[];
  /** Offset of each node's parameters in the parameter array. */
  readonly paramBase: Int32Array;
  /** Every node's parameters, concatenated. */
  readonly params: Float64Array;
  /** Port index an F-node always activates (its implementation's `constantPort`), or -1. */
  readonly constantPort: Int32Array;
  /** Nodes that may start a run: sources, init nodes and spawn targets. */
  readonly entries: readonly number[];
}

/** Thrown by {@linkcode buildProgram} with every problem found. */
export class ProgramError extends Error {
  /** One line per problem. */
  readonly problems: readonly string[];
  /** Makes the error from its problem lines. */
  constructor(graphName: string, problems: readonly string[]) {
    super(
      `Cannot build program for graph "${graphName}": ${problems.length} problem(s): ` +
        problems.join("; "),
    );
    this.name = "ProgramError";
    this.problems = problems;
  }
}

const KIND_CODES: Readonly<Record<string, number>> = {
  fnode: ExecKind.F,
  and: ExecKind.And,
  or: ExecKind.Or,
  nand: ExecKind.Nand,
  nor: ExecKind.Nor,
};

/**
 * Builds the executable program of a graph; `impls` maps spec names to implementations.
 *
 * @throws {ProgramError} listing every problem when the graph cannot run.
 */
export function buildProgram<E>(
  graph: Graph,
  impls: ReadonlyMap<string, NodeImpl<E>>,
): Program<E> {
  const index = indexGraph(graph);
  const problems: string[] = [];
  const n = index.nodes.length;
  const ids = index.nodes.map((node) => node.id);
  const kind = new Uint8Array(n);
  const portNames: string[][] = [];
  const work: WorkFn<E>[] = [];
  const noWork: WorkFn<E> = () => -1;
  let maxPorts = 1;
  const extraBase = new Int32Array(n);
  const extraNames: string[][] = [];
  const dropPortCounter: (string | undefined)[][] = [];
  const paramBase = new Int32Array(n);
  const paramList: number[] = [];
  const truePort = new Int32Array(n).fill(-1);
  const falsePort = new Int32Array(n).fill(-1);
  const unproductive = new Uint8Array(n);
  const constantPort = new Int32Array(n).fill(-1);
  const initNodes: number[] = [];
  const sourceNodes: number[] = [];
  let extraCount = 0;
  for (let i = 0; i < n; i++) {
    const node = index.nodes[i];
    const spec = index.specs[i];
    if (node === undefined) continue;
    if (spec === undefined) {
      problems.push(`node "${node.id}" has unknown spec "${node.spec}"`);
      portNames.push([]);
      work.push(noWork);
      extraNames.push([]);
      dropPortCounter.push([]);
      continue;
    }
    const code = KIND_CODES[spec.kind];
    if (code === undefined) {
      problems.push(
        `node "${node.id}" is a ${spec.kind} node: apply the configuration before executing`,
      );
    }
    kind[i] = code ?? 0;
    if (code === undefined) {
      portNames.push([...spec.ports]);
      work.push(noWork);
      extraNames.push([]);
      dropPortCounter.push([]);
      continue;
    }
    portNames.push([...spec.ports]);
    if (spec.ports.length > maxPorts) maxPorts = spec.ports.length;
    const attrs = attributesOf(graph, node);
    if (attrs.init === true) initNodes.push(i);
    if (attrs.source === true) sourceNodes.push(i);
    if (attrs.unproductive === true) unproductive[i] = 1;
    extraBase[i] = extraCount;
    paramBase[i] = paramList.length;
    if (code === ExecKind.F) {
      const impl = impls.get(spec.name);
      if (impl === undefined) {
        problems.push(`node "${node.id}" has no implementation for spec "${spec.name}"`);
        work.push(noWork);
        extraNames.push([]);
        dropPortCounter.push([]);
        continue;
      }
      if (!specsEqual(impl.spec, spec)) {
        problems.push(`node "${node.id}": spec "${spec.name}" differs from its implementation's`);
      }
      work.push(impl.work);
      if (impl.constantPort !== undefined) {
        const cp = spec.ports.indexOf(impl.constantPort);
        if (cp < 0) {
          problems.push(`node "${node.id}": constant port "${impl.constantPort}" is not a port`);
        }
        constantPort[i] = cp;
      }
      const counterNames = new Set((spec.counters ?? []).map((c) => c.name));
      const extras = [...(impl.extraCounters ?? [])];
      for (const name of extras) {
        if (!counterNames.has(name)) {
          problems.push(`node "${node.id}": counter "${name}" is not a counter of its spec`);
        }
      }
      extraNames.push(extras);
      extraCount += extras.length;
      const drops: (string | undefined)[] = spec.ports.map(() => undefined);
      for (const [port, counter] of Object.entries(impl.dropPorts ?? {})) {
        const p = spec.ports.indexOf(port);
        if (p < 0) problems.push(`node "${node.id}": drop port "${port}" is not a port`);
        else if (!counterNames.has(counter)) {
          problems.push(
            `node "${node.id}": drop counter "${counter}" is not a counter of its spec`,
          );
        } else drops[p] = counter;
      }
      dropPortCounter.push(drops);
      if (impl.params !== undefined) paramList.push(...impl.params(node));
    } else {
      work.push(noWork);
      extraNames.push([]);
      dropPortCounter.push(spec.ports.map(() => undefined));
      truePort[i] = spec.ports.indexOf("true");
      falsePort[i] = spec.ports.indexOf("false");
      if (truePort[i] === -1 || falsePort[i] === -1) {
        problems.push(`O-node "${node.id}" must have ports true and false`);
      }
    }
  }

  const succ: number[][][] = portNames.map((ports) => ports.map(() => []));
  for (let i = 0; i < n; i++) {
    for (const e of index.out[i] ?? []) {
      const p = portNames[i]?.indexOf(e.port) ?? -1;
      if (p < 0) {
        problems.push(`edge from unknown port "${e.port}" of node "${ids[i]}"`);
        continue;
      }
      succ[i]?.[p]?.push(e.to);
    }
  }

  const inputs: number[][] = [];
  const inputValue: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const preds: number[] = [];
    const values: number[][] = [];
    if (kind[i] !== ExecKind.F) {
      for (const e of index.in[i] ?? []) {
        let k = preds.indexOf(e.from);
        if (k < 0) {
          k = preds.length;
          preds.push(e.from);
          values.push((portNames[e.from] ?? []).map(() => -1));
        }
        const value = booleanPortValue(e.port);
        const p = portNames[e.from]?.indexOf(e.port) ?? -1;
        if (value === undefined) {
          problems.push(
            `O-node "${ids[i]}" has an input from port "${e.port}" of "${ids[e.from]}": ` +
              `inputs must come from true or false ports`,
          );
        } else if (p >= 0) {
          const row = values[k];
          if (row !== undefined) row[p] = value ? 1 : 0;
        }
      }
    }
    inputs.push(preds);
    inputValue.push(values);
  }

  const ns = SPAWN_NAMES.length;
  const spawnTarget = new Int32Array(n * ns).fill(-1);
  const entrySet = new Set<number>([...sourceNodes, ...initNodes]);
  for (let i = 0; i < n; i++) {
    for (const s of index.spawnOut[i] ?? []) {
      const code = (SPAWN_NAMES as readonly string[]).indexOf(s.edge.spawn);
      if (code < 0) {
        problems.push(
          `spawn "${s.edge.spawn}" of node "${ids[i]}" is unknown: spawn names are ` +
            SPAWN_NAMES.join(", "),
        );
        continue;
      }
      spawnTarget[i * ns + code] = s.to;
      entrySet.add(s.to);
    }
  }
  for (const e of entrySet) {
    if (kind[e] !== ExecKind.F) problems.push(`entry node "${ids[e]}" must be an F-node`);
  }
  try {
    topologicalNumbers(index);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  if (problems.length > 0) throw new ProgramError(graph.name, problems);
  return {
    graph,
    ids,
    numberOf: index.numberOf,
    kind,
    portNames,
    maxPorts,
    succ,
    work,
    inputs,
    inputValue,
    truePort,
    falsePort,
    spawnTarget,
    initNodes,
    sourceNodes,
    unproductive,
    extraBase,
    extraNames,
    extraCount,
    dropPortCounter,
    paramBase,
    params: Float64Array.from(paramList),
    constantPort,
    entries: [...entrySet].sort((a, b) => a - b),
  };
}

/** Returns the number of a node of the program by id; throws naming the id when absent. */
export function nodeNumber<E>(program: Program<E>, id: string): number {
  const n = program.numberOf.get(id as NodeId);
  if (n === undefined) {
    throw new Error(`Unknown node "${id}" in program of graph "${program.graph.name}"`);
  }
  return n;
}

/** Returns the code of a spawn name; throws naming the allowed names otherwise. */
export function spawnCode(name: string): number {
  const code = (SPAWN_NAMES as readonly string[]).indexOf(name);
  if (code < 0) {
    throw new Error(`Unknown spawn "${name}": spawn names are ${SPAWN_NAMES.join(", ")}`);
  }
  return code;
}

/** Type guard for spawn names. */
export function isSpawnName(name: string): name is SpawnName {
  return (SPAWN_NAMES as readonly string[]).includes(name);
}
