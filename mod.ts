/**
 * dragonet-lab: a benchmark harness and test lab for host network stacks.
 *
 * Re-exports each folder's public surface under a namespace, so names never collide across
 * folders:
 *
 * @example
 * ```ts
 * import { packet } from "./mod.ts";
 * const info = new packet.FrameInfo();
 * ```
 *
 * @module
 */
export * as packet from "./stack/packet/mod.ts";
export * as pcap from "./stack/packet/pcap/mod.ts";
export * as graph from "./stack/graph/mod.ts";
export * as graphConfig from "./stack/graph/config/mod.ts";
export * as predicate from "./stack/graph/predicate/mod.ts";
export * as nic from "./nicmodels/mod.ts";
export * as workloads from "./workloads/mod.ts";
export * as results from "./results/mod.ts";
export * as dragonet from "./stack/dragonet/mod.ts";
export * as tcp from "./stack/protocols/tcp/mod.ts";
export * as replay from "./harness/replay/mod.ts";
