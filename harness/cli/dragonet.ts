/**
 * The `lab dragonet` command group: what Dragonet's stack does with a set of flows
 * (`stack/dragonet/control`).
 *
 * `explain` runs the queue-allocation search from the NIC's bring-up configuration, prints the
 * chosen configuration, the flow -> queue map and its cost, and with `--out DIR` writes SVGs
 * (Graphviz `dot`) of the configured PRG, the embedded graph and each pipeline. Flows come
 * from a JSON array like `lab search run --flows-file` reads (dotted-quad `srcIp`/`dstIp`,
 * `srcPort`/`dstPort`; absent = wildcard); the LPG gets one listening endpoint per distinct
 * local address and port. An example ships in `stack/dragonet/control/examples/flows.json`
 * (three gold flows from 10.0.0.222, six best-effort flows from 10.0.0.100).
 *
 * `replay` runs the control loop over a script of timed application events (register, bind,
 * flow, span, close, nop, with the MORE flag; `stack/dragonet/control/event_script.ts`) and
 * prints the replies and the reconfiguration log: when each run happened, the flows it placed,
 * the NIC operations, the search time and whether the software graph was rebuilt.
 *
 * @example
 * ```sh
 * deno task lab dragonet replay --events stack/dragonet/control/examples/events.json
 * deno task lab dragonet explain --flows stack/dragonet/control/examples/flows.json
 * deno task lab dragonet explain --nic solarflare-sfc9020 --queues 5 --cost priority \
 *   --gold-src 10.0.0.222 --flows stack/dragonet/control/examples/flows.json --out /tmp/dn
 * ```
 *
 * @module
 */
import { Command, type OptionValues } from "@commander-js/extra-typings";
import { graphToDot } from "../../stack/graph/dot.ts";
import {
  COST_NAMES,
  costByName,
  DRAGONET_NICS,
  DragonetControl,
  dragonetNic,
  type DragonetNicId,
  explain,
  type Explanation,
  formatExplanation,
  formatReconfigLog,
  parseEventScript,
  replayScript,
  REPLY_STATUS_NAMES,
  ScriptClock,
} from "../../stack/dragonet/control/mod.ts";
import { renderSvg } from "./graph.ts";
import { readInputFile } from "./_files.ts";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption, integerOption, ipv4Option } from "./_options.ts";
import { parseFlowsJson } from "./search.ts";

const NIC_IDS = Object.keys(DRAGONET_NICS) as DragonetNicId[];
const NIC_OPTION = choiceOption("--nic", NIC_IDS);
const QUEUES_OPTION = integerOption("--queues", { min: 2, max: 128 });
const COST_OPTION = choiceOption("--cost", COST_NAMES);
const SEARCH_OPTION = choiceOption("--search", ["greedy", "incremental"]);
const GOLD_SRC_OPTION = ipv4Option("--gold-src");

/** Adds the options `explain` and `replay` share: NIC, queues, cost function, search, gold source. */
function withControlOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  c: Command<A, O, G>,
) {
  return c
    .option("--nic <name>", `NIC model: ${NIC_IDS.join(", ")}`, NIC_OPTION, "intel-82599" as const)
    .option("--queues <n>", "queues (queue 0 is the default)", QUEUES_OPTION, 10)
    .option(
      "--cost <name>",
      `cost function: ${COST_NAMES.join(", ")}`,
      COST_OPTION,
      "balance" as const,
    )
    .option(
      "--search <kind>",
      "search algorithm: greedy or incremental",
      SEARCH_OPTION,
      "greedy" as const,
    )
    .option("--gold-src <ip>", "source address of gold flows (priority, static)", GOLD_SRC_OPTION);
}

/** Writes SVGs of the configured PRG, the embedded graph and each pipeline into `dir`. */
export async function writeExplainSvgs(
  x: Explanation,
  dir: string,
  dotCommand = "dot",
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const graphs = [{ file: "prg.svg", graph: x.prg }];
  if (x.built !== null) {
    graphs.push({ file: "embedded.svg", graph: x.built.embedded });
    for (const p of x.built.pipelines) {
      graphs.push({ file: `pipeline-${p.name}.svg`, graph: p.graph });
    }
  }
  const written: string[] = [];
  for (const g of graphs) {
    const path = `${dir.replace(/\/+$/, "")}/${g.file}`;
    await renderSvg(graphToDot(g.graph), path, dotCommand);
    written.push(path);
  }
  return written;
}

/** Builds the `lab dragonet` command group writing to `out`. */
export function dragonetCommand(out: CliIo = processIo, dotCommand = "dot"): Command {
  const cmd = new Command("dragonet").description(
    "Dragonet's stack: search, configured PRG, embedding and pipelines for a set of flows",
  );
  withControlOptions(
    cmd.command("explain")
      .description(
        "Show the chosen NIC configuration, the flow -> queue map and its cost; draw the graphs",
      )
      .requiredOption("--flows <file>", "JSON array of flows (see lab search run --flows-file)"),
  )
    .option(
      "--gold-per-queue <n>",
      "gold flows per gold queue",
      integerOption("--gold-per-queue", { min: 1, max: 1000 }),
    )
    .option(
      "--gold-queues <k>",
      "gold queues for the static cost",
      integerOption("--gold-queues", { min: 1, max: 126 }),
    )
    .option("--out <dir>", "write prg.svg, embedded.svg and pipeline-<name>.svg here")
    .option("--json", "print configuration, flow -> queue map and cost as JSON", false)
    .action(async (o) => {
      const nic = dragonetNic(o.nic);
      const flows = parseFlowsJson(await readInputFile(o.flows, "flows file"), o.flows);
      const cost = costByName({
        name: o.cost,
        ...(o.goldSrc === undefined ? {} : { goldSrc: o.goldSrc }),
        ...(o.goldPerQueue === undefined ? {} : { goldFlowsPerQ: o.goldPerQueue }),
        ...(o.goldQueues === undefined ? {} : { goldQueues: o.goldQueues }),
      });
      const x = explain({
        nic,
        queues: o.queues,
        cost,
        flows,
        search: o.search,
        graphs: o.out !== undefined,
      });
      if (o.json) {
        out.write(
          JSON.stringify(
            {
              nic: x.nic,
              queues: x.queues,
              cost: x.cost,
              searchMs: x.searchMs,
              config: x.config,
              ops: x.ops,
              placement: x.placement,
              perQueue: x.perQueue,
            },
            null,
            2,
          ) + "\n",
        );
      } else out.write(formatExplanation(x));
      if (o.out !== undefined) {
        const files = await writeExplainSvgs(x, o.out, dotCommand);
        if (!o.json) out.write(`wrote ${files.length} SVGs to ${o.out}\n`);
      }
    });
  withControlOptions(
    cmd.command("replay")
      .description("Run the control loop over a script of application events; print the log")
      .requiredOption("--events <file>", "JSON array of timed application events"),
  )
    .option("--no-graphs", "skip building the embedded graph (rebuild decisions still logged)")
    .option("--json", "print the reconfiguration records as JSON", false)
    .action(async (o) => {
      const script = parseEventScript(await readInputFile(o.events, "event script"), o.events);
      const clock = new ScriptClock();
      const common = {
        nic: dragonetNic(o.nic),
        queues: o.queues,
        cost: costByName({
          name: o.cost,
          ...(o.goldSrc === undefined ? {} : { goldSrc: o.goldSrc }),
        }),
        search: o.search,
        clock: clock.read,
      };
      const control = o.graphs
        ? new DragonetControl(common)
        : new DragonetControl<null>({ ...common, builder: () => null });
      await control.start();
      const replies = await replayScript(control as DragonetControl<unknown>, clock, script);
      if (o.json) {
        out.write(JSON.stringify(control.log(), null, 2) + "\n");
        return;
      }
      const lines = script.map((s, i) => {
        const r = replies[i];
        const what = r === undefined ? "?" : REPLY_STATUS_NAMES[r.status] ?? String(r.status);
        return `${String(s.at).padStart(12)} ns  ${s.event.kind.padEnd(8)} -> ${what}` +
          (r !== undefined && r.id >= 0 ? ` id ${r.id}` : "");
      });
      out.write(
        `events:\n${lines.join("\n")}\n\nreconfigurations:\n${formatReconfigLog(control.log())}`,
      );
    });
  return cmd;
}
