/**
 * The `lab embed` command group: `build` embeds the LPG of a stack-state file (with the UDP demux
 * filters' port predicates the socket C-node writes, unless `--plain-lpg`) into a NIC's PRG configured from
 * `--config` (filters expanded, for the 82599 and the SFC9020), prints per-queue outcomes, TX
 * offloads and Balance assignments, and writes the chosen stage (embedded graph, software part,
 * or one pipeline) as JSON, DOT or SVG.
 *
 * @example
 * ```sh
 * deno task lab embed build --nic intel-82599 --queues 4 \
 *   --endpoints stack/protocols/testdata/stack_state.json --json embedded.json
 * deno task lab graph show embedded.json --svg embedded.svg
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { makeGraph } from "../../stack/dragonet/embed/make_graph.ts";
import type { Graph } from "../../stack/graph/types.ts";
import { formatProblem, validateGraph } from "../../stack/graph/validate.ts";
import { writeGraphFiles } from "./graph.ts";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption, integerOption } from "./_options.ts";
import { lpgFromFile } from "./lpg.ts";
import { buildLpg } from "../../stack/protocols/lpg.ts";
import { loadNicConfig, NIC_MODELS, nicEntry } from "./nic.ts";
import type { NicConfig } from "../../nicmodels/_shared/nic.ts";
import { configure82599Prg } from "../../nicmodels/intel_82599/prg_configure.ts";
import { configureSfc9020Prg } from "../../nicmodels/solarflare_sfc9020/prg_configure.ts";
import { lpgCollapsible } from "../../stack/dragonet/embed/lpg_predicates.ts";
import { udpDemuxFilter } from "../../stack/protocols/sockets.ts";

/** NICs whose PRG can be configured (filters expanded); others embed into the unconfigured PRG. */
const CONFIGURED_PRG: Readonly<Record<string, (config: NicConfig) => Graph>> = {
  "intel-82599": configure82599Prg,
  "solarflare-sfc9020": configureSfc9020Prg,
};

/** The LPG without its UDP demux filters' own port predicates (`--plain-lpg`). */
function withoutDemuxPredicates(lpg: Graph): Graph {
  return {
    ...lpg,
    nodes: lpg.nodes.map((n) => {
      if (n.spec !== udpDemuxFilter.spec.name || n.predicates === undefined) return n;
      const { predicates: _dropped, ...rest } = n;
      return rest;
    }),
  };
}

/** Stages `lab embed build --stage` can write. */
export const EMBED_STAGES = ["embedded", "software", "pipeline"] as const;

/** Builds the `embed` command group. */
export function embedCommand(io: CliIo = processIo, dotCommand = "dot"): Command {
  const group = new Command("embed").description(
    "Dragonet embedding: the LPG merged into a NIC's PRG, one copy per queue, pruned by predicates",
  );
  group
    .command("build")
    .description(
      "Embed the LPG of a stack-state file into a NIC's PRG; print per-queue outcomes; write the " +
        "embedded graph, its software part or one pipeline as JSON, DOT or SVG",
    )
    .requiredOption("--nic <name>", `NIC model (${Object.keys(NIC_MODELS).join(", ")})`)
    .option(
      "--queues <n>",
      "queue count (default: the NIC's default configuration)",
      integerOption("--queues", { min: 1, max: 128 }),
    )
    .option("--config <file>", "JSON NicConfig (filters, queues; absent fields take the defaults)")
    .option("--plain-lpg", "drop the UDP demux filters' port predicates (no pruning by the NIC)")
    .option(
      "--endpoints <file>",
      "stack-state JSON: localIp, localMac, endpoints (default: no endpoints)",
    )
    .option(
      "--stage <stage>",
      `what to write: ${EMBED_STAGES.join(", ")}`,
      choiceOption("--stage", EMBED_STAGES),
      "embedded" as const,
    )
    .option("--pipeline <name>", "pipeline to write with --stage pipeline (Q0, App1, ...)")
    .option("--json <out>", "write the graph as JSON")
    .option("--dot <out>", "write the graph as Graphviz DOT")
    .option("--svg <out>", "render the graph to SVG with Graphviz dot")
    .action(async (options) => {
      const entry = nicEntry(options.nic);
      const config = await loadNicConfig(entry, options.config, entry.defaults(options.queues));
      const plain = options.endpoints === undefined
        ? buildLpg([])
        : await lpgFromFile(options.endpoints);
      const lpg = options.plainLpg === true ? withoutDemuxPredicates(plain) : plain;
      const prg = (CONFIGURED_PRG[options.nic] ?? entry.prg)(config);
      const built = makeGraph(prg, lpg, { collapsible: lpgCollapsible });
      const lines: string[] = [];
      for (const q of built.embedding.queues) {
        const count = new Map<string, number>();
        for (const o of q.outcomes.values()) count.set(o, (count.get(o) ?? 0) + 1);
        const parts = [...count].sort().map(([o, n]) => `${o} ${n}`);
        lines.push(`${q.queue.tag}: ${parts.join(", ")}`);
      }
      for (const o of built.offload.offloaded) {
        lines.push(`Q${o.queue}: ${o.lpgNode} offloaded to ${o.prgNode}`);
      }
      for (const a of built.balance.assigned) {
        lines.push(`${a.tag}: balance ${a.node} gives every packet to port ${a.port}`);
      }
      for (const w of built.balance.warnings) lines.push(`warning: ${w}`);
      lines.push(`pipelines: ${built.pipelines.map((p) => p.name).join(", ")}`);
      let graph: Graph = options.stage === "software" ? built.software : built.embedded;
      if (options.stage === "pipeline") {
        const name = options.pipeline ?? "Q0";
        const p = built.pipelines.find((x) => x.name === name);
        if (p === undefined) {
          throw new Error(
            `Unknown pipeline "${name}": pipelines are ${
              built.pipelines.map((x) => x.name).join(", ")
            }`,
          );
        }
        graph = p.graph;
      }
      // A queue the configuration steers nothing to (no filter, no RSS entry) leaves its PRG
      // queue node unreachable: that is a fact of the configuration, reported as a note, not
      // a defect of the embedded graph.
      const all = validateGraph(graph);
      const notes = all.filter((p) => p.code === "unreachable");
      const problems = all.filter((p) => p.code !== "unreachable");
      for (const p of notes) lines.push(`note: ${formatProblem(p)}`);
      for (const p of problems) lines.push(`problem: ${formatProblem(p)}`);
      if (problems.length > 0) io.setExitCode(1);
      const wrote = await writeGraphFiles(graph, options, { dotCommand });
      lines.push(
        `${options.stage} graph "${graph.name}": ${graph.nodes.length} nodes, ` +
          `${graph.edges.length} edges, ${problems.length} problem(s), ` +
          `${notes.length} unreachable node(s)` +
          (wrote.length === 0 ? "" : `; wrote ${wrote.join(", ")}`),
      );
      io.write(lines.join("\n") + "\n");
    });
  return group;
}
