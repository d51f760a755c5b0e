/**
 * The LPG commands of the `lab graph` group: `lpg` makes the LPG from a stack-state file (addresses and UDP
 * endpoints), validates it and writes it as JSON, DOT or SVG; `compile` turns a JSON LPG into
 * the generated JavaScript the compiled executor runs and prints it (one function per pipeline
 * with `--pipelines`).
 *
 * @example
 * ```sh
 * deno task lab graph lpg --endpoints stack/protocols/testdata/stack_state.json --json lpg.json --svg lpg.svg
 * deno task lab graph compile lpg.json
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { graphToJson } from "../../stack/graph/json.ts";
import type { Graph } from "../../stack/graph/types.ts";
import { formatProblem, validateGraph } from "../../stack/graph/validate.ts";
import { Registry } from "../../stack/graph/registry.ts";
import { generateSource } from "../../stack/exec/compiler.ts";
import { buildProgram } from "../../stack/exec/program.ts";
import { splitPipelines } from "../../stack/exec/pipelines.ts";
import { demuxImpl, pipelineImpls } from "../../stack/exec/pipeline_nodes.ts";
import type { NodeImpl } from "../../stack/exec/types.ts";
import { buildLpg, lpgImpls, lpgTemplate } from "../../stack/protocols/lpg.ts";
import { parseStackState } from "../../stack/protocols/stack_state.ts";
import { UDP_SOCKETS_EXPANSION } from "../../stack/protocols/udp_sockets_expansion.ts";
import type { LpgEnv } from "../../stack/protocols/env.ts";
import { readGraphFile, writeGraphFiles } from "./graph.ts";
import { readInputFile } from "./_files.ts";
import { type CliIo, processIo } from "./_io.ts";

/** Builds the LPG of a stack-state file (or the unconfigured template without one). */
export async function lpgFromFile(path: string | undefined): Promise<Graph> {
  if (path === undefined) return lpgTemplate();
  const text = await readInputFile(path, "stack-state file");
  return buildLpg(parseStackState(text, path).endpoints);
}

/** The generated source of a graph's compiled function(s): one per pipeline when split. */
export function compiledSource(graph: Graph, split: boolean): string {
  const impls = lpgImpls(graph) as Map<string, NodeImpl<LpgEnv>>;
  if (!split) return generateSource(buildProgram(graph, impls));
  const parts = splitPipelines(graph);
  return parts.map((part) => {
    const all = new Map<string, NodeImpl<LpgEnv>>([...impls, ...pipelineImpls<LpgEnv>()]);
    for (const [name, spec] of Object.entries(part.graph.specs)) {
      if (name.startsWith("pl.demux.")) all.set(name, demuxImpl<LpgEnv>(spec));
    }
    return `// ===== pipeline ${part.name} =====\n` + generateSource(buildProgram(part.graph, all));
  }).join("\n");
}

/**
 * Adds `lpg` (build the LPG from a stack-state file) and `compile` (print the generated
 * JavaScript of a JSON graph) to a command group, normally `lab graph`.
 */
export function addLpgCommands(
  group: Command,
  io: CliIo = processIo,
  dotCommand = "dot",
): void {
  group
    .command("lpg")
    .description(
      "Build the logical protocol graph from a stack-state file, validate it, and write JSON, " +
        "DOT or SVG (JSON to standard output when no file is named)",
    )
    .option("--endpoints <file>", "stack-state JSON: localIp, localMac, endpoints")
    .option("--json <out>", "write the graph as JSON")
    .option("--dot <out>", "write the graph as Graphviz DOT")
    .option("--svg <out>", "render the graph to SVG with Graphviz dot")
    .action(async (options) => {
      const graph = await lpgFromFile(options.endpoints);
      const expansions = new Registry<true>("expansion function").register(
        UDP_SOCKETS_EXPANSION,
        true,
      );
      const problems = validateGraph(graph, { expansions });
      for (const p of problems) io.write(`problem: ${formatProblem(p)}\n`);
      if (problems.length > 0) io.setExitCode(1);
      const wrote = await writeGraphFiles(graph, options, { dotCommand });
      if (wrote.length === 0) io.write(graphToJson(graph));
      else {
        io.write(
          `LPG "${graph.name}": ${graph.nodes.length} nodes, ${graph.edges.length} edges, ` +
            `${problems.length} problem(s); wrote ${wrote.join(", ")}\n`,
        );
      }
    });
  group
    .command("compile")
    .description("Print the JavaScript the compiler generates for a JSON graph")
    .argument("<file>", "graph JSON file (for example from `graph lpg --json`)")
    .option("--pipelines", "split into pipelines first and print one function per pipeline")
    .action(async (file, options) => {
      const graph = await readGraphFile(file);
      io.write(compiledSource(graph, options.pipelines === true));
    });
}
