/**
 * UDP echo load generation in netperf UDP_RR style: the client protocol (tagged, checked
 * payloads), presets (Dragonet's 64 and 1024-byte runs) and a client-machine builder.
 *
 * @module
 */
export { MIN_ECHO_BYTES, UdpEchoClient } from "./udp_rr.ts";
export {
  DRAGONET_ECHO_1024,
  DRAGONET_ECHO_64,
  DRAGONET_ECHO_BURSTS,
  ECHO_PRESETS,
  type EchoWorkload,
} from "./presets.ts";
export { createEchoClient, type EchoClientOptions } from "./echo_client.ts";
