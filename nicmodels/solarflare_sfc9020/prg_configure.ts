/**
 * The configured SFC9020 PRG: {@link buildSfc9020Prg}'s C-nodes expanded by
 * {@link makeSfc9020PrgRegistries} with the values {@link prgSfc9020Configuration} reads from a
 * `NicConfig` (nic-models.md §3.2-§3.7).
 *
 * - IP table: the rules are inserted, in configuration order, into a fresh copy of the NIC's
 *   hashed table (`SfcFilterTable`, the model's own): an insert the table refuses (EBUSY after
 *   the probe limit, EEXIST, EPERM) refuses the whole configuration with a `ConfigError`
 *   naming the rule, as the NIC would; an equal filter of higher priority replaces the earlier
 *   one. The chain holds every full filter, then every wildcard filter (match priority full >
 *   wildcard, §3.6); lookups are exact, so the order inside a type does not matter.
 * - MAC table: the same with the MAC table, full (MAC + VLAN) before wildcard (MAC).
 * - A filter with the RSS flag leads to its own RSS node (queue = filter queue + table entry)
 *   when RSS is enabled, else straight to its queue.
 * - RSS on the unicast default: queue = unicast default queue + table entry; `nohash` → the
 *   unicast default queue.
 *
 * - RSS on the multicast default (when the PRG splits the default path, see `prg.ts`): queue =
 *   multicast default queue + table entry.
 *
 * @module
 */
import { applyConfig, type ConfigRegistries } from "../../stack/graph/config/mod.ts";
import { ConfigError } from "../../stack/graph/config/apply.ts";
import type { ConfValue } from "../../stack/graph/config/space.ts";
import type { Edge, Graph, GraphNode, NodeId, NodeSpec } from "../../stack/graph/types.ts";
import type { NicConfig } from "../_shared/nic.ts";
import {
  type ChainPlan,
  hitQueue,
  makePrgRegistries,
  type PrgRssValue,
  prgRssValue,
  type PrgStageImpl,
  queueTargets,
  rssNodes,
  rssSpace,
  ruleListSpace,
} from "../_shared/prg_expand.ts";
import { FilterKind, filterSpec } from "../_shared/prg_nodes.ts";
import { ipRuleMatch, macMatch, type PrgRule, prgRuleOf } from "../_shared/prg_rule.ts";
import { SFC9020_CAPABILITIES, SFC_IP_TABLE, SFC_MAC_TABLE, SfcSetting } from "./capabilities.ts";
import {
  fillIpFilterWords,
  fillMacFilterWords,
  SFC_FILTER_TYPE_NAMES,
  SfcFilterType,
} from "./filter_key.ts";
import { insertErrorText, SfcFilterTable } from "./filter_table.ts";
import { buildSfc9020Prg } from "./prg.ts";

/** Configuration-space names of the SFC9020 PRG's C-nodes. */
export const SpaceSfc9020 = {
  Ip: `${SFC9020_CAPABILITIES.id}.${SFC_IP_TABLE}`,
  Mac: `${SFC9020_CAPABILITIES.id}.${SFC_MAC_TABLE}`,
  Rss: `${SFC9020_CAPABILITIES.id}.rss`,
} as const;

const ipText = (n: number | null) =>
  n === null ? "*" : [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

function macText(mac: number): string {
  return Array.from({ length: 6 }, (_, i) => Math.floor(mac / 2 ** (8 * (5 - i))) % 256).map((b) =>
    b.toString(16).padStart(2, "0")
  )
    .join(":");
}

function ipType(r: PrgRule): number {
  const udp = r.proto === 17;
  if (r.srcIp !== null) return udp ? SfcFilterType.UdpFull : SfcFilterType.TcpFull;
  return udp ? SfcFilterType.UdpWild : SfcFilterType.TcpWild;
}

function macType(r: PrgRule): number {
  return r.vlan !== null ? SfcFilterType.MacFull : SfcFilterType.MacWild;
}

/**
 * Inserts `rules` into a fresh copy of a hashed table; returns the surviving rules, full types
 * first. Throws a ConfigError naming the refused rule.
 */
function placeRules(
  ctxNode: string,
  tableName: string,
  table: SfcFilterTable,
  rules: readonly PrgRule[],
  typeOf: (r: PrgRule) => number,
  words: (r: PrgRule, type: number, out: Uint32Array) => void,
  isFull: (type: number) => boolean,
): PrgRule[] {
  const w = new Uint32Array(4);
  const at = new Map<number, PrgRule>();
  for (const r of rules) {
    const type = typeOf(r);
    words(r, type, w);
    const slot = table.insert(
      type,
      w[0] ?? 0,
      w[1] ?? 0,
      w[2] ?? 0,
      w[3] ?? 0,
      Math.max(0, r.queue),
      r.rss ? 1 : 0,
      r.priority,
    );
    if (slot < 0) {
      throw new ConfigError(
        `Cannot configure "${ctxNode}": the ${tableName} filter table refused filters[${r.slot}] ` +
          `(${SFC_FILTER_TYPE_NAMES[type]}): ${insertErrorText(slot)}; it holds ${table.count} ` +
          `of ${table.size} entries`,
      );
    }
    at.set(slot, r);
  }
  const kept = [...at.entries()].filter(([slot]) => table.used[slot] === 1).map(([, r]) => r)
    .sort((a, b) => a.slot - b.slot);
  return [...kept.filter((r) => isFull(typeOf(r))), ...kept.filter((r) => !isFull(typeOf(r)))];
}

/** Hands a claimed frame to its queue, or to a per-filter RSS node when the rule spreads. */
function hitOf(
  ctx: Parameters<PrgStageImpl["chain"]>[0],
  r: PrgRule,
  rss: PrgRssValue | null,
  extra: { nodes: GraphNode[]; edges: Edge[]; specs: Record<string, NodeSpec> },
): NodeId[] {
  if (!r.rss || rss === null) return hitQueue(ctx, r.queue, r);
  const part = rssNodes(
    ctx,
    { ...rss, base: r.queue },
    queueTargets(ctx),
    r.queue,
    `f${r.slot}-rss`,
  );
  extra.nodes.push(...part.nodes);
  extra.edges.push(...part.edges);
  Object.assign(extra.specs, part.specs ?? {});
  return [part.head];
}

/**
 * Refuses an IP rule the SFC9020 cannot hold (nic-models.md §3.2: proto TCP/UDP, local address
 * and port, both remote fields or none, exact addresses, non-zero ports).
 */
function checkIpShape(node: string, r: PrgRule): void {
  const why = r.proto !== 6 && r.proto !== 17
    ? `protocol ${r.proto ?? "(any)"} (allowed: 6 TCP, 17 UDP)`
    : r.dstIp === null || r.dstPort === null
    ? "no local address and port (dstIp and dstPort are required)"
    : (r.srcIp === null) !== (r.srcPort === null)
    ? "only one remote field (give srcIp and srcPort, or neither)"
    : r.srcPrefix !== 32 || r.dstPrefix !== 32
    ? "an address prefix (IP filters match exact addresses)"
    : r.dstPort === 0 || r.srcPort === 0
    ? "port 0 (the driver refuses it)"
    : r.etherType !== null && r.etherType !== 0x0800
    ? `EtherType 0x${r.etherType.toString(16)} (IP filters are IPv4 only)`
    : r.vlan !== null || r.dstMac !== null || r.tcpSyn
    ? "a VLAN, MAC or SYN match (the IP table matches addresses and ports only)"
    : null;
  if (why !== null) {
    throw new ConfigError(
      `Cannot configure "${node}": filters[${r.slot}] has ${why}; the SFC9020 IP table holds ` +
        "full (proto, local and remote address and port) and wildcard (proto, local address " +
        "and port) filters only",
    );
  }
}

function ipStage(rss: PrgRssValue | null): PrgStageImpl {
  const caps = SFC9020_CAPABILITIES;
  const fragSkip = String(caps.sfc.fragmentsSkipIpFilters.value);
  return {
    space: ruleListSpace(caps.sfc.ipTable.capacity.value),
    chain: (ctx, rules) => {
      for (const r of rules) checkIpShape(ctx.node.id, r);
      const kept = placeRules(
        ctx.node.id,
        SFC_IP_TABLE,
        new SfcFilterTable(caps.sfc.ipTable),
        rules,
        ipType,
        (r, type, w) =>
          fillIpFilterWords(type, r.dstIp ?? 0, r.dstPort ?? 0, r.srcIp ?? 0, r.srcPort ?? 0, w),
        (t) => t === SfcFilterType.TcpFull || t === SfcFilterType.UdpFull,
      );
      const spec = filterSpec(FilterKind.SfcIp);
      const extra = { nodes: [] as GraphNode[], edges: [] as Edge[], specs: {} };
      const plan: ChainPlan = {
        filters: kept.map((r) => ({
          local: `f${r.slot}`,
          label: `${SFC_FILTER_TYPE_NAMES[ipType(r)]}(${ipText(r.dstIp)}:${r.dstPort}` +
            `${r.srcIp === null ? "" : ` <- ${ipText(r.srcIp)}:${r.srcPort}`}) -> ` +
            `Q${r.queue}${r.rss ? "+RSS" : ""}`,
          spec,
          match: ipRuleMatch(r),
          hit: hitOf(ctx, r, rss, extra),
        })),
        values: kept.map((r) => {
          const v: Record<string, string> = {
            proto: String(r.proto ?? 0),
            dstIp: String(r.dstIp ?? 0),
            dstPort: String(r.dstPort ?? 0),
            fragSkip,
          };
          if (r.srcIp !== null) v.srcIp = String(r.srcIp);
          if (r.srcPort !== null) v.srcPort = String(r.srcPort);
          return v;
        }),
        ...extra,
      };
      return plan;
    },
  };
}

function macStage(rss: PrgRssValue | null): PrgStageImpl {
  const caps = SFC9020_CAPABILITIES;
  const untagged = String(caps.sfc.untaggedMatchesMacFullVlan0.value);
  return {
    space: ruleListSpace(caps.sfc.macTable.capacity.value),
    chain: (ctx, rules) => {
      for (const r of rules) {
        if (r.dstMac === null) {
          throw new ConfigError(
            `Cannot configure "${ctx.node.id}": filters[${r.slot}] has no dstMac; SFC9020 MAC ` +
              "filters match a destination MAC (and optionally a VLAN)",
          );
        }
      }
      const kept = placeRules(
        ctx.node.id,
        SFC_MAC_TABLE,
        new SfcFilterTable(caps.sfc.macTable),
        rules,
        macType,
        (r, type, w) => {
          const mac = r.dstMac ?? 0;
          fillMacFilterWords(type, Math.floor(mac / 2 ** 32), mac % 2 ** 32, r.vlan ?? 0, w);
        },
        (t) => t === SfcFilterType.MacFull,
      );
      const spec = filterSpec(FilterKind.SfcMac);
      const extra = { nodes: [] as GraphNode[], edges: [] as Edge[], specs: {} };
      return {
        filters: kept.map((r) => ({
          local: `f${r.slot}`,
          label: `${SFC_FILTER_TYPE_NAMES[macType(r)]}(${macText(r.dstMac ?? 0)}` +
            `${r.vlan === null ? "" : ` vlan ${r.vlan}`}) -> Q${r.queue}${r.rss ? "+RSS" : ""}`,
          spec,
          match: macMatch(r.dstMac ?? 0, r.vlan),
          hit: hitOf(ctx, r, rss, extra),
        })),
        values: kept.map((r) => {
          const v: Record<string, string> = {
            dstMac: macText(r.dstMac ?? 0),
            untaggedVlan0: untagged,
          };
          if (r.vlan !== null) v.vlan = String(r.vlan);
          return v;
        }),
        ...extra,
      };
    },
  };
}

function rssValueOf(config: NicConfig, base: number): PrgRssValue | null {
  const cap = SFC9020_CAPABILITIES.rss;
  if (cap === null || config.rss === null || !config.rss.enabled) return null;
  return prgRssValue(cap, config.rss, base);
}

function unicastQueue(config: NicConfig): number {
  const uq = config.settings[SfcSetting.UnicastQueue];
  return typeof uq === "number" ? uq : SFC9020_CAPABILITIES.defaultQueue.value;
}

function multicastQueue(config: NicConfig): number {
  const mq = config.settings[SfcSetting.MulticastQueue];
  return typeof mq === "number" ? mq : SFC9020_CAPABILITIES.defaultQueue.value;
}

/** Registries that configure the SFC9020 PRG of `config` (spaces and expansion functions). */
export function makeSfc9020PrgRegistries(config: NicConfig): ConfigRegistries {
  const rss = rssValueOf(config, 0);
  const stages = new Map<string, PrgStageImpl>([
    [SpaceSfc9020.Ip, ipStage(rss)],
    [SpaceSfc9020.Mac, macStage(rss)],
  ]);
  const cap = SFC9020_CAPABILITIES.rss;
  return makePrgRegistries(
    stages,
    cap === null ? undefined : { space: SpaceSfc9020.Rss, value: rssSpace(cap, config.queues) },
  );
}

/** The C-node values of the SFC9020 PRG `prg` for `config`. */
export function prgSfc9020Configuration(prg: Graph, config: NicConfig): Map<NodeId, ConfValue> {
  const out = new Map<NodeId, ConfValue>();
  const def = SFC9020_CAPABILITIES.sfc.defaultPriority.value;
  for (const n of prg.nodes) {
    const space = prg.specs[n.spec]?.config?.space;
    if (space === undefined) continue;
    if (space === SpaceSfc9020.Rss) {
      const base = n.id.endsWith("rss-mc") ? multicastQueue(config) : unicastQueue(config);
      const v = rssValueOf(config, base);
      if (v !== null) out.set(n.id, v as unknown as ConfValue);
      continue;
    }
    const table = space === SpaceSfc9020.Ip ? SFC_IP_TABLE : SFC_MAC_TABLE;
    out.set(
      n.id,
      config.filters.flatMap((
        r,
        i,
      ) => (r.table === table ? [prgRuleOf(r, i, def)] : [])) as unknown as ConfValue,
    );
  }
  return out;
}

/**
 * The configured SFC9020 PRG of `config`.
 *
 * @throws {ConfigError} when the hashed table refuses a rule, a list exceeds its table, or a
 * rule names a queue the PRG lacks.
 */
export function configureSfc9020Prg(config: NicConfig): Graph {
  const prg = buildSfc9020Prg(config);
  return applyConfig(prg, prgSfc9020Configuration(prg, config), makeSfc9020PrgRegistries(config));
}
