/**
 * The Onload-like stack model serving memcached over TCP: one user-level stack per thread,
 * each with its own virtual interface (an RX/TX queue pair of the SFC9020), its own TCP engine
 * and its own listening socket on the port (Onload's clustered listeners: one per stack), a
 * hardware filter for the listening address with RSS over the threads' queues, so a
 * connection's SYN and every later segment land on one stack's queue, and each thread spinning
 * on its queue, serving the connections its stack accepted.
 *
 * Mechanisms: host-stacks.md §4.10 and nic-models.md §3.9 (user-level stack, per-stack VIs,
 * hardware filters, spinning), §2.4 (listen lock and accept queue, here one per stack, so the
 * lock is never shared), nic-models.md §3.6 (a filter with RSS spreads its packets over an RSS
 * range).
 *
 * Costs, all from `harness/sim/calibration.ts`, as the UDP Onload-like model charges them
 * (host-stacks.md §5.5: no system calls, copies or scheduler work, batched ring access instead
 * of the driver): receive `ring_access_bypass` + `l3l4_rx` + `tcp_segment_extra` + the
 * listener's lock (SYN, handshake ACK) or the connection's socket lock (`lock_uncontended` +
 * `socket_lock_hold`) + `socket_enqueue` for data; accept: the listener's lock + `accept_conn`;
 * read: the socket lock, then `memcached_get` per command; reply: the socket lock; each emitted
 * segment `l3l4_tx` + `tcp_segment_extra` + `ring_access_bypass`.
 *
 * Order of a thread's steps: finish the request in hand, transmit emitted segments, poll the VI
 * (one frame per step, until it is empty), then accept, then read ready connections. A burst of
 * handshake ACKs is therefore processed before the application accepts, so a small accept queue
 * can overflow (counted), as in the kernel.
 *
 * @module
 */
import { type Calibration, lockCosts, Op } from "../sim/calibration.ts";
import { CoreCat, type CoreTask, type HostCore } from "../sim/host_core.ts";
import type { Host } from "../sim/host.ts";
import { Lock } from "../sim/lock.ts";
import { NO_EVENT } from "../sim/simulator.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import type { TcpConfig } from "../../stack/protocols/tcp/config.ts";
import { TcpEvent } from "../../stack/protocols/tcp/state.ts";
import type { MemcachedApp } from "./server_app.ts";
import { appTcpServer, classifyTcpFrame, FrameList, TcpServerEngine } from "./_tcp_server.ts";
import { TcpStackBase } from "./_tcp_stack_base.ts";

/** Options of the Onload-like TCP model (threads = the NIC's queues: one stack per VI). */
export interface OnloadLikeTcpOptions {
  /** Listen backlog per stack (default memcached's 1024; the queue holds min(backlog, somaxconn)). */
  readonly backlog?: number;
  /** TCP engine knobs of every stack (default the engine's). */
  readonly tcp?: TcpConfig;
}

const Step = { None: 0, Tx: 1, Rx: 2, Accept: 3, Read: 4, Serve: 5, Send: 6 } as const;

/** One thread with its user-level stack: VI `index`, engine, listener and connections. */
class StackThread implements CoreTask {
  readonly name: string;
  readonly index: number;
  readonly core: HostCore;
  readonly tcp: TcpServerEngine;
  readonly lock: Lock;
  readonly tx = new FrameList();
  readonly #m: OnloadLikeTcp;
  readonly #ready: Int32Array;
  readonly #inReady: Uint8Array;
  readonly #info = new FrameInfo();
  readonly #tmp = new Int32Array(1);
  readonly #owned: Uint8Array;
  #head = 0;
  #len = 0;
  #step: number = Step.None;
  #buf = -1;
  #conn = -1;
  #requests = 0;
  #ended = false;
  #reply: Uint8Array = new Uint8Array(4096);
  #replyLen = 0;
  #unsent: (Uint8Array | null)[];
  #timerAt = -1;

  constructor(m: OnloadLikeTcp, index: number, core: HostCore, tcp: TcpServerEngine, lock: Lock) {
    this.#m = m;
    this.index = index;
    this.name = `onload-stack${index}`;
    this.core = core;
    this.tcp = tcp;
    this.lock = lock;
    const n = tcp.engine.config.maxConnections;
    this.#ready = new Int32Array(n);
    this.#inReady = new Uint8Array(n);
    this.#owned = new Uint8Array(n);
    this.#unsent = new Array(n).fill(null);
  }

  ready(): boolean {
    return this.#step === Step.Serve || this.#step === Step.Send || this.tx.length > 0 ||
      this.#len > 0 || this.tcp.engine.acceptQueueLength(this.tcp.listener) > 0 ||
      this.#m.host.nic.visible(this.index) > 0;
  }

  #lockNs(core: HostCore, listener: boolean): void {
    const ns = this.#m.cal.ns;
    const hold = Math.round(ns[Op.socket_lock_hold] as number);
    if (listener) {
      const release = this.lock.acquire(core.id, hold, NO_EVENT);
      core.charge(CoreCat.LockWait, release - this.#m.host.testbed.sim.now - hold);
    } else {
      core.charge(CoreCat.LockWait, ns[Op.lock_uncontended] as number);
    }
    core.charge(CoreCat.Stack, hold);
  }

  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    if (this.#step === Step.Serve) {
      core.charge(CoreCat.App, this.#requests * (ns[Op.memcached_get] as number));
      return;
    }
    if (this.#step === Step.Send) {
      this.#lockNs(core, false);
      return;
    }
    if (this.tx.length > 0) {
      this.#step = Step.Tx;
      core.charge(CoreCat.Stack, (ns[Op.l3l4_tx] as number) + (ns[Op.tcp_segment_extra] as number));
      core.charge(CoreCat.Driver, ns[Op.ring_access_bypass] as number);
      return;
    }
    // Poll the stack first, as an Onload poll drains the VI's event queue before the
    // application sees readiness; then accept, then read.
    if (m.host.nic.pollRx(this.index, 1, this.#tmp) !== 1) {
      if (this.tcp.engine.acceptQueueLength(this.tcp.listener) > 0) {
        this.#step = Step.Accept;
        this.#lockNs(core, true);
        core.charge(CoreCat.Stack, ns[Op.accept_conn] as number);
        return;
      }
      if (this.#len > 0) {
        const id = this.#ready[this.#head] as number;
        this.#head = (this.#head + 1) % this.#ready.length;
        this.#len--;
        this.#inReady[id] = 0;
        this.#conn = id;
        this.#step = Step.Read;
        this.#lockNs(core, false);
        return;
      }
      this.#step = Step.None;
      return;
    }
    const buf = this.#tmp[0] as number;
    m.held++;
    core.charge(CoreCat.Driver, ns[Op.ring_access_bypass] as number);
    core.charge(CoreCat.Stack, (ns[Op.l3l4_rx] as number) + (ns[Op.tcp_segment_extra] as number));
    const code = classifyTcpFrame(m.host.testbed.pool, buf, m.host.ip, this.#info, m.rx.reasons);
    if (code >= 0) {
      m.dropFrame(buf, code);
      this.#step = Step.None;
      return;
    }
    this.#lockNs(core, this.tcp.isListenerSegment(this.#info));
    if (this.#info.payloadLen > 0) core.charge(CoreCat.Stack, ns[Op.socket_enqueue] as number);
    this.#buf = buf;
    this.#step = Step.Rx;
  }

  finish(): void {
    const m = this.#m;
    const tcp = this.tcp;
    const step = this.#step;
    this.#step = Step.None;
    switch (step) {
      case Step.Tx:
        m.sendOn(this.index, this.tx.shift());
        break;
      case Step.Rx:
        m.held--;
        if (this.#info.payloadLen > 0) m.delivered++;
        tcp.input(this.#buf, this.#info);
        this.afterEngine();
        break;
      case Step.Accept: {
        const id = tcp.accept();
        if (id >= 0) {
          this.#owned[id] = 1;
          if (tcp.engine.readable(id) > 0) this.#markReady(id);
        }
        this.afterEngine();
        break;
      }
      case Step.Read: {
        const id = this.#conn;
        if (!tcp.hasSession(id)) break;
        const unsent = this.#unsent[id] ?? null;
        if (unsent !== null) {
          this.#unsent[id] = null;
          this.#setReply(unsent, unsent.length);
          this.#ended = false;
          this.#step = Step.Send;
          break;
        }
        const r = tcp.read(id);
        this.#requests = r.requests;
        this.#ended = r.ended;
        m.served += r.requests;
        this.#setReply(tcp.reply, r.replyBytes);
        this.afterEngine();
        if (r.bytes > 0) this.#step = Step.Serve;
        else if (r.ended) this.#close(id);
        break;
      }
      case Step.Serve:
        if (this.#replyLen > 0) this.#step = Step.Send;
        else if (this.#ended) this.#close(this.#conn);
        break;
      case Step.Send: {
        const id = this.#conn;
        if (!tcp.hasSession(id)) break;
        const n = tcp.send(id, this.#reply, 0, this.#replyLen);
        if (n >= 0 && n < this.#replyLen) this.#unsent[id] = this.#reply.slice(n, this.#replyLen);
        this.afterEngine();
        if (this.#ended || n < 0) this.#close(id);
        break;
      }
      default:
        break;
    }
  }

  #setReply(src: Uint8Array, n: number): void {
    if (this.#reply.length < n) this.#reply = new Uint8Array(Math.max(n, 2 * this.#reply.length));
    this.#reply.set(src.subarray(0, n));
    this.#replyLen = n;
  }

  #markReady(id: number): void {
    if (this.#inReady[id] === 1) return;
    this.#inReady[id] = 1;
    this.#ready[(this.#head + this.#len) % this.#ready.length] = id;
    this.#len++;
  }

  #close(id: number): void {
    if (!this.tcp.hasSession(id)) return;
    this.#owned[id] = 0;
    this.#unsent[id] = null;
    this.tcp.close(id);
    this.#m.closed++;
    this.afterEngine();
  }

  /** Handles the engine's events, frames its segments and re-arms its timer. */
  afterEngine(): void {
    const ev = this.tcp.engine.events;
    while (ev.shift()) {
      const c = ev.code;
      if (c === TcpEvent.AcceptReady || c === TcpEvent.Established || c === TcpEvent.Closed) {
        continue;
      }
      if (this.#owned[ev.id] === 1) this.#markReady(ev.id);
    }
    const before = this.tx.length;
    this.tcp.drain(this.tx);
    this.#m.repliesPending += this.tx.length - before;
    const d = this.tcp.engine.nextDeadline();
    if (d >= 0 && (this.#timerAt < 0 || d < this.#timerAt)) {
      this.#timerAt = d;
      this.#m.scheduleTimer(this.index, d);
    }
  }

  /** The engine's timer event. */
  timer(): void {
    if (this.#timerAt > this.#m.host.testbed.sim.now) return;
    this.#timerAt = -1;
    this.tcp.engine.tick();
    this.afterEngine();
    this.core.kick();
  }
}

/** The Onload-like TCP model (see the module documentation). */
export class OnloadLikeTcp extends TcpStackBase {
  /** Model name. */
  readonly name = "onload-like";
  /** Variant: the latency profile (spinning), over TCP. */
  readonly variant = "spin-tcp";
  /** The calibration. */
  readonly cal: Calibration;
  /** One engine per stack. */
  readonly engines: readonly TcpServerEngine[];
  /** One listening socket lock per stack. */
  readonly listenLocks: readonly Lock[];
  /** Connections closed by the application. */
  closed = 0;
  readonly #threads: StackThread[];
  readonly #timerKind: number;

  /** Installs the model on `host` (an SFC9020 configured by `onloadNicConfig(..., 6)`). */
  constructor(host: Host, app: MemcachedApp, options: OnloadLikeTcpOptions = {}) {
    super(host, app);
    this.cal = host.testbed.calibration;
    const nic = host.nic;
    const hasFilter = nic.model.config().filters.some((f) =>
      f.match.dstPort === app.port && f.match.proto === 6
    );
    if (!hasFilter) {
      throw new Error(
        `Onload-like TCP stack needs a TCP filter for port ${app.port} on the NIC: configure it with onloadNicConfig(queues, ip, port, 6)`,
      );
    }
    const threads = nic.queues;
    if (threads > host.cores.length) {
      throw new RangeError(
        `Onload-like stack runs one spinning thread per NIC queue: ${threads} queues need ${threads} cores, the host has ${host.cores.length}`,
      );
    }
    const sim = host.testbed.sim;
    const engines: TcpServerEngine[] = [];
    const locks: Lock[] = [];
    this.#threads = Array.from({ length: threads }, (_, i) => {
      const core = host.cores[i] as HostCore;
      const tcp = appTcpServer(host, app, options);
      const lock = new Lock(
        sim,
        `${host.name}.stack${i}.tcp${app.port}.listen`,
        lockCosts(this.cal),
      );
      engines.push(tcp);
      locks.push(lock);
      const t = new StackThread(this, i, core, tcp, lock);
      core.addTask(t);
      core.addSpinner();
      return t;
    });
    this.engines = engines;
    this.listenLocks = locks;
    this.#timerKind = sim.on(`${host.name}.onload-tcp.timer`, (i) => {
      (this.#threads[i] as StackThread).timer();
    });
    for (let q = 0; q < nic.queues; q++) nic.disableInterrupt(q);
    nic.onVisible = (q) => {
      const t = this.#threads[q];
      if (t !== undefined) t.core.kick();
    };
  }

  /** Sends frame `buf` on stack `q`'s own TX queue. */
  sendOn(q: number, buf: number): void {
    if (buf >= 0) this.sendReply(q, buf);
  }

  /** Schedules stack `i`'s engine timer at `atNs`. */
  scheduleTimer(i: number, atNs: number): void {
    const sim = this.host.testbed.sim;
    sim.at(Math.max(Math.ceil(atNs), sim.now), this.#timerKind, i);
  }
}
