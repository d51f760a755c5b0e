/**
 * Graphviz DOT export of a graph: record-shaped nodes with one field per output port, node kinds,
 * queue tags (one cluster box per tag) and hardware versus software nodes told apart by colour.
 *
 * Legend of the picture:
 * - blue fill: hardware (a PRG node without attribute `software`); yellow: PRG software node;
 *   green: LPG node (software);
 * - F-node: rounded box; O-node: square box with the operator in capitals; C-node: dashed box
 *   with its expansion function;
 * - edges leave from their port field; `true` edges green, `false` edges red; spawn edges dashed
 *   grey, labelled with the spawn name;
 * - an edge to a node that does not exist ends in a red dashed "missing" node.
 *
 * @module
 */
import { attributesOf, indexGraph } from "./graph_index.ts";
import { type Graph, type GraphNode, isOperatorKind, type NodeSpec } from "./types.ts";

/** Options of {@linkcode graphToDot}. */
export interface DotOptions {
  /** Layout direction; default `LR` (left to right, as Dragonet drew its graphs). */
  readonly rankdir?: "LR" | "TB";
}

const FILL = { hardware: "#cfe2f3", prgSoftware: "#fff2cc", lpg: "#d9ead3", unknown: "#eeeeee" };

/** Renders a graph as DOT text (deterministic: same graph, same bytes). */
export function graphToDot(graph: Graph, options: DotOptions = {}): string {
  const index = indexGraph(graph);
  const lines: string[] = [];
  lines.push(`digraph ${quote(graph.name)} {`);
  lines.push(`  rankdir=${options.rankdir ?? "LR"};`);
  lines.push(`  node [shape=record, fontname="Helvetica", fontsize=10];`);
  lines.push(`  edge [fontname="Helvetica", fontsize=9];`);

  const byTag = new Map<string, GraphNode[]>();
  for (const node of index.nodes) {
    const tag = node.tag ?? "";
    const list = byTag.get(tag) ?? [];
    list.push(node);
    byTag.set(tag, list);
  }
  for (const [tag, nodes] of byTag) {
    const indent = tag === "" ? "  " : "    ";
    if (tag !== "") {
      lines.push(`  subgraph ${quote(`cluster_${tag}`)} {`);
      lines.push(`    label=${quote(`tag ${tag}`)}; style=rounded; color="#999999";`);
    }
    for (const node of nodes) {
      lines.push(indent + nodeLine(graph, node, index.specs[index.numberOf.get(node.id) ?? -1]));
    }
    if (tag !== "") lines.push("  }");
  }

  const missing = new Set<string>();
  for (const edge of graph.edges) {
    const from = index.numberOf.get(edge.from);
    const to = index.numberOf.get(edge.to);
    for (const [id, n] of [[edge.from, from], [edge.to, to]] as const) {
      if (n === undefined && !missing.has(id)) {
        missing.add(id);
        lines.push(
          `  ${quote(id)} [shape=box, style=dashed, color=red, fontcolor=red, label=${
            quote(`missing: ${id}`)
          }];`,
        );
      }
    }
    if (edge.kind === "spawn") {
      lines.push(
        `  ${quote(edge.from)} -> ${quote(edge.to)} [style=dashed, color="#888888", label=${
          quote(edge.spawn)
        }];`,
      );
      continue;
    }
    const spec = from === undefined ? undefined : index.specs[from];
    const portIndex = spec === undefined ? -1 : spec.ports.indexOf(edge.port);
    const tail = portIndex < 0 ? quote(edge.from) : `${quote(edge.from)}:p${portIndex}`;
    const color = edge.port === "true"
      ? ` [color="#2e7d32"]`
      : edge.port === "false"
      ? ` [color="#c62828"]`
      : from === undefined
      ? ` [color=red]`
      : portIndex < 0
      ? ` [color=red, label=${quote(`unknown port ${edge.port}`)}]`
      : "";
    lines.push(`  ${tail} -> ${quote(edge.to)}${color};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

function nodeLine(graph: Graph, node: GraphNode, spec: NodeSpec | undefined): string {
  const attributes = attributesOf(graph, node);
  const fill = spec === undefined
    ? FILL.unknown
    : node.origin === "LPG"
    ? FILL.lpg
    : attributes.software === true
    ? FILL.prgSoftware
    : FILL.hardware;
  const titleLines = [node.label ?? node.id];
  if (node.label !== undefined) titleLines.push(node.id);
  if (spec === undefined) {
    titleLines.push(`unknown spec ${node.spec}`);
  } else if (isOperatorKind(spec.kind)) {
    titleLines.push(spec.kind.toUpperCase());
  } else if (spec.kind === "config") {
    titleLines.push(`config: ${spec.config?.expansion || "no function"}`);
  }
  const flags: string[] = node.tag === undefined ? [] : [`tag ${node.tag}`];
  for (const flag of ["source", "sink", "software", "init"] as const) {
    if (attributes[flag] === true) flags.push(flag);
  }
  if (flags.length > 0) titleLines.push(`[${flags.join(", ")}]`);
  const title = titleLines.map(escapeRecord).join("\\n");
  const ports = (spec?.ports ?? []).map((p, i) => `<p${i}> ${escapeRecord(p)}`).join(" | ");
  const label = ports === "" ? `{ ${title} }` : `{ ${title} | { ${ports} } }`;
  const style = spec?.kind === "config"
    ? "filled,dashed"
    : spec !== undefined && isOperatorKind(spec.kind)
    ? "filled,bold"
    : "filled,rounded";
  return `${quote(node.id)} [label=${quoteEscaped(label)}, style=${quote(style)}, fillcolor=${
    quote(fill)
  }];`;
}

/** Escapes text for a record label field (backslashes, braces, bars, angle brackets). */
function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>]/g, (c) => `\\${c}`);
}

/** Quotes plain text as a DOT string (backslashes and quotes escaped). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Quotes a label whose backslash escapes are intended (only quotes escaped). */
function quoteEscaped(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}
