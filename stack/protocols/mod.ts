/**
 * The logical protocol graph (LPG): every node of the reference LPG over real packet buffers,
 * its graph data, the socket C-node expansion and the shared stack state.
 *
 * @module
 */
export * from "./env.ts";
export * from "./operators.ts";
export * from "./lpg.ts";
export * from "./udp_sockets_expansion.ts";
export * from "./sockets.ts";
export type { LpgCtx, LpgImpl } from "./_node.ts";
export * from "./stack_state.ts";
export * from "./udp_sockets_config.ts";
