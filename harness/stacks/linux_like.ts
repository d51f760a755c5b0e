/**
 * The Linux-like stack model in time: RSS steering, per-queue interrupts with moderation, NAPI
 * softirq on the interrupted core, one UDP socket shared by every worker thread (its spin lock
 * and wake-ups, as memcached does with one listening address), system calls and copies,
 * scheduler wake-ups; variants `default`, `rss-pinned` and `busy-poll`.
 *
 * Mechanisms and parameters: host-stacks.md §1 (the kernel path), §2.1 (steering), §2.2 (busy
 * polling), §2.3 (the shared socket), §2.6 (locality), §5.1-§5.2 (costs, all from
 * `harness/sim/calibration.ts`).
 *
 * Per request, on the core that performs it:
 * - softirq (interrupted core): `driver_rx` + `l3l4_rx`, then the socket lock (FIFO spin lock,
 *   hold `socket_lock_hold`, acquisition `lock_uncontended` or + `cache_line_transfer` when the
 *   previous holder was another core) + `socket_enqueue` (+ `cold_stack` when it wakes a
 *   sleeping thread);
 * - worker thread: `sched_running` + `syscall` (+ `wakeup_context_switch` after sleeping), the
 *   socket lock to dequeue, `copy_in` of the payload, the application's work, then per reply
 *   `syscall` + `copy_out` + `l3l4_tx` + `driver_tx` on the thread's core (TX queue = core, XPS).
 *
 * @module
 */
import { type Calibration, copyNs, lockCosts, Op } from "../sim/calibration.ts";
import { CoreCat, type CoreTask, type HostCore } from "../sim/host_core.ts";
import type { Host } from "../sim/host.ts";
import { NO_EVENT } from "../sim/simulator.ts";
import { StackBase } from "./_base.ts";
import { StackDrop } from "./drops.ts";
import type { ServerApp } from "./server_app.ts";
import { DEFAULT_SOCKET_QUEUE_DATAGRAMS, type SocketWaiter, UdpSocket } from "./udp_socket.ts";

/** Variants of the Linux-like model (host-stacks.md §2.7: Dragonet's Linux baselines). */
export type LinuxVariant = "default" | "rss-pinned" | "busy-poll";

/** Every {@link LinuxVariant}. */
export const LINUX_VARIANTS: readonly LinuxVariant[] = ["default", "rss-pinned", "busy-poll"];

/** NAPI weight. source: host-stacks.md §1 and §5.1 (64 packets per poll, kernel docs [S]). */
export const NAPI_WEIGHT = 64;
/** Softirq round budget. source: host-stacks.md §1 (netdev_budget = 300 [S]). */
export const NETDEV_BUDGET = 300;
/** Busy-poll time. source: host-stacks.md §2.2 (Dragonet set busy_read = busy_poll = 50 µs [S]). */
export const BUSY_POLL_NS = 50_000;

/** Options of the Linux-like model. */
export interface LinuxLikeOptions {
  /** Variant (default "default"). */
  readonly variant?: LinuxVariant;
  /** Worker threads (default: one per core). */
  readonly threads?: number;
  /** NAPI weight (default {@link NAPI_WEIGHT}). */
  readonly napiWeight?: number;
  /** Softirq budget (default {@link NETDEV_BUDGET}). */
  readonly netdevBudget?: number;
  /** Busy-poll spin time in ns for the busy-poll variant (default {@link BUSY_POLL_NS}). */
  readonly busyPollNs?: number;
  /**
   * Wake every sleeping worker for one datagram (default true: each worker's epoll watches the
   * same descriptor; host-stacks.md §2.3 "thundering herd", unverified detail), or only one.
   */
  readonly wakeAll?: boolean;
  /** Socket receive queue bound in datagrams (default {@link DEFAULT_SOCKET_QUEUE_DATAGRAMS}). */
  readonly socketQueueDatagrams?: number;
  /**
   * Core taking queue q's interrupt (default q mod cores: one vector per queue pinned one per
   * CPU; host-stacks.md §2.1, unverified as a default, a parameter).
   */
  readonly irqCores?: readonly number[];
}

const NO_PACKET = -1;

/** NAPI softirq processing of one core; runs as a softirq or, after the budget, as ksoftirqd. */
class Softirq {
  readonly core: HostCore;
  readonly high: CoreTask;
  readonly ksoftirqd: CoreTask;
  /** Poll list: queues scheduled on this core (FIFO ring). */
  #list: Int32Array;
  #listHead = 0;
  #listLen = 0;
  #inList: Uint8Array;
  #quota = 0;
  #budget: number;
  #deferred = false;
  #packet = NO_PACKET;
  #socket = -1;
  #enqueueStep = false;
  #tmp = new Int32Array(1);
  #m: LinuxLike;

  constructor(m: LinuxLike, core: HostCore, queues: number) {
    this.#m = m;
    this.core = core;
    this.#list = new Int32Array(queues);
    this.#inList = new Uint8Array(queues);
    this.#budget = m.netdevBudget;
    this.high = {
      name: `softirq${core.id}`,
      ready: () => !this.#deferred && this.#hasWork(),
      start: (c) => this.#start(c),
      finish: () => this.#finish(),
    };
    this.ksoftirqd = {
      name: `ksoftirqd${core.id}`,
      ready: () => this.#deferred && this.#hasWork(),
      start: (c) => this.#start(c),
      finish: () => this.#finish(),
    };
  }

  /** NAPI schedule: queue q's interrupt fired on this core. */
  schedule(q: number): void {
    if (this.#inList[q] === 1) return;
    this.#inList[q] = 1;
    this.#list[(this.#listHead + this.#listLen) % this.#list.length] = q;
    this.#listLen++;
    if (this.#listLen === 1) this.#quota = this.#m.napiWeight;
    this.core.kick();
  }

  #hasWork(): boolean {
    return this.#listLen > 0 || this.#packet !== NO_PACKET;
  }

  #start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    if (this.#packet !== NO_PACKET) {
      // Second step of a packet: the socket lock, then enqueue and wake-up bookkeeping.
      const sock = m.sockets[this.#socket] as UdpSocket;
      const hold = Math.round(ns[Op.socket_lock_hold] as number);
      const release = sock.lock.acquire(core.id, hold, NO_EVENT);
      core.charge(CoreCat.LockWait, release - m.now() - hold);
      core.charge(CoreCat.Stack, hold + (ns[Op.socket_enqueue] as number));
      if (sock.waiters > 0) core.charge(CoreCat.Stack, ns[Op.cold_stack] as number);
      this.#enqueueStep = true;
      return;
    }
    // First step: take one descriptor from the head queue of the poll list.
    while (this.#listLen > 0) {
      const q = this.#list[this.#listHead] as number;
      if (this.#quota > 0 && m.host.nic.pollRx(q, 1, this.#tmp) === 1) {
        this.#quota--;
        this.#budget--;
        const buf = this.#tmp[0] as number;
        m.held++;
        core.charge(CoreCat.Driver, ns[Op.driver_rx] as number);
        core.charge(CoreCat.Stack, ns[Op.l3l4_rx] as number);
        const s = m.rx.classify(buf);
        if (s < 0) {
          m.dropFromSoftirq(buf, -1 - s);
        } else {
          this.#packet = buf;
          this.#socket = s;
        }
        this.#afterPacket(q);
        return;
      }
      if (this.#quota > 0) {
        // Fewer than the weight consumed: NAPI complete, re-arm the interrupt.
        this.#popHead();
        m.host.nic.enableInterrupt(q);
      } else {
        // Weight used up: stay scheduled, go to the back of the list.
        this.#popHead();
        this.#inList[q] = 1;
        this.#list[(this.#listHead + this.#listLen) % this.#list.length] = q;
        this.#listLen++;
      }
      this.#quota = m.napiWeight;
    }
    this.#deferred = false;
    this.#budget = m.netdevBudget;
  }

  #afterPacket(_q: number): void {
    if (this.#budget <= 0) {
      // Round budget spent: the rest runs in ksoftirqd, fairly with threads (host-stacks.md §1).
      this.#deferred = true;
      this.#budget = this.#m.netdevBudget;
    }
  }

  #popHead(): void {
    const q = this.#list[this.#listHead] as number;
    this.#inList[q] = 0;
    this.#listHead = (this.#listHead + 1) % this.#list.length;
    this.#listLen--;
  }

  #finish(): void {
    if (!this.#enqueueStep) return;
    this.#enqueueStep = false;
    const buf = this.#packet;
    const s = this.#socket;
    this.#packet = NO_PACKET;
    this.#m.enqueue(buf, s, this.core.id);
    if (this.#listLen === 0) {
      this.#deferred = false;
      this.#budget = this.#m.netdevBudget;
    }
  }
}

/** Worker states; Recv..Send are the runnable ones. */
const St = {
  /** Sleeping in epoll_wait / recvfrom. */
  Sleeping: 0,
  /** Spinning (busy poll). */
  Spinning: 1,
  /** Next step: recvfrom system call entry. */
  Recv: 2,
  /** Next step: socket lock and dequeue. */
  Dequeue: 3,
  /** Next step: copy in and application work. */
  Serve: 4,
  /** Next step: send reply `next`. */
  Send: 5,
  /** Woken, waiting for the IPI to arrive. */
  Waking: 6,
} as const;
type StCode = typeof St[keyof typeof St];

/** A memcached (or echo) worker thread reading the shared socket. */
class Worker implements CoreTask, SocketWaiter {
  readonly name: string;
  readonly index: number;
  core: HostCore;
  #m: LinuxLike;
  #st: StCode = St.Recv;
  #woke = false;
  #wokeUnread = false;
  #migrated = false;
  #buf = -1;
  #replies = 0;
  #next = 0;
  #out: Int32Array = new Int32Array(64);
  #spinDeadline = -1;
  #spinning = false;

  constructor(m: LinuxLike, index: number, core: HostCore) {
    this.#m = m;
    this.index = index;
    this.name = `worker${index}`;
    this.core = core;
  }

  ready(): boolean {
    return this.#st >= St.Recv && this.#st <= St.Send;
  }

  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    switch (this.#st) {
      case St.Recv:
        core.charge(CoreCat.Sched, ns[Op.sched_running] as number);
        if (this.#woke) core.charge(CoreCat.Sched, ns[Op.wakeup_context_switch] as number);
        if (this.#migrated) core.charge(CoreCat.Sched, ns[Op.cache_line_transfer] as number);
        this.#woke = false;
        this.#migrated = false;
        core.charge(CoreCat.Syscall, ns[Op.syscall] as number);
        return;
      case St.Dequeue: {
        const sock = m.sockets[0] as UdpSocket;
        const hold = Math.round(ns[Op.socket_lock_hold] as number);
        const release = sock.lock.acquire(core.id, hold, NO_EVENT);
        core.charge(CoreCat.LockWait, release - m.now() - hold);
        core.charge(CoreCat.Stack, hold);
        return;
      }
      case St.Serve: {
        const pool = m.host.testbed.pool;
        const payload = Math.max(0, (pool.length[this.#buf] ?? 0) - 42);
        core.charge(CoreCat.Copy, copyNs(m.cal, "in", payload));
        if (m.app.workOp >= 0) core.charge(CoreCat.App, ns[m.app.workOp] as number);
        return;
      }
      case St.Send: {
        const buf = this.#out[this.#next] as number;
        const payload = Math.max(0, (m.host.testbed.pool.length[buf] ?? 0) - 42);
        core.charge(CoreCat.Syscall, ns[Op.syscall] as number);
        core.charge(CoreCat.Copy, copyNs(m.cal, "out", payload));
        core.charge(CoreCat.Stack, ns[Op.l3l4_tx] as number);
        core.charge(CoreCat.Driver, ns[Op.driver_tx] as number);
        return;
      }
      default:
        throw new Error(`Worker ${this.index} started in state ${this.#st}`);
    }
  }

  finish(core: HostCore): void {
    const m = this.#m;
    switch (this.#st) {
      case St.Recv:
        this.#st = St.Dequeue;
        return;
      case St.Dequeue: {
        const buf = (m.sockets[0] as UdpSocket).shift();
        if (buf < 0) {
          this.#wait(core);
          return;
        }
        m.held++;
        this.#wokeUnread = false;
        this.#buf = buf;
        this.#st = St.Serve;
        return;
      }
      case St.Serve:
        this.#replies = m.serveRequest(this.#buf, this.#out);
        this.#buf = -1;
        this.#next = 0;
        this.#st = this.#replies > 0 ? St.Send : St.Recv;
        return;
      case St.Send:
        m.sendFrom(core, this.#out[this.#next] as number);
        this.#next++;
        if (this.#next >= this.#replies) this.#st = St.Recv;
        return;
      default:
        return;
    }
  }

  /** recvfrom found nothing (EAGAIN): spin (busy-poll) or sleep. */
  #wait(core: HostCore): void {
    const m = this.#m;
    const sock = m.sockets[0] as UdpSocket;
    if (this.#wokeUnread) m.spuriousWakeups++;
    this.#wokeUnread = false;
    if (m.busyPollNs > 0) {
      this.#st = St.Spinning;
      this.#spinning = true;
      core.addSpinner();
      this.#spinDeadline = m.now() + m.busyPollNs;
      m.scheduleSpinEnd(this.index);
    } else {
      this.#st = St.Sleeping;
    }
    sock.addWaiter(this);
  }

  /** Busy-poll time ran out: sleep (stays a waiter, now paying the wake-up cost). */
  spinTimeout(): void {
    if (this.#st !== St.Spinning || this.#m.now() < this.#spinDeadline) return;
    this.#stopSpinning();
    this.#st = St.Sleeping;
  }

  #stopSpinning(): void {
    if (this.#spinning) {
      this.core.removeSpinner();
      this.#spinning = false;
    }
  }

  /** The socket has data. */
  wake(): void {
    const m = this.#m;
    if (this.#st === St.Spinning) {
      // A spinning thread sees the data at once: no wake-up, no context switch.
      this.#stopSpinning();
      this.#st = St.Recv;
      this.core.kick();
      return;
    }
    if (this.#st !== St.Sleeping) return;
    m.wakeups++;
    this.#woke = true;
    this.#wokeUnread = true;
    const target = m.placeOnWake(this.core);
    if (target !== this.core) {
      this.core.removeTask(this);
      target.addTask(this);
      this.core = target;
      this.#migrated = true;
      m.migrations++;
    }
    const waker = m.currentWaker;
    if (waker === this.core.id) {
      this.#st = St.Recv;
      this.core.kick();
    } else {
      // Remote wake-up: an IPI (host-stacks.md §2.6).
      this.#st = St.Waking;
      m.scheduleIpi(this.index);
    }
  }

  /** The wake-up IPI arrived. */
  ipiArrived(): void {
    if (this.#st !== St.Waking) return;
    this.#st = St.Recv;
    this.core.kick();
  }
}

/** The Linux-like model (see the module documentation). */
export class LinuxLike extends StackBase {
  /** Model name. */
  readonly name = "linux-like";
  /** Variant. */
  readonly variant: LinuxVariant;
  /** The calibration. */
  readonly cal: Calibration;
  /** NAPI weight. */
  readonly napiWeight: number;
  /** Softirq budget. */
  readonly netdevBudget: number;
  /** Busy-poll ns (0 when not busy polling). */
  readonly busyPollNs: number;
  /** Whether one datagram wakes every sleeping worker. */
  readonly wakeAll: boolean;
  /** Woken threads moved to another core (default variant only). */
  migrations = 0;
  /** Core whose softirq is waking threads now (-1 outside a wake). */
  currentWaker: number = -1;
  #softirqs: Softirq[];
  #workers: Worker[];
  #spinEndKind: number;
  #ipiKind: number;

  /** Installs the model on `host` serving `app`. */
  constructor(host: Host, app: ServerApp, options: LinuxLikeOptions = {}) {
    super(host, app);
    this.variant = options.variant ?? "default";
    if (!LINUX_VARIANTS.includes(this.variant)) {
      throw new Error(
        `Linux-like variant "${this.variant}" is unknown: allowed ${LINUX_VARIANTS.join(", ")}`,
      );
    }
    const sim = host.testbed.sim;
    this.cal = host.testbed.calibration;
    this.napiWeight = positiveInt("napiWeight", options.napiWeight ?? NAPI_WEIGHT);
    this.netdevBudget = positiveInt("netdevBudget", options.netdevBudget ?? NETDEV_BUDGET);
    this.busyPollNs = this.variant === "busy-poll"
      ? positiveInt("busyPollNs", options.busyPollNs ?? BUSY_POLL_NS)
      : 0;
    this.wakeAll = options.wakeAll ?? true;
    const cores = host.cores;
    const queues = host.nic.queues;
    const irqCores = options.irqCores ?? Array.from({ length: queues }, (_, q) => q % cores.length);
    if (irqCores.length !== queues || irqCores.some((c) => !(c >= 0 && c < cores.length))) {
      throw new RangeError(
        `Linux-like irqCores must give one core in 0..${
          cores.length - 1
        } per queue (${queues}), got [${irqCores.join(", ")}]`,
      );
    }
    this.sockets.push(
      new UdpSocket(
        sim,
        `${host.name}.udp${app.port}`,
        app.port,
        lockCosts(this.cal),
        options.socketQueueDatagrams ?? DEFAULT_SOCKET_QUEUE_DATAGRAMS,
      ),
    );
    this.rx.bind(app.port, 0);
    this.#softirqs = cores.map((c) => {
      const s = new Softirq(this, c, queues);
      c.addTask(s.high, true);
      c.addTask(s.ksoftirqd);
      return s;
    });
    const threads = positiveInt("threads", options.threads ?? cores.length);
    // rss-pinned: thread i on the core of queue i's interrupt (taskset, host-stacks.md §2.7);
    // otherwise start round robin over the cores and let wake-ups place threads.
    this.#workers = Array.from({ length: threads }, (_, i) => {
      const core = this.variant === "rss-pinned"
        ? cores[irqCores[i % queues] as number] as HostCore
        : cores[i % cores.length] as HostCore;
      const w = new Worker(this, i, core);
      core.addTask(w);
      return w;
    });
    this.#spinEndKind = sim.on(`${host.name}.linux.spin-end`, (i) => {
      (this.#workers[i] as Worker).spinTimeout();
    });
    this.#ipiKind = sim.on(`${host.name}.linux.ipi`, (i) => {
      (this.#workers[i] as Worker).ipiArrived();
    });
    host.nic.onInterrupt = (q) => {
      (this.#softirqs[irqCores[q] as number] as Softirq).schedule(q);
    };
    for (let q = 0; q < queues; q++) host.nic.enableInterrupt(q);
    for (const c of cores) c.kick();
  }

  /** Simulated now (ns). */
  now(): number {
    return this.host.testbed.sim.now;
  }

  /** A softirq dropped a packet before the socket (counted). */
  dropFromSoftirq(buf: number, code: number): void {
    this.dropRequest(buf, code);
  }

  /** Queues a request on socket `s` (or drops it when full); the softirq of core `waker` wakes waiters. */
  enqueue(buf: number, s: number, waker: number): void {
    const sock = this.sockets[s] as UdpSocket;
    if (!sock.push(buf)) {
      this.dropRequest(buf, StackDrop.SocketFull);
      return;
    }
    this.held--;
    this.delivered++;
    this.currentWaker = waker;
    sock.wake(this.wakeAll);
    this.currentWaker = -1;
  }

  /** Runs the application; reply ids go into `out`. */
  serveRequest(buf: number, out: Int32Array): number {
    const n = this.serve(buf);
    for (let i = 0; i < n; i++) out[i] = this.replies[i] as number;
    return n;
  }

  /** Sends a reply from `core` on its TX queue (XPS: TX queue = core mod queues). */
  sendFrom(core: HostCore, buf: number): void {
    this.sendReply(core.id % this.host.nic.queues, buf);
  }

  /** Schedules the end of worker `index`'s busy-poll spin. */
  scheduleSpinEnd(index: number): void {
    this.host.testbed.sim.after(this.busyPollNs, this.#spinEndKind, index);
  }

  /** Schedules the IPI of worker `index`'s remote wake-up. */
  scheduleIpi(index: number): void {
    this.host.testbed.sim.after(Math.round(this.cal.ns[Op.ipi] as number), this.#ipiKind, index);
  }

  /**
   * Where a woken thread runs: pinned threads (rss-pinned, busy-poll) on their core; otherwise
   * on their previous core if it is idle, else on the lowest-numbered idle core, else stay.
   */
  placeOnWake(current: HostCore): HostCore {
    if (this.variant !== "default" || current.idle) return current;
    const cores = this.host.cores;
    for (let i = 0; i < cores.length; i++) {
      if ((cores[i] as HostCore).idle) return cores[i] as HostCore;
    }
    return current;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`Linux-like option ${name} ${v} is invalid: must be an integer >= 1`);
  }
  return v;
}
