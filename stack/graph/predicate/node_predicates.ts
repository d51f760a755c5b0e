/**
 * Node, port and spawn-edge predicates of a graph: which packets reach a node or leave it on a
 * port (reference `dragonet-model.md` §4.2, Dragonet `computePred`), memoised per node.
 *
 * Rules:
 * - port predicate of an F-node (or C-node) port: the node's explicit predicate if declared,
 *   else the spec's, else the default atom `(label, port)`;
 * - F-node: OR over its normal in-edges `(P, x)` of `reach(P, x)`, OR its spawn-edge
 *   predicates; `true` when it has neither (an entry). `reach(P, x) = pred(P) ∧ portPred(P, x)`
 *   for an F-node `P`;
 * - O-node `true` output: the operator over its true-inputs (AND→and, OR→or, NAND→not(and),
 *   NOR→not(or)); `false` output: the dual over its false-inputs (AND→or, OR→and,
 *   NAND→not(or), NOR→not(and)); an O-node's own predicate is `true-output ∨ false-output`.
 *   Refinements where the reference's formulas would claim packets that never arrive: NAND and
 *   NOR outputs are AND-ed with "some input arrives" (the OR of all input predicates); an AND
 *   without true-inputs never outputs true and an OR without false-inputs never outputs false
 *   (runtime rule of §2.2), so those outputs are `false`, not the empty AND `true`;
 * - a spawn edge: its `predicate`, else the placeholder atom `SPAWN.<source label>=XX`;
 * - an input into an O-node from an unconfigured C-node's port (any name; `validateGraph()`
 *   exempts them) counts as a true-input carrying `reach(C, port)`; from any other non
 *   `true`/`false` port it is refused (quirk Q9);
 * - an optional `seed` cuts recursion at a node with a given predicate (an LPG entry seeded with a
 *   PRG boundary predicate; returning `top` is the reference's stop function).
 *
 * Several normal in-edges into an F-node (not the convention, but legal data) are OR-ed.
 *
 * @module
 */
import {
  type Graph,
  type GraphNode,
  isOperatorKind,
  type NodeId,
  type NodeKind,
  type PortName,
  type PredicateExpr,
  type SpawnEdge,
} from "../types.ts";
import { type AtomTable, SPAWN_KEY_PREFIX, SPAWN_PLACEHOLDER_VALUE } from "./atoms.ts";
import { buildPred, type PredAlgebra } from "./algebra.ts";
import { fromExpr } from "./expr.ts";

const KIND_F = 0, KIND_AND = 1, KIND_OR = 2, KIND_NAND = 3, KIND_NOR = 4, KIND_CONFIG = 5;

/** Whether a kind code is an O-node operator. */
function isOp(kind: number): boolean {
  return kind >= KIND_AND && kind <= KIND_NOR;
}

function kindCode(kind: NodeKind): number {
  switch (kind) {
    case "and":
      return KIND_AND;
    case "or":
      return KIND_OR;
    case "nand":
      return KIND_NAND;
    case "nor":
      return KIND_NOR;
    case "config":
      return KIND_CONFIG;
    default:
      return KIND_F;
  }
}

/** Options of {@linkcode GraphPredicates}. */
export interface GraphPredicateOptions<T> {
  /**
   * Predicate of a node given from outside instead of computed from its predecessors (the
   * reference's stop function); `undefined` = compute as usual.
   */
  readonly seed?: (node: GraphNode) => T | undefined;
}

/** Thrown when a node predicate cannot be computed from the graph data. */
export class PredicateGraphError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = "PredicateGraphError";
  }
}

/**
 * Memoised predicates over one graph in representation `T` (plain tree, folded tree or DNF,
 * chosen by the algebra).
 *
 * @example
 * ```ts
 * import { AtomTable, DnfAlgebra, GraphPredicates, showPred } from "./mod.ts";
 * import type { Graph, NodeId } from "../types.ts";
 * const graph: Graph = {
 *   schemaVersion: 1, name: "g",
 *   specs: { b: { name: "b", kind: "fnode", ports: ["true", "false"] },
 *            n: { name: "n", kind: "fnode", ports: [] } },
 *   nodes: [{ id: "B" as NodeId, spec: "b", origin: "LPG" }, { id: "B1" as NodeId, spec: "n", origin: "LPG" }],
 *   edges: [{ kind: "port", from: "B" as NodeId, port: "true", to: "B1" as NodeId }],
 * };
 * const table = new AtomTable();
 * const dnf = new DnfAlgebra(table);
 * const preds = new GraphPredicates(graph, table, dnf);
 * showPred(dnf.toPred(preds.nodePred("B1" as NodeId)), table); // "pred(B,true)"
 * ```
 */
export class GraphPredicates<T> {
  /** The graph. */
  readonly graph: Graph;
  /** The atom table all atoms are interned in. */
  readonly table: AtomTable;
  /** The builder used for every predicate. */
  readonly algebra: PredAlgebra<T>;
  readonly #seed: ((node: GraphNode) => T | undefined) | undefined;
  readonly #nodes: GraphNode[] = [];
  readonly #numberOf = new Map<NodeId, number>();
  readonly #kind: Uint8Array;
  /** Port names per node: the spec's ports, then any extra names edges use. */
  readonly #ports: string[][] = [];
  /** Normal in-edges per node as flat (source, source port number) pairs. */
  readonly #inFrom: Int32Array[] = [];
  readonly #inPort: Int32Array[] = [];
  readonly #spawnIn: SpawnEdge[][] = [];
  readonly #explicit: (PredicateExpr | undefined)[][] = [];
  // Memo: state 0 = not started, 1 = in progress, 2 = done.
  readonly #state: Uint8Array;
  readonly #nodeVal: (T | undefined)[];
  readonly #trueVal: (T | undefined)[];
  readonly #falseVal: (T | undefined)[];
  readonly #reachMemo: ((T | undefined)[] | undefined)[];
  readonly #portPredMemo: ((T | undefined)[] | undefined)[];

  /**
   * Indexes `graph` for predicate computation. Edges whose ends name no node are ignored
   * (`validateGraph()` reports them).
   *
   * @throws {PredicateGraphError} when a node's spec is missing. (An O-node input from a port
   * other than `true`/`false` is refused when that O-node's predicate is needed.)
   */
  constructor(
    graph: Graph,
    table: AtomTable,
    algebra: PredAlgebra<T>,
    options: GraphPredicateOptions<T> = {},
  ) {
    this.graph = graph;
    this.table = table;
    this.algebra = algebra;
    this.#seed = options.seed;
    for (const node of graph.nodes) {
      if (this.#numberOf.has(node.id)) continue;
      this.#numberOf.set(node.id, this.#nodes.length);
      this.#nodes.push(node);
    }
    const n = this.#nodes.length;
    this.#kind = new Uint8Array(n);
    const portIndex: Map<string, number>[] = [];
    for (let i = 0; i < n; i++) {
      const node = this.#nodes[i] as GraphNode;
      const spec = Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
      if (spec === undefined) {
        throw new PredicateGraphError(
          `Cannot compute predicates of graph "${graph.name}": node "${node.id}" has unknown spec "${node.spec}"`,
        );
      }
      this.#kind[i] = kindCode(spec.kind);
      const ports = [...spec.ports];
      this.#ports.push(ports);
      portIndex.push(new Map(ports.map((p, k) => [p, k])));
      this.#explicit.push(
        ports.map((p) =>
          node.predicates?.[p] ??
            (spec.predicates as Record<string, PredicateExpr> | undefined)?.[p]
        ),
      );
    }
    const inFrom: number[][] = Array.from({ length: n }, () => []);
    const inPort: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) this.#spawnIn.push([]);
    for (const edge of graph.edges) {
      const from = this.#numberOf.get(edge.from);
      const to = this.#numberOf.get(edge.to);
      if (from === undefined || to === undefined) continue;
      if (edge.kind === "spawn") {
        this.#spawnIn[to]?.push(edge);
        continue;
      }
      const idx = portIndex[from] as Map<string, number>;
      let p = idx.get(edge.port);
      if (p === undefined) {
        p = (this.#ports[from] as string[]).length;
        (this.#ports[from] as string[]).push(edge.port);
        idx.set(edge.port, p);
        const node = this.#nodes[from] as GraphNode;
        (this.#explicit[from] as (PredicateExpr | undefined)[]).push(node.predicates?.[edge.port]);
      }
      inFrom[to]?.push(from);
      inPort[to]?.push(p);
    }
    for (let i = 0; i < n; i++) {
      this.#inFrom.push(Int32Array.from(inFrom[i] as number[]));
      this.#inPort.push(Int32Array.from(inPort[i] as number[]));
    }
    this.#state = new Uint8Array(n);
    this.#nodeVal = new Array(n);
    this.#trueVal = new Array(n);
    this.#falseVal = new Array(n);
    this.#reachMemo = new Array(n);
    this.#portPredMemo = new Array(n);
  }

  #number(id: NodeId): number {
    const i = this.#numberOf.get(id);
    if (i === undefined) {
      throw new PredicateGraphError(
        `Cannot compute a predicate: graph "${this.graph.name}" has no node "${id}"`,
      );
    }
    return i;
  }

  #label(i: number): string {
    const node = this.#nodes[i] as GraphNode;
    return node.label ?? node.id;
  }

  /** Local predicate of port number `p` of node `i` (explicit, or the default atom). */
  #portPred(i: number, p: number): T {
    let memo = this.#portPredMemo[i];
    if (memo === undefined) memo = this.#portPredMemo[i] = [];
    const known = memo[p];
    if (known !== undefined) return known;
    const explicit = this.#explicit[i]?.[p];
    const v: T = explicit !== undefined
      ? buildPred(this.algebra, fromExpr(explicit, this.table))
      : this.algebra.atom(this.table.atom(this.#label(i), this.#ports[i]?.[p] ?? "?"));
    memo[p] = v;
    return v;
  }

  /** Packets leaving node `i` (already computed) on port number `p`. */
  #reach(i: number, p: number): T {
    if (isOp(this.#kind[i] as number)) {
      const name = this.#ports[i]?.[p];
      if (name === "true") return this.#trueVal[i] as T;
      if (name === "false") return this.#falseVal[i] as T;
      return this.algebra.bottom;
    }
    let memo = this.#reachMemo[i];
    if (memo === undefined) memo = this.#reachMemo[i] = [];
    const known = memo[p];
    if (known !== undefined) return known;
    const v: T = this.algebra.and([this.#nodeVal[i] as T, this.#portPred(i, p)]);
    memo[p] = v;
    return v;
  }

  #spawnPred(edge: SpawnEdge): T {
    if (edge.predicate !== undefined) {
      return buildPred(this.algebra, fromExpr(edge.predicate, this.table));
    }
    const from = this.#numberOf.get(edge.from);
    const label = from === undefined ? edge.from : this.#label(from);
    return this.algebra.atom(
      this.table.atom(`${SPAWN_KEY_PREFIX}${label}`, SPAWN_PLACEHOLDER_VALUE),
    );
  }

  /** Computes node `i` once all its predecessors are done. */
  #compute(i: number): void {
    const alg = this.algebra;
    const seeded = this.#seed?.(this.#nodes[i] as GraphNode);
    const kind = this.#kind[i] as number;
    const from = this.#inFrom[i] as Int32Array;
    const port = this.#inPort[i] as Int32Array;
    if (seeded !== undefined) {
      this.#nodeVal[i] = seeded;
      if (isOp(kind)) {
        this.#trueVal[i] = alg.and([seeded, alg.atom(this.table.atom(this.#label(i), "true"))]);
        this.#falseVal[i] = alg.and([seeded, alg.atom(this.table.atom(this.#label(i), "false"))]);
      }
      return;
    }
    if (!isOp(kind)) {
      const spawns = this.#spawnIn[i] as SpawnEdge[];
      if (from.length === 0 && spawns.length === 0) {
        this.#nodeVal[i] = alg.top;
        return;
      }
      const parts: T[] = [];
      for (let k = 0; k < from.length; k++) {
        parts.push(this.#reach(from[k] as number, port[k] as number));
      }
      for (const s of spawns) parts.push(this.#spawnPred(s));
      this.#nodeVal[i] = parts.length === 1 ? parts[0] as T : alg.or(parts);
      return;
    }
    const trues: T[] = [];
    const falses: T[] = [];
    for (let k = 0; k < from.length; k++) {
      const src = from[k] as number;
      const p = port[k] as number;
      const name = this.#ports[src]?.[p];
      if (name !== "true" && name !== "false" && this.#kind[src] === KIND_CONFIG) {
        // An unconfigured C-node port: a boundary whose packets enter as a true-input.
        trues.push(this.#reach(src, p));
        continue;
      }
      if (name !== "true" && name !== "false") {
        throw new PredicateGraphError(
          `Cannot compute the predicate of O-node "${
            this.#nodes[i]?.id
          }": it has an input from port "${name}" of "${
            this.#nodes[src]?.id
          }", allowed are true and false`,
        );
      }
      const v = this.#reach(src, p);
      if (name === "true") trues.push(v);
      else falses.push(v);
    }
    let t: T, f: T;
    if (from.length === 0) {
      t = alg.bottom;
      f = alg.bottom;
    } else {
      // "Some input arrives": negated formulas must not claim packets that never reach the node.
      const reached = (): T => alg.or([...trues, ...falses]);
      switch (kind) {
        case KIND_AND:
          t = trues.length > 0 ? alg.and(trues) : alg.bottom;
          f = alg.or(falses);
          break;
        case KIND_OR:
          t = alg.or(trues);
          f = falses.length > 0 ? alg.and(falses) : alg.bottom;
          break;
        case KIND_NAND:
          t = alg.and([alg.not(alg.and(trues)), reached()]);
          f = alg.and([alg.not(alg.or(falses)), reached()]);
          break;
        default: // NOR
          t = alg.and([alg.not(alg.or(trues)), reached()]);
          f = alg.and([alg.not(alg.and(falses)), reached()]);
      }
    }
    this.#trueVal[i] = t;
    this.#falseVal[i] = f;
    this.#nodeVal[i] = alg.or([t, f]);
  }

  /** Ensures node `root` and all its predecessors are computed (iterative post-order). */
  #ensure(root: number): void {
    if (this.#state[root] === 2) return;
    const stack: number[] = [root];
    const next: number[] = [0];
    this.#state[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const i = stack[top] as number;
      const from = this.#inFrom[i] as Int32Array;
      let k = next[top] as number;
      const cut = k === 0 && this.#seed?.(this.#nodes[i] as GraphNode) !== undefined;
      if (cut) k = from.length;
      let pushed = false;
      while (k < from.length) {
        const j = from[k++] as number;
        const s = this.#state[j];
        if (s === 2) continue;
        if (s === 1) {
          for (const x of stack) this.#state[x] = 0;
          throw new PredicateGraphError(
            `Cannot compute the predicate of node "${
              this.#nodes[root]?.id
            }": normal edges form a cycle through "${
              this.#nodes[j]?.id
            }" (only spawn edges may close a loop)`,
          );
        }
        next[top] = k;
        this.#state[j] = 1;
        stack.push(j);
        next.push(0);
        pushed = true;
        break;
      }
      if (pushed) continue;
      try {
        this.#compute(i);
      } catch (err) {
        for (const j of stack) this.#state[j] = 0;
        throw err;
      }
      this.#state[i] = 2;
      stack.pop();
      next.pop();
    }
  }

  /** Predicate of the packets that reach node `id` (memoised). */
  nodePred(id: NodeId): T {
    const i = this.#number(id);
    this.#ensure(i);
    return this.#nodeVal[i] as T;
  }

  /**
   * Predicate of the packets that leave node `id` on `port`: for an F-node
   * `nodePred ∧ portPred`, for an O-node the operator rule of its `true`/`false` output.
   */
  portReach(id: NodeId, port: PortName): T {
    const i = this.#number(id);
    this.#ensure(i);
    const p = this.#ports[i]?.indexOf(port) ?? -1;
    if (p < 0) {
      throw new PredicateGraphError(
        `Cannot compute a port predicate: node "${id}" has no port "${port}" (ports: ${
          this.#ports[i]?.join(", ")
        })`,
      );
    }
    return this.#reach(i, p);
  }

  /** The local predicate of a port: its explicit predicate, or the default `(label, port)` atom. */
  portPred(id: NodeId, port: PortName): T {
    const i = this.#number(id);
    const p = this.#ports[i]?.indexOf(port) ?? -1;
    if (p >= 0) return this.#portPred(i, p);
    return this.algebra.atom(this.table.atom(this.#label(i), port));
  }

  /** Predicate of a spawn edge: its own, or the placeholder atom `SPAWN.<source label>=XX`. */
  spawnPred(edge: SpawnEdge): T {
    return this.#spawnPred(edge);
  }

  /** The port names of node `id`: its spec's ports, then any extra names its edges use. */
  ports(id: NodeId): readonly PortName[] {
    return this.#ports[this.#number(id)] ?? [];
  }

  /**
   * The ports of node `id` through which some packet satisfying `cond` leaves: those whose
   * {@linkcode portReach} ∧ `cond` is not `false`. Exact with the DNF builder (every folded term
   * is satisfiable); with other builders a port is dropped only when the conjunction folds to
   * `false`.
   */
  livePorts(id: NodeId, cond: T): PortName[] {
    return this.ports(id).filter((p) =>
      !this.algebra.isFalse(this.algebra.and([this.portReach(id, p), cond]))
    );
  }

  /** Whether node `id` is an O-node (its port predicates follow the operator rules). */
  isOperator(id: NodeId): boolean {
    const node = this.#nodes[this.#number(id)] as GraphNode;
    const spec = this.graph.specs[node.spec];
    return spec !== undefined && isOperatorKind(spec.kind);
  }
}
