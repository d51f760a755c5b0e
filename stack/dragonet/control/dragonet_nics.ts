/**
 * The NICs Dragonet's control loop can drive, each as one bundle: the search's queue-mapping
 * plan, the Dragonet bring-up configuration, the search oracle, the configured PRG and the
 * behavioural model (dragonet-model.md §7, §8.3, §12.1; nic-models.md §2, §3).
 *
 * @module
 */
import type { Graph } from "../../graph/types.ts";
import type { NicConfig, NicModel } from "../../../nicmodels/_shared/nic.ts";
import { INTEL_82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { Intel82599 } from "../../../nicmodels/intel_82599/model.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { SFC9020_CAPABILITIES } from "../../../nicmodels/solarflare_sfc9020/capabilities.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { Sfc9020Nic } from "../../../nicmodels/solarflare_sfc9020/model.ts";
import { Sfc9020Oracle } from "../../../nicmodels/solarflare_sfc9020/oracle.ts";
import { configureSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg_configure.ts";
import { type MapperPlan, PLAN_82599, PLAN_SFC9020 } from "../search/mapper_plan.ts";
import { NicOracleAdapter, type SearchOracle } from "../search/oracle.ts";
import { Intel82599SearchOracle } from "../search/oracles/intel_82599.ts";

/** Everything the control loop needs to know about one NIC. */
export interface DragonetNic {
  /** NIC id, e.g. "intel-82599". */
  readonly id: string;
  /** Most RX queues the NIC has (from its capabilities). */
  readonly maxQueues: number;
  /** The search's queue-mapping plan. */
  readonly plan: MapperPlan;
  /** Dragonet's bring-up configuration with `queues` queues (no filters, RSS off). */
  initialConfig(queues: number): NicConfig;
  /** A fresh search oracle starting from `config`. */
  oracle(config: NicConfig): SearchOracle;
  /** The PRG configured with `config` (filter C-nodes expanded). */
  configurePrg(config: NicConfig): Graph;
  /** A behavioural NIC model in configuration `config`. */
  model(config: NicConfig): NicModel;
}

/** Ids of the NICs in {@link DRAGONET_NICS}. */
export type DragonetNicId = "intel-82599" | "solarflare-sfc9020";

/** The NICs the control loop can drive, by id. */
export const DRAGONET_NICS: Readonly<Record<DragonetNicId, DragonetNic>> = {
  "intel-82599": {
    id: "intel-82599",
    maxQueues: INTEL_82599.rxQueues.value,
    plan: PLAN_82599,
    initialConfig: (queues) => dragonetIntel82599Config(queues),
    oracle: (config) => new Intel82599SearchOracle(config),
    configurePrg: configure82599Prg,
    model: (config) => new Intel82599(config),
  },
  "solarflare-sfc9020": {
    id: "solarflare-sfc9020",
    maxQueues: SFC9020_CAPABILITIES.rxQueues.value,
    plan: PLAN_SFC9020,
    initialConfig: (queues) => sfcDragonetConfig(queues),
    oracle: (config) => new NicOracleAdapter("solarflare-sfc9020", new Sfc9020Oracle(), config),
    configurePrg: configureSfc9020Prg,
    model: (config) => new Sfc9020Nic(config),
  },
};

/** Returns the NIC bundle named `id`; throws naming the allowed ids. */
export function dragonetNic(id: string): DragonetNic {
  const nic = (DRAGONET_NICS as Readonly<Record<string, DragonetNic>>)[id];
  if (nic === undefined) {
    throw new Error(
      `Unknown NIC "${id}": allowed are ${Object.keys(DRAGONET_NICS).join(", ")}`,
    );
  }
  return nic;
}

/** Throws unless `queues` is an integer 2..the NIC's queue count (queue 0 is the default). */
export function checkQueues(nic: DragonetNic, queues: number): void {
  if (!Number.isInteger(queues) || queues < 2 || queues > nic.maxQueues) {
    throw new RangeError(
      `Queue count ${queues} is not usable on ${nic.id}: must be an integer 2..${nic.maxQueues} ` +
        `(queue 0 is the catch-all default)`,
    );
  }
}
