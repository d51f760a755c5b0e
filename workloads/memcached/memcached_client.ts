/**
 * Builds a memcached-over-UDP client machine from a {@link MemcachedWorkload}: key lengths and
 * samplers computed once, one protocol per connection on its own random stream, and the
 * warm-up load split over every connection of every client machine.
 *
 * @module
 */
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { consecutiveFlows } from "../clients/flow.ts";
import { LoadClient, type LoadClientOptions, type LoopSpec } from "../clients/load_client.ts";
import type { ClientClassCode, ClientTestbed } from "../clients/types.ts";
import { createKeyChooser } from "./key_popularity.ts";
import { MemcachedUdpClient } from "./memcached_udp.ts";
import type { MemcachedWorkload } from "./presets.ts";

/** Options of {@link createMemcachedClient}. */
export interface MemcachedClientOptions {
  /** The workload. */
  readonly workload: MemcachedWorkload;
  /** Host name, MAC and IPv4 address. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address (u32). */
  readonly ip: number;
  /** Server IPv4 address (u32). */
  readonly serverIp: number;
  /** Server MAC. */
  readonly serverMac: Uint8Array;
  /** Connections on this machine. */
  readonly connections: number;
  /** Source port of the first connection (default the workload's). */
  readonly firstSrcPort?: number;
  /** Class of each connection by source port (default best effort). */
  readonly clientClass?: ClientClassCode | ((srcPort: number) => ClientClassCode);
  /** Pacing (default the workload's). */
  readonly loop?: LoopSpec;
  /** Index of this machine's first connection among all connections loading the keys (default 0). */
  readonly loadOffset?: number;
  /** All connections loading keys, over every machine (default this machine's). */
  readonly loadConnections?: number;
  /** Whether this client loads keys at all (default true; false for a measuring client). */
  readonly load?: boolean;
  /** Measurement window start (ns). */
  readonly measureStartNs: number;
  /** Measurement window end (ns). */
  readonly measureEndNs: number;
  /** Reply bytes per datagram the server uses (default 1392). */
  readonly replyChunk?: number;
  /** Other client options. */
  readonly extra?: Partial<LoadClientOptions>;
}

/**
 * The last key-length table built: every client machine of a run (and every point of a sweep)
 * asks for the same table, which is a pure function of the record count and the key-size
 * distribution, so it is computed once and shared read only.
 */
let lastKeyLengths: { records: number; keySize: string; lengths: Uint8Array } | null = null;

function sharedKeyLengths(records: number, keySize: string): Uint8Array {
  const last = lastKeyLengths;
  if (last !== null && last.records === records && last.keySize === keySize) return last.lengths;
  const lengths = keyLengths(records, createSampler(parseDistribution(keySize)));
  lastKeyLengths = { records, keySize, lengths };
  return lengths;
}

/** Creates and attaches a memcached client machine; call `start()` on it. */
export function createMemcachedClient(
  tb: ClientTestbed,
  o: MemcachedClientOptions,
): LoadClient {
  const w = o.workload;
  const lengths = sharedKeyLengths(w.records, w.keySize);
  const valueSize = createSampler(parseDistribution(w.valueSize));
  const keys = createKeyChooser(w.popularity, w.records);
  const offset = o.loadOffset ?? 0;
  const total = o.loadConnections ?? o.connections;
  if (!Number.isInteger(offset) || offset < 0 || offset + o.connections > total) {
    throw new RangeError(
      `Load share offset ${offset} + ${o.connections} connections exceeds loadConnections ${total}: must fit`,
    );
  }
  return new LoadClient(tb, {
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
      new MemcachedUdpClient({
        keyLengths: lengths,
        valueSize,
        getRatio: w.getRatio,
        keys,
        rng: tb.streams.stream(`client.${o.name}.memcached`, i),
        load: o.load === false ? null : { first: offset + i, stride: total },
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
