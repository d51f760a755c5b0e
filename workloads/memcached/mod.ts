/**
 * memcached over UDP (and TCP) load generation: the client protocol (frame header, request ids, reply
 * reassembly and checks), key popularity, checkable values, presets (Dragonet's memaslap
 * profile, Facebook ETC) and a client-machine builder.
 *
 * @module
 */
export {
  MAX_REPLY_DATAGRAMS,
  MEMCACHED_REPLY_CHUNK,
  MEMCACHED_UDP_HEADER,
  MemcachedUdpClient,
  type MemcachedUdpOptions,
} from "./memcached_udp.ts";
export {
  createKeyChooser,
  type KeyChooser,
  type KeyPopularity,
  MAX_ZIPF_RECORDS,
} from "./key_popularity.ts";
export { fillValue, isValueOf } from "./value_pattern.ts";
export { ValueTable } from "./value_table.ts";
export { KeyTable } from "./key_table.ts";
export {
  DRAGONET_MEMCACHED_1024,
  DRAGONET_MEMCACHED_64,
  FACEBOOK_ETC,
  MEMCACHED_PRESETS,
  type MemcachedWorkload,
} from "./presets.ts";
export { createMemcachedClient, type MemcachedClientOptions } from "./memcached_client.ts";
export {
  MAX_REPLY_LINE,
  MAX_TCP_REQUEST,
  MemcachedTcpClient,
  type MemcachedTcpOptions,
} from "./memcached_tcp.ts";
export {
  createMemcachedTcpClient,
  type MemcachedTcpClientOptions,
} from "./memcached_tcp_client.ts";
