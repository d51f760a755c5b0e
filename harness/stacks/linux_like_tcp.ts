/**
 * The Linux-like stack model serving memcached over TCP: the real {@link TcpEngine} as the
 * kernel's TCP, one listening socket with its lock and bounded accept queue, memcached 1.6's
 * dispatcher thread accepting connections and handing them round robin to worker threads, each
 * worker reading and writing its own connections.
 *
 * Mechanisms and parameters: host-stacks.md §1 (interrupts, NAPI softirq on the interrupted
 * core), §2.4 (the listener's lock around SYN handling, the handshake ACK's promotion and
 * `accept`; accept queue = min(backlog, somaxconn), overflow drops the SYN or the ACK, counted,
 * and the client retransmits), §2.5 and §5.3 (per-connection accept, VFS and epoll costs);
 * memcached 1.6 `thread.c` `dispatch_conn_new` (the main thread accepts and assigns each new
 * connection to worker `last_thread = (last_thread + 1) % num_threads`, notifying it through its
 * pipe; the worker registers it with its own event loop).
 *
 * Per frame, on the interrupted core (softirq): `driver_rx` + `l3l4_rx` + `tcp_segment_extra`,
 * then the listener's lock (a shared FIFO spin lock held `socket_lock_hold`) for a SYN or a
 * handshake ACK, or the connection's socket lock (`lock_uncontended` + `socket_lock_hold`), plus
 * `socket_enqueue` for a segment with data; the engine then processes the segment. Segments the
 * engine emits in softirq (ACKs, SYN-ACKs) cost `l3l4_tx` + `tcp_segment_extra` + `driver_tx`
 * each on that core.
 *
 * Dispatcher (default on core 0): per connection `sched_running` (+ `wakeup_context_switch`
 * after sleeping), `syscall` for `accept4` and for the pipe write, the listener's lock, and
 * `accept_conn`. Worker (thread i on core i mod cores): per notification two `syscall`s (pipe
 * read, `epoll_ctl`); per wake-up `sched_running` (+ `wakeup_context_switch`) + `syscall`
 * (`epoll_wait`); per read event `syscall` + the socket lock + `copy_in` of the bytes read +
 * `memcached_get` per command; per reply `syscall` + `copy_out` + the socket lock; its segments
 * cost `l3l4_tx` + `tcp_segment_extra` + `driver_tx` each on the worker's core (TX queue = core,
 * XPS). All costs from `harness/sim/calibration.ts`.
 *
 * Simplifications (stated, not hidden): threads stay on their cores (no wake-up migration), the
 * NAPI weight and softirq budget are not enforced, per-connection socket locks are charged as
 * uncontended, engine timers (retransmission, delayed ACK) run in core 0's softirq.
 *
 * @module
 */
import { type Calibration, copyNs, lockCosts, Op } from "../sim/calibration.ts";
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

/** Options of the Linux-like TCP model. */
export interface LinuxLikeTcpOptions {
  /** memcached worker threads (`-t`; default one per core). */
  readonly threads?: number;
  /** Core of memcached's dispatcher (main) thread (default 0). */
  readonly dispatcherCore?: number;
  /** Listen backlog (default memcached's 1024; the queue holds min(backlog, somaxconn)). */
  readonly backlog?: number;
  /** TCP engine knobs (somaxconn, RTOs, buffers; default the engine's). */
  readonly tcp?: TcpConfig;
  /** Core taking queue q's interrupt (default q mod cores). */
  readonly irqCores?: readonly number[];
}

const Step = { None: 0, Tx: 1, Rx: 2, Notify: 3, Read: 4, Serve: 5, Send: 6, Accept: 7 } as const;
const Run = { Sleeping: 0, Waking: 1, Running: 2 } as const;

/** NAPI softirq of one core: frames from its queues into the engine, emitted segments out. */
class Softirq implements CoreTask {
  readonly name: string;
  readonly core: HostCore;
  readonly tx = new FrameList();
  readonly #m: LinuxLikeTcp;
  readonly #list: Int32Array;
  readonly #inList: Uint8Array;
  readonly #info = new FrameInfo();
  readonly #tmp = new Int32Array(1);
  #head = 0;
  #len = 0;
  #step: number = Step.None;
  #buf = -1;

  constructor(m: LinuxLikeTcp, core: HostCore, queues: number) {
    this.#m = m;
    this.core = core;
    this.name = `softirq${core.id}`;
    this.#list = new Int32Array(queues);
    this.#inList = new Uint8Array(queues);
  }

  schedule(q: number): void {
    if (this.#inList[q] === 1) return;
    this.#inList[q] = 1;
    this.#list[(this.#head + this.#len) % this.#list.length] = q;
    this.#len++;
    this.core.kick();
  }

  ready(): boolean {
    return this.tx.length > 0 || this.#len > 0;
  }

  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    this.#step = Step.None;
    if (this.tx.length > 0) {
      this.#step = Step.Tx;
      core.charge(CoreCat.Stack, (ns[Op.l3l4_tx] as number) + (ns[Op.tcp_segment_extra] as number));
      core.charge(CoreCat.Driver, ns[Op.driver_tx] as number);
      return;
    }
    const nic = m.host.nic;
    while (this.#len > 0) {
      const q = this.#list[this.#head] as number;
      if (nic.pollRx(q, 1, this.#tmp) === 1) {
        const buf = this.#tmp[0] as number;
        m.held++;
        core.charge(CoreCat.Driver, ns[Op.driver_rx] as number);
        core.charge(
          CoreCat.Stack,
          (ns[Op.l3l4_rx] as number) + (ns[Op.tcp_segment_extra] as number),
        );
        const code = classifyTcpFrame(
          m.host.testbed.pool,
          buf,
          m.host.ip,
          this.#info,
          m.rx.reasons,
        );
        if (code >= 0) {
          m.dropFrame(buf, code);
          return;
        }
        m.chargeSocketLock(core, m.tcp.isListenerSegment(this.#info));
        if (this.#info.payloadLen > 0) core.charge(CoreCat.Stack, ns[Op.socket_enqueue] as number);
        this.#step = Step.Rx;
        this.#buf = buf;
        return;
      }
      // Queue drained: NAPI complete, re-arm its interrupt.
      this.#inList[q] = 0;
      this.#head = (this.#head + 1) % this.#list.length;
      this.#len--;
      nic.enableInterrupt(q);
    }
  }

  finish(core: HostCore): void {
    const m = this.#m;
    const step = this.#step;
    this.#step = Step.None;
    if (step === Step.Tx) {
      m.sendFrame(core, this.tx.shift());
    } else if (step === Step.Rx) {
      m.held--;
      if (this.#info.payloadLen > 0) m.delivered++;
      m.tcp.input(this.#buf, this.#info);
      m.afterEngine(core.id, this.tx);
    }
  }
}

/** A memcached worker thread with its own connections. */
export class MemcachedWorker implements CoreTask {
  /** Task name. */
  readonly name: string;
  /** Worker number. */
  readonly index: number;
  /** The core it runs on. */
  readonly core: HostCore;
  /** Segments its system calls emitted, waiting for their transmit cost. */
  readonly tx = new FrameList();
  /** Connections the dispatcher handed to this worker. */
  assigned = 0;
  readonly #m: LinuxLikeTcp;
  readonly #ready: Int32Array;
  readonly #inReady: Uint8Array;
  #head = 0;
  #len = 0;
  #notify = 0;
  #run: number = Run.Sleeping;
  #woke = false;
  #poll = true;
  #step: number = Step.None;
  #conn = -1;
  #bytes = 0;
  #requests = 0;
  #ended = false;
  #reply: Uint8Array = new Uint8Array(4096);
  #replyLen = 0;

  /** Worker `index` of model `m` on `core`, for up to `maxConns` connection ids. */
  constructor(m: LinuxLikeTcp, index: number, core: HostCore, maxConns: number) {
    this.#m = m;
    this.index = index;
    this.name = `memcached-worker${index}`;
    this.core = core;
    this.#ready = new Int32Array(maxConns);
    this.#inReady = new Uint8Array(maxConns);
  }

  /** A connection of this worker became readable, writable or ended. */
  markReady(id: number, waker: number): void {
    if (this.#inReady[id] !== 1) {
      this.#inReady[id] = 1;
      this.#ready[(this.#head + this.#len) % this.#ready.length] = id;
      this.#len++;
    }
    this.wake(waker);
  }

  /** The dispatcher handed a new connection (a pipe notification). */
  assign(id: number, waker: number): void {
    this.assigned++;
    this.#notify++;
    if (this.#m.tcp.engine.readable(id) > 0) this.markReady(id, waker);
    else this.wake(waker);
  }

  /** Wakes the thread from `epoll_wait`; `waker` is the core whose step woke it. */
  wake(waker: number): void {
    // A wake from a step on this same core needs no kick: the core picks its next step when
    // that step's finish returns (kicking inside it would start a step in the middle of it).
    if (this.#run === Run.Running) {
      if (waker !== this.core.id) this.core.kick();
      return;
    }
    if (this.#run !== Run.Sleeping) return;
    this.#m.wakeups++;
    this.#woke = true;
    if (waker === this.core.id) {
      this.#run = Run.Running;
    } else {
      this.#run = Run.Waking;
      this.#m.scheduleIpi(this.index);
    }
  }

  /** The wake-up IPI arrived. */
  ipiArrived(): void {
    if (this.#run !== Run.Waking) return;
    this.#run = Run.Running;
    this.core.kick();
  }

  #hasWork(): boolean {
    return this.#step === Step.Serve || this.#step === Step.Send || this.tx.length > 0 ||
      this.#notify > 0 || this.#len > 0;
  }

  /** Whether it has a step to run. */
  ready(): boolean {
    return this.#run === Run.Running && this.#hasWork();
  }

  /** Starts its next step (see the module documentation for the costs). */
  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    if (this.#step === Step.Serve) {
      core.charge(CoreCat.Copy, copyNs(m.cal, "in", this.#bytes));
      core.charge(CoreCat.App, this.#requests * (ns[Op.memcached_get] as number));
      return;
    }
    if (this.#step === Step.Send) {
      core.charge(CoreCat.Syscall, ns[Op.syscall] as number);
      core.charge(CoreCat.Copy, copyNs(m.cal, "out", this.#replyLen));
      m.chargeSocketLock(core, false);
      return;
    }
    if (this.tx.length > 0) {
      this.#step = Step.Tx;
      core.charge(CoreCat.Stack, (ns[Op.l3l4_tx] as number) + (ns[Op.tcp_segment_extra] as number));
      core.charge(CoreCat.Driver, ns[Op.driver_tx] as number);
      return;
    }
    if (this.#poll) {
      // Back from epoll_wait: scheduler work, the wake-up if it slept, the system call.
      core.charge(CoreCat.Sched, ns[Op.sched_running] as number);
      if (this.#woke) core.charge(CoreCat.Sched, ns[Op.wakeup_context_switch] as number);
      core.charge(CoreCat.Syscall, ns[Op.syscall] as number);
      this.#woke = false;
      this.#poll = false;
    }
    if (this.#notify > 0) {
      this.#step = Step.Notify;
      core.charge(CoreCat.Syscall, 2 * (ns[Op.syscall] as number));
      return;
    }
    const id = this.#ready[this.#head] as number;
    this.#head = (this.#head + 1) % this.#ready.length;
    this.#len--;
    this.#inReady[id] = 0;
    this.#conn = id;
    this.#step = Step.Read;
    core.charge(CoreCat.Syscall, ns[Op.syscall] as number);
    m.chargeSocketLock(core, false);
  }

  /** Applies the step's effects. */
  finish(core: HostCore): void {
    const m = this.#m;
    const tcp = m.tcp;
    switch (this.#step) {
      case Step.Tx:
        m.sendFrame(core, this.tx.shift());
        this.#step = Step.None;
        break;
      case Step.Notify:
        this.#notify--;
        this.#step = Step.None;
        break;
      case Step.Read: {
        const id = this.#conn;
        this.#step = Step.None;
        if (!tcp.hasSession(id)) break;
        const unsent = m.takeUnsent(id);
        if (unsent !== null) {
          this.#setReply(unsent, unsent.length);
          this.#bytes = this.#requests = 0;
          this.#ended = false;
          this.#step = Step.Send;
          break;
        }
        const r = tcp.read(id);
        this.#bytes = r.bytes;
        this.#requests = r.requests;
        this.#ended = r.ended;
        m.served += r.requests;
        if (r.bytes === 0 && !r.ended) m.spuriousWakeups++;
        this.#setReply(tcp.reply, r.replyBytes);
        m.afterEngine(core.id, this.tx);
        if (r.bytes > 0) this.#step = Step.Serve;
        else if (r.ended) m.closeConn(core.id, id, this.tx);
        break;
      }
      case Step.Serve:
        if (this.#replyLen > 0) this.#step = Step.Send;
        else {
          this.#step = Step.None;
          if (this.#ended) m.closeConn(core.id, this.#conn, this.tx);
        }
        break;
      case Step.Send: {
        const id = this.#conn;
        this.#step = Step.None;
        if (!tcp.hasSession(id)) break;
        const n = tcp.send(id, this.#reply, 0, this.#replyLen);
        if (n >= 0 && n < this.#replyLen) m.keepUnsent(id, this.#reply.slice(n, this.#replyLen));
        m.afterEngine(core.id, this.tx);
        if (this.#ended || n < 0) m.closeConn(core.id, id, this.tx);
        break;
      }
      default:
        this.#step = Step.None;
    }
    if (!this.#hasWork()) {
      this.#run = Run.Sleeping;
      this.#poll = true;
    }
  }

  #setReply(src: Uint8Array, n: number): void {
    if (this.#reply.length < n) this.#reply = new Uint8Array(Math.max(n, 2 * this.#reply.length));
    this.#reply.set(src.subarray(0, n));
    this.#replyLen = n;
  }
}

/** memcached's dispatcher (main) thread: accepts and hands connections to workers. */
class Dispatcher implements CoreTask {
  readonly name = "memcached-dispatcher";
  readonly core: HostCore;
  readonly tx = new FrameList();
  readonly #m: LinuxLikeTcp;
  #run: number = Run.Sleeping;
  #woke = false;
  #step: number = Step.None;
  #next = 0;

  constructor(m: LinuxLikeTcp, core: HostCore) {
    this.#m = m;
    this.core = core;
  }

  wake(waker: number): void {
    // A wake from a step on this same core needs no kick: the core picks its next step when
    // that step's finish returns (kicking inside it would start a step in the middle of it).
    if (this.#run === Run.Running) {
      if (waker !== this.core.id) this.core.kick();
      return;
    }
    if (this.#run !== Run.Sleeping) return;
    this.#m.wakeups++;
    this.#woke = true;
    if (waker === this.core.id) {
      this.#run = Run.Running;
    } else {
      this.#run = Run.Waking;
      this.#m.scheduleIpi(-1);
    }
  }

  ipiArrived(): void {
    if (this.#run !== Run.Waking) return;
    this.#run = Run.Running;
    this.core.kick();
  }

  ready(): boolean {
    const tcp = this.#m.tcp;
    return this.#run === Run.Running &&
      (this.tx.length > 0 || tcp.engine.acceptQueueLength(tcp.listener) > 0);
  }

  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    if (this.tx.length > 0) {
      this.#step = Step.Tx;
      core.charge(CoreCat.Stack, (ns[Op.l3l4_tx] as number) + (ns[Op.tcp_segment_extra] as number));
      core.charge(CoreCat.Driver, ns[Op.driver_tx] as number);
      return;
    }
    this.#step = Step.Accept;
    core.charge(CoreCat.Sched, ns[Op.sched_running] as number);
    if (this.#woke) core.charge(CoreCat.Sched, ns[Op.wakeup_context_switch] as number);
    this.#woke = false;
    core.charge(CoreCat.Syscall, 2 * (ns[Op.syscall] as number));
    m.chargeSocketLock(core, true);
    core.charge(CoreCat.Stack, ns[Op.accept_conn] as number);
  }

  finish(core: HostCore): void {
    const m = this.#m;
    const step = this.#step;
    this.#step = Step.None;
    if (step === Step.Tx) {
      m.sendFrame(core, this.tx.shift());
    } else if (step === Step.Accept) {
      const id = m.tcp.accept();
      if (id >= 0) {
        const w = this.#next;
        this.#next = (this.#next + 1) % m.workers.length;
        m.assign(id, w, core.id);
      }
      m.afterEngine(core.id, this.tx);
    }
    if (!this.ready()) this.#run = Run.Sleeping;
  }
}

/** The Linux-like TCP model (see the module documentation). */
export class LinuxLikeTcp extends TcpStackBase {
  /** Model name. */
  readonly name = "linux-like";
  /** Variant: the default kernel path over TCP. */
  readonly variant = "tcp";
  /** The calibration. */
  readonly cal: Calibration;
  /** The kernel's TCP. */
  readonly tcp: TcpServerEngine;
  /** The one engine. */
  readonly engines: readonly TcpServerEngine[];
  /** The listening socket's lock. */
  readonly listenLocks: readonly Lock[];
  /** Worker threads. */
  readonly workers: MemcachedWorker[];
  /** Connections closed by the application. */
  closed = 0;
  readonly #softirqs: Softirq[];
  readonly #dispatcher: Dispatcher;
  readonly #owner: Int32Array;
  readonly #unsent: (Uint8Array | null)[];
  readonly #ipiKind: number;
  readonly #timerKind: number;
  #timerAt = -1;

  /** Installs the model on `host` serving memcached `app` over TCP. */
  constructor(host: Host, app: MemcachedApp, options: LinuxLikeTcpOptions = {}) {
    super(host, app);
    const sim = host.testbed.sim;
    this.cal = host.testbed.calibration;
    const cores = host.cores;
    const queues = host.nic.queues;
    this.tcp = appTcpServer(host, app, options);
    this.engines = [this.tcp];
    const lock = new Lock(sim, `${host.name}.tcp${app.port}.listen`, lockCosts(this.cal));
    this.listenLocks = [lock];
    const maxConns = this.tcp.engine.config.maxConnections;
    this.#owner = new Int32Array(maxConns).fill(-1);
    this.#unsent = new Array(maxConns).fill(null);
    const irqCores = options.irqCores ?? Array.from({ length: queues }, (_, q) => q % cores.length);
    if (irqCores.length !== queues || irqCores.some((c) => !(c >= 0 && c < cores.length))) {
      throw new RangeError(
        `Linux-like TCP irqCores must give one core in 0..${
          cores.length - 1
        } per queue (${queues}), got [${irqCores.join(", ")}]`,
      );
    }
    const threads = options.threads ?? cores.length;
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
      throw new RangeError(
        `Linux-like TCP threads ${threads} is invalid: must be an integer 1..1024`,
      );
    }
    const dc = options.dispatcherCore ?? 0;
    if (!Number.isInteger(dc) || dc < 0 || dc >= cores.length) {
      throw new RangeError(
        `Linux-like TCP dispatcherCore ${dc} is invalid: must be a core 0..${cores.length - 1}`,
      );
    }
    this.#softirqs = cores.map((c) => {
      const s = new Softirq(this, c, queues);
      c.addTask(s, true);
      return s;
    });
    this.workers = Array.from({ length: threads }, (_, i) => {
      const core = cores[i % cores.length] as HostCore;
      const w = new MemcachedWorker(this, i, core, maxConns);
      core.addTask(w);
      return w;
    });
    this.#dispatcher = new Dispatcher(this, cores[dc] as HostCore);
    (cores[dc] as HostCore).addTask(this.#dispatcher);
    this.#ipiKind = sim.on(`${host.name}.linux-tcp.ipi`, (i) => {
      if (i < 0) this.#dispatcher.ipiArrived();
      else (this.workers[i] as MemcachedWorker).ipiArrived();
    });
    this.#timerKind = sim.on(`${host.name}.linux-tcp.timer`, () => this.#timer());
    host.nic.onInterrupt = (q) => {
      (this.#softirqs[irqCores[q] as number] as Softirq).schedule(q);
    };
    for (let q = 0; q < queues; q++) host.nic.enableInterrupt(q);
  }

  /** Charges the listener's lock (shared, FIFO) or a connection's socket lock (uncontended). */
  chargeSocketLock(core: HostCore, listener: boolean): void {
    const ns = this.cal.ns;
    const hold = Math.round(ns[Op.socket_lock_hold] as number);
    if (listener) {
      const release = (this.listenLocks[0] as Lock).acquire(core.id, hold, NO_EVENT);
      core.charge(CoreCat.LockWait, release - this.host.testbed.sim.now - hold);
      core.charge(CoreCat.Stack, hold);
    } else {
      core.charge(CoreCat.LockWait, ns[Op.lock_uncontended] as number);
      core.charge(CoreCat.Stack, hold);
    }
  }

  /** After an engine call on core `waker`: wake whoever events concern, frame emitted segments. */
  afterEngine(waker: number, out: FrameList): void {
    const ev = this.tcp.engine.events;
    while (ev.shift()) {
      if (ev.code === TcpEvent.AcceptReady) {
        this.#dispatcher.wake(waker);
        continue;
      }
      if (ev.code === TcpEvent.Established || ev.code === TcpEvent.Closed) continue;
      const w = this.#owner[ev.id] ?? -1;
      if (w >= 0) (this.workers[w] as MemcachedWorker).markReady(ev.id, waker);
    }
    const before = out.length;
    this.tcp.drain(out);
    this.repliesPending += out.length - before;
    this.#armTimer();
  }

  /** Gives connection `id` to worker `w`. */
  assign(id: number, w: number, waker: number): void {
    this.#owner[id] = w;
    (this.workers[w] as MemcachedWorker).assign(id, waker);
  }

  /** The application closes connection `id`. */
  closeConn(waker: number, id: number, out: FrameList): void {
    if (!this.tcp.hasSession(id)) return;
    this.#owner[id] = -1;
    this.#unsent[id] = null;
    this.tcp.close(id);
    this.closed++;
    this.afterEngine(waker, out);
  }

  /** Reply bytes the send buffer could not take yet (sent when the connection is writable). */
  keepUnsent(id: number, bytes: Uint8Array): void {
    this.#unsent[id] = bytes;
  }

  /** Takes connection `id`'s unsent reply bytes, or null. */
  takeUnsent(id: number): Uint8Array | null {
    const u = this.#unsent[id] ?? null;
    this.#unsent[id] = null;
    return u;
  }

  /** Hands frame `buf` to the NIC on `core`'s TX queue (XPS). */
  sendFrame(core: HostCore, buf: number): void {
    if (buf >= 0) this.sendReply(core.id % this.host.nic.queues, buf);
  }

  /** Schedules the wake-up IPI of worker `index` (-1: the dispatcher). */
  scheduleIpi(index: number): void {
    this.host.testbed.sim.after(Math.round(this.cal.ns[Op.ipi] as number), this.#ipiKind, index);
  }

  #armTimer(): void {
    const d = this.tcp.engine.nextDeadline();
    if (d >= 0 && (this.#timerAt < 0 || d < this.#timerAt)) {
      this.#timerAt = d;
      const sim = this.host.testbed.sim;
      sim.at(Math.max(Math.ceil(d), sim.now), this.#timerKind);
    }
  }

  #timer(): void {
    if (this.#timerAt > this.host.testbed.sim.now) return;
    this.#timerAt = -1;
    this.tcp.engine.tick();
    const s = this.#softirqs[0] as Softirq;
    this.afterEngine(s.core.id, s.tx);
    s.core.kick();
  }
}
