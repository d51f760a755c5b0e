/**
 * Builds a memcached-over-UDP client machine from a {@link MemcachedWorkload}: key lengths and
 * samplers computed once, one protocol per connection on its own random stream, and the
 * warm-up load split over every connection of every client machine.
 *
 * @module
 */
import { LoadClient, type LoadClientOptions, type LoopSpec } from "../clients/load_client.ts";
import type { ClientClassCode, ClientTestbed } from "../clients/types.ts";
import { memcachedClientSetup } from "./_client_setup.ts";
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
