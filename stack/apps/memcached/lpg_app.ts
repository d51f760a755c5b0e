/**
 * memcached on the LPG: serves a {@linkcode MemcachedEngine} over UDP sockets (8-byte frame
 * header, replies split into datagrams of at most 1400 bytes) and over the TCP engine linked
 * into the graph (one {@linkcode TcpSession} per accepted connection).
 *
 * UDP: each datagram in a socket's receive ring is answered by `handleDatagram`; every reply
 * datagram gets a pool buffer and is spawned (`send`, low priority, in order) at the socket's
 * FromSocket node, addressed to the request's source; the request buffer is freed.
 *
 * TCP: the app listens on `tcpPort`; it accepts on `accept-ready`, reads everything on
 * `readable` (each `recv` is one read event of the session), writes the replies with
 * `TcpEngine.send` (what does not fit the send buffer waits for `writable`), closes its side
 * when the peer closed or the session ended (`quit`), and then spawns the segments.
 *
 * Sources: `/work/shared/reference/workloads.md` §1-§3 (protocols, UDP frame header),
 * `dragonet-model.md` §12.4 (memcached port: apps poll their queues), §6.7 (TCP).
 *
 * @module
 */
import type { ExecContext } from "../../exec/context.ts";
import { nodeNumber, type Program } from "../../exec/program.ts";
import { Priority, Spawn } from "../../exec/types.ts";
import type { BufRing, LpgEnv } from "../../protocols/env.ts";
import type { TcpLpgLink } from "../../protocols/tcp/lpg_tcp.ts";
import { TcpEvent, TcpState } from "../../protocols/tcp/state.ts";
import type { MemcachedEngine } from "./engine.ts";
import { TcpSession } from "./tcp_session.ts";
import { handleDatagram, UdpDrop } from "./udp.ts";

/** Where the app's FromSocket nodes run: a program and its context (a pipeline). */
export interface MemcachedPipeline {
  /** The program holding `sock.s<sid>.from`. */
  readonly program: Program<LpgEnv>;
  /** Its context (task queue). */
  readonly ctx: ExecContext<LpgEnv>;
}

/** Options of {@linkcode MemcachedLpgApp}. */
export interface MemcachedLpgAppOptions {
  /** UDP socket ids to serve (their FromSocket nodes live in the pipeline). */
  readonly udpSids: readonly number[];
  /** The TCP engine's link, to serve TCP (absent: UDP only). */
  readonly tcp?: TcpLpgLink;
  /** TCP port to listen on (default 11211, memcached's; workloads.md §3). */
  readonly tcpPort?: number;
  /** memcached's `-R` for TCP sessions (default 20). */
  readonly reqsPerEvent?: number;
}

/** Counters of the app. */
export interface MemcachedAppStats {
  /** Request datagrams handled. */
  udpRequests: number;
  /** Reply datagrams sent. */
  udpReplies: number;
  /** Datagrams ignored by memcached's rules (8 bytes or less, multi-datagram requests). */
  udpIgnored: number;
  /** Replies lost because no buffer was free or the send could not be queued. */
  udpSendFailures: number;
  /** TCP connections accepted. */
  tcpAccepted: number;
  /** TCP bytes read. */
  tcpBytesIn: number;
  /** TCP reply bytes handed to the engine. */
  tcpBytesOut: number;
}

interface Conn {
  readonly session: TcpSession;
  out: Uint8Array;
  outLen: number;
  closing: boolean;
}

const READ_CHUNK = 64 * 1024;

/** The memcached server on the LPG. */
export class MemcachedLpgApp {
  /** Counters. */
  readonly stats: MemcachedAppStats = {
    udpRequests: 0,
    udpReplies: 0,
    udpIgnored: 0,
    udpSendFailures: 0,
    tcpAccepted: 0,
    tcpBytesIn: 0,
    tcpBytesOut: 0,
  };
  readonly #engine: MemcachedEngine;
  readonly #env: LpgEnv;
  readonly #ctx: ExecContext<LpgEnv>;
  readonly #rings: BufRing[];
  readonly #fromNode: Int32Array;
  readonly #tcp: TcpLpgLink | undefined;
  readonly #listener: number;
  readonly #reqsPerEvent: number | undefined;
  readonly #conns = new Map<number, Conn>();
  readonly #chunk = new Uint8Array(READ_CHUNK);
  // The request being answered, read by the emit callback (made once, no closure per packet).
  #from = 0;
  #dstIp = 0;
  #dstPort = 0;
  #srcPort = 0;
  readonly #emit = (reply: Uint8Array): void => this.#sendDatagram(reply);

  /**
   * Serves `engine` on the sockets and TCP port of `options` in `pipeline`.
   *
   * @throws {Error} when a socket has no FromSocket node in the pipeline, or the TCP port is
   * out of range or taken.
   */
  constructor(
    engine: MemcachedEngine,
    env: LpgEnv,
    pipeline: MemcachedPipeline,
    options: MemcachedLpgAppOptions,
  ) {
    this.#engine = engine;
    this.#env = env;
    this.#ctx = pipeline.ctx;
    this.#rings = options.udpSids.map((s) => env.socketRing(s));
    this.#fromNode = Int32Array.from(
      options.udpSids.map((s) => nodeNumber(pipeline.program, `sock.s${s}.from`)),
    );
    this.#tcp = options.tcp;
    this.#reqsPerEvent = options.reqsPerEvent;
    this.#listener = options.tcp === undefined
      ? -1
      : options.tcp.engine.listen(options.tcpPort ?? 11211);
  }

  /** Open TCP connections. */
  get connections(): number {
    return this.#conns.size;
  }

  /** Answers up to `budget` datagrams, then every pending TCP event; returns the work done. */
  poll(budget = 64): number {
    let done = this.#pollUdp(budget);
    if (this.#tcp !== undefined) {
      done += this.#pollTcp(this.#tcp);
      if (this.#tcp.engine.tx.count > 0) this.#tcp.flush();
    }
    return done;
  }

  #pollUdp(budget: number): number {
    const e = this.#env;
    const pool = e.pool;
    const owner = this.#ctx.owner;
    let done = 0;
    for (let k = 0; k < this.#rings.length && done < budget; k++) {
      const ring = this.#rings[k];
      if (ring === undefined) continue;
      this.#from = this.#fromNode[k] ?? 0;
      while (done < budget) {
        const b = ring.shift();
        if (b < 0) break;
        const l4 = e.l4[b] ?? 0;
        const l5 = e.l5[b] ?? 0;
        const len = this.#ctx.view.getUint16(l4 + 4) - 8;
        this.#dstIp = e.rxSrcIp[b] ?? 0;
        this.#dstPort = e.rxSrcPort[b] ?? 0;
        this.#srcPort = e.rxDstPort[b] ?? 0;
        this.stats.udpRequests++;
        const r = handleDatagram(this.#engine, pool.bytes.subarray(l5, l5 + len), this.#emit);
        if (r !== UdpDrop.NONE) this.stats.udpIgnored++;
        pool.free(b, owner);
        done++;
      }
    }
    return done;
  }

  #sendDatagram(reply: Uint8Array): void {
    const ctx = this.#ctx;
    const pool = ctx.pool;
    const e = this.#env;
    const b = pool.alloc(ctx.owner);
    if (b < 0 || reply.length > pool.bufferSize - pool.headroom) {
      if (b >= 0) pool.free(b, ctx.owner);
      this.stats.udpSendFailures++;
      return;
    }
    pool.bytes.set(reply, pool.start[b] ?? 0);
    pool.length[b] = reply.length;
    e.txDstIp[b] = this.#dstIp;
    e.txDstPort[b] = this.#dstPort;
    e.txSrcPort[b] = this.#srcPort;
    if (ctx.spawn(this.#from, Spawn.send, b, Priority.Low)) {
      this.stats.udpReplies++;
    } else {
      pool.free(b, ctx.owner);
      this.stats.udpSendFailures++;
    }
  }

  #pollTcp(link: TcpLpgLink): number {
    const tcp = link.engine;
    const ev = tcp.events;
    let done = 0;
    while (ev.shift()) {
      const code = ev.code;
      const id = ev.id;
      done++;
      if (code === TcpEvent.AcceptReady) {
        if (id !== this.#listener) continue;
        for (let c = tcp.accept(id); c >= 0; c = tcp.accept(id)) {
          this.#conns.set(c, {
            session: new TcpSession(this.#engine, this.#reqsPerEvent),
            out: new Uint8Array(0),
            outLen: 0,
            closing: false,
          });
          this.stats.tcpAccepted++;
          // Data may have arrived with the handshake's last ACK, before the accept.
          this.#read(link, c);
        }
      } else if (code === TcpEvent.Readable || code === TcpEvent.PeerClosed) {
        this.#read(link, id);
      } else if (code === TcpEvent.Writable) {
        const conn = this.#conns.get(id);
        if (conn !== undefined) this.#write(link, id, conn);
      } else if (
        code === TcpEvent.Closed || code === TcpEvent.Reset || code === TcpEvent.TimedOut
      ) {
        this.#conns.delete(id);
      }
    }
    return done;
  }

  #read(link: TcpLpgLink, id: number): void {
    const conn = this.#conns.get(id);
    if (conn === undefined) return;
    const tcp = link.engine;
    if (tcp.state(id) === TcpState.Closed) {
      this.#conns.delete(id);
      return;
    }
    const chunk = this.#chunk;
    for (let n = tcp.recv(id, chunk); n > 0; n = tcp.recv(id, chunk)) {
      this.stats.tcpBytesIn += n;
      const reply = conn.session.receive(chunk.subarray(0, n));
      this.#queue(conn, reply);
    }
    if (conn.session.closed || tcp.isEof(id)) conn.closing = true;
    this.#write(link, id, conn);
  }

  #queue(conn: Conn, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const need = conn.outLen + bytes.length;
    if (need > conn.out.length) {
      const next = new Uint8Array(Math.max(need, conn.out.length * 2, 4096));
      next.set(conn.out.subarray(0, conn.outLen));
      conn.out = next;
    }
    conn.out.set(bytes, conn.outLen);
    conn.outLen = need;
  }

  #write(link: TcpLpgLink, id: number, conn: Conn): void {
    const tcp = link.engine;
    if (conn.outLen > 0) {
      const sent = tcp.send(id, conn.out, 0, conn.outLen);
      if (sent < 0) {
        // The connection can no longer send (reset, or closed by the peer's RST): drop it.
        conn.outLen = 0;
        conn.closing = true;
      } else if (sent > 0) {
        this.stats.tcpBytesOut += sent;
        conn.out.copyWithin(0, sent, conn.outLen);
        conn.outLen -= sent;
      }
    }
    if (conn.closing && conn.outLen === 0) {
      if (tcp.state(id) !== TcpState.Closed) tcp.close(id);
      this.#conns.delete(id);
    }
  }
}
