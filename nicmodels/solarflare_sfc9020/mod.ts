/**
 * The Solarflare SFC9020 (Siena) NIC model: capabilities with sources, the farch hashed filter
 * table (key construction, LFSR hash, odd-stride probing, per-type search limits, insertion
 * giving up after 200 probes), a behavioural model that classifies real frames to queues, and an
 * oracle that proposes filter rules and falls back when the table refuses.
 *
 * @example
 * ```ts
 * import { RxResult } from "../_shared/nic.ts";
 * import { buildTestFrame } from "../_shared/_test_frames.ts";
 * import { Sfc9020Nic, sfcDragonetConfig } from "./mod.ts";
 *
 * const nic = new Sfc9020Nic({
 *   ...sfcDragonetConfig(4, 512),
 *   filters: [{ table: "ip", match: { proto: 17, dstIp: "10.0.0.1", dstPort: 11211 }, queue: 2 }],
 * });
 * const frame = buildTestFrame({ srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 });
 * const out = new RxResult();
 * nic.receive(frame, 0, frame.length, out); // 2: the UDP wildcard filter matched
 * ```
 *
 * @module
 */
export {
  SFC9020_CAPABILITIES,
  SFC_IP_TABLE,
  SFC_MAC_TABLE,
  type SfcCapabilities,
  type SfcHashedTableCapability,
  SfcSetting,
  type SfcSpecificCapability,
} from "./capabilities.ts";
export {
  farchHash,
  farchIncrement,
  fillIpFilterWords,
  fillMacFilterWords,
  SFC_FILTER_TYPE_NAMES,
  SfcFilterType,
  type SfcFilterTypeCode,
} from "./filter_key.ts";
export {
  insertErrorText,
  SFC_FLAG_RSS,
  SfcFilterTable,
  type SfcFilterTableSnapshot,
  SfcInsertError,
  SfcPriority,
} from "./filter_table.ts";
export { type CompiledSfcRule, compileSfcRule } from "./rule.ts";
export { validateSfcConfig } from "./validate.ts";
export {
  SFC_DEFAULT_RSS_KEY,
  sfcDefaultConfig,
  type SfcDefaultConfigOptions,
  sfcDragonetConfig,
} from "./config.ts";
export { Sfc9020Nic, SFC_IP_TABLE_INDEX, SFC_MAC_TABLE_INDEX } from "./model.ts";
export { Sfc9020Oracle } from "./oracle.ts";
export { buildSfc9020Prg } from "./prg.ts";
export {
  configureSfc9020Prg,
  makeSfc9020PrgRegistries,
  prgSfc9020Configuration,
  SpaceSfc9020,
} from "./prg_configure.ts";
