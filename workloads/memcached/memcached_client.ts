/**
 * Builds a memcached-over-UDP client machine from a {@link MemcachedWorkload}: key lengths and
 * samplers computed once, one protocol per connection on its own random stream, and the
 * warm-up load split over every connection of every client machine.
 *
 * @module
 */
import { LoadClient } from "../clients/load_client.ts";
import type { ClientTestbed } from "../clients/types.ts";
import { type MemcachedClientOptions, memcachedClientSetup } from "./_client_setup.ts";
import { MemcachedUdpClient } from "./memcached_udp.ts";

export type { MemcachedClientOptions };

/** Creates and attaches a memcached client machine; call `start()` on it. */
export function createMemcachedClient(
  tb: ClientTestbed,
  o: MemcachedClientOptions,
): LoadClient {
  const w = o.workload;
  const setup = memcachedClientSetup(tb, o);
  return new LoadClient(tb, {
    name: o.name,
    mac: o.mac,
    ip: o.ip,
    flows: setup.flows,
    protocol: (i) =>
      new MemcachedUdpClient({
        ...setup.protocol(i),
        ...(o.replyChunk === undefined ? {} : { replyChunk: o.replyChunk }),
      }),
    loop: o.loop ?? w.loop,
    timeoutNs: w.timeoutNs,
    timeoutCheckNs: w.timeoutCheckNs,
    measureStartNs: o.measureStartNs,
    measureEndNs: o.measureEndNs,
    ...o.extra,
  });
}
