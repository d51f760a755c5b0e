/**
 * Connections with explicit 4-tuples: one flow per connection with a fixed source port, as
 * Dragonet's modified memaslap (`-z/--sports`) and netperf (`-P <port>,<server port>`) pinned
 * them (workloads.md §5, §6), and the gold classification of Dragonet's experiments.
 *
 * @module
 */
import { ClientClass, type ClientClassCode } from "./types.ts";

/** One client connection: a UDP flow with a fixed 4-tuple. */
export interface FlowSpec {
  /** Client source port (1..65535), unique within its client machine. */
  readonly srcPort: number;
  /** Server IPv4 address (u32). */
  readonly dstIp: number;
  /** Server UDP port (1..65535). */
  readonly dstPort: number;
  /** Server MAC (6 bytes): the clients know it statically (no ARP in the lab's testbed). */
  readonly dstMac: Uint8Array;
  /** Client class. */
  readonly clientClass: ClientClassCode;
}

/** Options of {@link consecutiveFlows}. */
export interface ConsecutiveFlowsOptions {
  /** Number of connections. */
  readonly count: number;
  /** Source port of the first connection; the others follow consecutively. */
  readonly firstSrcPort: number;
  /** Server IPv4 address (u32). */
  readonly dstIp: number;
  /** Server UDP port. */
  readonly dstPort: number;
  /** Server MAC. */
  readonly dstMac: Uint8Array;
  /** Class of every flow, or a function of the source port (default best effort). */
  readonly clientClass?: ClientClassCode | ((srcPort: number) => ClientClassCode);
}

/**
 * Makes `count` flows with consecutive source ports (memaslap's `-z <start>`: one port per
 * concurrency).
 */
export function consecutiveFlows(opts: ConsecutiveFlowsOptions): FlowSpec[] {
  const { count, firstSrcPort } = opts;
  if (!Number.isInteger(count) || count < 1 || count > 4096) {
    throw new RangeError(`Flow count ${count} is invalid: must be an integer 1..4096`);
  }
  const last = firstSrcPort + count - 1;
  if (!Number.isInteger(firstSrcPort) || firstSrcPort < 1 || last > 65_535) {
    throw new RangeError(
      `Source ports ${firstSrcPort}..${last} are invalid: must be integers within 1..65535`,
    );
  }
  checkPort("Server port", opts.dstPort);
  const cls = opts.clientClass ?? ClientClass.BestEffort;
  const flows: FlowSpec[] = [];
  for (let i = 0; i < count; i++) {
    const srcPort = firstSrcPort + i;
    flows.push({
      srcPort,
      dstIp: opts.dstIp,
      dstPort: opts.dstPort,
      dstMac: opts.dstMac,
      clientClass: typeof cls === "function" ? cls(srcPort) : cls,
    });
  }
  return flows;
}

/**
 * Dragonet's gold test `isGoldFlv2 fpa` (dragonet-model.md §9): a flow from one of the
 * designated client hosts whose source port is in [8000 − fpa, 8000 + fpa), or port 5000 from
 * those hosts (the echo case), is high priority; everything else is best effort.
 */
export function dragonetGoldClass(
  goldHostIps: readonly number[],
  flowsPerApp: number,
): (srcIp: number, srcPort: number) => ClientClassCode {
  if (!Number.isInteger(flowsPerApp) || flowsPerApp < 0 || flowsPerApp > 8000) {
    throw new RangeError(
      `Gold flows per app ${flowsPerApp} is invalid: must be an integer 0..8000`,
    );
  }
  return (srcIp, srcPort) =>
    goldHostIps.includes(srcIp) &&
      ((srcPort >= 8000 - flowsPerApp && srcPort < 8000 + flowsPerApp) || srcPort === 5000)
      ? ClientClass.HighPriority
      : ClientClass.BestEffort;
}

/** Throws unless `port` is an integer 1..65535. */
export function checkPort(what: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`${what} ${port} is invalid: must be an integer 1..65535`);
  }
}
