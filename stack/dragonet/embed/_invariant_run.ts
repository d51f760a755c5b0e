/**
 * Runs a software graph (the LPG, or an embedded graph's software part) one frame at a time and
 * reports what that frame caused: the sockets it reached, the drop reasons counted, the frames
 * sent. Used by the central invariant test (not part of the public surface).
 *
 * @module
 */
import { PipelineSet } from "../../exec/pipelines.ts";
import type { Graph } from "../../graph/types.ts";
import { parseIpv4, parseMac } from "../../packet/addr.ts";
import { BufferPool } from "../../packet/buffer_pool.ts";
import { BufRing, LpgEnv } from "../../protocols/env.ts";
import { lpgImpls } from "../../protocols/lpg.ts";
import { LOCAL_IP, LOCAL_MAC, PEER_IP, PEER_MAC } from "../../protocols/_testing.ts";
import { constImpls } from "./const_impls.ts";

/** What one frame caused. */
export interface FrameOutcome {
  /** Socket ids that received it (normally zero or one). */
  readonly sockets: number[];
  /** Drop reasons counted while it was processed (NIC reason first when the NIC dropped it). */
  readonly drops: string[];
  /** Frames sent because of it, as hex, in send order. */
  readonly sent: string[];
}

/** A software graph running in pipelines, fed one frame at a time. */
export class FrameRunner {
  private readonly pool = new BufferPool({ count: 512 });
  private readonly env: LpgEnv;
  private readonly rings: BufRing[] = [];
  private readonly set: PipelineSet<LpgEnv>;
  private readonly dropCounters: { ports: Float64Array; index: number; reason: string }[] = [];
  private readonly last: Float64Array;
  private clock = 0;

  /** Starts `graph` with hardware-queue pipelines `Q0..Q<queues-1>` (discarding bring-up TX). */
  constructor(graph: Graph, queues: number) {
    // A fake clock one second further per frame keeps the ICMP error limiter out of the way:
    // both runs see the same limiter, never the wall clock.
    this.env = new LpgEnv(this.pool, {
      localIp: LOCAL_IP,
      localMac: LOCAL_MAC,
      icmpErrorBurst: 1000,
      now: () => this.clock,
    });
    const m = parseMac(PEER_MAC);
    this.env.arpInsert(
      parseIpv4(PEER_IP) >>> 0,
      (m[0] ?? 0) << 8 | (m[1] ?? 0),
      ((m[2] ?? 0) << 24 | (m[3] ?? 0) << 16 | (m[4] ?? 0) << 8 | (m[5] ?? 0)) >>> 0,
    );
    const inputs = new Map<string, BufRing>();
    for (let q = 0; q < queues; q++) {
      const ring = new BufRing(16);
      this.rings.push(ring);
      inputs.set(`Q${q}`, ring);
    }
    this.set = new PipelineSet({
      graph,
      impls: new Map([...lpgImpls(graph), ...constImpls()]),
      pool: this.pool,
      env: this.env,
      inputs,
    });
    for (const p of this.set.pipelines.values()) {
      const mp = p.program.maxPorts;
      p.program.dropPortCounter.forEach((ports, n) => {
        ports.forEach((reason, port) => {
          if (reason !== undefined) {
            this.dropCounters.push({ ports: p.ctx.ports, index: n * mp + port, reason });
          }
        });
      });
    }
    this.last = new Float64Array(this.dropCounters.length);
    this.set.start();
    this.set.run(1000);
    // Gratuitous ARP at start: one per queue pipeline in an embedded graph, so not compared.
    this.take();
  }

  /** Runs `frame` arriving on queue `queue` until the pipelines are idle; returns its outcome. */
  step(frame: Uint8Array, queue: number): FrameOutcome {
    const ring = this.rings[queue];
    if (ring === undefined) {
      throw new RangeError(`Queue ${queue} does not exist: this graph has ${this.rings.length}`);
    }
    const b = this.pool.alloc(0);
    if (b < 0) throw new Error("Buffer pool exhausted: a frame's buffers were not freed");
    this.pool.bytes.set(frame, this.pool.start[b] ?? 0);
    this.pool.length[b] = frame.length;
    ring.push(b);
    this.set.run(1000);
    this.clock += 1000;
    return this.take();
  }

  private take(): FrameOutcome {
    const out: FrameOutcome = { sockets: [], drops: [], sent: [] };
    const pool = this.pool;
    for (const [sid, ring] of this.env.sockets) {
      for (let b = ring.shift(); b >= 0; b = ring.shift()) {
        out.sockets.push(sid);
        pool.free(b, pool.owner[b] ?? 0);
      }
    }
    for (let b = this.env.tx.shift(); b >= 0; b = this.env.tx.shift()) {
      const s = pool.start[b] ?? 0;
      out.sent.push(
        Array.from(
          pool.bytes.subarray(s, s + (pool.length[b] ?? 0)),
          (x) => x.toString(16).padStart(2, "0"),
        ).join(""),
      );
      pool.free(b, pool.owner[b] ?? 0);
    }
    this.dropCounters.forEach((c, i) => {
      const v = c.ports[c.index] ?? 0;
      if (v !== this.last[i]) {
        out.drops.push(c.reason);
        this.last[i] = v;
      }
    });
    return out;
  }
}
