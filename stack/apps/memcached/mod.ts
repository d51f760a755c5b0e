/**
 * The memcached application engine: ASCII and binary protocols over TCP byte streams and UDP
 * datagrams, an item store with LRU eviction under a memory limit, expiry on an injected clock,
 * and CAS values assigned as memcached 1.6 assigns them.
 *
 * @module
 */
export * from "./constants.ts";
export * from "./codes.ts";
export { I32, NUM, parseI32, parseU32, parseU64 } from "./c_number.ts";
export { OutBuffer } from "./out_buffer.ts";
export { hashKey, Item, ItemStore, type ItemStoreOptions } from "./item_store.ts";
export { type EngineCounters, MemcachedEngine, type MemcachedEngineOptions } from "./engine.ts";
export { asciiStep } from "./ascii_protocol.ts";
export { binaryStep } from "./binary_protocol.ts";
export { REQS_PER_EVENT, TcpSession } from "./tcp_session.ts";
export { handleDatagram, UdpDrop, type UdpDropCode } from "./udp.ts";
export * from "./lpg_app.ts";
