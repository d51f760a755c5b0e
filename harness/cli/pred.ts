/**
 * The `lab pred` command group: `show` prints the path predicate of graph nodes (which packets reach them) in
 * disjunctive normal form; `unreachable` lists the nodes no packet can reach.
 *
 * @example
 * ```sh
 * deno task lab pred show tests/graphs/g1.json A3 F3
 * deno task lab pred unreachable tests/graphs/g1.json
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { AtomTable } from "../../stack/graph/predicate/atoms.ts";
import { DEFAULT_MAX_DNF_TERMS, DnfAlgebra } from "../../stack/graph/predicate/dnf.ts";
import { showPred } from "../../stack/graph/predicate/expr.ts";
import { GraphPredicates } from "../../stack/graph/predicate/node_predicates.ts";
import type { Graph, NodeId } from "../../stack/graph/types.ts";
import { readGraphFile } from "./graph.ts";
import { type CliIo, processIo } from "./_io.ts";
import { integerOption } from "./_options.ts";

/** Options of {@linkcode predicateReport}. */
export interface PredicateReportOptions {
  /** Only list nodes whose predicate is `false`. */
  readonly unreachable?: boolean;
  /** Most DNF terms per predicate before a node is reported as too large. */
  readonly maxTerms?: number;
}

/** Result of {@linkcode predicateReport}: the text to print and whether any node failed. */
export interface PredicateReport {
  /** One line per node, then (with `unreachable`) a summary line. */
  readonly text: string;
  /** Whether some predicate could not be computed (the command then exits with status 1). */
  readonly failed: boolean;
}

/**
 * Computes the DNF reach predicate of the given nodes (all nodes when `ids` is empty).
 *
 * @throws {Error} when an id names no node of the graph.
 */
export function predicateReport(
  graph: Graph,
  ids: readonly string[],
  options: PredicateReportOptions = {},
): PredicateReport {
  const known = new Set<string>(graph.nodes.map((n) => n.id));
  for (const id of ids) {
    if (!known.has(id)) throw new Error(`Graph "${graph.name}" has no node "${id}"`);
  }
  const table = new AtomTable();
  const dnf = new DnfAlgebra(table, { maxTerms: options.maxTerms ?? DEFAULT_MAX_DNF_TERMS });
  const preds = new GraphPredicates(graph, table, dnf);
  const chosen = ids.length > 0 ? ids : graph.nodes.map((n) => n.id);
  const width = Math.max(0, ...chosen.map((id) => id.length));
  const lines: string[] = [];
  let failed = false;
  let unreachable = 0;
  for (const id of chosen) {
    try {
      const d = preds.nodePred(id as NodeId);
      if (options.unreachable) {
        if (dnf.isFalse(d)) {
          unreachable++;
          lines.push(id);
        }
      } else lines.push(`${id.padEnd(width)}  ${showPred(dnf.toPred(d), table)}`);
    } catch (err) {
      failed = true;
      lines.push(`${id.padEnd(width)}  ! ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (options.unreachable) {
    lines.push(`${unreachable} of ${chosen.length} nodes unreachable`);
  }
  return { text: lines.join("\n") + "\n", failed };
}

/** Builds the `pred` command group (`show`, `unreachable`). */
export function predCommand(io: CliIo = processIo): Command {
  const pred = new Command("pred").description(
    "Path predicates of graph nodes: which packets reach them (DNF)",
  );
  pred
    .command("show")
    .description("Print the DNF reach predicate of graph nodes (default: every node)")
    .argument("<file>", "graph JSON file")
    .argument("[nodes...]", "node ids")
    .option(
      "--max-terms <n>",
      "most DNF terms per predicate",
      integerOption("--max-terms", { min: 1 }),
      DEFAULT_MAX_DNF_TERMS,
    )
    .action(async (file, nodes, options) => {
      const report = predicateReport(await readGraphFile(file), nodes, {
        maxTerms: options.maxTerms,
      });
      io.write(report.text);
      if (report.failed) io.setExitCode(1);
    });
  pred
    .command("unreachable")
    .description("List the nodes whose predicate is false (no packet can reach them)")
    .argument("<file>", "graph JSON file")
    .option(
      "--max-terms <n>",
      "most DNF terms per predicate",
      integerOption("--max-terms", { min: 1 }),
      DEFAULT_MAX_DNF_TERMS,
    )
    .action(async (file, options) => {
      const report = predicateReport(await readGraphFile(file), [], {
        unreachable: true,
        maxTerms: options.maxTerms,
      });
      io.write(report.text);
      if (report.failed) io.setExitCode(1);
    });
  return pred;
}
