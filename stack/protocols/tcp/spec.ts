/**
 * Graph specs of the TCP engine: the RX node that consumes segments and the TX source that
 * emits them (STYLE.md 2, 7). The LPG sketch of `dragonet-model.md` §6.7 puts TCP after
 * `RxL4TCPValid` (validate -> socket classification -> state switch -> `TCPOutMerge` ->
 * `TxL4TCPInitiateResponse`); here the classification and state switch live inside
 * `TcpEngine.input`, so the graph sees one node with two ports.
 *
 * @module
 */
import { defineSpec } from "../../graph/types.ts";
import { TCP_COUNTERS } from "./counters.ts";

const counters = TCP_COUNTERS.map((c) =>
  c.drop
    ? { name: c.name, description: c.description, drop: true }
    : { name: c.name, description: c.description }
);

/** Spec id of the RX node. */
export const TCP_RX_SPEC = "rx.l4.tcp.engine";
/** Spec id of the TX source. */
export const TCP_TX_SPEC = "tx.l4.tcp.segments";

/** Numeric ports of the RX node: `consumed` (the engine took the segment) and `drop`. */
export const TcpRxPort = { Consumed: 0, Drop: 1 } as const;

/**
 * RX node: runs `TcpEngine.input` on the packet's L4 segment. Port `consumed` (the return value
 * was `TCP_OK`), port `drop` (a drop counter named the reason). Output segments appear in the
 * engine's TX batch, drained by the TX source.
 */
export const tcpRxSpec = defineSpec(
  {
    name: TCP_RX_SPEC,
    kind: "fnode",
    ports: ["consumed", "drop"],
    attributes: { sink: true },
    counters,
    doc: "TCP state machine: demultiplexes by 4-tuple, updates the connection, queues replies",
  } as const,
);

/** TX source: one packet per segment of the engine's TX batch, towards the IPv4 TX chain. */
export const tcpTxSpec = defineSpec(
  {
    name: TCP_TX_SPEC,
    kind: "fnode",
    ports: ["out"],
    attributes: { source: true },
    counters: [{ name: "segments", description: "Segments taken from the engine's TX batch" }],
    doc: "Emits the TCP engine's queued segments (SYN-ACK, data, ACK, FIN, RST) to IPv4 TX",
  } as const,
);
