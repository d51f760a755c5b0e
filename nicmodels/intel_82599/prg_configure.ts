/**
 * The configured 82599 PRG: {@link build82599Prg}'s C-nodes expanded by
 * {@link make82599PrgRegistries} with the values {@link prg82599Configuration} reads from a
 * `NicConfig`, so `applyConfig(prg, configuration, registries)` yields concrete filter F-nodes
 * in the documented precedence (nic-models.md §2.7) and an RSS node.
 *
 * Chain order per stage (what a freshly configured NIC does; slots = `config.filters` order):
 * - EtherType: slot order, first equal EtherType wins (§2.6);
 * - SYN: the one rule; its stage sits before or after the five-tuple stage by
 *   `settings.synHighPriority` (the PRG builder places it);
 * - five-tuple: highest priority first, ties by lowest slot (`orderByPriority(..., "slot")`,
 *   §2.4; the tie rule is the lab's documented choice);
 * - Flow Director: perfect rules compare the tuple under the global mask, signature rules the
 *   masked tuple's bucket and signature (collisions match, as in hardware); the validator
 *   refuses rules that share a masked tuple or a bucket + signature, so their order does not
 *   matter; a perfect rule with queue -1 leads to a drop node;
 * - RSS: Toeplitz over the configured key, table and hashed fields; `nohash` → default queue.
 *
 * Predicates: five-tuple and SFC-style rules use the shared `PredKey` atoms (a UDP rule's
 * `true` predicate is `udpMatch` of its fields); Flow Director fields the global mask ignores
 * are left out and partially masked ones get `...Prefix`/`...Masked` atoms (`prg_rule.ts`). A
 * signature filter's predicate is its exact tuple: the hash collisions it also claims cannot be
 * spelt in field atoms.
 *
 * The registries are made per configuration: the Flow Director chain builder reads the global
 * mask, and the list spaces take the capacity at the configured PBALLOC.
 *
 * @module
 */
import {
  applyConfig,
  ConfigError,
  type ConfigRegistries,
  orderByPriority,
} from "../../stack/graph/config/mod.ts";
import type { ConfValue } from "../../stack/graph/config/space.ts";
import type { Graph, NodeId } from "../../stack/graph/types.ts";
import type { NicConfig } from "../_shared/nic.ts";
import {
  type ChainPlan,
  hitQueue,
  makePrgRegistries,
  prgRssValue,
  type PrgStageImpl,
  rssSpace,
  ruleListSpace,
} from "../_shared/prg_expand.ts";
import { FILTER_DROP_SPEC, FilterKind, filterSpec } from "../_shared/prg_nodes.ts";
import {
  etherTypeMatch,
  ipRuleMatch,
  type PrgRule,
  prgRuleOf,
  synMatch,
} from "../_shared/prg_rule.ts";
import { fdirMaskBits } from "./_compile.ts";
import { INTEL_82599, TableId82599 } from "./capabilities.ts";
import { fdirBucket, fdirSignature } from "./fdir_hash.ts";
import { build82599Prg } from "./prg.ts";
import "./prg_nodes.ts";
import { readSettings82599, type Settings82599 } from "./settings.ts";

/** Configuration-space names of the 82599 PRG's C-nodes. */
export const Space82599 = {
  EtherType: `intel-82599.${TableId82599.EtherType}`,
  Syn: `intel-82599.${TableId82599.Syn}`,
  FiveTuple: `intel-82599.${TableId82599.FiveTuple}`,
  FdirPerfect: `intel-82599.${TableId82599.FdirPerfect}`,
  FdirSignature: `intel-82599.${TableId82599.FdirSignature}`,
  Rss: "intel-82599.rss",
} as const;

const ipText = (n: number | null) =>
  n === null ? "*" : [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const opt = (v: number | null) => (v === null ? "*" : String(v));

function ethertypeChain(ctx: Parameters<PrgStageImpl["chain"]>[0], rules: readonly PrgRule[]) {
  const spec = filterSpec(FilterKind.EtherType);
  return {
    filters: rules.map((r) => ({
      local: `f${r.slot}`,
      label: `EType(0x${(r.etherType ?? 0).toString(16)}) -> Q${r.queue}`,
      spec,
      match: etherTypeMatch(r.etherType ?? -1),
      hit: hitQueue(ctx, r.queue, r),
    })),
    values: rules.map((r) => ({ etherType: String(r.etherType ?? -1) })),
  } satisfies ChainPlan;
}

function synChain(ctx: Parameters<PrgStageImpl["chain"]>[0], rules: readonly PrgRule[]) {
  const spec = filterSpec(FilterKind.Syn);
  return {
    filters: rules.map((r) => ({
      local: `f${r.slot}`,
      label: `SYN -> Q${r.queue}`,
      spec,
      match: synMatch(),
      hit: hitQueue(ctx, r.queue, r),
    })),
    values: rules.map(() => ({})),
  } satisfies ChainPlan;
}

function fiveTupleChain(ctx: Parameters<PrgStageImpl["chain"]>[0], rules: readonly PrgRule[]) {
  const spec = filterSpec(FilterKind.FiveTuple);
  const ordered = orderByPriority(rules, (r) => r.priority, "slot");
  return {
    filters: ordered.map((r) => ({
      local: `f${r.slot}`,
      label: `5T(${opt(r.proto)},${ipText(r.srcIp)},${ipText(r.dstIp)},${opt(r.srcPort)},${
        opt(r.dstPort)
      }) p${r.priority} -> Q${r.queue}`,
      spec,
      match: ipRuleMatch(r),
      hit: hitQueue(ctx, r.queue, r),
    })),
    values: ordered.map((r) => {
      const v: Record<string, string> = {};
      if (r.proto !== null) v.proto = String(r.proto);
      if (r.srcIp !== null) v.srcIp = String(r.srcIp);
      if (r.dstIp !== null) v.dstIp = String(r.dstIp);
      if (r.srcPort !== null) v.srcPort = String(r.srcPort);
      if (r.dstPort !== null) v.dstPort = String(r.dstPort);
      return v;
    }),
  } satisfies ChainPlan;
}

/**
 * Refuses a Flow Director rule that does not give exactly the fields the global mask compares
 * (nic-models.md §2.5: masks are global; the model's validator says the same).
 */
function checkFdirShape(node: string, r: PrgRule, m: Settings82599["fdirMask"]): void {
  const fields: [string, boolean, boolean][] = [
    ["proto", m.proto, r.proto !== null],
    ["srcIp", m.srcIp > 0, r.srcIp !== null],
    ["dstIp", m.dstIp > 0, r.dstIp !== null],
    ["srcPort", m.srcPort !== 0, r.srcPort !== null],
    ["dstPort", m.dstPort !== 0, r.dstPort !== null],
  ];
  for (const [name, compared, given] of fields) {
    if (compared !== given) {
      throw new ConfigError(
        `Cannot configure "${node}": filters[${r.slot}] ${given ? "gives" : "leaves out"} ` +
          `${name}, but the Flow Director global mask ${compared ? "compares" : "ignores"} it ` +
          "(every rule gives exactly the fields settings.fdirMask compares)",
      );
    }
  }
}

function fdirStage(config: NicConfig, signature: boolean, capacity: number): PrgStageImpl {
  const s = readSettings82599(config);
  const mask = fdirMaskBits(s.fdirMask);
  const kind = signature ? FilterKind.FdirSignature : FilterKind.FdirPerfect;
  return {
    space: ruleListSpace(capacity),
    chain: (ctx, rules) => {
      for (const r of rules) checkFdirShape(ctx.node.id, r, s.fdirMask);
      const spec = filterSpec(kind);
      let dropId: NodeId | null = null;
      const drop = () => (dropId ??= ctx.fresh("drop"));
      const values: Record<string, string>[] = [];
      const filters = rules.map((r) => {
        const proto = (r.proto ?? 0) & mask.proto;
        const src = ((r.srcIp ?? 0) & mask.src) >>> 0;
        const dst = ((r.dstIp ?? 0) & mask.dst) >>> 0;
        const ports = (((((r.srcPort ?? 0) & 0xffff) << 16) | ((r.dstPort ?? 0) & 0xffff)) &
          mask.ports) >>> 0;
        const v: Record<string, string> = {
          maskProto: String(mask.proto),
          maskSrc: String(mask.src),
          maskDst: String(mask.dst),
          maskPorts: String(mask.ports),
          proto: String(proto),
          srcIp: String(src),
          dstIp: String(dst),
          ports: String(ports),
        };
        if (signature) {
          v.bucket = String(fdirBucket(proto, src, dst, ports));
          v.signature = String(fdirSignature(proto, src, dst, ports));
        }
        values.push(v);
        const masks = {
          proto: s.fdirMask.proto,
          srcIp: s.fdirMask.srcIp,
          dstIp: s.fdirMask.dstIp,
          srcPort: s.fdirMask.srcPort,
          dstPort: s.fdirMask.dstPort,
        };
        return {
          local: `f${r.slot}`,
          label: `FDir${signature ? "Sig" : ""}(${opt(r.proto)},${ipText(r.srcIp)},${
            ipText(r.dstIp)
          },${opt(r.srcPort)},${opt(r.dstPort)}) -> ${r.queue < 0 ? "drop" : `Q${r.queue}`}`,
          spec,
          match: ipRuleMatch(r, masks),
          hit: r.queue < 0 ? [drop()] : hitQueue(ctx, r.queue, r),
        };
      });
      const plan: ChainPlan = {
        filters,
        values,
        ...(dropId === null ? {} : {
          nodes: [{
            id: dropId,
            spec: FILTER_DROP_SPEC.name,
            label: "FDir drop",
            origin: ctx.node.origin,
          }],
          specs: { [FILTER_DROP_SPEC.name]: FILTER_DROP_SPEC },
        }),
      };
      return plan;
    },
  };
}

function capacityOf(id: string): number {
  return INTEL_82599.filterTables.find((t) => t.id === id)?.capacity.value ?? 0;
}

/** Registries that configure the 82599 PRG of `config` (spaces and expansion functions). */
export function make82599PrgRegistries(config: NicConfig): ConfigRegistries {
  const s = readSettings82599(config);
  const pb = s.fdirPballoc - 1;
  const stages = new Map<string, PrgStageImpl>([
    [Space82599.EtherType, {
      space: ruleListSpace(capacityOf(TableId82599.EtherType)),
      chain: ethertypeChain,
    }],
    [Space82599.Syn, { space: ruleListSpace(capacityOf(TableId82599.Syn)), chain: synChain }],
    [Space82599.FiveTuple, {
      space: ruleListSpace(capacityOf(TableId82599.FiveTuple)),
      chain: fiveTupleChain,
    }],
    [
      Space82599.FdirPerfect,
      fdirStage(config, false, INTEL_82599.fdir.perfectByPballoc.value[pb] ?? 0),
    ],
    [
      Space82599.FdirSignature,
      fdirStage(config, true, INTEL_82599.fdir.signatureByPballoc.value[pb] ?? 0),
    ],
  ]);
  const rss = INTEL_82599.rss;
  return makePrgRegistries(
    stages,
    rss === null ? undefined : { space: Space82599.Rss, value: rssSpace(rss, config.queues) },
  );
}

/** The C-node values of the 82599 PRG `prg` for `config`: each table's rules, the RSS value. */
export function prg82599Configuration(prg: Graph, config: NicConfig): Map<NodeId, ConfValue> {
  const out = new Map<NodeId, ConfValue>();
  const rules = (table: string) =>
    config.filters.flatMap((r, i) => (r.table === table ? [prgRuleOf(r, i, 1)] : []));
  for (const n of prg.nodes) {
    const space = prg.specs[n.spec]?.config?.space;
    if (space === undefined) continue;
    if (space === Space82599.Rss) {
      if (config.rss !== null && INTEL_82599.rss !== null) {
        out.set(n.id, prgRssValue(INTEL_82599.rss, config.rss, 0) as unknown as ConfValue);
      }
      continue;
    }
    const table = space.slice("intel-82599.".length);
    out.set(n.id, rules(table) as unknown as ConfValue);
  }
  return out;
}

/**
 * The configured 82599 PRG of `config`: {@link build82599Prg} with every C-node expanded.
 *
 * @throws {ConfigError} when a value is outside its space (e.g. more rules than the table holds
 * at the configured PBALLOC) or a rule names a queue the PRG lacks.
 * @example
 * ```ts
 * import { configure82599Prg } from "./prg_configure.ts";
 * import { dragonetIntel82599Config } from "./default_config.ts";
 * const prg = configure82599Prg({
 *   ...dragonetIntel82599Config(4),
 *   filters: [{ table: "five-tuple", match: { proto: 17, dstPort: 7 }, queue: 1, priority: 1 }],
 * });
 * prg.nodes.some((n) => n.spec === "nic.rx.filter.five-tuple"); // true
 * ```
 */
export function configure82599Prg(config: NicConfig): Graph {
  const prg = build82599Prg(config);
  return applyConfig(prg, prg82599Configuration(prg, config), make82599PrgRegistries(config));
}
