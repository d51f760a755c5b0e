/**
 * A client machine that drives load: connections with explicit 4-tuples (one UDP flow each),
 * closed loop (N outstanding per connection) or open loop (arrivals at a target rate, latency
 * from the intended send time), per-class latency histograms, timeouts, and every reply checked
 * by the application protocol.
 *
 * Timeline: at `startNs` each connection sends its protocol's warm-up load (memcached sets of
 * every key) with `loadDepth` outstanding; once a connection's load is answered it starts its
 * traffic. Requests whose intended send time lies in [`measureStartNs`, `measureEndNs`) are
 * measured; no new request is issued from `measureEndNs` on.
 *
 * Counters (whole run unless said): `sent`, `completed`, `errors` (wrong replies), `timeouts`,
 * `misses` per class for measured requests; transactions per second from correct completions
 * inside the window; `late` replies (unknown request id, discarded as memaslap does), `skipped`
 * open-loop arrivals (backlog full), `txDrops` (uplink refused), `noBuffer` (pool empty),
 * received frames that fail parsing or checksums, go to an unknown port or come from the wrong
 * source. Client CPU is not modelled (no reference gives its costs): a client sends at the
 * instant its loop decides to.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason, REASON_COUNT } from "../../stack/packet/reason.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../stack/packet/verify.ts";
import type { LatencyRecorder } from "../metrics/latency_recorder.ts";
import { ClassRecorders } from "./_class_recorders.ts";
import { ArrivalSchedule, interArrivalSampler } from "./arrivals.ts";
import {
  checkCount,
  type ClassReport,
  classReport,
  type ClassTotals,
  inc,
  reasonCounts,
  sumProtocolCounters,
} from "./_client_common.ts";
import { checkPort, type FlowSpec } from "./flow.ts";
import { type ClientProtocol, ReplyStatus } from "./protocol.ts";
import {
  CLIENT_CLASS_NAMES,
  type ClientClassCode,
  type ClientNetHost,
  type ClientSim,
  type ClientTestbed,
  type ClientTransmit,
} from "./types.ts";
import { MAX_UDP_PAYLOAD, UDP_HEADERS_BYTES, UdpFrameWriter } from "./udp_frame_writer.ts";

/** Closed loop: every connection keeps `outstanding` requests in flight (netperf burst, memaslap concurrency). */
export interface ClosedLoop {
  /** Loop kind. */
  readonly mode: "closed";
  /** Requests in flight per connection (1..4096). */
  readonly outstanding: number;
}

/** Open loop: arrivals at a target rate; a full pipeline queues sends in the client. */
export interface OpenLoop {
  /** Loop kind. */
  readonly mode: "open";
  /** Target rate of this client machine, requests per second, split evenly over its connections. */
  readonly ratePerSecond: number;
  /** Inter-arrival distribution in mutilate's syntax (default "exponential": Poisson). */
  readonly interArrival?: string;
  /** Cap on requests in flight per connection (default 64; mutilate's `--depth`). */
  readonly maxOutstanding?: number;
  /** Sends that may wait in the client per connection before arrivals are skipped (default 4096). */
  readonly backlogLimit?: number;
}

/** How a client paces its requests. */
export type LoopSpec = ClosedLoop | OpenLoop;

/** Options every client machine takes, whatever its transport. */
export interface ClientMachineOptions {
  /** Host name (unique on the testbed). */
  readonly name: string;
  /** Host MAC (6 bytes, unicast). */
  readonly mac: Uint8Array;
  /** Host IPv4 address (u32). */
  readonly ip: number;
  /** The connections (one flow each), with distinct source ports. */
  readonly flows: readonly FlowSpec[];
  /** Pacing (closed: `outstanding` requests per connection; open: arrivals at a rate). */
  readonly loop: LoopSpec;
  /** When the client starts (default 0). */
  readonly startNs?: number;
  /** First intended send time that is measured. */
  readonly measureStartNs: number;
  /** End of the measurement window and of new requests. */
  readonly measureEndNs: number;
  /** Warm-up load requests in flight per connection (default 4). */
  readonly loadDepth?: number;
  /** Buffer owner id used for frames this client allocates (default 0). */
  readonly owner?: number;
  /** Histogram implementation (default "wasm"). */
  readonly histogramMode?: "wasm" | "packed";
}

/** Options of a {@link LoadClient} (UDP: one datagram flow per connection). */
export interface LoadClientOptions extends ClientMachineOptions {
  /** Makes the protocol of connection `index`. */
  readonly protocol: (index: number, flow: FlowSpec) => ClientProtocol;
  /**
   * A request unanswered this long is a timeout (default Infinity: never, netperf UDP_RR has no
   * retransmission and a lost transaction stays lost, workloads.md §6).
   */
  readonly timeoutNs?: number;
  /**
   * Period of the timeout check (default 1 s: memaslap checks once per second, workloads.md §5,
   * so a timeout is noticed up to one period late).
   */
  readonly timeoutCheckNs?: number;
  /** Whether a timed-out slot sends a new request (default true, memaslap resets and goes on). */
  readonly reissueOnTimeout?: boolean;
  /**
   * Closed loop only: expected interval between a connection's requests (ns) for HdrHistogram's
   * coordinated-omission correction, which back-fills the samples a stalled client did not send
   * (workloads.md §9, fix 2). Histogram counts then exceed completions. Default: off.
   */
  readonly correctionIntervalNs?: number;
}

export type { ClassReport };

/** Results of one connection. */
export interface ConnectionReport {
  /** Source port of the flow. */
  readonly srcPort: number;
  /** Class name. */
  readonly clientClass: string;
  /** Measured requests sent. */
  readonly sent: number;
  /** Correct completions inside the window per second. */
  readonly transactionsPerSecond: number;
  /** Wrong replies to measured requests. */
  readonly errors: number;
  /** Timeouts of measured requests. */
  readonly timeouts: number;
}

/** Everything one client measured. */
export interface LoadClientReport {
  /** Client host name. */
  readonly name: string;
  /** Protocol name. */
  readonly protocol: string;
  /** Pacing used (closed loop reproduces the original tools; open loop avoids coordinated omission). */
  readonly loop: LoopSpec;
  /** Measurement window. */
  readonly measureStartNs: number;
  /** Measurement window end. */
  readonly measureEndNs: number;
  /** When the warm-up load finished (-1: not finished). */
  readonly loadFinishedNs: number;
  /** Wrong replies and timeouts during the warm-up load. */
  readonly loadErrors: number;
  /** All classes together. */
  readonly overall: ClassReport;
  /** High priority then best effort. */
  readonly classes: readonly ClassReport[];
  /** One row per connection. */
  readonly connections: readonly ConnectionReport[];
  /** Replies whose request id was not outstanding (late replies to timed-out requests), discarded. */
  readonly late: number;
  /** Replies without a request id (too short or malformed), counted as errors too. */
  readonly garbled: number;
  /** Open-loop arrivals skipped because the client backlog was full. */
  readonly skipped: number;
  /** Frames the uplink refused. */
  readonly txDrops: number;
  /** Requests not sent because the buffer pool was empty. */
  readonly noBuffer: number;
  /** Received frames dropped by parse or checksum, by reason name. */
  readonly rxBad: Readonly<Record<string, number>>;
  /** Received frames for a port with no connection. */
  readonly rxUnknownPort: number;
  /** Received frames whose source is not the connection's server. */
  readonly rxWrongSource: number;
  /** Requests still outstanding when the report was made. */
  readonly outstanding: number;
  /** Open-loop sends still waiting in the client when the report was made. */
  readonly backlog: number;
  /** Protocol counters summed over connections. */
  readonly protocolCounters: Readonly<Record<string, number>>;
}

const NO_ID = -1;
const NCLASS = 2;

/** Connection state that is not per slot (monomorphic objects, one per connection). */
class Conn {
  free: number; // free slots on the stack
  outstanding = 0;
  gen = 0;
  loadDone = false;
  trafficOn = false;
  backlogHead = 0;
  backlogCount = 0;
  sent = 0;
  completedInWindow = 0;
  errors = 0;
  timeouts = 0;
  constructor(
    readonly index: number,
    readonly flow: FlowSpec,
    readonly protocol: ClientProtocol,
    readonly writer: UdpFrameWriter,
    readonly schedule: ArrivalSchedule | null,
    slots: number,
  ) {
    this.free = slots;
  }
}

/** A client machine on the testbed, driving one protocol over its connections. */
export class LoadClient implements ClientNetHost {
  /** Host name. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address. */
  readonly ip: number;

  readonly #sim: ClientSim;
  readonly #pool: BufferPool;
  readonly #tx: ClientTransmit;
  readonly #opts: LoadClientOptions;
  readonly #conns: Conn[] = [];
  readonly #portToConn = new Int32Array(65_536).fill(-1);
  readonly #slots: number;
  readonly #bits: number;
  readonly #depth: number;
  readonly #loadDepth: number;
  readonly #backlogCap: number;
  readonly #timeoutNs: number;
  readonly #checkNs: number;
  readonly #reissue: boolean;
  readonly #correctNs: number;
  readonly #owner: number;
  readonly #startNs: number;
  readonly #mStart: number;
  readonly #mEnd: number;
  // Per slot, index conn * slots + slot.
  readonly #slotId: Int32Array;
  readonly #slotIntended: Float64Array;
  readonly #slotSent: Float64Array;
  readonly #freeStack: Int32Array;
  readonly #slotGen: Uint16Array;
  readonly #backlog: Float64Array;
  // Per class.
  readonly #sentBy = new Float64Array(NCLASS);
  readonly #completedBy = new Float64Array(NCLASS);
  readonly #inWindowBy = new Float64Array(NCLASS);
  readonly #errorsBy = new Float64Array(NCLASS);
  readonly #timeoutsBy = new Float64Array(NCLASS);
  readonly #missesBy = new Float64Array(NCLASS);
  readonly #latency: ClassRecorders;
  readonly #info = new FrameInfo();
  readonly #rxBad = new Float64Array(REASON_COUNT);
  #rxUnknownPort = 0;
  #rxWrongSource = 0;
  #late = 0;
  #garbled = 0;
  #skipped = 0;
  #txDrops = 0;
  #noBuffer = 0;
  #loadErrors = 0;
  #loadPending = 0;
  #loadFinishedNs = -1;
  #timerArmed = false;
  readonly #evStart: number;
  readonly #evArrival: number;
  readonly #evCheck: number;
  #destroyed = false;
  #started = false;

  /** Creates the client and attaches it to the testbed; call {@link LoadClient.start} next. */
  constructor(testbed: ClientTestbed, opts: LoadClientOptions) {
    this.name = opts.name;
    this.mac = opts.mac;
    this.ip = opts.ip;
    this.#opts = opts;
    this.#sim = testbed.sim;
    this.#pool = testbed.pool;
    const loop = opts.loop;
    if (loop.mode === "closed") {
      this.#depth = checkCount(`Client "${opts.name}" closed-loop outstanding`, loop.outstanding);
      this.#backlogCap = 1;
    } else {
      this.#depth = checkCount(
        `Client "${opts.name}" open-loop maxOutstanding`,
        loop.maxOutstanding ?? 64,
      );
      this.#backlogCap = checkCount(
        `Client "${opts.name}" open-loop backlogLimit`,
        loop.backlogLimit ?? 4096,
        1 << 20,
      );
    }
    this.#loadDepth = checkCount(`Client "${opts.name}" loadDepth`, opts.loadDepth ?? 4);
    const maxSlots = Math.max(this.#depth, this.#loadDepth);
    let bits = 0;
    while ((1 << bits) < maxSlots) bits++;
    this.#bits = bits;
    this.#slots = 1 << bits;
    this.#timeoutNs = opts.timeoutNs ?? Infinity;
    if (!(this.#timeoutNs > 0)) {
      throw new RangeError(
        `Client "${opts.name}" timeoutNs ${this.#timeoutNs} is invalid: must be > 0 or Infinity`,
      );
    }
    this.#checkNs = opts.timeoutCheckNs ?? 1e9;
    if (!Number.isInteger(this.#checkNs) || this.#checkNs < 1) {
      throw new RangeError(
        `Client "${opts.name}" timeoutCheckNs ${this.#checkNs} is invalid: must be an integer >= 1`,
      );
    }
    this.#reissue = opts.reissueOnTimeout ?? true;
    this.#correctNs = opts.correctionIntervalNs ?? 0;
    if (
      !(this.#correctNs >= 0 && Number.isFinite(this.#correctNs)) ||
      (this.#correctNs > 0 && loop.mode !== "closed")
    ) {
      throw new RangeError(
        `Client "${opts.name}" correctionIntervalNs ${this.#correctNs} is invalid: must be a finite number >= 0, and only for a closed loop`,
      );
    }
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
        `Client "${opts.name}" times start ${this.#startNs}, measure ${this.#mStart}..${this.#mEnd} ns are invalid: must be integers with 0 <= start <= measureStart < measureEnd`,
      );
    }
    if (opts.flows.length === 0) {
      throw new RangeError(`Client "${opts.name}" has no flows: give at least one connection`);
    }
    const n = opts.flows.length;
    const total = n * this.#slots;
    this.#slotId = new Int32Array(total).fill(NO_ID);
    this.#slotIntended = new Float64Array(total);
    this.#slotSent = new Float64Array(total);
    this.#slotGen = new Uint16Array(total);
    this.#freeStack = new Int32Array(total);
    this.#backlog = new Float64Array(loop.mode === "open" ? n * this.#backlogCap : 0);
    const sampler = loop.mode === "open"
      ? interArrivalSampler(loop.interArrival ?? "exponential", loop.ratePerSecond / n)
      : null;
    opts.flows.forEach((flow, i) => {
      checkPort(`Client "${opts.name}" source port`, flow.srcPort);
      checkPort(`Client "${opts.name}" server port`, flow.dstPort);
      if ((this.#portToConn[flow.srcPort] ?? -1) >= 0) {
        throw new RangeError(
          `Client "${opts.name}" source port ${flow.srcPort} is used twice: one flow per port`,
        );
      }
      this.#portToConn[flow.srcPort] = i;
      const writer = new UdpFrameWriter({
        srcMac: opts.mac,
        dstMac: flow.dstMac,
        srcIp: opts.ip,
        dstIp: flow.dstIp,
        srcPort: flow.srcPort,
        dstPort: flow.dstPort,
      });
      const rng: RandomGenerator | null = sampler === null
        ? null
        : testbed.streams.stream(`client.${opts.name}.arrivals`, i);
      const schedule = sampler === null || rng === null
        ? null
        : new ArrivalSchedule(sampler, rng, 0);
      this.#conns.push(new Conn(i, flow, opts.protocol(i, flow), writer, schedule, this.#slots));
      for (let s = 0; s < this.#slots; s++) {
        this.#freeStack[i * this.#slots + s] = this.#slots - 1 - s;
      }
    });
    const mode = opts.histogramMode ?? "wasm";
    this.#latency = new ClassRecorders(NCLASS, opts.flows.map((f) => f.clientClass), mode);
    this.#evStart = this.#sim.on(`client.${opts.name}.start`, () => this.#begin());
    this.#evArrival = this.#sim.on(`client.${opts.name}.arrival`, (c, t) => this.#arrival(c, t));
    this.#evCheck = this.#sim.on(`client.${opts.name}.timeout-check`, () => this.#check());
    this.#tx = testbed.attach(this);
  }

  /** Schedules the client's start at `startNs` (once; a second call throws). */
  start(): void {
    if (this.#started) {
      throw new Error(`Client "${this.name}" was already started: call start() once`);
    }
    this.#started = true;
    this.#sim.at(Math.max(this.#startNs, this.#sim.now), this.#evStart);
  }

  /** Latency recorders (class order, then overall) for merging across clients; owned by this client. */
  recorders(): { readonly byClass: readonly LatencyRecorder[]; readonly overall: LatencyRecorder } {
    return { byClass: this.#latency.byClass, overall: this.#latency.overall };
  }

  /** A frame arrived: parse, check, find the connection and its request, then complete it. */
  receive(buf: number, len: number): void {
    const pool = this.#pool;
    const bytes = pool.bytes;
    const start = pool.start[buf] ?? 0;
    const info = this.#info;
    const r = parseFrame(bytes, start, len, info) || verifyIpv4HeaderChecksum(bytes, info) ||
      verifyL4Checksum(bytes, info);
    if (r !== Reason.Ok) {
      this.#rxBad[r] = (this.#rxBad[r] ?? 0) + 1;
    } else if (info.ipProto !== 17 || info.ipDst !== this.ip) {
      this.#rxUnknownPort++;
    } else {
      const ci = this.#portToConn[info.dstPort] ?? -1;
      const conn = ci >= 0 ? this.#conns[ci] : undefined;
      if (conn === undefined) {
        this.#rxUnknownPort++;
      } else if (info.ipSrc !== conn.flow.dstIp || info.srcPort !== conn.flow.dstPort) {
        this.#rxWrongSource++;
      } else {
        this.#reply(conn, bytes, info.payload, info.capturedPayloadLen());
      }
    }
    pool.free(buf, pool.owner[buf] ?? 0);
  }

  #reply(conn: Conn, bytes: Uint8Array, off: number, len: number): void {
    const id = conn.protocol.replyId(bytes, off, len);
    if (id < 0) {
      this.#garbled++;
      this.#countError(conn);
      return;
    }
    const slot = id & (this.#slots - 1);
    const g = conn.index * this.#slots + slot;
    if (this.#slotId[g] !== id) {
      this.#late++;
      return;
    }
    const status = conn.protocol.onReply(slot, bytes, off, len);
    if (status === ReplyStatus.Partial) return;
    const now = this.#sim.now;
    const intended = this.#slotIntended[g] ?? 0;
    const measured = conn.trafficOn && intended >= this.#mStart && intended < this.#mEnd;
    const cls = conn.flow.clientClass;
    if (status === ReplyStatus.Wrong) {
      conn.protocol.abandon(slot);
      if (!conn.trafficOn) this.#loadErrors++;
      else if (measured) {
        conn.errors++;
        inc(this.#errorsBy, cls);
      }
    } else if (measured) {
      inc(this.#completedBy, cls);
      if (status === ReplyStatus.DoneMiss) inc(this.#missesBy, cls);
      const lat = now - intended;
      if (this.#correctNs > 0) this.#latency.recordCorrected(cls, lat, this.#correctNs);
      else this.#latency.record(cls, lat);
    }
    if (status !== ReplyStatus.Wrong && conn.trafficOn && now >= this.#mStart && now < this.#mEnd) {
      conn.completedInWindow++;
      inc(this.#inWindowBy, cls);
    }
    this.#release(conn, slot);
    this.#next(conn);
  }

  #countError(conn: Conn): void {
    if (!conn.trafficOn) {
      this.#loadErrors++;
      return;
    }
    conn.errors++;
    inc(this.#errorsBy, conn.flow.clientClass);
  }

  #release(conn: Conn, slot: number): void {
    const base = conn.index * this.#slots;
    this.#slotId[base + slot] = NO_ID;
    this.#freeStack[base + conn.free] = slot;
    conn.free++;
    conn.outstanding--;
  }

  /** After a slot frees: more load, the phase switch, the next closed-loop request or a backlogged send. */
  #next(conn: Conn): void {
    const now = this.#sim.now;
    if (!conn.loadDone) {
      if (conn.protocol.loading()) {
        this.#send(conn, now);
      } else if (conn.outstanding === 0) {
        conn.loadDone = true;
        this.#loadPending--;
        this.#startTraffic(conn);
        if (this.#loadPending === 0) this.#loadFinishedNs = now;
      }
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

  #begin(): void {
    this.#loadPending = this.#conns.length;
    for (const conn of this.#conns) {
      if (!conn.protocol.loading()) {
        conn.loadDone = true;
        this.#loadPending--;
        this.#startTraffic(conn);
        continue;
      }
      for (let k = 0; k < this.#loadDepth && conn.protocol.loading(); k++) {
        this.#send(conn, this.#sim.now);
      }
    }
    if (this.#loadPending === 0) this.#loadFinishedNs = this.#sim.now;
    this.#armTimer();
  }

  #startTraffic(conn: Conn): void {
    const now = this.#sim.now;
    conn.trafficOn = true;
    if (now >= this.#mEnd) return;
    if (conn.schedule === null) {
      for (let k = conn.outstanding; k < this.#depth; k++) this.#send(conn, now);
      return;
    }
    (conn.schedule as ArrivalSchedule).restart(now);
    this.#scheduleArrival(conn, now);
  }

  #scheduleArrival(conn: Conn, fromNs: number): void {
    const schedule = conn.schedule as ArrivalSchedule;
    let t = schedule.next();
    if (t < fromNs) t = fromNs; // the schedule started before this connection's load ended
    if (t >= this.#mEnd) return;
    this.#sim.at(t, this.#evArrival, conn.index, t);
  }

  #arrival(ci: number, intended: number): void {
    const conn = this.#conns[ci] as Conn;
    if (conn.outstanding < this.#depth && conn.free > 0) {
      this.#send(conn, intended);
    } else if (conn.backlogCount < this.#backlogCap) {
      const b = conn.index * this.#backlogCap;
      this.#backlog[b + (conn.backlogHead + conn.backlogCount) % this.#backlogCap] = intended;
      conn.backlogCount++;
    } else {
      this.#skipped++;
    }
    this.#scheduleArrival(conn, this.#sim.now);
  }

  /** Sends one request with intended send time `intended`. */
  #send(conn: Conn, intended: number): void {
    conn.free--;
    const slot = this.#freeStack[conn.index * this.#slots + conn.free] as number;
    const g = conn.index * this.#slots + slot;
    const gen = this.#slotGen[g] as number;
    this.#slotGen[g] = gen + 1;
    const id = ((gen << this.#bits) | slot) & 0xffff;
    const now = this.#sim.now;
    this.#slotId[g] = id;
    this.#slotIntended[g] = intended;
    this.#slotSent[g] = now;
    conn.outstanding++;
    if (conn.trafficOn && intended >= this.#mStart && intended < this.#mEnd) {
      conn.sent++;
      inc(this.#sentBy, conn.flow.clientClass);
    }
    const pool = this.#pool;
    const buf = pool.alloc(this.#owner);
    if (buf < 0) {
      // Lost like a dropped datagram: the slot stays outstanding until its timeout.
      this.#noBuffer++;
      return;
    }
    const off = pool.start[buf] ?? 0;
    const cap = Math.min(MAX_UDP_PAYLOAD, pool.bufferSize - pool.headroom - UDP_HEADERS_BYTES);
    const payloadLen = conn.protocol.writeRequest(
      slot,
      id,
      pool.bytes,
      off + UDP_HEADERS_BYTES,
      cap,
    );
    const len = conn.writer.write(pool.bytes, off, payloadLen);
    pool.length[buf] = len;
    if (!this.#tx(buf, len)) this.#txDrops++;
  }

  #armTimer(): void {
    if (this.#timerArmed || this.#timeoutNs === Infinity) return;
    this.#timerArmed = true;
    this.#sim.at(this.#sim.now + this.#checkNs, this.#evCheck);
  }

  #check(): void {
    this.#timerArmed = false;
    const now = this.#sim.now;
    let outstanding = 0;
    for (const conn of this.#conns) {
      const base = conn.index * this.#slots;
      for (let s = 0; s < this.#slots; s++) {
        if (this.#slotId[base + s] === NO_ID) continue;
        if (now - (this.#slotSent[base + s] ?? 0) < this.#timeoutNs) continue;
        const intended = this.#slotIntended[base + s] ?? 0;
        if (!conn.trafficOn) this.#loadErrors++;
        else if (intended >= this.#mStart && intended < this.#mEnd) {
          conn.timeouts++;
          inc(this.#timeoutsBy, conn.flow.clientClass);
        }
        conn.protocol.abandon(s);
        this.#release(conn, s);
        if (this.#reissue || !conn.loadDone) this.#next(conn);
      }
      outstanding += conn.outstanding;
    }
    if (outstanding > 0 || now < this.#mEnd) this.#armTimer();
  }

  /** Requests in flight now. */
  outstanding(): number {
    let n = 0;
    for (const c of this.#conns) n += c.outstanding;
    return n;
  }

  /** The client's results so far. */
  report(): LoadClientReport {
    const windowNs = this.#mEnd - this.#mStart;
    const totals: ClassTotals = {
      conns: this.#conns,
      windowNs,
      sentBy: this.#sentBy,
      completedBy: this.#completedBy,
      inWindowBy: this.#inWindowBy,
      errorsBy: this.#errorsBy,
      timeoutsBy: this.#timeoutsBy,
      missesBy: this.#missesBy,
      recorders: this.#latency.byClass,
      overall: this.#latency.overall,
    };
    const rxBad = reasonCounts(this.#rxBad);
    const protocolCounters = sumProtocolCounters(this.#conns);
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
        timeouts: c.timeouts,
      })),
      late: this.#late,
      garbled: this.#garbled,
      skipped: this.#skipped,
      txDrops: this.#txDrops,
      noBuffer: this.#noBuffer,
      rxBad,
      rxUnknownPort: this.#rxUnknownPort,
      rxWrongSource: this.#rxWrongSource,
      outstanding: this.outstanding(),
      backlog: this.#conns.reduce((n, c) => n + c.backlogCount, 0),
      protocolCounters,
    };
  }

  /** Frees the histograms (WebAssembly memory); the client must not be used afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#latency.destroy();
  }
}
