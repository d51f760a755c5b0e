/**
 * Builds a memcached-over-TCP client machine from a {@link MemcachedWorkload}: the same key
 * lengths, samplers, key popularity, warm-up split and random streams as the UDP builder
 * ({@link createMemcachedClient}), one TCP connection per flow from the workload's source ports
 * to the workload's server port.
 *
 * @module
 */
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { consecutiveFlows } from "../clients/flow.ts";
import { TcpLoadClient, type TcpLoadClientOptions } from "../clients/tcp_load_client.ts";
import type { ClientTestbed } from "../clients/types.ts";
import { createKeyChooser } from "./key_popularity.ts";
import type { MemcachedClientOptions } from "./memcached_client.ts";
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
  const w = o.workload;
  const lengths = keyLengths(w.records, createSampler(parseDistribution(w.keySize)));
  const valueSize = createSampler(parseDistribution(w.valueSize));
  const keys = createKeyChooser(w.popularity, w.records);
  const offset = o.loadOffset ?? 0;
  const total = o.loadConnections ?? o.connections;
  if (!Number.isInteger(offset) || offset < 0 || offset + o.connections > total) {
    throw new RangeError(
      `Load share offset ${offset} + ${o.connections} connections exceeds loadConnections ${total}: must fit`,
    );
  }
  return new TcpLoadClient(tb, {
    name: o.name,
    mac: o.mac,
    ip: o.ip,
    flows: consecutiveFlows({
      count: o.connections,
      firstSrcPort: o.firstSrcPort ?? w.firstSrcPort,
      dstIp: o.serverIp,
      dstPort: w.serverPort,
      dstMac: o.serverMac,
      ...(o.clientClass === undefined ? {} : { clientClass: o.clientClass }),
    }),
    protocol: (i) =>
      new MemcachedTcpClient({
        keyLengths: lengths,
        valueSize,
        getRatio: w.getRatio,
        keys,
        rng: tb.streams.stream(`client.${o.name}.memcached`, i),
        load: o.load === false ? null : { first: offset + i, stride: total },
      }),
    loop: o.loop ?? w.loop,
    measureStartNs: o.measureStartNs,
    measureEndNs: o.measureEndNs,
    ...o.extra,
  });
}
