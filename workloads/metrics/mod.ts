/**
 * Workload metrics: latency histograms (HDR, mergeable) and transactions per second.
 *
 * @module
 */
export {
  type HistogramMode,
  LatencyRecorder,
  type LatencyRecorderOptions,
  type LatencySummary,
} from "./latency_recorder.ts";
export { ThroughputMeter, transactionsPerSecond } from "./throughput.ts";
