/**
 * The search-side oracle interface: proposes configuration changes for one flow; never chooses
 * and never changes a NIC (dragonet-model.md §8.3; STYLE.md point 8).
 *
 * An oracle follows the search's committed configuration: `reset` starts it from a
 * configuration, `commit` tells it which proposed change the search kept, so an oracle may keep
 * incremental counts instead of rescanning the configuration on every call. Queue 0 (the
 * catch-all default) is never a candidate. {@link NicOracleAdapter} wraps any NIC model's
 * stateless {@link NicOracle}.
 *
 * @module
 */
import { applyOps } from "../../../nicmodels/_shared/config_diff.ts";
import type {
  FilterRule,
  NicConfig,
  NicOracle,
  ProposedChange,
} from "../../../nicmodels/_shared/nic.ts";
import { type Flow, flowSpecOf } from "./flow.ts";

/** Proposes changes for flows, following the configuration the search commits. */
export interface SearchOracle {
  /** Short name, e.g. "intel-82599". */
  readonly name: string;
  /** Starts over from `config`. */
  reset(config: NicConfig): void;
  /** Candidate changes steering `flow` to each possible queue, best-first order; may be empty. */
  propose(flow: Flow): readonly ProposedChange[];
  /** Records that the search committed `change` (one this oracle proposed or a replacement). */
  commit(change: ProposedChange): void;
  /**
   * A change that rewrites the installed `rule` to steer `flow` to the same queue (filter
   * recycling), or null when the rule's table cannot take the flow.
   */
  replace(rule: FilterRule, flow: Flow): ProposedChange | null;
}

function isAddTo(table: string, c: ProposedChange): boolean {
  return c.ops.every((op) => op.op === "add" && op.rule.table === table);
}

/** Builds the replacement change for `rule` from candidates proposed once it is removed. */
export function replacementOf(
  rule: FilterRule,
  candidatesWithout: readonly ProposedChange[],
): ProposedChange | null {
  const c = candidatesWithout.find((c) => c.queue === rule.queue && isAddTo(rule.table, c));
  if (c === undefined) return null;
  const affected = new Set([...c.affectedQueues, rule.queue]);
  return {
    ops: [{ op: "remove", rule }, ...c.ops],
    queue: c.queue,
    affectedQueues: [...affected].sort((a, b) => a - b),
  };
}

/** A {@link SearchOracle} over a NIC model's stateless {@link NicOracle} (rescans per call). */
export class NicOracleAdapter implements SearchOracle {
  /** Name given at construction. */
  readonly name: string;
  #oracle: NicOracle;
  #config: NicConfig;

  /** Wraps `oracle`, starting from `config`. */
  constructor(name: string, oracle: NicOracle, config: NicConfig) {
    this.name = name;
    this.#oracle = oracle;
    this.#config = config;
  }

  /** The configuration the adapter follows. */
  config(): NicConfig {
    return this.#config;
  }

  /** Starts over from `config`. */
  reset(config: NicConfig): void {
    this.#config = config;
  }

  /**
   * The wrapped oracle's candidates. They are passed on as proposed: a NIC oracle may offer a
   * no-op fallback that leaves the flow on the default queue when its tables refuse every rule.
   */
  propose(flow: Flow): readonly ProposedChange[] {
    return this.#oracle.propose(this.#config, flowSpecOf(flow));
  }

  /** Applies the change's ops to the followed configuration. */
  commit(change: ProposedChange): void {
    this.#config = applyOps(this.#config, change.ops);
  }

  /** Asks the wrapped oracle with `rule` removed and keeps its candidate for the same queue. */
  replace(rule: FilterRule, flow: Flow): ProposedChange | null {
    const without = applyOps(this.#config, [{ op: "remove", rule }]);
    return replacementOf(rule, this.#oracle.propose(without, flowSpecOf(flow)));
  }
}
