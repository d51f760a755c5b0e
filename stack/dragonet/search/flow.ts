/**
 * Flows: UDP/IPv4 packet classes with wildcards, the unit the queue-allocation search places
 * (dragonet-model.md §8.1, source `Flows.hs`).
 *
 * A flow gives any of source address, destination address, source port and destination port;
 * a missing field is a wildcard. Source = the remote endpoint, destination = the local one.
 * Addresses are unsigned 32-bit numbers, ports 0..65535. `rate` (packets per second) is an
 * extension beyond the original, used only when a cost function weighs flows by rate.
 *
 * @module
 */
import { formatIpv4Address } from "../../../nicmodels/_shared/addr.ts";
import type { FlowSpec } from "../../../nicmodels/_shared/nic.ts";

/** A UDP/IPv4 flow; absent fields are wildcards. */
export interface Flow {
  /** Remote (packet source) IPv4 address as an unsigned 32-bit number. */
  readonly srcIp?: number;
  /** Local (packet destination) IPv4 address as an unsigned 32-bit number. */
  readonly dstIp?: number;
  /** Remote port 0..65535. */
  readonly srcPort?: number;
  /** Local port 0..65535. */
  readonly dstPort?: number;
  /** Declared packet rate (packets per second, > 0); extension, used by rate weighting only. */
  readonly rate?: number;
}

/** Bits naming the fields a flow gives (see {@link flowFields}). */
export const FlowField = {
  /** Source address given. */
  SrcIp: 1,
  /** Destination address given. */
  DstIp: 2,
  /** Source port given. */
  SrcPort: 4,
  /** Destination port given. */
  DstPort: 8,
} as const;

/** All four fields given (a fully specified flow). */
export const ALL_FLOW_FIELDS = 15;

/** Returns the {@link FlowField} bits of the fields `flow` gives. */
export function flowFields(flow: Flow): number {
  return (flow.srcIp === undefined ? 0 : FlowField.SrcIp) |
    (flow.dstIp === undefined ? 0 : FlowField.DstIp) |
    (flow.srcPort === undefined ? 0 : FlowField.SrcPort) |
    (flow.dstPort === undefined ? 0 : FlowField.DstPort);
}

/** Returns the ports of `flow` packed as source << 16 | destination (wildcards as 0). */
export function flowPorts(flow: Flow): number {
  return ((((flow.srcPort ?? 0) & 0xffff) << 16) | ((flow.dstPort ?? 0) & 0xffff)) >>> 0;
}

/** Returns a description of the first problem with `flow`, or null when it is valid. */
export function flowProblem(flow: Flow): string | null {
  const ip = (name: string, v: number | undefined) =>
    v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff)
      ? null
      : `${name} must be an integer 0..4294967295, got ${v}`;
  const port = (name: string, v: number | undefined) =>
    v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffff)
      ? null
      : `${name} must be an integer 0..65535, got ${v}`;
  const rate = flow.rate === undefined || (Number.isFinite(flow.rate) && flow.rate > 0)
    ? null
    : `rate must be a finite number > 0, got ${flow.rate}`;
  return ip("srcIp", flow.srcIp) ?? ip("dstIp", flow.dstIp) ?? port("srcPort", flow.srcPort) ??
    port("dstPort", flow.dstPort) ?? rate;
}

/** Throws a clear error naming the flow and its bad field when `flow` is invalid. */
export function checkFlow(flow: Flow): void {
  const p = flowProblem(flow);
  if (p !== null) throw new RangeError(`Invalid flow ${JSON.stringify(flow)}: ${p}`);
}

/** Returns the identity of a flow (its four fields; `rate` is not part of it). */
export function flowKey(flow: Flow): string {
  return `${flow.srcIp ?? "*"}:${flow.srcPort ?? "*"}>${flow.dstIp ?? "*"}:${flow.dstPort ?? "*"}`;
}

/** Formats a flow like "UDP 10.0.0.2:4000 -> *:7" (`*` = wildcard). */
export function formatFlow(flow: Flow): string {
  const ip = (v: number | undefined) => (v === undefined ? "*" : formatIpv4Address(v));
  const port = (v: number | undefined) => (v === undefined ? "*" : String(v));
  return `UDP ${ip(flow.srcIp)}:${port(flow.srcPort)} -> ${ip(flow.dstIp)}:${port(flow.dstPort)}`;
}

/** Converts a flow to the NIC oracles' {@link FlowSpec} (dotted quads, protocol UDP). */
export function flowSpecOf(flow: Flow): FlowSpec {
  const s: { -readonly [K in keyof FlowSpec]: FlowSpec[K] } = { proto: 17 };
  if (flow.srcIp !== undefined) s.srcIp = formatIpv4Address(flow.srcIp);
  if (flow.dstIp !== undefined) s.dstIp = formatIpv4Address(flow.dstIp);
  if (flow.srcPort !== undefined) s.srcPort = flow.srcPort;
  if (flow.dstPort !== undefined) s.dstPort = flow.dstPort;
  return s;
}
