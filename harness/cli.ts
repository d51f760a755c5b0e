/**
 * The lab's command-line interface: `deno task lab <command>`.
 *
 * Each command group lives in its own module under `harness/cli/` and is added here only once it
 * works, so `--help` lists nothing that is not real.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import denoConfig from "../deno.json" with { type: "json" };
import { pcapCommand } from "./cli/pcap.ts";
import { graphCommand } from "./cli/graph.ts";
import { nicCommand } from "./cli/nic.ts";
import { predCommand } from "./cli/pred.ts";
import { addLpgCommands } from "./cli/lpg.ts";
import { simCommand } from "./cli/sim.ts";
import { resultsCommand } from "./cli/results.ts";
import { searchCommand } from "./cli/search.ts";
import { tcpCommand } from "./cli/tcp.ts";
import { embedCommand } from "./cli/embed.ts";
import { dragonetCommand } from "./cli/dragonet.ts";
import { workloadCommand } from "./cli/workload.ts";
import { experimentCommand } from "./cli/experiment.ts";
import { replayCommand } from "./cli/replay.ts";

/** Builds the root command with every working subcommand attached. */
export function buildCli(): Command {
  const program = new Command()
    .name("lab")
    .description("dragonet-lab: a benchmark harness and test lab for host network stacks")
    .version(denoConfig.version)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)) });
  program.addCommand(pcapCommand());
  const graph = graphCommand();
  addLpgCommands(graph);
  program.addCommand(graph);
  program.addCommand(nicCommand());
  program.addCommand(predCommand());
  program.addCommand(simCommand());
  program.addCommand(resultsCommand());
  program.addCommand(searchCommand());
  program.addCommand(tcpCommand());
  program.addCommand(embedCommand());
  program.addCommand(dragonetCommand());
  program.addCommand(workloadCommand());
  program.addCommand(experimentCommand());
  program.addCommand(replayCommand());
  return program;
}

if (import.meta.main) {
  try {
    await buildCli().parseAsync(Deno.args, { from: "user" });
  } catch (err) {
    console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}
