/**
 * `TcpEngine`: a server- and client-side TCP (RFC 9293) as a transport engine: segments in,
 * segments out, numeric counters with drop reasons, an injected nanosecond clock.
 *
 * Ports (as a graph node would see them):
 * - in: `input(bytes, off, len, srcIp, dstIp)` takes one TCP segment (header + payload) and
 *   returns `TCP_OK` or the drop-reason counter code (`TcpCounter`); `inputFrame` takes a frame
 *   parsed by `parseFrame`.
 * - out: every segment the engine sends (SYN-ACKs, data, ACKs, FINs, RSTs) lands in `tx`, a
 *   `TcpTxBatch` the caller drains and clears; `events` carries application events.
 * - app: `listen`/`accept`/`closeListener`, `connect`, `send`, `recv`, `shutdown`, `close`,
 *   `abort`.
 * - time: `tick()` runs the timers that are due by `clock()` (integer ns); `nextDeadline()` says
 *   when to call it next, so a simulator can run on virtual time.
 *
 * Behaviour: listeners with a bounded accept queue (overflow drops the SYN or the handshake ACK,
 * counted; host-stacks.md §2.4) and a bounded SYN backlog; connection table keyed by a numeric
 * hash of the 4-tuple; in-order data with cumulative ACKs and a receive window; delayed ACKs
 * as Linux does them (the first `quickAcks` segments at once, then every second segment or
 * after `delayedAckNs`, piggybacked when we send first; a FIN in ESTABLISHED is ACKed late so
 * the application's FIN can carry it); out-of-order data kept in the receive ring in up to
 * `oooRanges` ranges, otherwise dropped with a reason (an early FIN waits for the gap); FIN and
 * RST both ways (RFC 5961 challenge ACKs for in-window RST/SYN); RST for segments to no socket;
 * retransmission with an RFC 6298 RTO (Karn's rule, exponential backoff) and go-back-N from the
 * oldest unacknowledged byte; fast retransmit after three duplicate ACKs and NewReno fast
 * recovery (RFC 6582); slow start and congestion avoidance (RFC 5681, initial window RFC 6928);
 * zero-window probes; MSS and window-scale options (RFC 7323); TIME-WAIT ended early by a higher
 * SYN (RFC 6191); sequence numbers modulo 2^32. Not implemented: SACK, timestamps, Nagle,
 * urgent data, PMTU discovery, SYN cookies.
 *
 * Sources: `/work/shared/reference/dragonet-model.md` §6.7 (the LPG's TCP sketch: validate ->
 * socket classification -> state switch -> TX), `/work/shared/reference/host-stacks.md` §2.4
 * (listen/accept, accept-queue overflow), RFC 9293 §3.10.7 (segment arrival), RFC 6298, RFC 5681.
 *
 * @module
 */
import FlatQueue from "flatqueue";
import { ipv4PseudoHeaderSum, onesComplementSum } from "../../packet/checksum.ts";
import type { FrameInfo } from "../../packet/frame_info.ts";
import { TcpFlag } from "../../packet/tcp.ts";
import { parseTcpOptions, TcpOptions } from "../../packet/tcp_options.ts";
import { type ResolvedTcpConfig, resolveTcpConfig, type TcpConfig } from "./config.ts";
import { type TcpConn, TimerKind } from "./conn.ts";
import { ConnTable } from "./conn_table.ts";
import { TCP_COUNTER_COUNT, TcpCounter } from "./counters.ts";
import { TcpEventRing } from "./event_ring.ts";
import { seqAdd, seqDiff, seqGeq, seqGt, seqLeq, seqLt } from "./seq.ts";
import { TcpEvent, TcpState, tcpStateName } from "./state.ts";
import { TcpTxBatch } from "./tx_batch.ts";
import { ListenerTable } from "./listeners.ts";
import { copyBytes } from "./_copy.ts";
import { growRing } from "./_ring.ts";

/** `input` result for a segment that was not dropped (no drop counter has code 0). */
export const TCP_OK = 0;

/** First and last ephemeral port (Linux `ip_local_port_range` default 32768..60999; unverified). */
export const EPHEMERAL_PORTS = { first: 32768, last: 60999 } as const;

/** Engine options: the TCP knobs plus the clock. */
export interface TcpEngineOptions extends TcpConfig {
  /**
   * Current time in integer nanoseconds (default: `performance.now()` in ns). A simulator
   * passes its virtual clock; tests pass a counter they advance.
   */
  readonly clock?: () => number;
}

/** Options of `listen`. */
export interface ListenOptions {
  /** Local address to accept on (u32; default 0 = any). */
  readonly localIp?: number;
  /** Requested backlog; the accept queue holds min(backlog, somaxconn) (default somaxconn). */
  readonly backlog?: number;
}

const ACK = TcpFlag.ACK;
const SYN = TcpFlag.SYN;
const FIN = TcpFlag.FIN;
const RST = TcpFlag.RST;
const PSH = TcpFlag.PSH;
const NO_DEADLINE = -1;
const MAX_WINDOW_FIELD = 0xffff;

function defaultClock(): number {
  return Math.round(performance.now() * 1e6);
}

/** One TCP instance: a connection table, listeners, timers, counters and a TX batch. */
export class TcpEngine {
  /** Resolved configuration. */
  readonly config: ResolvedTcpConfig;
  /** Counters by `TcpCounter` code (see `tcpCountersRecord`). */
  readonly counters: Float64Array = new Float64Array(TCP_COUNTER_COUNT);
  /** Segments emitted since the caller last cleared the batch. */
  readonly tx: TcpTxBatch;
  /** Application events (`TcpEvent` codes with a connection or listener id). */
  readonly events: TcpEventRing;
  /** The connection table. */
  readonly table: ConnTable;

  readonly #clock: () => number;
  readonly #opts = new TcpOptions();
  #view: DataView = new DataView(new ArrayBuffer(0));
  #viewOf: Uint8Array = new Uint8Array(0);
  #now = 0;
  #nextEphemeral: number = EPHEMERAL_PORTS.first;
  /** Timer heap of (key, deadline): key = connection id, or id + capacity for delayed ACKs; may hold stale entries (see `#settle`). */
  readonly #timers: FlatQueue<number> = new FlatQueue<number>();
  /** Deadline of each connection's live heap entry, or -1. */
  readonly #heapAt: Float64Array;

  readonly #listeners: ListenerTable;

  /** Makes an engine; throws naming the knob when a configuration value is out of range. */
  constructor(options: TcpEngineOptions = {}) {
    const { clock, ...rest } = options;
    this.config = resolveTcpConfig(rest);
    this.#clock = clock ?? defaultClock;
    const c = this.config;
    this.tx = new TcpTxBatch(c.txRingSegments, c.mss);
    this.events = new TcpEventRing(c.eventRingSize);
    this.table = new ConnTable(c.maxConnections);
    this.#heapAt = new Float64Array(2 * c.maxConnections).fill(NO_DEADLINE);
    this.#listeners = new ListenerTable(c.maxListeners);
  }

  // ---------------------------------------------------------------- application side

  /** Opens a listener on `port`; returns its id. Throws if the port is taken or out of range. */
  listen(port: number, options: ListenOptions = {}): number {
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new RangeError(`Cannot listen on port ${port}: ports are integers 1..65535`);
    }
    const backlog = options.backlog ?? this.config.somaxconn;
    if (!(Number.isInteger(backlog) && backlog >= 0)) {
      throw new RangeError(
        `Cannot listen on port ${port}: backlog ${backlog} must be an integer >= 0`,
      );
    }
    const id = this.#listeners.open(
      port,
      options.localIp ?? 0,
      Math.min(backlog, this.config.somaxconn),
    );
    return id;
  }

  /**
   * Closes a listener: connections still in its accept queue are reset (RST) and freed,
   * embryonic ones are dropped, and the port answers SYNs with RST again. Accepted connections
   * are not affected.
   */
  closeListener(listener: number): void {
    this.#checkListener(listener);
    this.#now = this.#clock();
    const ls = this.#listeners;
    for (let id = ls.shift(listener); id >= 0; id = ls.shift(listener)) {
      const c = this.table.conns[id];
      if (c === undefined) continue;
      c.inAcceptQueue = false;
      if (c.state !== TcpState.Closed) this.#sendRstFor(c);
      this.#release(c);
    }
    const conns = this.table.conns;
    for (let i = 0; i < conns.length; i++) {
      const c = conns[i];
      if (c === undefined || !this.table.isUsed(i) || c.listener !== listener) continue;
      if (c.state === TcpState.SynReceived) this.#release(c);
      else c.listener = -1;
    }
    ls.close(listener);
  }

  /** Capacity of listener `id`'s accept queue (min(backlog, somaxconn)). */
  acceptQueueCapacity(listener: number): number {
    this.#checkListener(listener);
    return this.#listeners.queueCapacity(listener);
  }

  /** Connections waiting in listener `id`'s accept queue. */
  acceptQueueLength(listener: number): number {
    this.#checkListener(listener);
    return this.#listeners.queueLength(listener);
  }

  /**
   * Takes the oldest established connection from the listener's accept queue; returns its id or
   * -1 when none waits. Connections reset while queued are freed and skipped.
   */
  accept(listener: number): number {
    this.#checkListener(listener);
    const ls = this.#listeners;
    for (let id = ls.shift(listener); id >= 0; id = ls.shift(listener)) {
      const c = this.table.conns[id];
      if (c === undefined) continue;
      c.inAcceptQueue = false;
      if (c.state === TcpState.Closed) {
        this.table.remove(id);
        continue;
      }
      c.appOwned = true;
      this.#count(TcpCounter.Accepted);
      return id;
    }
    return -1;
  }

  /**
   * Active open from `localIp` (and `localPort`, default an ephemeral port) to
   * `remoteIp:remotePort`: sends a SYN and returns the connection id. Throws when the table is
   * full, the 4-tuple is in use or no ephemeral port is free.
   */
  connect(localIp: number, remoteIp: number, remotePort: number, localPort = 0): number {
    if (!(Number.isInteger(remotePort) && remotePort >= 1 && remotePort <= 65535)) {
      throw new RangeError(`Cannot connect to port ${remotePort}: ports are integers 1..65535`);
    }
    if (!(Number.isInteger(localPort) && localPort >= 0 && localPort <= 65535)) {
      throw new RangeError(`Cannot connect from port ${localPort}: ports are integers 0..65535`);
    }
    const lip = localIp >>> 0;
    const rip = remoteIp >>> 0;
    let port = localPort;
    if (port === 0) {
      const span = EPHEMERAL_PORTS.last - EPHEMERAL_PORTS.first + 1;
      for (let i = 0; i < span; i++) {
        const p = this.#nextEphemeral;
        this.#nextEphemeral = p === EPHEMERAL_PORTS.last ? EPHEMERAL_PORTS.first : p + 1;
        if (this.table.lookup(lip, p, rip, remotePort) < 0 && !this.#listeners.portInUse(p)) {
          port = p;
          break;
        }
      }
      if (port === 0) {
        throw new Error(
          `Cannot connect to port ${remotePort}: all ${span} ephemeral ports are in use for this peer`,
        );
      }
    } else if (this.table.lookup(lip, port, rip, remotePort) >= 0) {
      throw new Error(
        `Cannot connect from port ${port} to port ${remotePort}: the 4-tuple is in use`,
      );
    }
    const id = this.table.insert(lip, port, rip, remotePort);
    const c = this.table.conns[id];
    if (id < 0 || c === undefined) {
      throw new Error(
        `Cannot connect: the connection table is full ("maxConnections" ${this.config.maxConnections})`,
      );
    }
    this.#now = this.#clock();
    this.#initConn(c);
    c.appOwned = true;
    c.iss = this.config.isn(lip, port, rip, remotePort, this.#now) >>> 0;
    c.sndUna = c.iss;
    c.sndNxt = seqAdd(c.iss, 1);
    c.sndMax = c.sndNxt;
    c.state = TcpState.SynSent;
    c.rttSeq = c.iss;
    c.rttStartNs = this.#now;
    this.#count(TcpCounter.ActiveOpens);
    this.#sendSyn(c, false);
    this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    return id;
  }

  /**
   * Queues `len` bytes of `data` from `off` for sending; returns the bytes taken (fewer when the
   * send buffer is full; a Writable event follows when space frees), or -1 when the connection
   * was reset, timed out or closed by us. Throws for an id the application does not hold.
   */
  send(id: number, data: Uint8Array, off = 0, len: number = data.length - off): number {
    const c = this.#owned(id, "send on");
    if (!(off >= 0 && len >= 0 && off + len <= data.length)) {
      throw new RangeError(
        `Cannot send on connection ${id}: range ${off}+${len} lies outside the ${data.length}-byte buffer`,
      );
    }
    const st = c.state;
    if (
      c.finQueued || !(st === TcpState.SynSent || st === TcpState.SynReceived ||
        st === TcpState.Established || st === TcpState.CloseWait)
    ) return -1;
    const cap = this.config.sndBuffer;
    const n = Math.min(len, cap - c.sndLen);
    if (n < len) c.sndBlocked = true;
    if (n > 0) {
      if (c.sndLen + n > c.sndBuf.length) {
        c.sndBuf = growRing(c.sndBuf, c.sndHead, c.sndLen + n, cap);
        c.sndHead = 0;
      }
      const size = c.sndBuf.length;
      const pos = (c.sndHead + c.sndLen) % size;
      const first = Math.min(n, size - pos);
      copyBytes(c.sndBuf, pos, data, off, first);
      if (first < n) copyBytes(c.sndBuf, 0, data, off + first, n - first);
      c.sndLen += n;
      this.#now = this.#clock();
      this.#output(c);
    }
    return n;
  }

  /**
   * Copies up to `max` received in-order bytes into `out` at `off`; returns the count (0 when
   * nothing is buffered; see `isEof`). Sends a window update when reading opened the window by
   * at least min(receive buffer / 2, MSS) (RFC 9293 §3.8.6.2.2).
   */
  recv(id: number, out: Uint8Array, off = 0, max: number = out.length - off): number {
    const c = this.#owned(id, "receive on");
    if (!(off >= 0 && max >= 0 && off + max <= out.length)) {
      throw new RangeError(
        `Cannot receive on connection ${id}: range ${off}+${max} lies outside the ${out.length}-byte buffer`,
      );
    }
    const n = Math.min(max, c.rcvLen);
    if (n === 0) return 0;
    const size = c.rcvBuf.length;
    const first = Math.min(n, size - c.rcvHead);
    copyBytes(out, off, c.rcvBuf, c.rcvHead, first);
    if (first < n) copyBytes(out, off + first, c.rcvBuf, 0, n - first);
    c.rcvHead = (c.rcvHead + n) % size;
    c.rcvLen -= n;
    const st = c.state;
    if (st >= TcpState.Established && !c.finReceived) {
      const edge = seqAdd(c.rcvNxt, this.#windowField(c) << c.rcvScale);
      if (seqDiff(edge, c.rcvAdvEdge) >= Math.min(size >>> 1, this.config.mss)) {
        this.#now = this.#clock();
        c.ackNow = true;
        this.#output(c);
      }
    }
    return n;
  }

  /** In-order bytes waiting to be read. */
  readable(id: number): number {
    return this.#owned(id, "query").rcvLen;
  }

  /** Whether the peer's FIN arrived and every byte before it was read (end of stream). */
  isEof(id: number): boolean {
    const c = this.#owned(id, "query");
    return c.finReceived && c.rcvLen === 0;
  }

  /** Free space in the send buffer. */
  sendSpace(id: number): number {
    const c = this.#owned(id, "query");
    return this.config.sndBuffer - c.sndLen;
  }

  /** Bytes queued but not yet acknowledged (unsent included). */
  unacked(id: number): number {
    return this.#owned(id, "query").sndLen;
  }

  /** State code of connection `id` (`TcpState`); `Closed` for a free slot. */
  state(id: number): number {
    const c = this.table.conns[id];
    return c !== undefined && this.table.isUsed(id) ? c.state : TcpState.Closed;
  }

  /** Why the connection ended abnormally: `TcpEvent.Reset`, `TcpEvent.TimedOut`, or 0. */
  error(id: number): number {
    return this.#owned(id, "query").error;
  }

  /**
   * Half-closes: our FIN follows the queued data; receiving goes on until the peer's FIN
   * (`isEof`). Repeated calls do nothing. Returns false when the connection already ended.
   */
  shutdown(id: number): boolean {
    const c = this.#owned(id, "shut down");
    this.#now = this.#clock();
    return this.#shutdown(c);
  }

  #shutdown(c: TcpConn): boolean {
    if (c.finQueued) return true;
    switch (c.state) {
      case TcpState.SynSent:
      case TcpState.SynReceived:
        c.finQueued = true; // sent once established
        return true;
      case TcpState.Established:
        c.finQueued = true;
        c.state = TcpState.FinWait1;
        break;
      case TcpState.CloseWait:
        c.finQueued = true;
        c.state = TcpState.LastAck;
        break;
      default:
        return false;
    }
    this.#output(c);
    return true;
  }

  /**
   * Closes the connection and gives up the id: our FIN follows the queued data and the slot is
   * freed when the close handshake or TIME-WAIT ends. Unread received data, or data arriving
   * afterwards, makes it an abort with RST (RFC 2525 §2.17, as Linux does).
   */
  close(id: number): void {
    const c = this.#owned(id, "close");
    this.#now = this.#clock();
    c.appClosed = true;
    c.appOwned = false;
    const st = c.state;
    if (st === TcpState.Closed || st === TcpState.SynSent) {
      this.#release(c);
      return;
    }
    if (c.rcvLen > 0) {
      this.#sendRstFor(c);
      this.#release(c);
      return;
    }
    this.#shutdown(c);
  }

  /** Aborts: sends a RST (unless closed already) and frees the slot at once. */
  abort(id: number): void {
    const c = this.#owned(id, "abort");
    this.#now = this.#clock();
    if (c.state !== TcpState.Closed && c.state !== TcpState.SynSent) this.#sendRstFor(c);
    c.appOwned = false;
    c.appClosed = true;
    this.#release(c);
  }

  // ---------------------------------------------------------------- timers

  /** Earliest timer deadline in ns, or -1 when no timer is armed. */
  nextDeadline(): number {
    return this.#settle() ? this.#timers.peekValue() ?? NO_DEADLINE : NO_DEADLINE;
  }

  /** Runs every timer due by `clock()`; returns how many fired. */
  tick(): number {
    const timers = this.#timers;
    if (timers.length === 0) return 0;
    const now = this.#now = this.#clock();
    const cap = this.table.capacity;
    let fired = 0;
    while (this.#settle() && (timers.peekValue() ?? Infinity) <= now) {
      const key = timers.pop() ?? -1;
      this.#heapAt[key] = NO_DEADLINE;
      const id = key < cap ? key : key - cap;
      const c = this.table.conns[id];
      if (c === undefined || !this.table.isUsed(id)) continue;
      fired++;
      if (key >= cap) {
        c.ackDeadlineNs = NO_DEADLINE;
        c.ackNow = true;
        this.#output(c);
        continue;
      }
      const kind = c.timerKind;
      this.#disarm(c);
      this.#onTimer(c, kind);
    }
    return fired;
  }

  /**
   * Pops stale heap entries until the top is a live timer at its true deadline; false when no
   * timer is armed. Keys below the table capacity are connection timers (retransmission,
   * persist, TIME-WAIT), keys above are delayed ACKs. Re-arming only pushes when the deadline
   * moves earlier, so an ACK that pushes the retransmission deadline later costs no heap
   * operation (the entry is re-queued when it surfaces).
   */
  #settle(): boolean {
    const timers = this.#timers;
    const heapAt = this.#heapAt;
    const conns = this.table.conns;
    const cap = this.table.capacity;
    while (timers.length > 0) {
      const key = timers.peek() ?? -1;
      const at = timers.peekValue() ?? NO_DEADLINE;
      if (heapAt[key] !== at) {
        timers.pop();
        continue;
      }
      const c = conns[key < cap ? key : key - cap];
      const d = c === undefined ? NO_DEADLINE : key < cap ? c.deadlineNs : c.ackDeadlineNs;
      if (d < 0) {
        timers.pop();
        heapAt[key] = NO_DEADLINE;
        continue;
      }
      if (d > at) {
        timers.pop();
        timers.push(key, d);
        heapAt[key] = d;
        continue;
      }
      return true;
    }
    return false;
  }

  /** Makes sure heap key `key` surfaces no later than `d`. */
  #queueTimer(key: number, d: number): void {
    const at = this.#heapAt[key] ?? NO_DEADLINE;
    if (at < 0 || d < at) {
      this.#timers.push(key, d);
      this.#heapAt[key] = d;
    }
  }

  // ---------------------------------------------------------------- segment input

  /** Feeds the TCP segment of a frame parsed by `parseFrame` (any checksum verified or not). */
  inputFrame(bytes: Uint8Array, info: FrameInfo): number {
    if (info.l4Proto !== 6 || info.l4 < 0 || info.l4 + info.l4Len > bytes.length) {
      this.#count(TcpCounter.SegmentsIn);
      this.#count(TcpCounter.Malformed);
      return TcpCounter.Malformed;
    }
    return this.input(bytes, info.l4, info.l4Len, info.ipSrc, info.ipDst);
  }

  /**
   * Processes one TCP segment `bytes[off, off+len)` sent from `srcIp` to `dstIp` (u32). Returns
   * `TCP_OK` or the drop-reason counter code; never throws for bad bytes.
   */
  input(bytes: Uint8Array, off: number, len: number, srcIp: number, dstIp: number): number {
    this.#count(TcpCounter.SegmentsIn);
    const r = this.#input(bytes, off, len, srcIp >>> 0, dstIp >>> 0);
    if (r !== TCP_OK) this.#count(r);
    return r;
  }

  #input(bytes: Uint8Array, off: number, len: number, srcIp: number, dstIp: number): number {
    if (!(off >= 0 && len >= 20 && off + len <= bytes.length)) return TcpCounter.Malformed;
    if (this.#viewOf !== bytes) {
      this.#viewOf = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const v = this.#view;
    const hl = (v.getUint8(off + 12) >>> 4) << 2;
    if (hl < 20 || hl > len) return TcpCounter.Malformed;
    if (
      this.config.verifyChecksum &&
      onesComplementSum(bytes, off, len, ipv4PseudoHeaderSum(srcIp, dstIp, 6, len)) !== 0xffff
    ) return TcpCounter.BadChecksum;
    const srcPort = v.getUint16(off);
    const dstPort = v.getUint16(off + 2);
    const seq = v.getUint32(off + 4);
    const ack = v.getUint32(off + 8);
    const flags = v.getUint8(off + 13);
    const window = v.getUint16(off + 14);
    if ((flags & SYN) !== 0 && (flags & (FIN | RST)) !== 0) return TcpCounter.BadFlags;
    this.#now = this.#clock();

    let id = this.table.lookup(dstIp, dstPort, srcIp, srcPort);
    if (id >= 0) {
      // A new SYN for a 4-tuple in TIME-WAIT above the old sequence space ends the old
      // incarnation (RFC 9293 §3.6.1 note, RFC 6191; Linux tcp_timewait_state_process).
      const old = this.table.conns[id];
      if (
        old !== undefined && old.state === TcpState.TimeWait && (flags & (SYN | ACK)) === SYN &&
        seqGt(seq, old.rcvNxt)
      ) {
        this.#count(TcpCounter.TimeWaitReused);
        this.#release(old);
        id = -1;
      }
    }
    if (id < 0) {
      return this.#toListener(
        bytes,
        off,
        len,
        hl,
        srcIp,
        dstIp,
        srcPort,
        dstPort,
        seq,
        ack,
        flags,
        window,
      );
    }
    const c = this.table.conns[id];
    if (c === undefined) return TcpCounter.Malformed;
    let r: number;
    if (c.state === TcpState.SynSent) r = this.#synSent(c, bytes, off, hl, seq, ack, flags, window);
    else r = this.#segment(c, bytes, off + hl, len - hl, seq, ack, flags, window);
    if (this.table.isUsed(id) && c.state !== TcpState.Closed) this.#output(c);
    return r;
  }

  /** A segment for no connection: a listener's SYN, or an answer with RST. */
  #toListener(
    bytes: Uint8Array,
    off: number,
    len: number,
    hl: number,
    srcIp: number,
    dstIp: number,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
  ): number {
    const ls = this.#listeners;
    const l = ls.match(dstPort, dstIp);
    if (l < 0) {
      if ((flags & RST) === 0) {
        const segLen = len - hl + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
        this.#rstReply(dstIp, srcIp, dstPort, srcPort, seq, ack, flags, segLen);
      }
      return TcpCounter.NoSocket;
    }
    if ((flags & RST) !== 0) return TcpCounter.ListenNotSyn;
    if ((flags & ACK) !== 0) {
      this.#rstReply(dstIp, srcIp, dstPort, srcPort, seq, ack, flags, 0);
      return TcpCounter.ListenNotSyn;
    }
    if ((flags & SYN) === 0) return TcpCounter.ListenNotSyn;
    if (ls.queueLength(l) >= ls.queueCapacity(l)) return TcpCounter.AcceptQueueFullSyn;
    if (ls.synCount(l) >= this.config.synBacklog) return TcpCounter.SynQueueFull;
    if (parseTcpOptions(bytes, off + 20, hl - 20, this.#opts) !== 0) return TcpCounter.BadOptions;
    const id = this.table.insert(dstIp, dstPort, srcIp, srcPort);
    const c = this.table.conns[id];
    if (id < 0 || c === undefined) return TcpCounter.TableFull;
    this.#initConn(c);
    c.listener = l;
    ls.addSyn(l, 1);
    c.state = TcpState.SynReceived;
    c.irs = seq;
    c.rcvNxt = seqAdd(seq, 1);
    c.iss = this.config.isn(dstIp, dstPort, srcIp, srcPort, this.#now) >>> 0;
    c.sndUna = c.iss;
    c.sndNxt = seqAdd(c.iss, 1);
    c.sndMax = c.sndNxt;
    this.#applySynOptions(c, window, seq, ack);
    c.rttSeq = c.iss;
    c.rttStartNs = this.#now;
    this.#count(TcpCounter.PassiveOpens);
    this.#sendSyn(c, true);
    this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    return TCP_OK;
  }

  /** Segment arrival in SYN-SENT (RFC 9293 §3.10.7.3). */
  #synSent(
    c: TcpConn,
    bytes: Uint8Array,
    off: number,
    hl: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
  ): number {
    const hasAck = (flags & ACK) !== 0;
    if (hasAck && (seqLeq(ack, c.iss) || seqGt(ack, c.sndMax))) {
      if ((flags & RST) === 0) {
        this.#rstReply(c.localIp, c.remoteIp, c.localPort, c.remotePort, seq, ack, flags, 0);
      }
      return TcpCounter.BadSynAck;
    }
    if ((flags & RST) !== 0) {
      if (!hasAck) return TcpCounter.RstIgnored;
      this.#count(TcpCounter.RstReceived);
      this.#abortConn(c, TcpEvent.Reset);
      return TCP_OK;
    }
    if ((flags & SYN) === 0) return TcpCounter.BadFlags;
    if (parseTcpOptions(bytes, off + 20, hl - 20, this.#opts) !== 0) return TcpCounter.BadOptions;
    c.irs = seq;
    c.rcvNxt = seqAdd(seq, 1);
    this.#applySynOptions(c, window, seq, ack);
    if (hasAck) {
      this.#ackAdvance(c, ack);
      this.#establish(c);
      this.#post(TcpEvent.Established, c.id);
      c.ackNow = true;
    } else {
      c.state = TcpState.SynReceived; // simultaneous open
      this.#sendSyn(c, true);
      this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    }
    return TCP_OK;
  }

  /** Segment arrival in every synchronized state and SYN-RECEIVED (RFC 9293 §3.10.7.4). */
  #segment(
    c: TcpConn,
    bytes: Uint8Array,
    pOff: number,
    pLen: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
  ): number {
    const st0 = c.state;
    // A retransmitted SYN in SYN-RECEIVED: repeat the SYN-ACK.
    if (st0 === TcpState.SynReceived && (flags & SYN) !== 0 && seq === c.irs) {
      this.#count(TcpCounter.Retransmits);
      c.rttStartNs = -1; // Karn: the SYN-ACK is now ambiguous
      this.#sendSyn(c, true);
      return TCP_OK;
    }
    // 1. Sequence number check.
    const free = this.config.rcvBuffer - c.rcvLen;
    const segLen = pLen + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
    const d = seqDiff(seq, c.rcvNxt);
    let ok: boolean;
    if (segLen === 0) ok = free === 0 ? d === 0 : d >= 0 && d < free;
    else if (free === 0) ok = d === 0 && (flags & SYN) === 0; // ACK/RST/FIN-less processing only
    else ok = (d >= 0 && d < free) || (d + segLen - 1 >= 0 && d + segLen - 1 < free);
    if (!ok) {
      if ((flags & RST) === 0) c.ackNow = true;
      return TcpCounter.OutOfWindow;
    }
    // 2. RST (RFC 5961 §3.2: exact match resets, otherwise a challenge ACK).
    if ((flags & RST) !== 0) {
      if (d !== 0) {
        c.ackNow = true;
        return TcpCounter.RstIgnored;
      }
      this.#count(TcpCounter.RstReceived);
      this.#abortConn(c, TcpEvent.Reset);
      return TCP_OK;
    }
    // 3. SYN in a synchronized state: challenge ACK (RFC 5961 §4.2).
    if ((flags & SYN) !== 0) {
      c.ackNow = true;
      return TcpCounter.SynInWindow;
    }
    // 4. ACK.
    if ((flags & ACK) === 0) return TcpCounter.BadFlags;
    if (st0 === TcpState.SynReceived) {
      if (!(seqGt(ack, c.sndUna) && seqLeq(ack, c.sndMax))) {
        this.#rstReply(c.localIp, c.remoteIp, c.localPort, c.remotePort, seq, ack, flags, 0);
        return TcpCounter.AckUnsent;
      }
      const l = c.listener;
      if (l >= 0) {
        const ls = this.#listeners;
        if (!ls.push(l, c.id)) return TcpCounter.AcceptQueueFullAck;
        ls.addSyn(l, -1);
        c.inAcceptQueue = true;
        if (ls.queueLength(l) === 1) this.#post(TcpEvent.AcceptReady, l);
      } else {
        this.#post(TcpEvent.Established, c.id);
      }
      c.sndWnd = window << c.sndScale;
      c.sndWl1 = seq;
      c.sndWl2 = ack;
      this.#ackAdvance(c, ack);
      this.#establish(c);
    } else {
      if (seqGt(ack, c.sndMax)) {
        c.ackNow = true;
        return TcpCounter.AckUnsent;
      }
      const wnd = window << c.sndScale;
      if (seqGt(ack, c.sndUna)) {
        this.#ackAdvance(c, ack);
      } else if (
        ack === c.sndUna && pLen === 0 && (flags & FIN) === 0 && wnd === c.sndWnd &&
        c.sndMax !== c.sndUna
      ) {
        this.#dupAck(c);
      }
      if (seqLt(c.sndWl1, seq) || (c.sndWl1 === seq && seqLeq(c.sndWl2, ack))) {
        c.sndWnd = wnd;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
      }
      if (!this.table.isUsed(c.id) || c.state === TcpState.Closed) return TCP_OK;
    }
    // 5. Data. Trim to the window first.
    let s = seq;
    let o = pOff;
    let n = pLen;
    let fin = (flags & FIN) !== 0;
    if (d < 0) {
      const skip = -d;
      if (skip >= n) {
        if (skip > n) fin = false; // the FIN was already received
        o += n;
        n = 0;
      } else {
        o += skip;
        n -= skip;
      }
      s = c.rcvNxt;
    }
    const room = free - seqDiff(s, c.rcvNxt);
    if (n > room) {
      n = room > 0 ? room : 0;
      fin = false;
      c.ackNow = true; // tell the sender where our window ends
    }
    const st = c.state;
    const canReceive = st === TcpState.Established || st === TcpState.FinWait1 ||
      st === TcpState.FinWait2;
    if (n > 0 && c.appClosed && seqGt(seqAdd(s, n), c.rcvNxt)) {
      // Nobody will read it: reset, as Linux does for data after close().
      this.#sendRstFor(c);
      this.#release(c);
      return TcpCounter.AfterClose;
    }
    if (n > 0 || fin) {
      if (!canReceive) {
        if (seqGeq(s, c.rcvNxt)) return TcpCounter.AfterClose;
      } else if (n > 0) {
        if (s === c.rcvNxt) {
          this.#deliver(c, bytes, o, n);
          this.#count(TcpCounter.DataSegmentsIn);
        } else {
          c.ackNow = true; // duplicate ACK tells the sender where the hole is (RFC 5681 §4.2)
          if (!this.#insertOoo(c, bytes, o, n, s)) return TcpCounter.OutOfOrderFull;
          this.#count(TcpCounter.OutOfOrderQueued);
          this.#count(TcpCounter.DataSegmentsIn);
        }
      }
      // 6. FIN, once every byte before it arrived; an early FIN waits for the gap to fill.
      if (canReceive && fin) {
        const finSeq = seqAdd(s, n);
        if (finSeq === c.rcvNxt) this.#peerFin(c);
        else if (seqGt(finSeq, c.rcvNxt)) {
          c.oooFin = true;
          c.oooFinSeq = finSeq;
          c.ackNow = true;
        }
      }
    }
    if (c.oooFin && !c.finReceived && canReceive && c.oooFinSeq === c.rcvNxt) this.#peerFin(c);
    return TCP_OK;
  }

  // ---------------------------------------------------------------- helpers: receive side

  #deliver(c: TcpConn, bytes: Uint8Array, o: number, n: number): void {
    if (c.rcvLen + n > c.rcvBuf.length) this.#growRcv(c, c.rcvLen + n);
    const size = c.rcvBuf.length;
    const wasEmpty = c.rcvLen === 0;
    const pos = (c.rcvHead + c.rcvLen) % size;
    const first = Math.min(n, size - pos);
    copyBytes(c.rcvBuf, pos, bytes, o, first);
    if (first < n) copyBytes(c.rcvBuf, 0, bytes, o + first, n - first);
    c.rcvLen += n;
    c.rcvNxt = seqAdd(c.rcvNxt, n);
    let delivered = n;
    const r = c.ooo;
    const holes = c.oooCount;
    while (c.oooCount > 0 && seqLeq(r[0] ?? 0, c.rcvNxt)) {
      const end = r[1] ?? 0;
      if (seqGt(end, c.rcvNxt)) {
        const more = seqDiff(end, c.rcvNxt);
        c.rcvLen += more;
        delivered += more;
        c.rcvNxt = end;
      }
      r.copyWithin(0, 2, 2 * c.oooCount);
      c.oooCount--;
    }
    this.#add(TcpCounter.BytesDelivered, delivered);
    // Delayed ACK (RFC 5681 §4.2): at once in quick-ACK mode, on every second segment, or when
    // a gap was filled; otherwise after the delayed-ACK time.
    if (c.quickAcksLeft > 0) {
      c.quickAcksLeft--;
      c.ackNow = true;
    } else if (c.oooCount < holes || ++c.ackPending >= 2) c.ackNow = true;
    else this.#delayAck(c);
    if (wasEmpty && c.appOwned) this.#post(TcpEvent.Readable, c.id);
  }

  /** Stores out-of-order bytes at their ring offset and records the range; false when full. */
  #insertOoo(c: TcpConn, bytes: Uint8Array, o: number, n: number, s: number): boolean {
    const r = c.ooo;
    const count = c.oooCount;
    const e = seqAdd(s, n);
    let i = 0;
    while (i < count && seqLt(r[2 * i + 1] ?? 0, s)) i++;
    let j = i;
    let ns = s;
    let ne = e;
    while (j < count && seqLeq(r[2 * j] ?? 0, e)) {
      const a = r[2 * j] ?? 0;
      const b = r[2 * j + 1] ?? 0;
      if (seqLt(a, ns)) ns = a;
      if (seqGt(b, ne)) ne = b;
      j++;
    }
    const merged = j - i;
    if (merged === 0 && count * 2 >= r.length) return false;
    const at = c.rcvLen + seqDiff(s, c.rcvNxt);
    if (at + n > c.rcvBuf.length) this.#growRcv(c, at + n);
    const size = c.rcvBuf.length;
    const pos = (c.rcvHead + at) % size;
    const first = Math.min(n, size - pos);
    copyBytes(c.rcvBuf, pos, bytes, o, first);
    if (first < n) copyBytes(c.rcvBuf, 0, bytes, o + first, n - first);
    if (merged === 0) r.copyWithin(2 * i + 2, 2 * i, 2 * count);
    else if (merged > 1) r.copyWithin(2 * i + 2, 2 * j, 2 * count);
    r[2 * i] = ns;
    r[2 * i + 1] = ne;
    c.oooCount = count - merged + 1;
    return true;
  }

  /** Acknowledges after the delayed-ACK time (at once when it is 0). */
  #delayAck(c: TcpConn): void {
    if (this.config.delayedAckNs === 0) c.ackNow = true;
    else if (c.ackDeadlineNs < 0) {
      c.ackDeadlineNs = this.#now + this.config.delayedAckNs;
      this.#queueTimer(c.id + this.table.capacity, c.ackDeadlineNs);
    }
  }

  #peerFin(c: TcpConn): void {
    c.oooFin = false;
    c.rcvNxt = seqAdd(c.rcvNxt, 1);
    c.finReceived = true;
    if (c.appOwned) this.#post(TcpEvent.PeerClosed, c.id);
    switch (c.state) {
      case TcpState.Established:
        // The application will likely answer with its own FIN: delay the ACK so the FIN carries
        // it (Linux enters ping-pong mode on a FIN in ESTABLISHED, tcp_fin).
        c.state = TcpState.CloseWait;
        this.#delayAck(c);
        return;
      case TcpState.FinWait1:
        c.ackNow = true;
        c.state = TcpState.Closing; // our FIN is unacknowledged (else we would be in FIN-WAIT-2)
        break;
      case TcpState.FinWait2:
        c.ackNow = true;
        this.#enterTimeWait(c);
        break;
    }
  }

  // ---------------------------------------------------------------- helpers: send side

  #ackAdvance(c: TcpConn, ack: number): void {
    const acked = seqDiff(ack, c.sndUna);
    if (acked <= 0) return;
    let data = acked;
    if (seqLt(c.sndUna, seqAdd(c.iss, 1))) data--; // our SYN
    if (data > c.sndLen) data = c.sndLen; // the rest is our FIN
    const finAcked = c.finQueued && seqGt(ack, this.#finSeq(c));
    if (data > 0) {
      c.sndHead = (c.sndHead + data) % c.sndBuf.length;
      c.sndLen -= data;
    }
    c.sndUna = ack;
    if (seqLt(c.sndNxt, ack)) c.sndNxt = ack;
    c.dupAcks = 0;
    c.retries = 0;
    if (c.rttStartNs >= 0 && seqGt(ack, c.rttSeq)) {
      this.#rttSample(c, this.#now - c.rttStartNs);
      c.rttStartNs = -1;
    }
    if (c.inRecovery) {
      const mss = c.sendMss;
      if (seqGeq(ack, c.recover)) {
        // Full ACK: leave fast recovery with the window deflated (RFC 6582 §3.2 step 3).
        c.inRecovery = false;
        c.cwnd = Math.min(c.ssthresh, Math.max(seqDiff(c.sndMax, ack), 0) + mss);
      } else {
        // Partial ACK: the next hole is lost too; resend it and deflate by what was acked.
        c.cwnd = Math.max(c.cwnd - acked, 0) + mss;
        this.#retransmitFirst(c);
      }
    } else if (c.state >= TcpState.Established) {
      const mss = c.sendMss;
      if (c.cwnd < c.ssthresh) c.cwnd += Math.min(data, mss);
      else c.cwnd += Math.max(1, Math.floor((mss * mss) / c.cwnd));
    }
    if (c.timerKind === TimerKind.Retransmit || c.timerKind === TimerKind.Persist) {
      this.#disarm(c);
      if (c.sndUna !== c.sndMax) this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    }
    if (c.sndBlocked && data > 0 && c.appOwned) {
      c.sndBlocked = false;
      this.#post(TcpEvent.Writable, c.id);
    }
    if (finAcked) {
      switch (c.state) {
        case TcpState.FinWait1:
          c.state = TcpState.FinWait2;
          break;
        case TcpState.Closing:
          this.#enterTimeWait(c);
          break;
        case TcpState.LastAck:
          c.state = TcpState.Closed;
          this.#post(TcpEvent.Closed, c.id);
          this.#release(c);
          break;
      }
    }
  }

  /** Sequence number of our FIN (valid when `finQueued`). */
  #finSeq(c: TcpConn): number {
    return seqAdd(c.sndUna, c.sndLen + (seqLt(c.sndUna, seqAdd(c.iss, 1)) ? 1 : 0));
  }

  /** A duplicate ACK: fast retransmit at the threshold, window inflation in recovery. */
  #dupAck(c: TcpConn): void {
    this.#count(TcpCounter.DuplicateAcks);
    c.dupAcks++;
    const mss = c.sendMss;
    if (c.inRecovery) {
      c.cwnd += mss; // each duplicate ACK means a segment left the network (RFC 6582 §3.2)
      return;
    }
    const th = this.config.dupAckThreshold;
    if (th === 0 || c.dupAcks !== th || c.sndLen === 0) return;
    const flight = seqDiff(c.sndMax, c.sndUna);
    c.ssthresh = Math.max(flight >>> 1, 2 * mss);
    c.cwnd = c.ssthresh + th * mss;
    c.inRecovery = true;
    c.recover = c.sndMax;
    this.#count(TcpCounter.FastRetransmits);
    this.#retransmitFirst(c);
  }

  /** Sends the oldest unacknowledged segment again (fast retransmit, partial ACK). */
  #retransmitFirst(c: TcpConn): void {
    const n = Math.min(c.sendMss, c.sndLen);
    if (n <= 0) return;
    c.rttStartNs = -1; // Karn
    this.#count(TcpCounter.Retransmits);
    this.#emit(c, c.sndUna, ACK | PSH, c.sndHead, n, false);
  }

  /** Sends what the windows allow, then a pure ACK if one is still owed. */
  #output(c: TcpConn): void {
    const st = c.state;
    if (
      st === TcpState.Established || st === TcpState.CloseWait || st === TcpState.FinWait1 ||
      st === TcpState.Closing || st === TcpState.LastAck
    ) {
      const size = c.sndBuf.length;
      const wnd = c.sndWnd < c.cwnd ? c.sndWnd : c.cwnd;
      for (;;) {
        const inFlight = seqDiff(c.sndNxt, c.sndUna);
        const unsent = c.sndLen - inFlight;
        if (unsent > 0) {
          const usable = wnd - inFlight;
          let n = unsent < usable ? unsent : usable;
          if (n > c.sendMss) n = c.sendMss;
          if (n <= 0) break;
          const fin = c.finQueued && n === unsent;
          const flags = ACK | (n === unsent ? PSH : 0) | (fin ? FIN : 0);
          const seq = c.sndNxt;
          const fresh = seqDiff(seqAdd(seq, n), c.sndMax); // bytes never sent before
          if (seqLt(seq, c.sndMax)) this.#count(TcpCounter.Retransmits);
          if (fresh > 0) this.#add(TcpCounter.BytesSent, fresh < n ? fresh : n);
          if (c.rttStartNs < 0 && !seqLt(seq, c.sndMax)) {
            c.rttSeq = seq;
            c.rttStartNs = this.#now;
          }
          this.#emit(c, seq, flags, (c.sndHead + inFlight) % size, n, false);
          c.sndNxt = seqAdd(seq, n + (fin ? 1 : 0));
          if (seqGt(c.sndNxt, c.sndMax)) c.sndMax = c.sndNxt;
          continue;
        }
        if (unsent === 0 && c.finQueued) {
          if (seqLt(c.sndNxt, c.sndMax)) this.#count(TcpCounter.Retransmits);
          this.#emit(c, c.sndNxt, ACK | FIN, 0, 0, false);
          c.sndNxt = seqAdd(c.sndNxt, 1);
          if (seqGt(c.sndNxt, c.sndMax)) c.sndMax = c.sndNxt;
        }
        break;
      }
      if (c.sndNxt !== c.sndUna) {
        if (c.timerKind !== TimerKind.Retransmit) this.#arm(c, TimerKind.Retransmit, c.rtoNs);
      } else if (c.sndLen > 0 && c.sndWnd === 0 && c.timerKind === TimerKind.None) {
        this.#arm(c, TimerKind.Persist, c.rtoNs);
      }
    }
    if (c.ackNow && st !== TcpState.SynSent && st !== TcpState.Closed) {
      if (st === TcpState.SynReceived) this.#sendSyn(c, true);
      else this.#emit(c, c.sndMax, ACK, 0, 0, false);
    }
  }

  #sendSyn(c: TcpConn, withAck: boolean): void {
    this.#emit(c, c.iss, withAck ? SYN | ACK : SYN, 0, 0, true);
  }

  /** Sends RST for connection `c` (abort, close with unread data). */
  #sendRstFor(c: TcpConn): void {
    this.#emit(c, c.sndMax, RST | ACK, 0, 0, false);
    this.#count(TcpCounter.RstSent);
  }

  /** RST answering a segment (RFC 9293 §3.10.7.1). */
  #rstReply(
    srcIp: number,
    dstIp: number,
    srcPort: number,
    dstPort: number,
    segSeq: number,
    segAck: number,
    segFlags: number,
    segLen: number,
  ): void {
    if ((segFlags & ACK) !== 0) {
      this.#write(-1, srcIp, dstIp, srcPort, dstPort, segAck, 0, RST, 0, null, 0, 0, false, 0, -1);
    } else {
      const ack = seqAdd(segSeq, segLen);
      this.#write(
        -1,
        srcIp,
        dstIp,
        srcPort,
        dstPort,
        0,
        ack,
        RST | ACK,
        0,
        null,
        0,
        0,
        false,
        0,
        -1,
      );
    }
    this.#count(TcpCounter.RstSent);
  }

  /** Emits a segment of connection `c`: `n` payload bytes from send-ring index `pos`. */
  #emit(c: TcpConn, seq: number, flags: number, pos: number, n: number, syn: boolean): void {
    const field = this.#windowField(c);
    // The window of a SYN or SYN-ACK is never scaled (RFC 7323 §2.2).
    const win = syn ? Math.min(this.config.rcvBuffer - c.rcvLen, MAX_WINDOW_FIELD) : field;
    const ack = (flags & ACK) !== 0 ? c.rcvNxt : 0;
    const ours = this.config.windowScale;
    const ws = syn && ours >= 0 && ((flags & ACK) === 0 || c.wsOk) ? ours : -1;
    if (
      this.#write(
        c.id,
        c.localIp,
        c.remoteIp,
        c.localPort,
        c.remotePort,
        seq,
        ack,
        flags,
        win,
        c.sndBuf,
        pos,
        n,
        syn,
        syn ? this.config.mss : 0,
        ws,
      ) && (flags & ACK) !== 0
    ) {
      c.ackNow = false;
      c.ackPending = 0;
      c.ackDeadlineNs = NO_DEADLINE; // its heap entry goes stale
      if (!syn) c.rcvAdvEdge = seqAdd(c.rcvNxt, field << c.rcvScale);
      else c.rcvAdvEdge = seqAdd(c.rcvNxt, win);
    }
  }

  /** Writes one segment into the TX batch; false when the batch is full (counted). */
  #write(
    connId: number,
    srcIp: number,
    dstIp: number,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
    ring: Uint8Array | null,
    pos: number,
    n: number,
    synOptions: boolean,
    mss: number,
    wscale: number,
  ): boolean {
    const ok = this.tx.writeSegment(
      connId,
      srcIp,
      dstIp,
      srcPort,
      dstPort,
      seq,
      ack,
      flags,
      window,
      ring,
      pos,
      n,
      synOptions ? mss : -1,
      wscale,
    );
    this.#count(ok ? TcpCounter.SegmentsOut : TcpCounter.TxRingFull);
    return ok;
  }

  /** Window field we advertise now (scaled down, capped at 65535). */
  #windowField(c: TcpConn): number {
    const w = (this.config.rcvBuffer - c.rcvLen) >>> c.rcvScale;
    return w > MAX_WINDOW_FIELD ? MAX_WINDOW_FIELD : w;
  }

  // ---------------------------------------------------------------- helpers: lifecycle

  #initConn(c: TcpConn): void {
    const cfg = this.config;
    // Rings kept from the slot's previous connection are reused; new ones start small.
    if (c.sndBuf.length === 0) {
      c.sndBuf = new Uint8Array(Math.min(cfg.initialBuffer, cfg.sndBuffer));
    }
    if (c.rcvBuf.length === 0) {
      c.rcvBuf = new Uint8Array(Math.min(cfg.initialBuffer, cfg.rcvBuffer));
    }
    if (c.ooo.length !== 2 * cfg.oooRanges) c.ooo = new Uint32Array(2 * cfg.oooRanges);
    c.rtoNs = cfg.initialRtoNs;
    c.sendMss = cfg.defaultPeerMss;
    c.ssthresh = 1 << 30;
  }

  /** Grows the receive ring to hold `need` bytes from its head (out-of-order bytes kept). */
  #growRcv(c: TcpConn, need: number): void {
    c.rcvBuf = growRing(c.rcvBuf, c.rcvHead, need, this.config.rcvBuffer);
    c.rcvHead = 0;
  }

  /** Applies the options of a received SYN (parsed into `#opts`) and its window. */
  #applySynOptions(c: TcpConn, window: number, seq: number, ack: number): void {
    const o = this.#opts;
    const ours = this.config.windowScale;
    c.wsOk = o.windowScale >= 0 && ours >= 0;
    if (o.windowScale >= 0 && ours >= 0) {
      c.sndScale = o.windowScale > 14 ? 14 : o.windowScale;
      c.rcvScale = ours;
    } else {
      c.sndScale = 0;
      c.rcvScale = 0;
    }
    const peerMss = o.mss > 0 ? o.mss : this.config.defaultPeerMss;
    c.sendMss = Math.max(1, Math.min(peerMss, this.config.mss));
    c.cwnd = Math.min(10 * c.sendMss, Math.max(2 * c.sendMss, 14600)); // RFC 6928 §2
    c.sndWnd = window; // never scaled in a SYN (RFC 7323 §2.2)
    c.sndWl1 = seq;
    c.sndWl2 = ack;
  }

  #establish(c: TcpConn): void {
    c.state = TcpState.Established;
    c.retries = 0;
    this.#disarm(c);
    if (c.sndNxt !== c.sndUna) this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    this.#count(TcpCounter.Established);
    c.quickAcksLeft = this.config.quickAcks;
    if (c.finQueued) c.state = TcpState.FinWait1; // shut down before the handshake ended
  }

  #enterTimeWait(c: TcpConn): void {
    c.state = TcpState.TimeWait;
    this.#disarm(c);
    this.#post(TcpEvent.Closed, c.id);
    if (this.config.timeWaitNs === 0) {
      this.#count(TcpCounter.TimeWaitExpired);
      this.#release(c);
    } else this.#arm(c, TimerKind.TimeWait, this.config.timeWaitNs);
  }

  /** Ends a connection abnormally (reset, timeout): the application sees `error`. */
  #abortConn(c: TcpConn, why: number): void {
    const wasEmbryonic = c.state === TcpState.SynReceived && c.listener >= 0;
    this.#disarm(c);
    if (wasEmbryonic) {
      this.#release(c);
      return;
    }
    c.state = TcpState.Closed;
    c.error = why;
    if (c.appOwned) this.#post(why, c.id);
    if (!c.appOwned && !c.inAcceptQueue) this.#release(c);
  }

  /** Frees the slot of `c` (keeps the listener's SYN count right). */
  #release(c: TcpConn): void {
    c.ackDeadlineNs = NO_DEADLINE;
    if (c.state === TcpState.SynReceived && c.listener >= 0) {
      this.#listeners.addSyn(c.listener, -1);
    }
    this.#disarm(c);
    this.table.remove(c.id);
  }

  #onTimer(c: TcpConn, kind: number): void {
    if (kind === TimerKind.TimeWait) {
      this.#count(TcpCounter.TimeWaitExpired);
      this.#release(c);
      return;
    }
    const cfg = this.config;
    c.rtoNs = Math.min(c.rtoNs * 2, cfg.maxRtoNs);
    if (kind === TimerKind.Persist) {
      c.retries++;
      this.#count(TcpCounter.WindowProbes);
      // A segment one below SND.UNA is out of window for the peer, which answers with an ACK
      // carrying its current window (Linux tcp_xmit_probe_skb).
      this.#emit(c, seqAdd(c.sndUna, -1), ACK, 0, 0, false);
      if (c.sndLen > 0 && c.sndWnd === 0) this.#arm(c, TimerKind.Persist, c.rtoNs);
      return;
    }
    this.#count(TcpCounter.RtoExpired);
    const syn = c.state === TcpState.SynSent || c.state === TcpState.SynReceived;
    if (c.retries >= (syn ? cfg.synRetries : cfg.dataRetries)) {
      this.#count(TcpCounter.Timeouts);
      this.#abortConn(c, TcpEvent.TimedOut);
      return;
    }
    c.retries++;
    c.rttStartNs = -1; // Karn: no samples from retransmitted segments
    if (syn) {
      this.#count(TcpCounter.Retransmits);
      this.#sendSyn(c, c.state === TcpState.SynReceived);
      this.#arm(c, TimerKind.Retransmit, c.rtoNs);
      return;
    }
    const mss = c.sendMss;
    c.ssthresh = Math.max(seqDiff(c.sndMax, c.sndUna) >>> 1, 2 * mss);
    c.cwnd = mss;
    c.dupAcks = 0;
    c.inRecovery = false;
    c.sndNxt = c.sndUna; // go back N
    if (c.sndWnd === 0 && c.sndLen > 0) {
      // The peer closed its window after our last send: probe instead of resending.
      this.#arm(c, TimerKind.Persist, c.rtoNs);
      return;
    }
    const wndSave = c.sndWnd;
    if (c.sndWnd < mss) c.sndWnd = mss; // the oldest segment goes out whatever the window
    this.#output(c);
    c.sndWnd = wndSave;
    if (c.timerKind === TimerKind.None && c.sndNxt !== c.sndUna) {
      this.#arm(c, TimerKind.Retransmit, c.rtoNs);
    }
  }

  #rttSample(c: TcpConn, r: number): void {
    const cfg = this.config;
    if (c.srttNs < 0) {
      c.srttNs = r;
      c.rttvarNs = r / 2;
    } else {
      c.rttvarNs = 0.75 * c.rttvarNs + 0.25 * Math.abs(c.srttNs - r);
      c.srttNs = 0.875 * c.srttNs + 0.125 * r;
    }
    const rto = Math.round(c.srttNs + Math.max(cfg.clockGranularityNs, 4 * c.rttvarNs));
    c.rtoNs = Math.min(Math.max(rto, cfg.minRtoNs), cfg.maxRtoNs);
  }

  #arm(c: TcpConn, kind: number, afterNs: number): void {
    c.timerKind = kind;
    c.deadlineNs = this.#now + afterNs;
    this.#queueTimer(c.id, c.deadlineNs);
  }

  #disarm(c: TcpConn): void {
    c.deadlineNs = NO_DEADLINE;
    c.timerKind = TimerKind.None;
  }

  #count(code: number): void {
    this.counters[code] = (this.counters[code] ?? 0) + 1;
  }

  #add(code: number, n: number): void {
    this.counters[code] = (this.counters[code] ?? 0) + n;
  }

  #post(code: number, id: number): void {
    if (!this.events.push(code, id)) this.#count(TcpCounter.EventRingFull);
  }

  #owned(id: number, what: string): TcpConn {
    const c = this.table.conns[id];
    if (c === undefined || !this.table.isUsed(id) || !c.appOwned) {
      throw new Error(
        `Cannot ${what} connection ${id}: the application holds no such connection (never opened, accepted, or already closed)`,
      );
    }
    return c;
  }

  #checkListener(id: number): void {
    if (!this.#listeners.isOpen(id)) {
      throw new RangeError(`Unknown TCP listener ${id}: listen() returns the ids in use`);
    }
  }

  /** One line describing connection `id` (state and sequence variables), for tools and tests. */
  describe(id: number): string {
    const c = this.table.conns[id];
    if (c === undefined || !this.table.isUsed(id)) return `conn ${id}: free`;
    return `conn ${id}: ${tcpStateName(c.state)} una=${c.sndUna} nxt=${c.sndNxt} max=${c.sndMax} ` +
      `wnd=${c.sndWnd} cwnd=${c.cwnd} rcv.nxt=${c.rcvNxt} rcvLen=${c.rcvLen} ooo=${c.oooCount} ` +
      `rto=${c.rtoNs} timer=${c.timerKind}@${c.deadlineNs}`;
  }
}
