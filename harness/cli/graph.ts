/**
 * The `lab graph` command group: `check` validates a JSON graph and prints every problem (exit
 * status 1 when there is any); `show` prints the graph as Graphviz DOT, or renders it to SVG with
 * Graphviz `dot`.
 *
 * @example
 * ```sh
 * deno task lab graph check tests/graphs/g1.json
 * deno task lab graph show tests/graphs/g1.json --svg g1.svg
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { readInputFile } from "./_files.ts";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption } from "./_options.ts";
import { graphToDot } from "../../stack/graph/dot.ts";
import { graphToJson, parseGraph } from "../../stack/graph/json.ts";
import type { Graph } from "../../stack/graph/types.ts";
import { formatProblem, type GraphProblem, validateGraph } from "../../stack/graph/validate.ts";

/**
 * Reads and parses a JSON graph file.
 *
 * @throws {Error} naming the file when it cannot be read or is not a graph.
 */
export async function readGraphFile(path: string): Promise<Graph> {
  return parseGraph(await readInputFile(path, "graph file"), path);
}

/** Result of {@linkcode checkGraph}: the report text and the problems. */
export interface CheckReport {
  /** Lines to print: one per problem, then a summary line. */
  readonly text: string;
  /** Every problem found. */
  readonly problems: readonly GraphProblem[];
}

/** Validates a graph and formats the report printed by `lab graph check`. */
export function checkGraph(graph: Graph, path: string): CheckReport {
  const problems = validateGraph(graph);
  const size = `${graph.nodes.length} nodes, ${graph.edges.length} edges`;
  const summary = problems.length === 0
    ? `${path}: graph "${graph.name}" (${size}): no problems`
    : `${path}: graph "${graph.name}" (${size}): ${problems.length} problem(s)`;
  const lines = problems.map((p) => `${path}: ${formatProblem(p)}`);
  lines.push(summary);
  return { text: lines.join("\n") + "\n", problems };
}

/**
 * Renders DOT text to an SVG file with Graphviz.
 *
 * @param dotCommand the Graphviz program (default `dot`)
 * @throws {Error} with a clear message when the program is missing or fails.
 */
export async function renderSvg(dot: string, outPath: string, dotCommand = "dot"): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(dotCommand, {
      args: ["-Tsvg", "-o", outPath],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot render SVG: Graphviz "${dotCommand}" was not found on PATH; install Graphviz ` +
          `(Debian: apt-get install graphviz) or run without --svg to print the DOT text`,
      );
    }
    throw err;
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(dot));
  await writer.close();
  const result = await child.output();
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).trim();
    throw new Error(
      `Cannot render SVG "${outPath}": Graphviz "${dotCommand}" exited with status ${result.code}` +
        (stderr === "" ? "" : `: ${stderr}`),
    );
  }
}

/** Files {@linkcode writeGraphFiles} writes a graph to; an absent one is skipped. */
export interface GraphFiles {
  /** Path of the graph's JSON form. */
  readonly json?: string | undefined;
  /** Path of the Graphviz DOT text. */
  readonly dot?: string | undefined;
  /** Path of the SVG rendered by Graphviz. */
  readonly svg?: string | undefined;
}

/**
 * Writes a graph as JSON, DOT and/or an SVG rendered with Graphviz.
 *
 * @param options `rankdir` of the drawing (default LR); `dotCommand`, the Graphviz program
 * @returns the paths written, in the order json, dot, svg
 * @throws {Error} as {@linkcode renderSvg} when Graphviz is missing or fails.
 */
export async function writeGraphFiles(
  graph: Graph,
  files: GraphFiles,
  options: { readonly rankdir?: "LR" | "TB"; readonly dotCommand?: string } = {},
): Promise<string[]> {
  const wrote: string[] = [];
  if (files.json !== undefined) {
    await Deno.writeTextFile(files.json, graphToJson(graph));
    wrote.push(files.json);
  }
  if (files.dot === undefined && files.svg === undefined) return wrote;
  const dot = graphToDot(graph, { rankdir: options.rankdir ?? "LR" });
  if (files.dot !== undefined) {
    await Deno.writeTextFile(files.dot, dot);
    wrote.push(files.dot);
  }
  if (files.svg !== undefined) {
    await renderSvg(dot, files.svg, options.dotCommand ?? "dot");
    wrote.push(files.svg);
  }
  return wrote;
}

/** Builds the `graph` command group. */
export function graphCommand(io: CliIo = processIo, dotCommand = "dot"): Command {
  const graph = new Command("graph").description(
    "Dataflow graphs (PRG/LPG): validate and draw JSON graph descriptions",
  );
  graph
    .command("check")
    .description("Validate a JSON graph and print every problem (exit status 1 when any)")
    .argument("<file>", "graph JSON file")
    .action(async (file) => {
      const report = checkGraph(await readGraphFile(file), file);
      io.write(report.text);
      if (report.problems.length > 0) io.setExitCode(1);
    });
  graph
    .command("show")
    .description("Print a JSON graph as Graphviz DOT, or render it to SVG with Graphviz dot")
    .argument("<file>", "graph JSON file")
    .option("--svg <out>", "render to this SVG file with Graphviz dot")
    .option("--dot <out>", "write the DOT text to this file instead of standard output")
    .option(
      "--rankdir <dir>",
      "layout direction, LR or TB",
      choiceOption("--rankdir", ["LR", "TB"]),
      "LR" as const,
    )
    .action(async (file, options) => {
      const g = await readGraphFile(file);
      const wrote = await writeGraphFiles(g, options, { rankdir: options.rankdir, dotCommand });
      for (const path of wrote) io.write(`Wrote ${path}\n`);
      if (wrote.length === 0) io.write(graphToDot(g, { rankdir: options.rankdir }));
    });
  return graph;
}
