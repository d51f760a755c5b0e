/**
 * Load generators: client machines with explicit 4-tuple connections (one UDP flow each, fixed
 * source ports, or one real TCP connection each: `TcpLoadClient`), closed- and open-loop pacing, per-class HDR latency histograms from the
 * intended send time, timeouts, and every reply checked by its protocol.
 *
 * @module
 */
export {
  CLIENT_CLASS_NAMES,
  ClientClass,
  type ClientClassCode,
  type ClientEventHandler,
  type ClientNetHost,
  type ClientSim,
  type ClientTestbed,
  type ClientTransmit,
} from "./types.ts";
export {
  checkPort,
  consecutiveFlows,
  type ConsecutiveFlowsOptions,
  dragonetGoldClass,
  type FlowSpec,
} from "./flow.ts";
export {
  type ClientProtocol,
  ReplyStatus,
  type ReplyStatusCode,
  RequestKind,
  type RequestKindCode,
} from "./protocol.ts";
export { ArrivalSchedule, interArrivalSampler } from "./arrivals.ts";
export { MAX_UDP_PAYLOAD, UDP_HEADERS_BYTES, UdpFrameWriter } from "./udp_frame_writer.ts";
export { CallerViews, copyWords, equalWords } from "./byte_words.ts";
export {
  type ClassReport,
  type ClientMachineOptions,
  type ClosedLoop,
  type ConnectionReport,
  LoadClient,
  type LoadClientOptions,
  type LoadClientReport,
  type LoopSpec,
  type OpenLoop,
} from "./load_client.ts";
export { aggregateClients, type AggregateReport, type ReportingClient } from "./aggregate.ts";
export type { StreamProtocol } from "./stream_protocol.ts";
export {
  TcpLoadClient,
  type TcpLoadClientOptions,
  type TcpLoadClientReport,
} from "./tcp_load_client.ts";
