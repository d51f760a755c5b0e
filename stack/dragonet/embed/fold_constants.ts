/**
 * Constant folding with dominance (reference `dragonet-model.md` §5.3, Dragonet
 * `graphFoldConst`): removes the `_True`/`_False` nodes the embedding inserted where the NIC
 * already decided a boolean that feeds an O-node.
 *
 * For a constant fed by `(Prev, X)` and each of its successors S:
 * - S is an F-node: `Prev.X → S` directly, the constant's edge goes;
 * - S is an O-node the constant does not short-circuit, with other operands: the constant's edge
 *   goes when `Prev.X` dominates one of those operands (S still receives an input whenever the
 *   constant would have fired);
 * - the constant short-circuits S (or is its only operand): S's output is fixed; when `Prev.X`
 *   dominates every other operand, S is spliced out (its F-successors on the fixed port get
 *   `Prev.X`, its O-successors a new constant of the fixed value, folded in turn); otherwise only
 *   the edges of S's other (dead) port are deleted.
 * A constant left without successors is removed. Repeats until nothing changes.
 *
 * @module
 */
import { dominates } from "../../graph/dominance.ts";
import {
  type Edge,
  type Graph,
  type GraphNode,
  isOperatorKind,
  type NodeId,
  type OperatorKind,
  type PortEdge,
} from "../../graph/types.ts";
import { constFalseSpec, constTrueSpec, constValue } from "./conventions.ts";

/** Whether an input value short-circuits an operator (reference §2.2 table). */
export function shortCircuits(op: OperatorKind, value: boolean): boolean {
  return (op === "and" || op === "nand") ? value === false : value === true;
}

/**
 * The output of an operator whose result is fixed by an input `value`: the short-circuit output
 * when `value` short-circuits it, else the output when it is the only input (reference §2.2).
 */
export function fixedOutput(op: OperatorKind, value: boolean): boolean {
  switch (op) {
    case "and":
      return value; // false short-circuits to false; a lone true gives true
    case "or":
      return value; // true short-circuits to true; a lone false gives false
    case "nand":
      return !value;
    case "nor":
      return !value;
  }
}

/** Returns the graph with its constant nodes folded (see the module doc). */
export function foldConstants(graph: Graph): Graph {
  let nodes: GraphNode[] = [...graph.nodes];
  let edges: Edge[] = [...graph.edges];
  const specs = { ...graph.specs };
  const stuck = new Set<string>();
  let fresh = 0;
  const current = (): Graph => ({ ...graph, specs, nodes, edges });
  const kindOf = (id: NodeId) => {
    const node = nodes.find((n) => n.id === id);
    return node === undefined ? undefined : specs[node.spec]?.kind;
  };

  for (let guard = 0; guard < 100_000; guard++) {
    let progress = false;
    for (const c of nodes) {
      const value = constValue(c);
      if (value === undefined) continue;
      const ins = edges.filter((e): e is PortEdge => e.kind === "port" && e.to === c.id);
      const outs = edges.filter((e): e is PortEdge => e.kind === "port" && e.from === c.id);
      const prev = ins[0];
      if (ins.length !== 1 || prev === undefined) continue;
      const point = { node: prev.from, port: prev.port };
      const fed = (e: PortEdge) =>
        (e.from === point.node && e.port === point.port) ||
        (e.from !== point.node && dominates(current(), point, e.from));
      for (const out of outs) {
        const tag = `${c.id}\u0000${out.to}`;
        if (stuck.has(tag)) continue;
        const kind = kindOf(out.to);
        if (kind === undefined || !isOperatorKind(kind)) {
          edges = edges.filter((e) => e !== out);
          edges.push({ kind: "port", from: point.node, port: point.port, to: out.to });
          progress = true;
          continue;
        }
        const sIns = edges.filter((e): e is PortEdge => e.kind === "port" && e.to === out.to);
        const others = sIns.filter((e) => e !== out);
        if (!shortCircuits(kind, value) && others.length > 0) {
          if (others.some(fed)) {
            edges = edges.filter((e) => e !== out);
            progress = true;
          } else stuck.add(tag);
          continue;
        }
        const fixed = fixedOutput(kind, value) ? "true" : "false";
        const dead = fixed === "true" ? "false" : "true";
        if (others.every(fed)) {
          const s = out.to;
          const sOuts = edges.filter((e): e is PortEdge => e.kind === "port" && e.from === s);
          edges = edges.filter((e) => e.from !== s && e.to !== s);
          nodes = nodes.filter((n) => n.id !== s);
          const sNode = graph.nodes.find((n) => n.id === s);
          for (const e of sOuts) {
            if (e.port !== fixed) continue;
            const tk = kindOf(e.to);
            if (tk !== undefined && isOperatorKind(tk)) {
              const spec = fixed === "true" ? constTrueSpec : constFalseSpec;
              specs[spec.name] = spec;
              const id = `${s}-const-${fresh++}` as NodeId;
              nodes.push({
                id,
                spec: spec.name,
                label: fixed === "true" ? "_True" : "_False",
                origin: "LPG",
                ...(sNode?.tag === undefined ? {} : { tag: sNode.tag }),
              });
              edges.push({ kind: "port", from: point.node, port: point.port, to: id });
              edges.push({ kind: "port", from: id, port: fixed, to: e.to });
            } else {
              edges.push({ kind: "port", from: point.node, port: point.port, to: e.to });
            }
          }
          progress = true;
          continue;
        }
        const before = edges.length;
        edges = edges.filter((e) => !(e.kind === "port" && e.from === out.to && e.port === dead));
        if (edges.length !== before) progress = true;
        stuck.add(tag);
      }
      const left = edges.some((e) => e.kind === "port" && e.from === c.id);
      if (!left) {
        edges = edges.filter((e) => e.from !== c.id && e.to !== c.id);
        nodes = nodes.filter((n) => n.id !== c.id);
        progress = true;
      }
      if (progress) break;
    }
    if (!progress) return current();
  }
  throw new Error(
    `Cannot fold constants of graph "${graph.name}": no fixpoint after 100000 rounds`,
  );
}
