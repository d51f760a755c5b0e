/**
 * The Onload-like kernel-bypass stack model in time: one user-level stack per thread, each with
 * its own virtual interface (an RX/TX queue pair of the SFC9020) and its own socket, steered by a
 * hardware filter per listening socket, every thread spinning on its queue instead of taking
 * interrupts.
 *
 * Mechanisms: host-stacks.md §4.10 and nic-models.md §3.9 (user-level stack, per-stack VNICs,
 * hardware full/wild filters, spinning in the latency profile). The per-socket filter is one UDP
 * wildcard filter (local IP + port) with RSS enabled over the threads' queues (nic-models.md
 * §3.6: a filter with RSS spreads its packets over an RSS range), so each thread's stack gets the
 * flows the indirection table gives its queue (UDP hashed on addresses, §3.7).
 *
 * Costs (host-stacks.md §5.5: the kernel path without system calls, copies and scheduler work,
 * the driver replaced by batched ring access), all from `harness/sim/calibration.ts`:
 * receive `ring_access_bypass` + `l3l4_rx` + the stack's socket lock (`socket_lock_hold`,
 * uncontended: one owner) + `socket_enqueue`; read: the socket lock; application work; send:
 * `l3l4_tx` + `ring_access_bypass`. While a thread has nothing to do its core spins.
 *
 * @module
 */
import { type Calibration, lockCosts, Op } from "../sim/calibration.ts";
import { CoreCat, type CoreTask, type HostCore } from "../sim/host_core.ts";
import type { Host } from "../sim/host.ts";
import { NO_EVENT } from "../sim/simulator.ts";
import type { NicConfig } from "../../nicmodels/_shared/nic.ts";
import { formatIpv4 } from "../../stack/packet/addr.ts";
import { SFC_IP_TABLE } from "../../nicmodels/solarflare_sfc9020/capabilities.ts";
import { sfcDefaultConfig } from "../../nicmodels/solarflare_sfc9020/config.ts";
import { StackBase } from "./_base.ts";
import { StackDrop } from "./drops.ts";
import { MAX_REPLIES, type ServerApp } from "./server_app.ts";
import { DEFAULT_SOCKET_QUEUE_DATAGRAMS, UdpSocket } from "./udp_socket.ts";

/** Options of the Onload-like model (threads = the NIC's queues: one stack per VI). */
export interface OnloadLikeOptions {
  /** Socket receive queue bound per stack (default {@link DEFAULT_SOCKET_QUEUE_DATAGRAMS}). */
  readonly socketQueueDatagrams?: number;
}

/**
 * The SFC9020 configuration the Onload-like model needs: `threads` queues (one VI per stack),
 * RSS over them, and one wildcard filter with RSS for the listening socket `ip:port` of IP
 * protocol `proto` (17 UDP, the default; 6 TCP).
 */
export function onloadNicConfig(threads: number, ip: number, port: number, proto = 17): NicConfig {
  const base = sfcDefaultConfig(threads, { rss: true });
  return {
    ...base,
    filters: [{
      table: SFC_IP_TABLE,
      match: { proto, dstIp: formatIpv4(ip), dstPort: port },
      queue: 0,
      rss: threads > 1,
    }],
  };
}

const Step = { Idle: 0, Rx: 1, Read: 2, Serve: 3, Send: 4 } as const;
type StepCode = typeof Step[keyof typeof Step];

/** One thread with its user-level stack, VI (queue `index`) and socket. */
class StackThread implements CoreTask {
  readonly name: string;
  readonly index: number;
  readonly core: HostCore;
  readonly socket: UdpSocket;
  #m: OnloadLike;
  #step: StepCode = Step.Idle;
  #pending = -1;
  #buf = -1;
  #out: Int32Array = new Int32Array(MAX_REPLIES);
  #replies = 0;
  #next = 0;
  #tmp = new Int32Array(1);

  constructor(m: OnloadLike, index: number, core: HostCore, socket: UdpSocket) {
    this.#m = m;
    this.index = index;
    this.name = `onload-stack${index}`;
    this.core = core;
    this.socket = socket;
  }

  ready(): boolean {
    return this.#buf >= 0 || this.#replies > this.#next || this.socket.length > 0 ||
      this.#m.host.nic.visible(this.index) > 0;
  }

  start(core: HostCore): void {
    const m = this.#m;
    const ns = m.cal.ns;
    const hold = Math.round(ns[Op.socket_lock_hold] as number);
    if (this.#replies > this.#next) {
      this.#step = Step.Send;
      core.charge(CoreCat.Stack, ns[Op.l3l4_tx] as number);
      core.charge(CoreCat.Driver, ns[Op.ring_access_bypass] as number);
      return;
    }
    if (this.#buf >= 0) {
      this.#step = Step.Serve;
      if (m.app.workOp >= 0) core.charge(CoreCat.App, ns[m.app.workOp] as number);
      return;
    }
    if (this.socket.length > 0) {
      this.#step = Step.Read;
      const release = this.socket.lock.acquire(core.id, hold, NO_EVENT);
      core.charge(CoreCat.LockWait, release - m.now() - hold);
      core.charge(CoreCat.Stack, hold);
      return;
    }
    // Poll the VI: one received packet through the user-level stack into the socket.
    this.#step = Step.Rx;
    if (m.host.nic.pollRx(this.index, 1, this.#tmp) !== 1) {
      this.#step = Step.Idle;
      return;
    }
    const buf = this.#tmp[0] as number;
    m.held++;
    core.charge(CoreCat.Driver, ns[Op.ring_access_bypass] as number);
    core.charge(CoreCat.Stack, ns[Op.l3l4_rx] as number);
    const s = m.rx.classify(buf);
    if (s < 0) {
      m.drop(buf, -1 - s);
      this.#step = Step.Idle;
      return;
    }
    const release = this.socket.lock.acquire(core.id, hold, NO_EVENT);
    core.charge(CoreCat.LockWait, release - m.now() - hold);
    core.charge(CoreCat.Stack, hold + (ns[Op.socket_enqueue] as number));
    this.#pending = buf;
  }

  finish(): void {
    const m = this.#m;
    switch (this.#step) {
      case Step.Rx:
        m.enqueue(this.socket, this.#pending);
        this.#pending = -1;
        break;
      case Step.Read:
        this.#buf = this.socket.shift();
        if (this.#buf >= 0) m.held++;
        break;
      case Step.Serve:
        this.#replies = m.serveRequest(this.#buf, this.#out);
        this.#next = 0;
        this.#buf = -1;
        break;
      case Step.Send:
        m.sendOn(this.index, this.#out[this.#next] as number);
        this.#next++;
        if (this.#next >= this.#replies) this.#replies = this.#next = 0;
        break;
      default:
        break;
    }
    this.#step = Step.Idle;
  }
}

/** The Onload-like model (see the module documentation). */
export class OnloadLike extends StackBase {
  /** Model name. */
  readonly name = "onload-like";
  /** Variant: the latency profile (spinning). */
  readonly variant = "spin";
  /** The calibration. */
  readonly cal: Calibration;
  #threads: StackThread[];

  /** Installs the model on `host` (an SFC9020 configured by {@link onloadNicConfig}). */
  constructor(host: Host, app: ServerApp, options: OnloadLikeOptions = {}) {
    super(host, app);
    this.cal = host.testbed.calibration;
    const nic = host.nic;
    const cfg = nic.model.config();
    const hasFilter = cfg.filters.some((f) => f.match.dstPort === app.port && f.match.proto === 17);
    if (!hasFilter) {
      throw new Error(
        `Onload-like stack needs a UDP filter for port ${app.port} on the NIC: configure it with onloadNicConfig()`,
      );
    }
    const threads = nic.queues;
    if (threads > host.cores.length) {
      throw new RangeError(
        `Onload-like stack runs one spinning thread per NIC queue: ${threads} queues need ${threads} cores, the host has ${host.cores.length}`,
      );
    }
    this.rx.bind(app.port, 0);
    const sim = host.testbed.sim;
    this.#threads = Array.from({ length: threads }, (_, i) => {
      const core = host.cores[i] as HostCore;
      const sock = new UdpSocket(
        sim,
        `${host.name}.stack${i}.udp${app.port}`,
        app.port,
        lockCosts(this.cal),
        options.socketQueueDatagrams ?? DEFAULT_SOCKET_QUEUE_DATAGRAMS,
      );
      this.sockets.push(sock);
      const t = new StackThread(this, i, core, sock);
      core.addTask(t);
      core.addSpinner();
      return t;
    });
    for (let q = 0; q < nic.queues; q++) nic.disableInterrupt(q);
    nic.onVisible = (q) => {
      const t = this.#threads[q];
      if (t !== undefined) t.core.kick();
    };
  }

  /** Simulated now (ns). */
  now(): number {
    return this.host.testbed.sim.now;
  }

  /** Counts a request drop with its {@link StackDrop} code and frees the buffer. */
  drop(buf: number, code: number): void {
    this.dropRequest(buf, code);
  }

  /** Queues a request on a stack's socket (or drops it when full). */
  enqueue(sock: UdpSocket, buf: number): void {
    if (!sock.push(buf)) {
      this.dropRequest(buf, StackDrop.SocketFull);
      return;
    }
    this.held--;
    this.delivered++;
  }

  /** Runs the application; reply ids go into `out`. */
  serveRequest(buf: number, out: Int32Array): number {
    const n = this.serve(buf);
    for (let i = 0; i < n; i++) out[i] = this.replies[i] as number;
    return n;
  }

  /** Sends a reply on the stack's own TX queue. */
  sendOn(q: number, buf: number): void {
    this.sendReply(q, buf);
  }
}
