/**
 * Shared parts of every NIC model: the interface (capabilities with sources, configuration as
 * data, diff ops, RX result flags), Toeplitz/RSS, the receive parser, rings, counters, the
 * common validator and the conformance suite.
 *
 * @example
 * ```ts
 * import { parseKeyHex, ToeplitzHasher } from "./mod.ts";
 * const h = new ToeplitzHasher(parseKeyHex("6d5a".repeat(20)));
 * console.log(h.hashIpv4Ports(0x0a000001, 0xc0a80509, 40000, 443).toString(16)); // "8a628a62"
 * ```
 *
 * @module
 */
export * from "./nic.ts";
export * from "./config_diff.ts";
export * from "./toeplitz.ts";
export * from "./rss.ts";
export * from "./rings.ts";
export * from "./nic_base.ts";
export * from "./addr.ts";
export { CsumStatus, parseRxFrame, RxKey } from "./rx_parse.ts";
export { MIN_FRAME_BYTES, rxPrologue } from "./rx_common.ts";
export { validateCommon } from "./validate_common.ts";
export * from "./conformance.ts";
export * from "./prg.ts";
export { parseNicConfigJson } from "./config_json.ts";
export * from "./prg_rule.ts";
export * from "./prg_nodes.ts";
export * from "./prg_expand.ts";
export * from "./prg_walk.ts";
