/**
 * The `lab nic` command group: list the NIC models, print a model's capabilities with their
 * sources, validate a configuration, and classify the frames of a pcap file to queues.
 *
 * A configuration file is a JSON `NicConfig` (`nicmodels/_shared/nic.ts`); absent top-level
 * fields (queues, ringSize, rss, filters, settings) come from the model's default configuration.
 *
 * @example
 * ```sh
 * deno task lab nic caps intel-82599
 * deno task lab nic validate intel-82599 --config my_nic.json
 * deno task lab nic classify intel-82599 tests/pcap/loopback.pcap --config my_nic.json --counters
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { readInputFile } from "./_files.ts";
import { type CliIo, processIo } from "./_io.ts";
import { openPcap } from "./pcap.ts";
import { renderSvg } from "./graph.ts";
import { graphToDot } from "../../stack/graph/dot.ts";
import { graphToJson } from "../../stack/graph/json.ts";
import type { Graph } from "../../stack/graph/types.ts";
import { PcapRecordView } from "../../stack/packet/pcap/mod.ts";
import { parseNicConfigJson } from "../../nicmodels/_shared/config_json.ts";
import {
  NIC_DROP_NAMES,
  type NicCapabilities,
  type NicConfig,
  NicConfigError,
  type NicModel,
  RxFlag,
  RxResult,
  RxStage,
} from "../../nicmodels/_shared/nic.ts";
import { defaultRssNicConfig, RssNic } from "../../nicmodels/rss/model.ts";
import { buildRssNicPrg } from "../../nicmodels/rss/prg.ts";
import { configureRssNicPrg } from "../../nicmodels/rss/prg_configure.ts";
import { rssNicCapabilities } from "../../nicmodels/rss/capabilities.ts";
import {
  buildSfc9020Prg,
  configureSfc9020Prg,
  SFC9020_CAPABILITIES,
  Sfc9020Nic,
  sfcDefaultConfig,
} from "../../nicmodels/solarflare_sfc9020/mod.ts";
import {
  build82599Prg,
  configure82599Prg,
  defaultIntel82599Config,
  Intel82599,
  INTEL_82599,
} from "../../nicmodels/intel_82599/mod.ts";

/** One NIC model the CLI knows: capabilities, default configuration, constructor, PRG. */
export interface NicEntry {
  /** One line for `lab nic list`. */
  readonly description: string;
  /** The capabilities (for the RSS NIC they depend on the configured queue count). */
  readonly capabilities: (config?: NicConfig) => NicCapabilities;
  /** Default configuration; with `queues`, RSS spreads over that many (capped by the NIC). */
  readonly defaults: (queues?: number) => NicConfig;
  /** Builds the model in a configuration (throws NicConfigError when impossible). */
  readonly make: (config: NicConfig) => NicModel;
  /** The PRG for a configuration, as graph data (C-nodes not expanded). */
  readonly prg: (config: NicConfig) => Graph;
  /** The configured PRG: every C-node expanded into the configuration's filter and RSS nodes. */
  readonly configuredPrg: (config: NicConfig) => Graph;
}

/** The NIC models `lab nic` can use, by name. */
export const NIC_MODELS: Readonly<Record<string, NicEntry>> = {
  "intel-82599": {
    description: "Intel 82599: EtherType, SYN, five-tuple, Flow Director, RSS (≤16 queues)",
    capabilities: () => INTEL_82599,
    defaults: (queues) =>
      queues === undefined
        ? defaultIntel82599Config()
        : { ...defaultIntel82599Config(Math.max(1, Math.min(queues, 16))), queues },
    make: (config) => new Intel82599(config),
    prg: (config) => build82599Prg(config),
    configuredPrg: (config) => configure82599Prg(config),
  },
  "solarflare-sfc9020": {
    description:
      "Solarflare SFC9020: 8192-entry hashed IP filter table (full/wildcard), 512 MAC filters, RSS (≤64 queues)",
    capabilities: () => SFC9020_CAPABILITIES,
    defaults: (queues) => sfcDefaultConfig(queues ?? 16),
    make: (config) => new Sfc9020Nic(config),
    prg: (config) => buildSfc9020Prg(config),
    configuredPrg: (config) => configureSfc9020Prg(config),
  },
  "rss": {
    description: "Plain RSS-only NIC: as many queues as the configuration asks (default 16)",
    capabilities: (config) => rssNicCapabilities({ queues: config?.queues ?? 16 }),
    defaults: (queues) => defaultRssNicConfig(rssNicCapabilities({ queues: queues ?? 16 })),
    make: (config) => new RssNic({ queues: config.queues }, config),
    prg: (config) => buildRssNicPrg(rssNicCapabilities({ queues: config.queues }), config),
    configuredPrg: (config) =>
      configureRssNicPrg(rssNicCapabilities({ queues: config.queues }), config),
  },
};

/**
 * The NIC model named `name`.
 *
 * @throws {Error} naming the NIC and the models allowed when there is no such model.
 */
export function nicEntry(name: string): NicEntry {
  const e = NIC_MODELS[name];
  if (e === undefined) {
    throw new Error(`Unknown NIC "${name}": allowed are ${Object.keys(NIC_MODELS).join(", ")}`);
  }
  return e;
}

/**
 * Reads a JSON `NicConfig` file over `base` (the NIC's default configuration unless given);
 * queues given without RSS settings take the NIC's default RSS for that many queues. Without a
 * path, returns `base`.
 *
 * @throws {Error} naming the file when it cannot be read or is not a valid configuration.
 */
export async function loadNicConfig(
  entry: NicEntry,
  path: string | undefined,
  base: NicConfig = entry.defaults(),
): Promise<NicConfig> {
  if (path === undefined) return base;
  const text = await readInputFile(path, "NIC config");
  const first = parseNicConfigJson(text, path, base);
  // Queues given without RSS settings: take the default RSS for that many queues.
  if (first.queues !== base.queues && first.rss === base.rss && Number.isInteger(first.queues)) {
    return parseNicConfigJson(text, path, entry.defaults(first.queues));
  }
  return first;
}

function makeNic(entry: NicEntry, config: NicConfig, path: string): NicModel {
  try {
    return entry.make(config);
  } catch (err) {
    if (err instanceof NicConfigError) {
      throw new Error(
        `NIC config "${path}" is not possible on this NIC:\n` +
          err.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"),
      );
    }
    throw err;
  }
}

const STAGE_NAMES: readonly string[] = Object.entries(RxStage)
  .sort((a, b) => a[1] - b[1])
  .map(([k]) => k.toLowerCase());

/** One line for a classified frame: index, queue (or drop reason), stage, rule, hash, checksums. */
export function describeRx(index: number, caps: NicCapabilities, r: RxResult): string {
  const parts = [`${index}`];
  if (r.queue < 0) parts.push(`drop ${NIC_DROP_NAMES[r.drop] ?? r.drop}`);
  else parts.push(`queue ${r.queue}`, STAGE_NAMES[r.stage] ?? String(r.stage));
  if (r.table >= 0) parts.push(`${caps.filterTables[r.table]?.id ?? r.table}[${r.slot}]`);
  if (r.flags & RxFlag.RssHash) parts.push(`hash 0x${r.hash.toString(16).padStart(8, "0")}`);
  const cs: string[] = [];
  if (r.flags & RxFlag.Ipv4ChecksumChecked) {
    cs.push(r.flags & RxFlag.Ipv4ChecksumBad ? "ip-bad" : "ip-ok");
  }
  if (r.flags & RxFlag.L4ChecksumChecked) {
    cs.push(r.flags & RxFlag.L4ChecksumBad ? "l4-bad" : "l4-ok");
  }
  if (cs.length > 0) parts.push(`csum ${cs.join(",")}`);
  return parts.join("  ");
}

/** Classifies every frame of `pcap`; writes one line per frame, then per-queue totals. */
export async function classifyPcap(
  nicName: string,
  pcap: string,
  opts: { readonly config?: string; readonly counters?: boolean },
  out: CliIo,
): Promise<void> {
  const entry = nicEntry(nicName);
  const config = await loadNicConfig(entry, opts.config);
  const nic = makeNic(entry, config, opts.config ?? "(default)");
  const reader = await openPcap(pcap);
  const rec = new PcapRecordView();
  const r = new RxResult();
  const perQueue = new Map<string, number>();
  const cookies = new Int32Array(1);
  let text = "";
  try {
    while (await reader.next(rec)) {
      const q = nic.receive(rec.bytes, rec.offset, rec.capLen, r, rec.index);
      if (q >= 0) nic.pollRx(q, 1, cookies); // a driver that always keeps up
      const key = q < 0 ? `drop ${NIC_DROP_NAMES[r.drop] ?? r.drop}` : `queue ${q}`;
      perQueue.set(key, (perQueue.get(key) ?? 0) + 1);
      text += describeRx(rec.index, nic.capabilities, r) + "\n";
      if (text.length > 1 << 16) {
        out.write(text);
        text = "";
      }
    }
  } finally {
    reader.close();
  }
  const keys = [...perQueue.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  text += `-- ${keys.map((k) => `${k}: ${perQueue.get(k)}`).join(", ") || "no frames"}\n`;
  if (opts.counters ?? false) {
    for (const c of nic.counters()) if (c.value !== 0) text += `     ${c.name}: ${c.value}\n`;
  }
  out.write(text);
}

function capsText(caps: NicCapabilities): string {
  const lines: string[] = [`${caps.name} (${caps.id})`];
  const s = (label: string, v: { value: unknown; source: string }) =>
    lines.push(`  ${label}: ${JSON.stringify(v.value)}  [${v.source}]`);
  s("rx queues", caps.rxQueues);
  s("tx queues", caps.txQueues);
  s("default queue", caps.defaultQueue);
  s("ring min", caps.rings.min);
  s("ring max", caps.rings.max);
  s("ring default", caps.rings.default);
  if (caps.rss !== null) {
    s("rss key bytes", caps.rss.keyBytes);
    s("rss table entries", caps.rss.tableEntries);
    s("rss max queues", caps.rss.maxQueues);
    for (const h of caps.rss.hashTypes) {
      lines.push(
        `  rss ${h.type}: default ${h.defaultFields}, allowed ${
          h.allowed.join("/")
        }  [${h.source}]`,
      );
    }
  }
  for (const t of caps.filterTables) {
    lines.push(`  table ${t.id}: ${t.description}`);
    s("  capacity", t.capacity);
    lines.push(`    fields: ${t.fields.join(", ")}; masks: ${t.masks.value}  [${t.masks.source}]`);
    if (t.priorities !== null) {
      const p = t.priorities;
      lines.push(
        `    priorities ${p.min}..${p.max}, ${
          p.higherWins ? "higher" : "lower"
        } wins, ${p.tieBreak}  [${p.source}]`,
      );
    }
  }
  s("precedence", caps.precedence);
  s("rx ipv4 checksum", caps.offloads.rxIpv4Checksum);
  s("rx l4 checksum", caps.offloads.rxL4Checksum);
  s("interrupt timer ns", caps.interrupts.timerUnitNs);
  s("interrupt default", caps.interrupts.defaultMode);
  return lines.join("\n") + "\n";
}

/** Builds the `nic` command group (`list`, `caps`, `validate`, `classify`) writing to `out`. */
export function nicCommand(out: CliIo = processIo): Command {
  const group = new Command("nic").description(
    "NIC models: capabilities with sources, configuration checks, frame classification",
  );
  group.command("list").description("List the NIC models").action(() => {
    out.write(
      Object.entries(NIC_MODELS).map(([k, e]) => `${k}  ${e.description}\n`).join(""),
    );
  });
  group
    .command("caps")
    .description("Print a NIC's resources and limits, each with its source")
    .argument("<nic>", `NIC model (${Object.keys(NIC_MODELS).join(", ")})`)
    .option("--json", "print the capability object as JSON")
    .action((name, o) => {
      const caps = nicEntry(name).capabilities();
      out.write(o.json ? JSON.stringify(caps, null, 2) + "\n" : capsText(caps));
    });
  group
    .command("show")
    .description(
      "Print the NIC's PRG as Graphviz DOT, JSON, or an SVG; with --config the configured PRG " +
        "(one node per filter, RSS node), without it the PRG with its C-nodes",
    )
    .argument("<nic>", `NIC model (${Object.keys(NIC_MODELS).join(", ")})`)
    .option("--config <file>", "JSON NicConfig (absent fields take the NIC's defaults)")
    .option("--unconfigured", "draw the C-nodes even when --config is given")
    .option("--json", "print the graph as JSON instead of DOT")
    .option("--svg <out>", "render to this SVG file with Graphviz dot")
    .action(async (name, o) => {
      const entry = nicEntry(name);
      const config = await loadNicConfig(entry, o.config);
      makeNic(entry, config, o.config ?? "(default)"); // reject impossible configurations
      const graph = o.config !== undefined && o.unconfigured !== true
        ? entry.configuredPrg(config)
        : entry.prg(config);
      if (o.svg !== undefined) {
        await renderSvg(graphToDot(graph, { rankdir: "LR" }), o.svg);
        out.write(`Wrote ${o.svg}\n`);
      } else {
        out.write(o.json ? graphToJson(graph) + "\n" : graphToDot(graph, { rankdir: "LR" }));
      }
    });
  group
    .command("validate")
    .description("Check a JSON NIC configuration; lists every problem and exits 1 if any")
    .argument("<nic>", `NIC model (${Object.keys(NIC_MODELS).join(", ")})`)
    .requiredOption("--config <file>", "JSON NicConfig (absent fields take the NIC's defaults)")
    .action(async (name, o) => {
      const entry = nicEntry(name);
      const config = await loadNicConfig(entry, o.config);
      const nic = entry.make(entry.defaults());
      const issues = nic.validate(config);
      if (issues.length === 0) {
        out.write(
          `${o.config}: ok (${config.filters.length} filters, ${config.queues} queues)\n`,
        );
        return;
      }
      throw new Error(
        `${o.config}: ${issues.length} problem(s)\n` +
          issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"),
      );
    });
  group
    .command("classify")
    .description(
      "Print the queue (or drop reason), deciding stage, rule, RSS hash and checksum status of every frame",
    )
    .argument("<nic>", `NIC model (${Object.keys(NIC_MODELS).join(", ")})`)
    .argument("<pcap>", "classic pcap file")
    .option("--config <file>", "JSON NicConfig (absent fields take the NIC's defaults)")
    .option("--counters", "also print the non-zero ethtool -S style counters")
    .action(async (name, pcap, o) => {
      await classifyPcap(name, pcap, {
        ...(o.config === undefined ? {} : { config: o.config }),
        counters: o.counters ?? false,
      }, out);
    });
  return group;
}
