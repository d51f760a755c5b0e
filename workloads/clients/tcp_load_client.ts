/**
 * A client machine that drives load over real TCP connections: its own {@link TcpEngine} (the
 * lab's TCP, on the simulator's clock, its timers driven by simulator events), one connection per
 * flow with the flow's explicit 4-tuple (fixed source port), the handshake first (not timed as a
 * transaction), then closed-loop (N requests pipelined per connection) or open-loop requests over
 * the byte stream, replies found in request order and every one checked by the protocol.
 *
 * Timeline: at `startNs` every connection sends its SYN. When a connection is established it
 * sends its protocol's warm-up load (memcached sets of its keys) with `loadDepth` pipelined,
 * then its traffic. Requests whose intended send time lies in [`measureStartNs`,
 * `measureEndNs`) are measured, latency from the intended send time; no new request is issued
 * from `measureEndNs` on.
 *
 * TCP does not lose requests, so there is no request timeout: a request is either answered, or
 * still outstanding when the report is made, or on a connection that broke (reset, timed out,
 * or a reply out of step, which aborts the connection), each counted. Client CPU is not
 * modelled (as in {@link LoadClient}).
 *
 * Counters beyond {@link LoadClientReport}: `connectionsEstablished`, `connectionsBroken`, and
 * the client engine's non-zero TCP counters (`tcp`, e.g. retransmits, SYNs retried after an
 * accept-queue overflow on the server).
 *
 * @module
 */
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason, REASON_COUNT } from "../../stack/packet/reason.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../stack/packet/verify.ts";
import { TcpEngine } from "../../stack/protocols/tcp/engine.ts";
import type { TcpConfig } from "../../stack/protocols/tcp/config.ts";
import { tcpCountersRecord } from "../../stack/protocols/tcp/counters.ts";
import { TcpEvent } from "../../stack/protocols/tcp/state.ts";
import { writeSegmentFrame } from "../../stack/protocols/tcp/frame.ts";
import type { LatencyRecorder } from "../metrics/latency_recorder.ts";
import { ClassRecorders } from "./_class_recorders.ts";
import { ArrivalSchedule, interArrivalSampler } from "./arrivals.ts";
import {
  checkCount,
  classReport,
  type ClassTotals,
  inc,
  reasonCounts,
  sumProtocolCounters,
} from "./_client_common.ts";
import { checkPort, type FlowSpec } from "./flow.ts";
import type { ClientMachineOptions, LoadClientReport } from "./load_client.ts";
import { ReplyStatus, type ReplyStatusCode } from "./protocol.ts";
import type { StreamProtocol } from "./stream_protocol.ts";
import {
  CLIENT_CLASS_NAMES,
  type ClientClassCode,
  type ClientNetHost,
  type ClientSim,
  type ClientTestbed,
  type ClientTransmit,
} from "./types.ts";

/** Options of a {@link TcpLoadClient}. */
export interface TcpLoadClientOptions extends ClientMachineOptions {
  /** Makes the protocol of connection `index` (one TCP connection each). */
  readonly protocol: (index: number, flow: FlowSpec) => StreamProtocol;
  /** Knobs of the client's TCP engine (default the engine's). */
  readonly tcp?: TcpConfig;
}

/** What a TCP client reports: the UDP client's report plus connection and TCP counters. */
export interface TcpLoadClientReport extends LoadClientReport {
  /** Connections whose handshake completed. */
  readonly connectionsEstablished: number;
  /** Connections that broke (reset, timed out, reply out of step). */
  readonly connectionsBroken: number;
  /** The client engine's non-zero TCP counters by name. */
  readonly tcp: Readonly<Record<string, number>>;
}

const NCLASS = 2;
const RX_INITIAL = 8192;
const TX_RESERVE = 70_000;

/** Per-connection state (monomorphic, one per flow). */
class Conn {
  id = -1;
  established = false;
  broken = false;
  loadDone = false;
  trafficOn = false;
  outstanding = 0;
  head = 0;
  sent = 0;
  completedInWindow = 0;
  errors = 0;
  backlogHead = 0;
  backlogCount = 0;
  rx: Uint8Array = new Uint8Array(RX_INITIAL);
  rxLen = 0;
  tx: Uint8Array = new Uint8Array(TX_RESERVE);
  txLen = 0;
  constructor(
    readonly index: number,
    readonly flow: FlowSpec,
    readonly protocol: StreamProtocol,
    readonly schedule: ArrivalSchedule | null,
    readonly intended: Float64Array,
  ) {}
}

/** A client machine on the testbed driving a stream protocol over its own TCP engine. */
export class TcpLoadClient implements ClientNetHost {
  /** Host name. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address. */
  readonly ip: number;
  /** The client's TCP engine. */
  readonly engine: TcpEngine;

  readonly #sim: ClientSim;
  readonly #pool: BufferPool;
  readonly #tx: ClientTransmit;
  readonly #opts: TcpLoadClientOptions;
  readonly #conns: Conn[] = [];
  readonly #byId: Int32Array;
  readonly #slots: number;
  readonly #depth: number;
  readonly #loadDepth: number;
  readonly #backlogCap: number;
  readonly #backlog: Float64Array;
  readonly #owner: number;
  readonly #startNs: number;
  readonly #mStart: number;
  readonly #mEnd: number;
  readonly #sentBy = new Float64Array(NCLASS);
  readonly #completedBy = new Float64Array(NCLASS);
  readonly #inWindowBy = new Float64Array(NCLASS);
  readonly #errorsBy = new Float64Array(NCLASS);
  readonly #missesBy = new Float64Array(NCLASS);
  readonly #latency: ClassRecorders;
  readonly #info = new FrameInfo();
  readonly #rxBad = new Float64Array(REASON_COUNT);
  readonly #frameSpec: { srcMac: Uint8Array; dstMac: Uint8Array };
  #rxUnknown = 0;
  #garbled = 0;
  #skipped = 0;
  #txDrops = 0;
  #noBuffer = 0;
  #loadErrors = 0;
  #loadPending = 0;
  #loadFinishedNs = -1;
  #established = 0;
  #broken = 0;
  #timerAt = -1;
  readonly #evStart: number;
  readonly #evArrival: number;
  readonly #evTimer: number;
  #started = false;
  #destroyed = false;

  /** Creates the client and attaches it to the testbed; call {@link TcpLoadClient.start} next. */
  constructor(testbed: ClientTestbed, opts: TcpLoadClientOptions) {
    this.name = opts.name;
    this.mac = opts.mac;
    this.ip = opts.ip >>> 0;
    this.#opts = opts;
    this.#sim = testbed.sim;
    this.#pool = testbed.pool;
    const sim = this.#sim;
    const loop = opts.loop;
    if (loop.mode === "closed") {
      this.#depth = checkCount(
        `TCP client "${opts.name}" closed-loop outstanding`,
        loop.outstanding,
      );
      this.#backlogCap = 1;
    } else {
      this.#depth = checkCount(
        `TCP client "${opts.name}" open-loop maxOutstanding`,
        loop.maxOutstanding ?? 64,
      );
      this.#backlogCap = checkCount(
        `TCP client "${opts.name}" open-loop backlogLimit`,
        loop.backlogLimit ?? 4096,
        1 << 20,
      );
    }
    this.#loadDepth = checkCount(`TCP client "${opts.name}" loadDepth`, opts.loadDepth ?? 4);
    let slots = 1;
    while (slots < Math.max(this.#depth, this.#loadDepth)) slots <<= 1;
    this.#slots = slots;
    this.#owner = opts.owner ?? 0;
    this.#startNs = opts.startNs ?? 0;
    this.#mStart = opts.measureStartNs;
    this.#mEnd = opts.measureEndNs;
    if (
      !Number.isInteger(this.#startNs) || this.#startNs < 0 ||
      !Number.isInteger(this.#mStart) || !Number.isInteger(this.#mEnd) ||
      !(this.#startNs <= this.#mStart && this.#mStart < this.#mEnd)
    ) {
      throw new RangeError(
        `TCP client "${opts.name}" times start ${this.#startNs}, measure ${this.#mStart}..${this.#mEnd} ns are invalid: must be integers with 0 <= start <= measureStart < measureEnd`,
      );
    }
    if (opts.flows.length === 0) {
      throw new RangeError(`TCP client "${opts.name}" has no flows: give at least one connection`);
    }
    this.engine = new TcpEngine({ ...opts.tcp, clock: () => sim.now });
    if (opts.flows.length > this.engine.config.maxConnections) {
      throw new RangeError(
        `TCP client "${opts.name}" has ${opts.flows.length} flows: the engine holds ${this.engine.config.maxConnections} connections ("maxConnections")`,
      );
    }
    this.#byId = new Int32Array(this.engine.config.maxConnections).fill(-1);
    const n = opts.flows.length;
    this.#backlog = new Float64Array(loop.mode === "open" ? n * this.#backlogCap : 0);
    const sampler = loop.mode === "open"
      ? interArrivalSampler(loop.interArrival ?? "exponential", loop.ratePerSecond / n)
      : null;
    const seen = new Set<number>();
    opts.flows.forEach((flow, i) => {
      checkPort(`TCP client "${opts.name}" source port`, flow.srcPort);
      checkPort(`TCP client "${opts.name}" server port`, flow.dstPort);
      if (seen.has(flow.srcPort)) {
        throw new RangeError(
          `TCP client "${opts.name}" source port ${flow.srcPort} is used twice: one connection per port`,
        );
      }
      seen.add(flow.srcPort);
      const schedule = sampler === null ? null : new ArrivalSchedule(
        sampler,
        testbed.streams.stream(`client.${opts.name}.arrivals`, i),
        0,
      );
      this.#conns.push(
        new Conn(i, flow, opts.protocol(i, flow), schedule, new Float64Array(this.#slots)),
      );
    });
    this.#frameSpec = { srcMac: opts.mac, dstMac: (opts.flows[0] as FlowSpec).dstMac };
    const mode = opts.histogramMode ?? "wasm";
    this.#latency = new ClassRecorders(NCLASS, opts.flows.map((f) => f.clientClass), mode);
    this.#evStart = sim.on(`client.${opts.name}.tcp-start`, () => this.#begin());
    this.#evArrival = sim.on(`client.${opts.name}.tcp-arrival`, (c, t) => this.#arrival(c, t));
    this.#evTimer = sim.on(`client.${opts.name}.tcp-timer`, () => this.#timer());
    this.#tx = testbed.attach(this);
  }

  /** Schedules the connections' opening at `startNs` (once; a second call throws). */
  start(): void {
    if (this.#started) {
      throw new Error(`TCP client "${this.name}" was already started: call start() once`);
    }
    this.#started = true;
    this.#sim.at(Math.max(this.#startNs, this.#sim.now), this.#evStart);
  }

  /** Latency recorders (class order, then overall); owned by this client. */
  recorders(): { readonly byClass: readonly LatencyRecorder[]; readonly overall: LatencyRecorder } {
    return { byClass: this.#latency.byClass, overall: this.#latency.overall };
  }

  /** A frame arrived: parse and verify it, feed its segment to the engine, then act on events. */
  receive(buf: number, len: number): void {
    const pool = this.#pool;
    const bytes = pool.bytes;
    const info = this.#info;
    const r = parseFrame(bytes, pool.start[buf] ?? 0, len, info) ||
      verifyIpv4HeaderChecksum(bytes, info) || verifyL4Checksum(bytes, info);
    if (r !== Reason.Ok) {
      this.#rxBad[r] = (this.#rxBad[r] ?? 0) + 1;
    } else if (info.ipProto !== 6 || (info.ipDst >>> 0) !== this.ip) {
      this.#rxUnknown++;
    } else {
      this.engine.inputFrame(bytes, info);
    }
    pool.free(buf, pool.owner[buf] ?? 0);
    this.#settle();
  }

  /** Handles engine events, transmits emitted segments and re-arms the engine timer. */
  #settle(): void {
    const ev = this.engine.events;
    while (ev.shift()) {
      const ci = ev.code === TcpEvent.AcceptReady ? -1 : this.#byId[ev.id] ?? -1;
      const conn = ci >= 0 ? this.#conns[ci] : undefined;
      if (conn === undefined || conn.broken) continue;
      switch (ev.code) {
        case TcpEvent.Established:
          conn.established = true;
          this.#established++;
          this.#onEstablished(conn);
          break;
        case TcpEvent.Readable:
          this.#read(conn);
          break;
        case TcpEvent.Writable:
          this.#flush(conn);
          break;
        case TcpEvent.PeerClosed:
        case TcpEvent.Reset:
        case TcpEvent.TimedOut:
          this.#break(conn, false);
          break;
        default:
          break;
      }
    }
    this.#drain();
    const d = this.engine.nextDeadline();
    if (d >= 0 && (this.#timerAt < 0 || d < this.#timerAt)) {
      this.#timerAt = d;
      this.#sim.at(Math.max(Math.ceil(d), this.#sim.now), this.#evTimer);
    }
  }

  #timer(): void {
    if (this.#timerAt > this.#sim.now) return; // an earlier arming's event; the later one is queued
    this.#timerAt = -1;
    this.engine.tick();
    this.#settle();
  }

  /** Frames and transmits every segment the engine emitted. */
  #drain(): void {
    const tx = this.engine.tx;
    const pool = this.#pool;
    const spec = this.#frameSpec;
    for (let i = 0; i < tx.count; i++) {
      const buf = pool.alloc(this.#owner);
      if (buf < 0) {
        this.#noBuffer++; // lost like a dropped frame: TCP retransmits it
        continue;
      }
      const ci = this.#byId[tx.conn[i] ?? -1] ?? -1;
      spec.dstMac = (this.#conns[ci] ?? this.#conns[0] as Conn).flow.dstMac;
      const len = writeSegmentFrame(tx, i, pool.bytes, pool.start[buf] ?? 0, spec);
      pool.length[buf] = len;
      if (!this.#tx(buf, len)) this.#txDrops++;
    }
    tx.clear();
  }

  #begin(): void {
    this.#loadPending = this.#conns.length;
    for (const conn of this.#conns) {
      const f = conn.flow;
      conn.id = this.engine.connect(this.ip, f.dstIp, f.dstPort, f.srcPort);
      this.#byId[conn.id] = conn.index;
    }
    this.#settle();
  }

  #onEstablished(conn: Conn): void {
    if (!conn.protocol.loading()) {
      this.#loadDone(conn);
      return;
    }
    for (let k = 0; k < this.#loadDepth && conn.protocol.loading(); k++) {
      this.#send(conn, this.#sim.now);
    }
  }

  #loadDone(conn: Conn): void {
    conn.loadDone = true;
    this.#loadPending--;
    if (this.#loadPending === 0) this.#loadFinishedNs = this.#sim.now;
    const now = this.#sim.now;
    conn.trafficOn = true;
    if (now >= this.#mEnd) return;
    if (conn.schedule === null) {
      for (let k = conn.outstanding; k < this.#depth; k++) this.#send(conn, now);
      return;
    }
    conn.schedule.restart(now);
    this.#scheduleArrival(conn, now);
  }

  #scheduleArrival(conn: Conn, fromNs: number): void {
    let t = (conn.schedule as ArrivalSchedule).next();
    if (t < fromNs) t = fromNs;
    if (t >= this.#mEnd) return;
    this.#sim.at(t, this.#evArrival, conn.index, t);
  }

  #arrival(ci: number, intended: number): void {
    const conn = this.#conns[ci] as Conn;
    if (conn.broken) return;
    if (conn.outstanding < this.#depth) {
      this.#send(conn, intended);
      this.#settle();
    } else if (conn.backlogCount < this.#backlogCap) {
      const b = conn.index * this.#backlogCap;
      this.#backlog[b + (conn.backlogHead + conn.backlogCount) % this.#backlogCap] = intended;
      conn.backlogCount++;
    } else {
      this.#skipped++;
    }
    this.#scheduleArrival(conn, this.#sim.now);
  }

  /** Writes one request (intended send time `intended`) and hands it to TCP. */
  #send(conn: Conn, intended: number): void {
    const slot = (conn.head + conn.outstanding) & (this.#slots - 1);
    conn.intended[slot] = intended;
    conn.outstanding++;
    if (conn.trafficOn && intended >= this.#mStart && intended < this.#mEnd) {
      conn.sent++;
      inc(this.#sentBy, conn.flow.clientClass);
    }
    if (conn.tx.length - conn.txLen < TX_RESERVE) {
      const grown = new Uint8Array(conn.txLen + 2 * TX_RESERVE);
      grown.set(conn.tx.subarray(0, conn.txLen));
      conn.tx = grown;
    }
    conn.txLen += conn.protocol.writeRequest(slot, conn.tx, conn.txLen, TX_RESERVE);
    this.#flush(conn);
  }

  /** Hands the staged request bytes to the engine (what its send buffer takes now). */
  #flush(conn: Conn): void {
    if (conn.txLen === 0 || conn.broken) return;
    const n = this.engine.send(conn.id, conn.tx, 0, conn.txLen);
    if (n < 0) {
      this.#break(conn, false);
      return;
    }
    if (n > 0) {
      conn.tx.copyWithin(0, n, conn.txLen);
      conn.txLen -= n;
    }
  }

  /** Reads everything buffered and completes every whole reply in order. */
  #read(conn: Conn): void {
    const e = this.engine;
    for (;;) {
      const avail = e.readable(conn.id);
      if (avail === 0) break;
      if (conn.rx.length - conn.rxLen < avail) {
        const grown = new Uint8Array(Math.max(conn.rxLen + avail, 2 * conn.rx.length));
        grown.set(conn.rx.subarray(0, conn.rxLen));
        conn.rx = grown;
      }
      conn.rxLen += e.recv(conn.id, conn.rx, conn.rxLen, avail);
    }
    let pos = 0;
    while (pos < conn.rxLen && !conn.broken) {
      if (conn.outstanding === 0) {
        // Bytes nobody asked for: the stream is out of step.
        this.#garbled++;
        this.#countError(conn);
        this.#break(conn, true);
        break;
      }
      const n = conn.protocol.replyLength(conn.head, conn.rx, pos, conn.rxLen - pos);
      if (n === 0) break;
      if (n < 0) {
        this.#garbled++;
        this.#countError(conn);
        this.#break(conn, true);
        break;
      }
      const status = conn.protocol.check(conn.head, conn.rx, pos, n);
      pos += n;
      this.#complete(conn, status);
    }
    if (pos > 0) {
      conn.rx.copyWithin(0, pos, conn.rxLen);
      conn.rxLen -= pos;
    }
  }

  #complete(conn: Conn, status: ReplyStatusCode): void {
    const now = this.#sim.now;
    const intended = conn.intended[conn.head] ?? 0;
    conn.head = (conn.head + 1) & (this.#slots - 1);
    conn.outstanding--;
    const cls = conn.flow.clientClass;
    const measured = conn.trafficOn && intended >= this.#mStart && intended < this.#mEnd;
    if (status === ReplyStatus.Wrong) {
      this.#countError(conn, measured);
    } else if (measured) {
      inc(this.#completedBy, cls);
      if (status === ReplyStatus.DoneMiss) inc(this.#missesBy, cls);
      const lat = now - intended;
      this.#latency.record(cls, lat);
    }
    if (status !== ReplyStatus.Wrong && conn.trafficOn && now >= this.#mStart && now < this.#mEnd) {
      conn.completedInWindow++;
      inc(this.#inWindowBy, cls);
    }
    this.#next(conn);
  }

  #countError(conn: Conn, measured = true): void {
    if (!conn.trafficOn) this.#loadErrors++;
    else if (measured) {
      conn.errors++;
      inc(this.#errorsBy, conn.flow.clientClass);
    }
  }

  /** After a reply: more load, the phase switch, the next closed-loop request or a backlogged send. */
  #next(conn: Conn): void {
    const now = this.#sim.now;
    if (!conn.loadDone) {
      if (conn.protocol.loading()) this.#send(conn, now);
      else if (conn.outstanding === 0) this.#loadDone(conn);
      return;
    }
    if (now >= this.#mEnd) return;
    if (this.#opts.loop.mode === "closed") {
      this.#send(conn, now);
    } else if (conn.backlogCount > 0) {
      const b = conn.index * this.#backlogCap;
      const intended = this.#backlog[b + conn.backlogHead] ?? now;
      conn.backlogHead = (conn.backlogHead + 1) % this.#backlogCap;
      conn.backlogCount--;
      this.#send(conn, intended);
    }
  }

  /** Marks a connection broken (counted); `abort` resets it on our side too. */
  #break(conn: Conn, abort: boolean): void {
    if (conn.broken) return;
    conn.broken = true;
    this.#broken++;
    if (abort && conn.id >= 0) this.engine.abort(conn.id);
    if (!conn.loadDone) {
      conn.loadDone = true;
      this.#loadPending--;
      if (this.#loadPending === 0) this.#loadFinishedNs = this.#sim.now;
    }
  }

  /** Requests in flight now (sent, not yet answered). */
  outstanding(): number {
    let n = 0;
    for (const c of this.#conns) n += c.outstanding;
    return n;
  }

  /** The client's results so far. */
  report(): TcpLoadClientReport {
    const windowNs = this.#mEnd - this.#mStart;
    const totals: ClassTotals = {
      conns: this.#conns,
      windowNs,
      sentBy: this.#sentBy,
      completedBy: this.#completedBy,
      inWindowBy: this.#inWindowBy,
      errorsBy: this.#errorsBy,
      timeoutsBy: null,
      missesBy: this.#missesBy,
      recorders: this.#latency.byClass,
      overall: this.#latency.overall,
    };
    const rxBad = reasonCounts(this.#rxBad);
    const protocolCounters = sumProtocolCounters(this.#conns);
    const tcp: Record<string, number> = {};
    for (const [k, v] of Object.entries(tcpCountersRecord(this.engine.counters))) {
      if (v > 0) tcp[k] = v;
    }
    return {
      name: this.name,
      protocol: this.#conns[0]?.protocol.name ?? "",
      loop: this.#opts.loop,
      measureStartNs: this.#mStart,
      measureEndNs: this.#mEnd,
      loadFinishedNs: this.#loadFinishedNs,
      loadErrors: this.#loadErrors,
      overall: classReport(totals, "overall", -1),
      classes: CLIENT_CLASS_NAMES.map((n, c) => classReport(totals, n, c)),
      connections: this.#conns.map((c) => ({
        srcPort: c.flow.srcPort,
        clientClass: CLIENT_CLASS_NAMES[c.flow.clientClass as ClientClassCode],
        sent: c.sent,
        transactionsPerSecond: c.completedInWindow * 1e9 / windowNs,
        errors: c.errors,
        timeouts: 0,
      })),
      late: 0,
      garbled: this.#garbled,
      skipped: this.#skipped,
      txDrops: this.#txDrops,
      noBuffer: this.#noBuffer,
      rxBad,
      rxUnknownPort: this.#rxUnknown,
      rxWrongSource: 0,
      outstanding: this.outstanding(),
      backlog: this.#conns.reduce((n, c) => n + c.backlogCount, 0),
      protocolCounters,
      connectionsEstablished: this.#established,
      connectionsBroken: this.#broken,
      tcp,
    };
  }

  /** Frees the histograms (WebAssembly memory); the client must not be used afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#latency.destroy();
  }
}
