/**
 * UDP echo presets as data (workloads.md §6, §11): netperf UDP_RR to Dragonet's echo server.
 *
 * @module
 */
import type { LoopSpec } from "../clients/load_client.ts";

/** A UDP echo workload (serialisable). */
export interface EchoWorkload {
  /** Preset name. */
  readonly name: string;
  /** Where the numbers come from. */
  readonly source: string;
  /** Request = response payload bytes. */
  readonly requestSize: number;
  /** Server UDP port. */
  readonly serverPort: number;
  /** First client source port (one per connection, consecutive). */
  readonly firstSrcPort: number;
  /** Default pacing: closed loop with the burst as outstanding transactions. */
  readonly loop: LoopSpec;
  /** Request timeout (ns); Infinity: netperf does not retransmit, a lost transaction stays lost. */
  readonly timeoutNs: number;
  /** Unmeasured time before the window opens (ns). */
  readonly warmupNs: number;
  /** Measurement window (ns). */
  readonly durationNs: number;
}

/**
 * Dragonet's UDP_RR runs: `netperf -t UDP_RR -- -r <size> -b <burst> -P <port>,888`, request =
 * response = 64 or 1024 bytes, burst 1, 16, 32 or 64, source ports from 5000. netperf's initial
 * burst puts about burst + 1 transactions in flight (unverified); the lab keeps exactly
 * `outstanding` in flight, a parameter.
 */
function dragonetEcho(size: 64 | 1024): EchoWorkload {
  return {
    name: `dragonet-echo-${size}`,
    source:
      "workloads.md §6, §11 (Dragonet harness: netperf 2.6.0 UDP_RR to fancyecho on port 888)",
    requestSize: size,
    serverPort: 888,
    firstSrcPort: 5000,
    loop: { mode: "closed", outstanding: 1 },
    timeoutNs: Infinity,
    warmupNs: 1e6,
    durationNs: 10e6,
  };
}

/** UDP echo, 64-byte requests and responses. */
export const DRAGONET_ECHO_64: EchoWorkload = dragonetEcho(64);
/** UDP echo, 1024-byte requests and responses. */
export const DRAGONET_ECHO_1024: EchoWorkload = dragonetEcho(1024);
/** Bursts Dragonet swept (`-b`). */
export const DRAGONET_ECHO_BURSTS: readonly number[] = [1, 16, 32, 64];

/** Every echo preset by name. */
export const ECHO_PRESETS: Readonly<Record<string, EchoWorkload>> = {
  [DRAGONET_ECHO_64.name]: DRAGONET_ECHO_64,
  [DRAGONET_ECHO_1024.name]: DRAGONET_ECHO_1024,
};
