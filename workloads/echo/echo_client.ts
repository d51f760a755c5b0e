/**
 * Builds a UDP echo (netperf UDP_RR style) client machine from an {@link EchoWorkload}.
 *
 * @module
 */
import { consecutiveFlows } from "../clients/flow.ts";
import { LoadClient, type LoadClientOptions, type LoopSpec } from "../clients/load_client.ts";
import type { ClientClassCode, ClientTestbed } from "../clients/types.ts";
import type { EchoWorkload } from "./presets.ts";
import { UdpEchoClient } from "./udp_rr.ts";

/** Options of {@link createEchoClient}. */
export interface EchoClientOptions {
  /** The workload. */
  readonly workload: EchoWorkload;
  /** Host name. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address (u32). */
  readonly ip: number;
  /** Server IPv4 address (u32). */
  readonly serverIp: number;
  /** Server MAC. */
  readonly serverMac: Uint8Array;
  /** Connections (netperf instances) on this machine. */
  readonly connections: number;
  /** Source port of the first connection (default the workload's). */
  readonly firstSrcPort?: number;
  /** Class of each connection by source port (default best effort). */
  readonly clientClass?: ClientClassCode | ((srcPort: number) => ClientClassCode);
  /** Pacing (default the workload's); closed loop `outstanding` is netperf's burst. */
  readonly loop?: LoopSpec;
  /** Measurement window start (ns). */
  readonly measureStartNs: number;
  /** Measurement window end (ns). */
  readonly measureEndNs: number;
  /** Other client options. */
  readonly extra?: Partial<LoadClientOptions>;
}

/** Creates and attaches an echo client machine; call `start()` on it. */
export function createEchoClient(tb: ClientTestbed, o: EchoClientOptions): LoadClient {
  const w = o.workload;
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
    protocol: () => new UdpEchoClient(w.requestSize),
    loop: o.loop ?? w.loop,
    timeoutNs: w.timeoutNs,
    measureStartNs: o.measureStartNs,
    measureEndNs: o.measureEndNs,
    ...o.extra,
  });
}
