/**
 * The simulator core: virtual clock and typed events, seeded named random streams, the wire,
 * contended resources (FIFO servers, locks, cores, bounded queues) and the cost calibration.
 *
 * @module
 */
export { EventQueue } from "./event_queue.ts";
export {
  type EventHandler,
  type EventKind,
  type EventTracer,
  NO_EVENT,
  Simulator,
} from "./simulator.ts";
export {
  MAX_STREAM_INDEX,
  type RandomStream,
  RandomStreams,
  type StreamRecord,
} from "./random_streams.ts";
export { BoundedQueue } from "./bounded_queue.ts";
export { IntPairMap } from "./int_pair_map.ts";
export { DROPPED, FifoServer, type FifoServerOptions } from "./fifo_server.ts";
export { Lock, type LockCosts } from "./lock.ts";
export { Core } from "./core.ts";
export { DEFAULT_SWITCH_LATENCY_NS, EthernetSwitch, type SwitchOptions } from "./switch.ts";
export {
  analyticMeanWaitNs,
  type QueueModelOptions,
  type QueueModelResult,
  runQueue,
  type ServiceLaw,
} from "./queue_model.ts";
export {
  DEFAULT_PROPAGATION_NS,
  DEFAULT_RATE_BPS,
  FCS_BYTES,
  type FrameReceiver,
  frameTimeNs,
  frameWithFcs,
  INTER_FRAME_GAP_BYTES,
  lineRatePps,
  Link,
  type LinkOptions,
  MAX_FRAME_WITH_FCS_BYTES,
  MIN_FRAME_WITH_FCS_BYTES,
  PREAMBLE_SFD_BYTES,
  wireBytes,
} from "./wire.ts";
export {
  type Calibration,
  type CalibrationOptions,
  type CalibrationRecord,
  calibrationRecord,
  copyNs,
  type CostEntry,
  type CostUnit,
  DEFAULT_COSTS,
  DEFAULT_CPU_GHZ,
  lockCosts,
  makeCalibration,
  Op,
  OP_NAMES,
  type OpName,
  opNs,
} from "./calibration.ts";
export {
  createTestbed,
  type NetHost,
  type Testbed,
  type TestbedCounters,
  type TestbedOptions,
  type Transmit,
} from "./testbed.ts";
export { Host, type HostOptions } from "./host.ts";
export { CORE_CAT_NAMES, CoreCat, type CoreTask, HostCore } from "./host_core.ts";
export {
  checkModeration,
  DEFAULT_NIC_LATENCY_NS,
  DYNAMIC_ITR_LEVELS_NS,
  DYNAMIC_ITR_THRESHOLDS,
  HOST_NIC_TX_RING_FULL,
  HostNic,
  type HostNicOptions,
  type Moderation,
  moderationFromCapabilities,
} from "./host_nic.ts";
