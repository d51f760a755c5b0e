/**
 * What the stack models share: the receive path, sockets, the application, reply transmission,
 * counters and the report.
 *
 * @module
 */
import { HOST_NIC_TX_RING_FULL, HostNic } from "../sim/host_nic.ts";
import { CORE_CAT_NAMES } from "../sim/host_core.ts";
import type { Host } from "../sim/host.ts";
import { Reason, reasonName } from "../../stack/packet/mod.ts";
import { RxPath } from "./_rx_path.ts";
import { STACK_DROP_NAMES, StackDrop } from "./drops.ts";
import { MAX_REPLIES, type ServerApp } from "./server_app.ts";
import type { StackModel, StackReport } from "./stack_model.ts";
import type { UdpSocket } from "./udp_socket.ts";

/** Shared state and bookkeeping of a timed stack model. */
export abstract class StackBase implements StackModel {
  /** Model name. */
  abstract readonly name: string;
  /** Variant. */
  abstract readonly variant: string;
  /** Host. */
  readonly host: Host;
  /** Application. */
  readonly app: ServerApp;
  /** Receive path (parse, verify, demux). */
  readonly rx: RxPath;
  /** Sockets, by index. */
  readonly sockets: UdpSocket[] = [];
  /** Drops by {@link StackDrop} code. */
  readonly drops: Uint32Array = new Uint32Array(STACK_DROP_NAMES.length);
  /** Requests that reached a socket. */
  delivered = 0;
  /** Requests the application answered. */
  served = 0;
  /** Reply frames handed to the NIC. */
  repliesSent = 0;
  /** Thread wake-ups. */
  wakeups = 0;
  /** Wake-ups that found nothing to read. */
  spuriousWakeups = 0;
  /** Requests taken off an RX ring and not yet queued, dropped or served. */
  held = 0;
  /** Reply frames built by the application and not yet handed to the NIC. */
  repliesPending = 0;
  /** Scratch for reply buffer ids. */
  protected readonly replies: Int32Array = new Int32Array(MAX_REPLIES);

  /** Base for a model on `host` serving `app`. */
  constructor(host: Host, app: ServerApp) {
    this.host = host;
    this.app = app;
    this.rx = new RxPath(host.testbed.pool, host.ip);
  }

  /** Counts a request drop and frees its buffer. */
  protected dropRequest(buf: number, code: number): void {
    this.drops[code] = (this.drops[code] ?? 0) + 1;
    this.held--;
    const pool = this.host.testbed.pool;
    pool.free(buf, pool.owner[buf] ?? this.host.owner);
  }

  /**
   * Runs the application on the request in `buf` (parsed again: the buffer may have waited in a
   * socket, and it passed `rx.classify` on arrival); returns the number of reply frames now in
   * {@link StackBase.replies}.
   */
  protected serve(buf: number): number {
    this.held--;
    const rx = this.rx;
    if (rx.reparse(buf) !== Reason.Ok) {
      // Cannot happen for a buffer that passed classification on receive; count it honestly.
      this.drops[StackDrop.BadFrame] = (this.drops[StackDrop.BadFrame] ?? 0) + 1;
      const pool = this.host.testbed.pool;
      pool.free(buf, pool.owner[buf] ?? this.host.owner);
      return 0;
    }
    const before = this.app.replyAllocFailures;
    const n = this.app.serve(buf, rx.info, this.replies);
    const failed = this.app.replyAllocFailures - before;
    if (failed > 0) {
      this.drops[StackDrop.NoReplyBuffer] = (this.drops[StackDrop.NoReplyBuffer] ?? 0) + failed;
    }
    if (n < 0) {
      this.drops[StackDrop.AppIgnored] = (this.drops[StackDrop.AppIgnored] ?? 0) + 1;
      return 0;
    }
    this.served++;
    this.repliesPending += n;
    return n;
  }

  /** Hands reply `buf` to TX queue `q` of the NIC. */
  protected sendReply(q: number, buf: number): void {
    const pool = this.host.testbed.pool;
    this.repliesPending--;
    if (this.host.nic.send(q, buf, pool.length[buf] ?? 0)) this.repliesSent++;
  }

  /** Payload bytes of a reply frame (frame minus Ethernet, IPv4 and UDP headers). */
  protected replyPayloadBytes(buf: number): number {
    return Math.max(0, (this.host.testbed.pool.length[buf] ?? 0) - 42);
  }

  /** Frames the host received. */
  received(): number {
    return this.host.nic.rxFrames;
  }

  /** Request drops, all reasons (NIC receive drops and stack drops, reply-buffer drops excluded). */
  dropped(): number {
    const nic = this.host.nic;
    let n = 0;
    for (let i = 0; i < HOST_NIC_TX_RING_FULL; i++) n += nic.drops[i] ?? 0;
    for (let i = 0; i < this.drops.length; i++) {
      if (i !== StackDrop.NoReplyBuffer) n += this.drops[i] ?? 0;
    }
    return n;
  }

  /** Requests in rings, socket queues or being processed. */
  inFlight(): number {
    const nic = this.host.nic;
    let n = this.held;
    for (let q = 0; q < nic.queues; q++) n += nic.pending(q);
    for (const s of this.sockets) n += s.length;
    return n;
  }

  #queueReport(): StackReport["queues"] {
    const nic = this.host.nic;
    const ringDrops = new Map<string, number>();
    for (const c of nic.model.counters()) {
      if (c.name.endsWith("_no_dma_resources")) ringDrops.set(c.name, c.value);
    }
    return Array.from({ length: nic.queues }, (_, q) => ({
      rxPackets: nic.rxPackets[q] ?? 0,
      ringDrops: ringDrops.get(`rx_queue_${q}_no_dma_resources`) ?? 0,
      interrupts: nic.interrupts[q] ?? 0,
      txFrames: nic.txFrames[q] ?? 0,
    }));
  }

  /** The counters as plain data. */
  report(): StackReport {
    const nic = this.host.nic;
    const drops: Record<string, number> = {};
    const names = HostNic.dropNames();
    for (let i = 1; i < nic.drops.length; i++) {
      if ((nic.drops[i] ?? 0) > 0) drops[`nic.${names[i]}`] = nic.drops[i] ?? 0;
    }
    this.drops.forEach((v, i) => {
      if (v > 0) drops[`stack.${STACK_DROP_NAMES[i]}`] = v;
    });
    this.rx.reasons.forEach((v, i) => {
      if (v > 0) drops[`packet.${reasonName(i)}`] = v;
    });
    return {
      stack: this.name,
      variant: this.variant,
      delivered: this.delivered,
      served: this.served,
      repliesSent: this.repliesSent,
      drops,
      sockets: this.sockets.map((s) => ({
        name: s.name,
        drops: s.drops,
        highWater: s.highWater,
        lockAcquisitions: s.lock.acquisitions,
        lockWaited: s.lock.waited,
        lockWaitNs: s.lock.waitNsSum,
        lockLineTransfers: s.lock.lineTransfers,
      })),
      queues: this.#queueReport(),
      cores: this.host.cores.map((c) => {
        // idleNs() settles a spin still in progress into categoryNs: read it first.
        const idleNs = c.idleNs();
        const busy: Record<string, number> = {};
        CORE_CAT_NAMES.forEach((name, i) => {
          busy[name] = c.categoryNs[i] ?? 0;
        });
        return { busy, idleNs };
      }),
      wakeups: this.wakeups,
      spuriousWakeups: this.spuriousWakeups,
    };
  }
}
