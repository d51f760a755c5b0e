/**
 * Classic pcap files: a streaming reader, a buffered writer and in-memory helpers.
 *
 * Supports the microsecond and nanosecond magics in both byte orders and any link type (the
 * lab decodes Ethernet). pcapng, modified pcap and damaged files are rejected with a `PcapError`
 * whose `code` says why and whose `offset` says where.
 *
 * @example
 * ```ts
 * import { decodePcap, encodePcap } from "./mod.ts";
 * const bytes = encodePcap([{ tsNs: 1_500_000_000n, data: new Uint8Array(60) }], { nanosecond: true });
 * const { header, records } = decodePcap(bytes);
 * if (!header.nanosecond || records[0]?.capLen !== 60) throw new Error("round trip failed");
 * ```
 *
 * @module
 */
export * from "./format.ts";
export * from "./error.ts";
export * from "./header.ts";
export * from "./record.ts";
export * from "./source.ts";
export * from "./reader.ts";
export * from "./writer.ts";
export * from "./memory.ts";
export * from "./flow_table.ts";
export * from "./inspect.ts";
export * from "./describe.ts";
export * from "./stats.ts";
export * from "./scan.ts";
