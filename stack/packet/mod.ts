/**
 * The packet layer: a buffer pool, header views, the Internet checksum, frame builders and a
 * validating parser whose numeric reason codes are the drop reasons the whole lab counts.
 *
 * - `reason.ts`: `Reason` codes, `reasonName`, `reasonDescription`, `REASON_COUNT`.
 * - `buffer_pool.ts`: `BufferPool` of 2048-byte buffers with headroom and ownership.
 * - `checksum.ts`: RFC 1071 sums, the IPv4 pseudo-header, RFC 1624 incremental update.
 * - `ethernet.ts`, `arp.ts`, `ipv4.ts`, `icmp.ts`, `udp.ts`, `tcp.ts`, `tcp_options.ts`: offsets
 *   and accessors over a DataView at a header's first byte.
 * - `frame_info.ts`, `parse.ts`, `verify.ts`: `parseFrame` into a reusable `FrameInfo`, then
 *   `verifyIpv4HeaderChecksum` and `verifyL4Checksum`.
 * - `build.ts`: whole-frame builders for UDP, TCP, ICMP echo/error and ARP.
 * - `addr.ts`: IPv4 and MAC text forms.
 *
 * Per-packet functions never allocate when every frame lives in one arena (the pool's `bytes`)
 * and never throw on bad packet bytes; builders and the pool throw clear errors on bad
 * arguments.
 *
 * @example
 * ```ts
 * import {
 *   BufferPool, buildUdpFrame, FrameInfo, parseFrame, parseIpv4, parseMac, Reason, reasonName,
 *   verifyIpv4HeaderChecksum, verifyL4Checksum,
 * } from "./mod.ts";
 *
 * const pool = new BufferPool({ count: 4 });
 * const id = pool.alloc(0);
 * const start = pool.start[id] ?? 0;
 * const len = buildUdpFrame(pool.bytes, start, {
 *   dstMac: parseMac("02:00:00:00:00:02"), srcMac: parseMac("02:00:00:00:00:01"),
 *   srcIp: parseIpv4("10.0.0.1"), dstIp: parseIpv4("10.0.0.2"),
 *   srcPort: 5000, dstPort: 7, payload: new TextEncoder().encode("ping"),
 * });
 * pool.length[id] = len;
 *
 * const info = new FrameInfo();
 * const r = parseFrame(pool.bytes, start, len, info) ||
 *   verifyIpv4HeaderChecksum(pool.bytes, info) || verifyL4Checksum(pool.bytes, info);
 * if (r !== Reason.Ok) throw new Error(reasonName(r));
 * console.log(info.dstPort, info.payloadLen); // 7 4
 * pool.free(id, 0);
 * ```
 *
 * @module
 */
export * from "./reason.ts";
export * from "./checksum.ts";
export * from "./addr.ts";
export * from "./ethernet.ts";
export * from "./arp.ts";
export * from "./ipv4.ts";
export * from "./icmp.ts";
export * from "./udp.ts";
export * from "./tcp.ts";
export * from "./tcp_options.ts";
export * from "./frame_info.ts";
export { parseFrame } from "./parse.ts";
export * from "./verify.ts";
export * from "./build.ts";
export * from "./buffer_pool.ts";
