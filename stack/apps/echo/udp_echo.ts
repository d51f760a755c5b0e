/**
 * A UDP echo application on the LPG: polls its sockets' receive rings and sends every datagram's
 * payload back to its sender from the same buffer (no copy), by spawning the socket's
 * FromSocket node (spawn `send`) in the pipeline that holds it, at low priority so replies leave
 * in the order the datagrams arrived (high priority would push each to the front).
 *
 * Source: `/work/shared/reference/dragonet-model.md` §12.4 (echo server: one app queue per
 * server core, spanned sockets on one port; apps reuse the RX buffer) and §6.8 (the send path
 * fills the attribute block; `TxL4UDPInitiateResponse` starts from the payload).
 *
 * @module
 */
import type { ExecContext } from "../../exec/context.ts";
import { nodeNumber, type Program } from "../../exec/program.ts";
import { Priority, Spawn } from "../../exec/types.ts";
import type { BufRing, LpgEnv } from "../../protocols/env.ts";

/** Where the app's FromSocket nodes run: a program and its context (a pipeline). */
export interface AppPipeline {
  /** The program holding `sock.s<sid>.from`. */
  readonly program: Program<LpgEnv>;
  /** Its context (task queue). */
  readonly ctx: ExecContext<LpgEnv>;
}

/** Counters of the echo app. */
export interface EchoStats {
  /** Datagrams echoed. */
  echoed: number;
  /** Datagrams dropped because the send could not be queued. */
  sendFailures: number;
}

/** The UDP echo server over a set of sockets. */
export class UdpEchoApp {
  /** Counters. */
  readonly stats: EchoStats = { echoed: 0, sendFailures: 0 };
  readonly #env: LpgEnv;
  readonly #ctx: ExecContext<LpgEnv>;
  readonly #fromNode: Int32Array;
  readonly #rings: BufRing[];

  /**
   * Serves sockets `sids` whose FromSocket nodes live in `pipeline`.
   *
   * @throws {Error} when a socket has no FromSocket node in the pipeline.
   */
  constructor(env: LpgEnv, pipeline: AppPipeline, sids: readonly number[]) {
    this.#env = env;
    this.#ctx = pipeline.ctx;
    this.#rings = sids.map((s) => env.socketRing(s));
    this.#fromNode = Int32Array.from(
      sids.map((s) => nodeNumber(pipeline.program, `sock.s${s}.from`)),
    );
  }

  /** Echoes up to `budget` received datagrams; returns how many. */
  poll(budget = 64): number {
    const e = this.#env;
    const pool = e.pool;
    const ctx = this.#ctx;
    const view = ctx.view;
    // Fields read once per poll, not once per datagram.
    const rings = this.#rings;
    const stats = this.stats;
    let done = 0;
    for (let k = 0; k < rings.length && done < budget; k++) {
      const ring = rings[k] as BufRing; // one ring per socket, made in the constructor
      const from = this.#fromNode[k] ?? 0;
      for (; done < budget; done++) {
        const b = ring.shift();
        if (b < 0) break;
        const len = view.getUint16((e.l4[b] ?? 0) + 4) - 8;
        // Reply to the sender from the port it reached; the data is the payload, in place.
        e.txDstIp[b] = e.rxSrcIp[b] ?? 0;
        e.txDstPort[b] = e.rxSrcPort[b] ?? 0;
        e.txSrcPort[b] = e.rxDstPort[b] ?? 0;
        pool.start[b] = e.l5[b] ?? 0;
        pool.length[b] = len;
        if (ctx.spawn(from, Spawn.send, b, Priority.Low)) {
          stats.echoed++;
        } else {
          stats.sendFailures++;
          pool.free(b, ctx.owner);
        }
      }
    }
    return done;
  }
}
