/**
 * The expansion functions of a NIC PRG's C-nodes (reference `dragonet-model.md` §3.1), as
 * registries for `applyConfig`:
 *
 * - {@link FILTER_CHAIN_EXPANSION}: a filter table becomes a chain of filter F-nodes in the
 *   NIC's precedence order (`filterChainExpansion`: in-edges → filter 1, filter k `false` →
 *   filter k+1, last `false` → the `default` targets, filter `true` → its queue's OR node). The
 *   one registered function dispatches on the C-node's configuration-space name to the table's
 *   {@link PrgStageImpl}, which orders the rules and describes each filter node (spec, label,
 *   predicate, attributes the node implementation reads).
 * - {@link RSS_EXPANSION}: an RSS node whose ports lead, through one `nic.rx.to-queue` node per
 *   reachable queue, to the queues' OR nodes; `nohash` leads to the `default` targets.
 *
 * Values: a filter table takes a list of {@link PrgRule} (space: list of `PRG_RULE_SPACE` up to
 * the table capacity); RSS takes a {@link PrgRssValue}.
 *
 * @module
 */
import {
  type ChainFilter,
  type ConfigRegistries,
  DEFAULT_PORT,
  type Expansion,
  type ExpansionContext,
  type ExpansionFn,
  filterChainExpansion,
  makeConfigRegistries,
} from "../../stack/graph/config/mod.ts";
import {
  type ConfSpace,
  type ConfValue,
  enumOf,
  intRange,
  listOf,
  uintBits,
} from "../../stack/graph/config/space.ts";
import type { Edge, GraphNode, NodeId, NodeSpec } from "../../stack/graph/types.ts";
import { RSS_HASH_TYPES, type RssCapability, type RssConfig, type RssHashType } from "./nic.ts";
import { FILTER_CHAIN_EXPANSION, RSS_EXPANSION } from "./prg.ts";
import { rssSpec, TO_QUEUE_SPEC } from "./prg_nodes.ts";
import { PRG_RULE_SPACE, type PrgRule } from "./prg_rule.ts";
import { effectiveRssFields } from "./rss.ts";
import { parseKeyHex } from "./toeplitz.ts";
import { ConfigError } from "../../stack/graph/config/apply.ts";

/** What a table's chain builder returns: the filters in order, their attributes, extra parts. */
export interface ChainPlan {
  /** Filter nodes in the order a frame meets them. */
  readonly filters: readonly ChainFilter[];
  /** Attribute values of each filter node (parallel to `filters`). */
  readonly values: readonly Readonly<Record<string, string>>[];
  /** Extra nodes the filters' `hit` lists name (drop node, per-filter RSS nodes). */
  readonly nodes?: readonly GraphNode[];
  /** Edges of the extra nodes. */
  readonly edges?: readonly Edge[];
  /** Specs of the extra nodes. */
  readonly specs?: Readonly<Record<string, NodeSpec>>;
}

/** Turns a table's rules into its chain (ordering, node specs, predicates, attributes). */
export type PrgChainBuilder = (ctx: ExpansionContext, rules: readonly PrgRule[]) => ChainPlan;

/** One filter-table stage of a NIC: its configuration space and its chain builder. */
export interface PrgStageImpl {
  /** Space of the C-node value (usually {@link ruleListSpace} of the table capacity). */
  readonly space: ConfSpace;
  /** Chain builder. */
  readonly chain: PrgChainBuilder;
}

/** The space of a filter table's value: a list of up to `capacity` rules. */
export function ruleListSpace(capacity: number): ConfSpace {
  return listOf(PRG_RULE_SPACE, { max: capacity, ordered: true });
}

/** Target queue OR nodes of a stage, by queue index (from the C-node's `queues` port). */
export function queueTargets(ctx: ExpansionContext): NodeId[] {
  return ctx.targets("queues");
}

/**
 * The `hit` list of a rule sending to queue `q`: that queue's OR node.
 *
 * @throws {ConfigError} naming the rule when `q` is not a configured queue.
 */
export function hitQueue(ctx: ExpansionContext, q: number, rule: PrgRule): NodeId[] {
  const t = queueTargets(ctx)[q];
  if (t === undefined) {
    throw new ConfigError(
      `Cannot configure "${ctx.node.id}": filters[${rule.slot}] sends to queue ${q}, but the ` +
        `PRG has queues 0..${queueTargets(ctx).length - 1}`,
    );
  }
  return [t];
}

/** The filter-chain expansion for the given stages (keyed by configuration-space name). */
export function filterChainFn(stages: ReadonlyMap<string, PrgStageImpl>): ExpansionFn {
  return (ctx, value) => {
    const name = ctx.spec.config?.space ?? "";
    const impl = stages.get(name);
    if (impl === undefined) {
      throw new ConfigError(
        `Cannot configure "${ctx.node.id}": no filter stage is registered for space "${name}" ` +
          `(registered: ${[...stages.keys()].join(", ") || "none"})`,
      );
    }
    const plan = impl.chain(ctx, value as unknown as readonly PrgRule[]);
    const exp = filterChainExpansion(ctx, plan.filters);
    const nodes = exp.nodes.map((n, i) => ({
      ...n,
      attributes: { values: { ...(plan.values[i] ?? {}) } },
    }));
    return {
      nodes: [...nodes, ...(plan.nodes ?? [])],
      edges: [...exp.edges, ...(plan.edges ?? [])],
      specs: { ...(exp.specs ?? {}), ...(plan.specs ?? {}) },
    };
  };
}

const FIELD_VALUES = ["2-tuple", "4-tuple", "none"] as const;

/** The value of an RSS node: key bytes, indirection table, hashed fields per type, base queue. */
export interface PrgRssValue {
  /** Toeplitz key bytes. */
  readonly key: readonly number[];
  /** Indirection table entries. */
  readonly table: readonly number[];
  /** Hashed fields per hash type. */
  readonly fields: Readonly<Record<RssHashType, "2-tuple" | "4-tuple" | "none">>;
  /** Added to the table entry (SFC: the filter's or default's base queue; 82599: 0). */
  readonly base: number;
}

/** The space of an RSS value for a NIC with capability `cap` and `queues` queues. */
export function rssSpace(cap: RssCapability, queues: number): ConfSpace {
  const fields: Record<string, ConfSpace> = {};
  for (const t of RSS_HASH_TYPES) fields[t] = enumOf(FIELD_VALUES);
  const n = cap.tableEntries.value;
  return {
    kind: "tuple",
    fields: {
      key: listOf(uintBits(8), { min: cap.keyBytes.value, max: cap.keyBytes.value }),
      table: listOf(intRange(0, (1 << cap.queueBits.value) - 1), { min: n, max: n }),
      fields: { kind: "tuple", fields },
      base: intRange(0, Math.max(0, queues - 1)),
    },
  };
}

/** The RSS value of a (validated) RSS configuration on capability `cap`, spreading from `base`. */
export function prgRssValue(cap: RssCapability, rss: RssConfig, base: number): PrgRssValue {
  return {
    key: [...parseKeyHex(rss.key)],
    table: [...rss.table],
    fields: effectiveRssFields(cap, rss),
    base,
  };
}

function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Nodes and edges of one RSS node (see {@link rssNodes}). */
export interface RssPart extends Expansion {
  /** The RSS node (in-edges go here). */
  readonly head: NodeId;
}

/**
 * Builds an RSS node `local` spreading over `queues` (OR nodes by queue index), with one
 * `nic.rx.to-queue` node per queue the table reaches (base + entry), and `nohash` leading to
 * `nohash` targets, or, when `nohash` is a number, through a to-queue node to that queue.
 *
 * @throws {ConfigError} when base + an entry is not a configured queue.
 */
export function rssNodes(
  ctx: ExpansionContext,
  value: PrgRssValue,
  queues: readonly NodeId[],
  nohash: readonly NodeId[] | number,
  local: string,
): RssPart {
  const spec = rssSpec(queues.length);
  const head = ctx.fresh(local);
  const fields = RSS_HASH_TYPES.map((t) => `${t}=${value.fields[t]}`).join(",");
  const nodes: GraphNode[] = [{
    id: head,
    spec: spec.name,
    label: `RSS base ${value.base}`,
    origin: ctx.node.origin,
    attributes: {
      values: {
        key: hex(value.key),
        table: value.table.join(","),
        fields,
        base: String(value.base),
      },
    },
  }];
  const edges: Edge[] = [];
  const made = new Map<number, NodeId>();
  const toQueue = (q: number, port: string) => {
    const known = made.get(q);
    if (known !== undefined) {
      edges.push({ kind: "port", from: head, port, to: known });
      return;
    }
    const target = queues[q];
    if (target === undefined) {
      throw new ConfigError(
        `Cannot configure "${ctx.node.id}": RSS reaches queue ${q}, but the PRG has queues ` +
          `0..${queues.length - 1}`,
      );
    }
    const id = ctx.fresh(`${local}-q${q}`);
    made.set(q, id);
    nodes.push({ id, spec: TO_QUEUE_SPEC.name, label: `RSS -> Q${q}`, origin: ctx.node.origin });
    edges.push({ kind: "port", from: head, port, to: id });
    edges.push({ kind: "port", from: id, port: "true", to: target });
  };
  const reached = [...new Set(value.table.map((e) => value.base + e))].sort((a, b) => a - b);
  for (const q of reached) toQueue(q, `q${q}`);
  if (typeof nohash === "number") toQueue(nohash, "nohash");
  else for (const to of nohash) edges.push({ kind: "port", from: head, port: "nohash", to });
  return {
    head,
    nodes,
    edges,
    specs: { [spec.name]: spec, [TO_QUEUE_SPEC.name]: TO_QUEUE_SPEC },
  };
}

/** The RSS expansion: in-edges → RSS node; queues by table; `nohash` → `default` targets. */
export const rssExpansion: ExpansionFn = (ctx: ExpansionContext, value: ConfValue): Expansion => {
  const part = rssNodes(
    ctx,
    value as unknown as PrgRssValue,
    ctx.targets("queues"),
    ctx.targets(DEFAULT_PORT),
    "rss",
  );
  const edges: Edge[] = ctx.inEdges.map((e) => ({
    kind: "port",
    from: e.from,
    port: e.port,
    to: part.head,
  }));
  return { nodes: part.nodes, edges: [...edges, ...part.edges], specs: part.specs ?? {} };
};

/**
 * Registries for configuring one NIC's PRG: each filter stage's space (by name) with the shared
 * filter-chain expansion dispatching to it, and the RSS space (when given) with the RSS
 * expansion.
 */
export function makePrgRegistries(
  stages: ReadonlyMap<string, PrgStageImpl>,
  rss?: { readonly space: string; readonly value: ConfSpace },
): ConfigRegistries {
  const reg = makeConfigRegistries();
  for (const [name, impl] of stages) reg.spaces.register(name, impl.space);
  reg.expansions.register(FILTER_CHAIN_EXPANSION, filterChainFn(stages));
  reg.expansions.register(RSS_EXPANSION, rssExpansion);
  if (rss !== undefined) reg.spaces.register(rss.space, rss.value);
  return reg;
}
