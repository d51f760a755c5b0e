/**
 * Queue mapping straight from a NIC configuration (data): which installed rule claims a flow,
 * in the NIC's precedence order (see {@link MapperPlan}); the default queue otherwise.
 *
 * Compiled rules are cached per configuration object (configurations are immutable values).
 *
 * @module
 */
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { type CompiledRule, ruleClaims } from "./_compiled_rule.ts";
import { type Flow, flowFields, flowPorts } from "./flow.ts";
import { checkMappable, type MapperPlan } from "./mapper_plan.ts";
import type { QueueMapper } from "./queue_mapper.ts";

/** Index of the claiming rule among `rules` (lowest rank, then lowest index), or -1. */
export function claimingRule(
  rules: readonly (CompiledRule | null)[],
  fields: number,
  src: number,
  dst: number,
  ports: number,
): number {
  let best = -1;
  let bestRank = Infinity;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (!r || r.rank >= bestRank) continue;
    if (ruleClaims(r, fields, src, dst, ports)) {
      best = i;
      bestRank = r.rank;
    }
  }
  return best;
}

/** A {@link QueueMapper} over {@link NicConfig} for one NIC plan. */
export class NicConfigMapper implements QueueMapper<NicConfig> {
  /** "nic-config". */
  readonly name = "nic-config";
  /** The NIC's plan. */
  readonly plan: MapperPlan;
  #cache = new WeakMap<NicConfig, (CompiledRule | null)[]>();

  /** A mapper for the NIC described by `plan`. */
  constructor(plan: MapperPlan) {
    this.plan = plan;
  }

  /** The compiled rules of `config`, in list order (null for rules that claim no flow). */
  rulesOf(config: NicConfig): readonly (CompiledRule | null)[] {
    let rules = this.#cache.get(config);
    if (rules === undefined) {
      checkMappable(config);
      rules = config.filters.map((r) => this.plan.compile(r, config));
      this.#cache.set(config, rules);
    }
    return rules;
  }

  /** Queue of `flow` under `config`. */
  queueOf(config: NicConfig, flow: Flow): number {
    const rules = this.rulesOf(config);
    const i = claimingRule(
      rules,
      flowFields(flow),
      flow.srcIp ?? 0,
      flow.dstIp ?? 0,
      flowPorts(flow),
    );
    return i < 0 ? this.plan.defaultQueue : (rules[i] as CompiledRule).queue;
  }
}
