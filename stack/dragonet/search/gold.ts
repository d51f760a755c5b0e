/**
 * Gold (high-priority) flow classifiers used by the two-class cost functions
 * (dragonet-model.md §9, "Gold classification in the experiments").
 *
 * @module
 */
import type { Flow } from "./flow.ts";

/** Decides whether a flow is gold (high priority). */
export type GoldPredicate = (flow: Flow) => boolean;

/** Gold = flows from source address `srcIp` (the search tests' `isHp`: source IP 222 is HP). */
export function goldBySrcIp(srcIp: number): GoldPredicate {
  return (f) => f.srcIp === srcIp;
}

/**
 * The experiments' `isGoldFlv2 fpa`: the source is one of `hosts` and the source port is in
 * [8000 − fpa, 8000 + fpa), or the source port is 5000 from those hosts (echo case).
 */
export function goldByClientPorts(hosts: readonly number[], fpa: number): GoldPredicate {
  if (!Number.isInteger(fpa) || fpa < 0 || fpa > 8000) {
    throw new RangeError(`Flows-per-application fpa must be an integer 0..8000, got ${fpa}`);
  }
  const set = new Set(hosts);
  return (f) =>
    f.srcIp !== undefined && set.has(f.srcIp) && f.srcPort !== undefined &&
    ((f.srcPort >= 8000 - fpa && f.srcPort < 8000 + fpa) || f.srcPort === 5000);
}
