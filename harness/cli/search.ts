/**
 * The `lab search` command group: run Dragonet's queue-allocation search (greedy or incremental)
 * for a set of UDP flows on a NIC model, and print where the flows land, the cost, the filters
 * used and the search time (`stack/dragonet/search`).
 *
 * Flows are generated "connect" flows (client 10.1.x.y, source port 1000 + k, to 10.0.0.1:7,
 * like the original's search benchmark) or read from a JSON file: an array of objects with
 * optional `srcIp`, `dstIp` (dotted quads), `srcPort`, `dstPort` and `rate`; absent fields are
 * wildcards.
 *
 * @example
 * ```sh
 * deno task lab search run --flows 500 --queues 10 --cost balance
 * deno task lab search run --nic solarflare-sfc9020 --search incremental --flows 200
 * deno task lab search run --flows-file flows.json --cost priority --gold-src 10.0.0.222
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { parseIpv4Address } from "../../nicmodels/_shared/addr.ts";
import type { NicConfig } from "../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../nicmodels/intel_82599/default_config.ts";
import { sfcDragonetConfig } from "../../nicmodels/solarflare_sfc9020/config.ts";
import { Sfc9020Oracle } from "../../nicmodels/solarflare_sfc9020/oracle.ts";
import {
  checkFlow,
  COST_FUNCTION_NAMES,
  costByName,
  type CostFunction,
  type CostFunctionName,
  type Flow,
  formatCost,
  greedySearch,
  IncrementalSearch,
  Intel82599SearchOracle,
  type MapperPlan,
  NicOracleAdapter,
  PLAN_82599,
  PLAN_SFC9020,
  type SearchOracle,
  type SearchResult,
} from "../../stack/dragonet/search/mod.ts";
import { readInputFile } from "./_files.ts";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption, integerOption, ipv4Option } from "./_options.ts";

/** NICs the search can run on: plan, starting configuration, oracle. */
export const SEARCH_NICS: Readonly<
  Record<string, (queues: number) => { plan: MapperPlan; config: NicConfig; oracle: SearchOracle }>
> = {
  "intel-82599": (queues) => {
    const config = dragonetIntel82599Config(queues);
    return { plan: PLAN_82599, config, oracle: new Intel82599SearchOracle(config) };
  },
  "solarflare-sfc9020": (queues) => {
    const config = sfcDragonetConfig(queues);
    return {
      plan: PLAN_SFC9020,
      config,
      oracle: new NicOracleAdapter("solarflare-sfc9020", new Sfc9020Oracle(), config),
    };
  },
};

/** The generated "connect" flows: 10.1.0.0+k:1000+k -> 10.0.0.1:7, k = 0..n−1. */
export function connectFlows(n: number): Flow[] {
  return Array.from({ length: n }, (_, k) => ({
    srcIp: (0x0a010000 + k) >>> 0,
    dstIp: 0x0a000001,
    srcPort: 1000 + (k % 60000),
    dstPort: 7,
  }));
}

/** Parses a flows JSON text (see module doc); throws naming the element and field. */
export function parseFlowsJson(text: string, name: string): Flow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot parse flows file "${name}": ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new Error(`Cannot read flows file "${name}": expected a JSON array of flows`);
  }
  return data.map((raw, i) => {
    const where = `flows file "${name}" element ${i}`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new Error(`Cannot read ${where}: expected an object like {"dstPort": 7}`);
    }
    const o = raw as Record<string, unknown>;
    const allowed = ["srcIp", "dstIp", "srcPort", "dstPort", "rate"];
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) {
        throw new Error(
          `Cannot read ${where}: unknown field "${k}" (allowed: ${allowed.join(", ")})`,
        );
      }
    }
    const f: { -readonly [K in keyof Flow]: Flow[K] } = {};
    const ip = (k: "srcIp" | "dstIp") => {
      const v = o[k];
      if (v === undefined) return;
      if (typeof v !== "string") {
        throw new Error(`Cannot read ${where}: ${k} must be a dotted quad`);
      }
      try {
        f[k] = parseIpv4Address(v);
      } catch (e) {
        throw new Error(`Cannot read ${where}: ${(e as Error).message}`);
      }
    };
    ip("srcIp");
    ip("dstIp");
    for (const k of ["srcPort", "dstPort", "rate"] as const) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== "number") throw new Error(`Cannot read ${where}: ${k} must be a number`);
      f[k] = v;
    }
    try {
      checkFlow(f);
    } catch (e) {
      throw new Error(`Cannot read ${where}: ${(e as Error).message}`);
    }
    return f;
  });
}

/** Options of {@link runSearch}. */
export interface SearchRunOptions {
  /** NIC name, a key of {@link SEARCH_NICS}. */
  readonly nic: string;
  /** Queues configured (nq). */
  readonly queues: number;
  /** Cost function name. */
  readonly cost: CostFunctionName;
  /** Search: greedy or incremental (from scratch). */
  readonly search: "greedy" | "incremental";
  /** Weighting of flows. */
  readonly weighting: "count" | "rate";
  /** Source address of gold flows (priority, static). */
  readonly goldSrc?: number;
  /** Gold flows per queue (priority). */
  readonly goldPerQueue: number;
  /** Gold queues k (static); the original's default when absent. */
  readonly goldQueues?: number;
  /** Reproduce quirk Q8 (priority). */
  readonly originalBeQueues: boolean;
  /** Greedy only: what to do with flows no filter table has room for (default `error`). */
  readonly overflow?: "error" | "unfiltered";
}

function costOf(o: SearchRunOptions): CostFunction {
  if (o.cost !== "balance" && o.cost !== "dummy" && o.goldSrc === undefined) {
    throw new Error(`Cost "${o.cost}" needs --gold-src (the source address of gold flows)`);
  }
  return costByName({
    name: o.cost,
    weighting: o.weighting,
    goldFlowsPerQ: o.goldPerQueue,
    originalBeQueues: o.originalBeQueues,
    ...(o.goldSrc === undefined ? {} : { goldSrc: o.goldSrc }),
    ...(o.goldQueues === undefined ? {} : { goldQueues: o.goldQueues }),
  });
}

/** Runs one search; returns the result and the search time in milliseconds. */
export function runSearch(o: SearchRunOptions, flows: readonly Flow[]): {
  result: SearchResult;
  ms: number;
} {
  const make = SEARCH_NICS[o.nic];
  if (make === undefined) {
    throw new Error(`Unknown NIC "${o.nic}": choose ${Object.keys(SEARCH_NICS).join(" or ")}`);
  }
  const setup = make(o.queues);
  const cost = costOf(o);
  const overflow = o.overflow ?? "error";
  if (overflow !== "error" && o.search !== "greedy") {
    throw new Error(`Option --overflow ${overflow} works only with --search greedy`);
  }
  const t0 = performance.now();
  const result = o.search === "greedy"
    ? greedySearch({ ...setup, cost, flows, overflow })
    : new IncrementalSearch({ ...setup, cost }).update(flows);
  return { result, ms: performance.now() - t0 };
}

/** Formats a search result as text: cost, time, flows per queue, filters per table. */
export function formatSearchResult(r: SearchResult, ms: number, queues: number): string {
  const perQueue = new Array<number>(queues).fill(0);
  let dropped = 0;
  for (const q of r.qmap.queues) {
    if (q >= 0 && q < queues) perQueue[q] = (perQueue[q] ?? 0) + 1;
    else dropped++;
  }
  const tables = new Map<string, number>();
  for (const f of r.config.filters) tables.set(f.table, (tables.get(f.table) ?? 0) + 1);
  const lines = [
    `flows ${r.qmap.flows.length}, cost ${formatCost(r.cost)}, search ${ms.toFixed(2)} ms, ` +
    `${r.evaluated} candidates evaluated`,
    `filters: ${[...tables].map(([t, n]) => `${t} ${n}`).join(", ") || "none"}`,
    "queue  flows",
    ...perQueue.map((n, q) => `${String(q).padStart(5)}  ${n}`),
  ];
  if (dropped > 0) lines.push(`dropped ${dropped}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n") + "\n";
}

const COSTS = COST_FUNCTION_NAMES;
const SEARCHES = ["greedy", "incremental"] as const;
const WEIGHTINGS = ["count", "rate"] as const;
const OVERFLOWS = ["error", "unfiltered"] as const;

/** Builds the `lab search` command group writing to `out`. */
export function searchCommand(out: CliIo = processIo): Command {
  const cmd = new Command("search").description(
    "Dragonet queue-allocation search: place UDP flows on NIC queues with filters",
  );
  cmd.command("run")
    .description("Run the greedy or incremental search and print where the flows land")
    .option(
      "--nic <name>",
      `NIC model: ${Object.keys(SEARCH_NICS).join(", ")}`,
      choiceOption("--nic", Object.keys(SEARCH_NICS)),
      "intel-82599",
    )
    .option(
      "--queues <n>",
      "queues configured (queue 0 is the default)",
      integerOption("--queues", { min: 2, max: 128 }),
      10,
    )
    .option(
      "--flows <n>",
      "number of generated connect flows",
      integerOption("--flows", { min: 0, max: 100_000 }),
      100,
    )
    .option("--flows-file <path>", "JSON array of flows instead of generated ones")
    .option(
      "--cost <name>",
      `cost function: ${COSTS.join(", ")}`,
      choiceOption("--cost", COSTS),
      "balance" as const,
    )
    .option(
      "--search <kind>",
      "search algorithm: greedy or incremental",
      choiceOption("--search", SEARCHES),
      "greedy" as const,
    )
    .option(
      "--weighting <w>",
      "flow weight: count (original) or rate (declared)",
      choiceOption("--weighting", WEIGHTINGS),
      "count" as const,
    )
    .option(
      "--gold-src <ip>",
      "source address of gold flows (priority, static)",
      ipv4Option("--gold-src"),
    )
    .option(
      "--gold-per-queue <n>",
      "gold flows per gold queue",
      integerOption("--gold-per-queue", { min: 1, max: 1_000 }),
      1,
    )
    .option(
      "--gold-queues <k>",
      "gold queues for the static cost",
      integerOption("--gold-queues", { min: 1, max: 126 }),
    )
    .option("--original-be-queues", "priority cost: reproduce quirk Q8", false)
    .option(
      "--overflow <what>",
      "greedy: flows no filter table has room for are an error, or stay unfiltered on queue 0",
      choiceOption("--overflow", OVERFLOWS),
      "error" as const,
    )
    .option("--json", "print the result (configuration, flow -> queue map, cost) as JSON", false)
    .action(async (o) => {
      const flows = o.flowsFile === undefined
        ? connectFlows(o.flows)
        : parseFlowsJson(await readInputFile(o.flowsFile, "flows file"), o.flowsFile);
      const opts: SearchRunOptions = {
        nic: o.nic,
        queues: o.queues,
        cost: o.cost,
        search: o.search,
        weighting: o.weighting,
        goldPerQueue: o.goldPerQueue,
        originalBeQueues: o.originalBeQueues,
        overflow: o.overflow,
        ...(o.goldSrc === undefined ? {} : { goldSrc: o.goldSrc }),
        ...(o.goldQueues === undefined ? {} : { goldQueues: o.goldQueues }),
      };
      const { result, ms } = runSearch(opts, flows);
      if (o.json) {
        out.write(
          JSON.stringify(
            {
              cost: result.cost,
              ms,
              config: result.config,
              qmap: result.qmap.flows.map((flow, i) => ({ flow, queue: result.qmap.queues[i] })),
              warnings: result.warnings,
            },
            null,
            2,
          ) + "\n",
        );
      } else out.write(formatSearchResult(result, ms, o.queues));
    });
  return cmd;
}
