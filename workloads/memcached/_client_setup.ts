/**
 * What the memcached UDP and TCP client builders share: the key-length table, samplers, key
 * chooser, this machine's share of the warm-up load, its flows and each connection's protocol
 * options.
 *
 * @module
 */
import { KeyTable } from "./key_table.ts";
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { consecutiveFlows, type FlowSpec } from "../clients/flow.ts";
import type { ClientTestbed } from "../clients/types.ts";
import { createKeyChooser } from "./key_popularity.ts";
import type { LoadClientOptions, LoopSpec } from "../clients/load_client.ts";
import type { ClientClassCode } from "../clients/types.ts";
import type { MemcachedWorkload } from "./presets.ts";
import type { MemcachedTcpOptions } from "./memcached_tcp.ts";
import { ValueTable } from "./value_table.ts";

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

/** One client machine's flows and the protocol options of its connection `i`. */
export interface MemcachedClientSetup {
  /** One flow per connection, from the first source port up. */
  readonly flows: FlowSpec[];
  /** Protocol options of connection `i` (its own random stream and warm-up share). */
  readonly protocol: (i: number) => MemcachedTcpOptions;
}

/** The record tables every connection of a run reads: key lengths, key bytes, value bytes. */
interface RecordTables {
  readonly records: number;
  readonly keySize: string;
  readonly lengths: Uint8Array;
  readonly keys: KeyTable;
  readonly values: ValueTable;
}

/**
 * The last record tables built: every client machine of a run (and every point of a sweep) asks
 * for the same tables, which are pure functions of the record count and the key-size
 * distribution (the value table fills itself on use with the bytes `fillValue` gives), so they
 * are computed once and shared read only.
 */
let lastTables: RecordTables | null = null;

function sharedTables(records: number, keySize: string): RecordTables {
  const last = lastTables;
  if (last !== null && last.records === records && last.keySize === keySize) return last;
  const lengths = keyLengths(records, createSampler(parseDistribution(keySize)));
  lastTables = {
    records,
    keySize,
    lengths,
    keys: new KeyTable(lengths),
    values: new ValueTable(records),
  };
  return lastTables;
}

/**
 * Builds the parts both memcached client builders share; throws when this machine's load share
 * (`loadOffset` + `connections`) does not fit in `loadConnections`.
 */
export function memcachedClientSetup(
  tb: ClientTestbed,
  o: Omit<MemcachedClientOptions, "extra">,
): MemcachedClientSetup {
  const w = o.workload;
  const tables = sharedTables(w.records, w.keySize);
  const valueSize = createSampler(parseDistribution(w.valueSize));
  const keys = createKeyChooser(w.popularity, w.records);
  const offset = o.loadOffset ?? 0;
  const total = o.loadConnections ?? o.connections;
  if (!Number.isInteger(offset) || offset < 0 || offset + o.connections > total) {
    throw new RangeError(
      `Load share offset ${offset} + ${o.connections} connections exceeds loadConnections ${total}: must fit`,
    );
  }
  return {
    flows: consecutiveFlows({
      count: o.connections,
      firstSrcPort: o.firstSrcPort ?? w.firstSrcPort,
      dstIp: o.serverIp,
      dstPort: w.serverPort,
      dstMac: o.serverMac,
      ...(o.clientClass === undefined ? {} : { clientClass: o.clientClass }),
    }),
    protocol: (i) => ({
      keyLengths: tables.lengths,
      keyTable: tables.keys,
      valueTable: tables.values,
      valueSize,
      getRatio: w.getRatio,
      keys,
      rng: tb.streams.stream(`client.${o.name}.memcached`, i),
      load: o.load === false ? null : { first: offset + i, stride: total },
    }),
  };
}
