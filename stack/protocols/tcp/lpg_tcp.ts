/**
 * TCP on the LPG: the nodes that put a {@linkcode TcpEngine} into the logical protocol graph, and
 * `withTcp()`, which adds them to a built LPG without touching its other nodes.
 *
 * Ports (reference `dragonet-model.md` §6.7, the LPG's TCP sketch: validate -> classification ->
 * state switch -> `TCPOutMerge` -> `TxL4TCPInitiateResponse`):
 * - `rx.ipv4.classify` port `tcp` -> `rx.tcp.valid-header-length` (20 bytes, data offset >= 5,
 *   header inside the datagram) -> both ports -> AND `rx.tcp.valid`, whose other input is
 *   `rx.ip.and-below-valid` (so a segment with a bad IPv4 header, or for another host, never
 *   reaches the engine); `rx.tcp.valid.true` -> `rx.l4.tcp.engine` (the engine's input: 4-tuple
 *   demux, state switch, checksum; its drop reasons are the engine's counters).
 * - Every segment the engine emits (an answer to the segment, or data the application sent)
 *   is copied into a pool buffer and spawned (`send`, low priority, so segments leave in order)
 *   at the source `tx.l4.tcp.segments`, whose `out` joins the IPv4 TX chain at
 *   `tx.ipv4.allocate-header` (the OR `tx.ipv4.prepare` takes only true/false ports; then
 *   header fill, routing, ARP, Ethernet, the TX queue).
 *
 * The engine's clock and timers belong to the caller: call {@linkcode TcpLpgLink.tick} when
 * time advances, then the segments the timers produced are spawned like the others.
 *
 * The classify node keeps its work function; in a graph built by `withTcp` its `tcp` port is no
 * longer counted as the drop `tcp-unsupported` (see {@linkcode tcpLpgImpls}).
 *
 * @module
 */
import { defineSpec, type Edge, type Graph, type GraphNode, nodeId } from "../../graph/types.ts";
import { templateWork } from "../../exec/compiler.ts";
import type { ExecContext } from "../../exec/context.ts";
import { nodeNumber, type Program } from "../../exec/program.ts";
import { Priority, Spawn } from "../../exec/types.ts";
import { BOOL_PORTS, type LpgImpl } from "../_node.ts";
import type { LpgEnv } from "../env.ts";
import { andSpec } from "../operators.ts";
import { ipv4Classify } from "../rx_ipv4.ts";
import { lpgImpls } from "../lpg.ts";
import { copyBytes } from "./_copy.ts";
import { TCP_COUNTERS } from "./counters.ts";
import { TCP_OK, type TcpEngine } from "./engine.ts";
import { TCP_RX_SPEC, TCP_TX_SPEC, tcpRxSpec, tcpTxSpec } from "./spec.ts";

/** Node id of the TCP header check. */
export const TCP_VALID_HEADER_LENGTH = nodeId("rx.tcp.valid-header-length");
/** Node id of the AND gating TCP by L2/L3 validity. */
export const TCP_VALID = nodeId("rx.tcp.valid");
/** Node id of the engine's RX node. */
export const TCP_ENGINE_NODE = nodeId("rx.l4.tcp.engine");
/** Node id of the TX source of the engine's segments. */
export const TCP_SEGMENTS_NODE = nodeId("tx.l4.tcp.segments");

/** `RxL4TCPValidHeaderLength`: 20 bytes, data offset >= 5, header within the IP datagram. */
export const tcpValidHeaderLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.tcp.valid-header-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{
        name: "tcp-bad-header-length",
        description: "Under 20 bytes, data offset below 5, or the header passes the datagram's end",
        drop: true,
      }],
      doc: "Bytes after L4 >= 20 and >= the data offset's header length",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l4[b] ?? 0;
      const end = E.ipEnd[b] ?? 0;
      if (end - o < 20) ${s.ret("0")}
      const hl = (V.getUint8(o + 12) >>> 4) * 4;
      ${s.ret("hl >= 20 && o + hl <= end ? 1 : 0")}`,
  }),
  dropPorts: { false: "tcp-bad-header-length" },
};

/** Counters of a {@linkcode TcpLpgLink}. */
export interface TcpLinkStats {
  /** Segments handed to the TX chain. */
  spawned: number;
  /** Segments lost because the pool had no buffer or the task queue was full. */
  txLost: number;
}

/**
 * The glue between one {@linkcode TcpEngine} and the graph: the RX node's work and the TX
 * spawns. One link per engine; {@linkcode TcpLpgLink.bind} attaches it to the pipeline that
 * holds both TCP nodes.
 */
export class TcpLpgLink {
  /** The engine. */
  readonly engine: TcpEngine;
  /** Counters. */
  readonly stats: TcpLinkStats = { spawned: 0, txLost: 0 };
  #ctx: ExecContext<LpgEnv> | null = null;
  #source = -1;

  /** Links `engine`; bind it to a pipeline before running packets. */
  constructor(engine: TcpEngine) {
    this.engine = engine;
  }

  /**
   * Attaches the link to the pipeline whose program holds `tx.l4.tcp.segments`.
   *
   * @throws {Error} when the program has no such node.
   */
  bind(program: Program<LpgEnv>, ctx: ExecContext<LpgEnv>): void {
    this.#source = nodeNumber(program, TCP_SEGMENTS_NODE);
    this.#ctx = ctx;
  }

  /**
   * Spawns every segment waiting in the engine's TX batch at the TX source (low priority, in
   * order) and clears the batch; returns how many were spawned.
   *
   * @throws {Error} when the link was never bound.
   */
  flush(): number {
    const ctx = this.#ctx;
    if (ctx === null) {
      throw new Error("Cannot flush TCP segments: the link is not bound to a pipeline");
    }
    const tx = this.engine.tx;
    const pool = ctx.pool;
    const env = ctx.env;
    let n = 0;
    for (let i = 0; i < tx.count; i++) {
      const len = tx.length[i] ?? 0;
      const b = pool.alloc(ctx.owner);
      if (b < 0) {
        this.stats.txLost++;
        continue;
      }
      const s = pool.start[b] ?? 0;
      if (s + len > (b + 1) * pool.bufferSize) {
        pool.free(b, ctx.owner);
        this.stats.txLost++;
        continue;
      }
      const o = tx.offset(i);
      copyBytes(pool.bytes, s, tx.bytes, o, len);
      pool.length[b] = len;
      env.txDstIp[b] = tx.dstIp[i] ?? 0;
      env.txProto[b] = 6;
      env.socket[b] = -1;
      if (ctx.spawn(this.#source, Spawn.send, b, Priority.Low)) {
        n++;
      } else {
        pool.free(b, ctx.owner);
        this.stats.txLost++;
      }
    }
    tx.clear();
    this.stats.spawned += n;
    return n;
  }

  /** Runs the engine's due timers, then spawns what they sent; returns the timers fired. */
  tick(): number {
    const fired = this.engine.tick();
    if (this.engine.tx.count > 0) this.flush();
    return fired;
  }

  /** The RX node's implementation, bound to this link. */
  rxImpl(): LpgImpl {
    const engine = this.engine;
    return {
      spec: tcpRxSpec,
      extraCounters: TCP_COUNTERS.map((c) => c.name),
      work: (x, node) => {
        const b = x.buf;
        const e = x.env;
        const o = e.l4[b] ?? 0;
        const r = engine.input(
          x.bytes,
          o,
          (e.ipEnd[b] ?? 0) - o,
          e.rxSrcIp[b] ?? 0,
          e.rxDstIp[b] ?? 0,
        );
        if (engine.tx.count > 0) this.flush();
        if (r === TCP_OK) return 0;
        const k = (x.extraBase[node] ?? 0) + r;
        x.extra[k] = (x.extra[k] ?? 0) + 1;
        return 1;
      },
    };
  }
}

/** The TX source: the segment is already in the buffer; sets nothing, passes it on. */
export const tcpSegmentsImpl: LpgImpl = {
  spec: tcpTxSpec,
  work: templateWork({ code: (s) => s.ret("0") }),
};

const classifyWithTcp: LpgImpl = {
  ...ipv4Classify,
  dropPorts: { drop: "ipv4-unknown-protocol" },
};

/**
 * Adds the TCP nodes to a built LPG (see the module doc). The graph must hold
 * `rx.ipv4.classify`, `rx.ip.and-below-valid` and `tx.ipv4.allocate-header`.
 *
 * @throws {Error} when one of them is missing or the graph has TCP nodes already.
 */
export function withTcp(graph: Graph): Graph {
  const has = (id: string) => graph.nodes.some((n) => n.id === id);
  for (const id of ["rx.ipv4.classify", "rx.ip.and-below-valid", "tx.ipv4.allocate-header"]) {
    if (!has(id)) throw new Error(`Cannot add TCP to graph "${graph.name}": it has no node ${id}`);
  }
  if (has(TCP_ENGINE_NODE)) {
    throw new Error(
      `Cannot add TCP to graph "${graph.name}": it has node ${TCP_ENGINE_NODE} already`,
    );
  }
  const origin = "LPG" as const;
  const nodes: GraphNode[] = [
    ...graph.nodes,
    { id: TCP_VALID_HEADER_LENGTH, spec: tcpValidHeaderLength.spec.name, origin },
    { id: TCP_VALID, spec: andSpec.name, label: "RxL4TCPValid", origin },
    { id: TCP_ENGINE_NODE, spec: TCP_RX_SPEC, origin },
    { id: TCP_SEGMENTS_NODE, spec: TCP_TX_SPEC, origin },
  ];
  const p = (from: string, port: string, to: string): Edge => ({
    kind: "port",
    from: nodeId(from),
    port,
    to: nodeId(to),
  });
  const edges: Edge[] = [
    ...graph.edges,
    p("rx.ipv4.classify", "tcp", TCP_VALID_HEADER_LENGTH),
    p(TCP_VALID_HEADER_LENGTH, "true", TCP_VALID),
    p(TCP_VALID_HEADER_LENGTH, "false", TCP_VALID),
    p("rx.ip.and-below-valid", "true", TCP_VALID),
    p("rx.ip.and-below-valid", "false", TCP_VALID),
    p(TCP_VALID, "true", TCP_ENGINE_NODE),
    p(TCP_SEGMENTS_NODE, "out", "tx.ipv4.allocate-header"),
    { kind: "spawn", from: TCP_ENGINE_NODE, spawn: "send", to: TCP_SEGMENTS_NODE },
    { kind: "spawn", from: TCP_SEGMENTS_NODE, spawn: "send", to: TCP_SEGMENTS_NODE },
  ];
  const specs = {
    ...graph.specs,
    [tcpValidHeaderLength.spec.name]: tcpValidHeaderLength.spec,
    [andSpec.name]: andSpec,
    [TCP_RX_SPEC]: tcpRxSpec,
    [TCP_TX_SPEC]: tcpTxSpec,
  };
  return { ...graph, specs, nodes, edges };
}

/**
 * Implementations for a graph made by {@linkcode withTcp}: the LPG's, the TCP nodes bound to
 * `link`, and `rx.ipv4.classify` without the `tcp-unsupported` drop.
 */
export function tcpLpgImpls(graph: Graph, link: TcpLpgLink): Map<string, LpgImpl> {
  const map = lpgImpls(graph);
  map.set(classifyWithTcp.spec.name, classifyWithTcp);
  map.set(tcpValidHeaderLength.spec.name, tcpValidHeaderLength);
  map.set(TCP_RX_SPEC, link.rxImpl());
  map.set(TCP_TX_SPEC, tcpSegmentsImpl);
  return map;
}
