/**
 * Bookkeeping the TCP stack models share on top of {@link StackBase}: frames held by cores,
 * drops including the engines' counted segment drops, and a report whose sockets are the
 * listening sockets (their lock, accept-queue overflows and high water).
 *
 * @module
 */
import { HOST_NIC_TX_RING_FULL } from "../sim/host_nic.ts";
import type { Lock } from "../sim/lock.ts";
import { TcpCounter } from "../../stack/protocols/tcp/counters.ts";
import { StackBase } from "./_base.ts";
import type { StackReport } from "./stack_model.ts";
import { tcpDropRecord, tcpDrops, type TcpServerEngine } from "./_tcp_server.ts";

/** A TCP stack model: engines, listening-socket locks and the shared accounting. */
export abstract class TcpStackBase extends StackBase {
  /** The server's TCP engines (one for a kernel stack, one per user-level stack). */
  abstract readonly engines: readonly TcpServerEngine[];
  /** The listening sockets' locks, one per engine. */
  abstract readonly listenLocks: readonly Lock[];

  /** Counts a frame dropped before the engine and frees its buffer. */
  dropFrame(buf: number, code: number): void {
    this.dropRequest(buf, code);
  }

  /** Frames received and not yet handed to an engine or dropped (rings and cores). */
  override inFlight(): number {
    const nic = this.host.nic;
    let n = this.held;
    for (let q = 0; q < nic.queues; q++) n += nic.pending(q);
    return n;
  }

  /** Frames dropped: NIC receive drops, stack drops and the engines' counted segment drops. */
  override dropped(): number {
    const nic = this.host.nic;
    let n = 0;
    for (let i = 0; i < HOST_NIC_TX_RING_FULL; i++) n += nic.drops[i] ?? 0;
    for (let i = 0; i < this.drops.length; i++) n += this.drops[i] ?? 0;
    return n + tcpDrops(this.engines.map((e) => e.engine));
  }

  /** Frames handed to the engines. */
  segmentsIn(): number {
    let n = 0;
    for (const e of this.engines) n += e.segmentsIn;
    return n;
  }

  /** The report: listening sockets as sockets, TCP drop reasons as `tcp.<reason>`. */
  override report(): StackReport {
    const base = super.report();
    const engines = this.engines.map((e) => e.engine);
    const noBuffer = this.engines.reduce((a, e) => a + e.noBuffer, 0);
    const drops: Record<string, number> = { ...base.drops, ...tcpDropRecord(engines) };
    if (noBuffer > 0) drops["stack.no-reply-buffer"] = noBuffer;
    return {
      ...base,
      drops,
      sockets: this.engines.map((e, i) => {
        const lock = this.listenLocks[i] as Lock;
        const c = e.engine.counters;
        return {
          name: `${this.host.name}.tcp${this.app.port}.listen${i}`,
          drops: (c[TcpCounter.AcceptQueueFullSyn] ?? 0) + (c[TcpCounter.AcceptQueueFullAck] ?? 0) +
            (c[TcpCounter.SynQueueFull] ?? 0),
          highWater: e.acceptHighWater,
          lockAcquisitions: lock.acquisitions,
          lockWaited: lock.waited,
          lockWaitNs: lock.waitNsSum,
          lockLineTransfers: lock.lineTransfers,
        };
      }),
    };
  }
}
