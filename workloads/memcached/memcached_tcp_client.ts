/**
 * Builds a memcached-over-TCP client machine from a {@link MemcachedWorkload}: the same key
 * lengths, samplers, key popularity, warm-up split and random streams as the UDP builder
 * ({@link createMemcachedClient}), one TCP connection per flow from the workload's source ports
 * to the workload's server port.
 *
 * @module
 */
import { TcpLoadClient, type TcpLoadClientOptions } from "../clients/tcp_load_client.ts";
import type { ClientTestbed } from "../clients/types.ts";
import { memcachedClientSetup } from "./_client_setup.ts";
import type { MemcachedClientOptions } from "./_client_setup.ts";
import { MemcachedTcpClient } from "./memcached_tcp.ts";

/** Options of {@link createMemcachedTcpClient}: the UDP builder's, TCP engine knobs as `extra.tcp`. */
export type MemcachedTcpClientOptions =
  & Omit<MemcachedClientOptions, "extra" | "replyChunk">
  & { readonly extra?: Partial<TcpLoadClientOptions> };

/** Creates and attaches a memcached-over-TCP client machine; call `start()` on it. */
export function createMemcachedTcpClient(
  tb: ClientTestbed,
  o: MemcachedTcpClientOptions,
): TcpLoadClient {
  const setup = memcachedClientSetup(tb, o);
  return new TcpLoadClient(tb, {
    name: o.name,
    mac: o.mac,
    ip: o.ip,
    flows: setup.flows,
    protocol: (i) => new MemcachedTcpClient(setup.protocol(i)),
    loop: o.loop ?? o.workload.loop,
    measureStartNs: o.measureStartNs,
    measureEndNs: o.measureEndNs,
    ...o.extra,
  });
}
