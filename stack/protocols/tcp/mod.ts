/**
 * TCP for the lab's stack: a server- and client-side transport engine (segments in, segments
 * out, numeric counters with drop reasons, an injected nanosecond clock) and its graph specs.
 *
 * - `engine.ts`: `TcpEngine` (listen/accept, connect, send/recv, shutdown/close/abort, input,
 *   tick/nextDeadline), `TCP_OK`.
 * - `config.ts`: `TcpConfig` knobs with sourced defaults, `resolveTcpConfig`.
 * - `counters.ts`: `TcpCounter` codes, `TCP_COUNTERS`, `tcpCountersRecord`.
 * - `state.ts`: `TcpState`, `TcpEvent` and their names.
 * - `seq.ts`: sequence arithmetic modulo 2^32.
 * - `conn.ts`, `conn_table.ts`: the control block and the 4-tuple hash table.
 * - `tx_batch.ts`, `event_ring.ts`: the engine's outputs.
 * - `frame.ts`: `writeSegmentFrame` (IPv4 + Ethernet around a segment).
 * - `spec.ts`: graph specs of the RX node and TX source.
 * - `link.ts`, `transfer.ts`: `TcpLink` (two engines, a lossy reordering in-memory link on a
 *   `VirtualClock`) and `runTransfer` (one connection end to end).
 *
 * @example
 * ```ts
 * import { TcpEngine } from "./mod.ts";
 *
 * let now = 0;
 * const server = new TcpEngine({ clock: () => now });
 * const client = new TcpEngine({ clock: () => now });
 * const listener = server.listen(80);
 * const conn = client.connect(0x0a000001, 0x0a000002, 80);
 * // Move segments both ways until both sides are quiet.
 * const pump = (from: TcpEngine, to: TcpEngine) => {
 *   const tx = from.tx;
 *   for (let i = 0; i < tx.count; i++) {
 *     to.input(tx.bytes, tx.offset(i), tx.length[i] ?? 0, tx.srcIp[i] ?? 0, tx.dstIp[i] ?? 0);
 *   }
 *   tx.clear();
 * };
 * while (client.tx.count + server.tx.count > 0) {
 *   pump(client, server);
 *   pump(server, client);
 *   now += 1000;
 * }
 * const accepted = server.accept(listener);
 * client.send(conn, new TextEncoder().encode("hello"));
 * pump(client, server);
 * const buf = new Uint8Array(16);
 * const n = server.recv(accepted, buf);
 * if (new TextDecoder().decode(buf.subarray(0, n)) !== "hello") throw new Error("no data");
 * ```
 *
 * @module
 */
export * from "./engine.ts";
export * from "./config.ts";
export * from "./counters.ts";
export * from "./state.ts";
export * from "./seq.ts";
export * from "./conn.ts";
export * from "./conn_table.ts";
export * from "./tx_batch.ts";
export * from "./event_ring.ts";
export * from "./frame.ts";
export * from "./spec.ts";
export * from "./link.ts";
export * from "./transfer.ts";
export * from "./lpg_tcp.ts";
export * from "./lpg_host.ts";
