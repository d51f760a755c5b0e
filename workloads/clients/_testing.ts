/**
 * Test rigs: a testbed with one reflector server and one load client.
 *
 * @module
 */
import { createTestbed } from "../../harness/sim/testbed.ts";
import { UdpEchoClient } from "../echo/udp_rr.ts";
import { Reflector } from "./_reflector.ts";
import { consecutiveFlows } from "./flow.ts";
import { LoadClient, type LoadClientOptions, type LoopSpec } from "./load_client.ts";
import type { ClientProtocol } from "./protocol.ts";
import { ClientClass, type ClientTestbed } from "./types.ts";

/** A MAC 02:00:00:00:00:n. */
export const macOf = (n: number): Uint8Array => new Uint8Array([2, 0, 0, 0, 0, n]);
/** Server address 10.0.0.1. */
export const SERVER_IP = 0x0a000001;
/** Client address 10.0.0.2. */
export const CLIENT_IP = 0x0a000002;

/** Options of {@link rig}. */
export interface RigOptions {
  readonly seed?: number;
  readonly serviceNs: number;
  readonly flows: number;
  readonly loop: LoopSpec;
  readonly measureStartNs?: number;
  readonly measureEndNs: number;
  readonly dstPort?: number;
  readonly protocol?: (index: number) => ClientProtocol;
  readonly highPriority?: number;
  readonly extra?: Partial<LoadClientOptions>;
  readonly udpMaxPayload?: number;
}

/** A testbed, a reflector and a client, wired; echo of 64 bytes unless a protocol is given. */
export function rig(o: RigOptions): {
  tb: ClientTestbed & { sim: { run(untilNs?: number): number } };
  client: LoadClient;
  server: Reflector;
} {
  const tb = createTestbed({ seed: o.seed ?? 42 });
  const server = new Reflector(tb, {
    name: "server",
    mac: macOf(1),
    ip: SERVER_IP,
    serviceNs: o.serviceNs,
    ...(o.udpMaxPayload === undefined ? {} : { udpMaxPayload: o.udpMaxPayload }),
  });
  const hp = o.highPriority ?? 0;
  const client = new LoadClient(tb, {
    name: "client0",
    mac: macOf(2),
    ip: CLIENT_IP,
    flows: consecutiveFlows({
      count: o.flows,
      firstSrcPort: 8000,
      dstIp: SERVER_IP,
      dstPort: o.dstPort ?? 7,
      dstMac: macOf(1),
      clientClass: (p) => p - 8000 < hp ? ClientClass.HighPriority : ClientClass.BestEffort,
    }),
    protocol: o.protocol ?? (() => new UdpEchoClient(64)),
    loop: o.loop,
    measureStartNs: o.measureStartNs ?? 0,
    measureEndNs: o.measureEndNs,
    histogramMode: "packed",
    ...o.extra,
  });
  client.start();
  return { tb, client, server };
}
