/**
 * The server applications of the timed Dragonet model, on the LPG's sockets: each takes one
 * datagram from a socket receive ring (filled by the real `ToSocket` node), runs the real
 * application on its payload and sends the reply by spawning the socket's real `FromSocket` node
 * (spawn `send`), exactly as Dragonet's apps use the app-queue API (dragonet-model.md §12.4).
 *
 * - echo: the request buffer becomes the reply in place (stack/apps/echo's approach: payload
 *   start and length set, addresses taken from the attribute block);
 * - memcached: the payload runs through the real engine (`handleDatagram`); every reply datagram
 *   is written into a fresh buffer from the shared pool.
 *
 * @module
 */
import type { ExecContext } from "../../stack/exec/context.ts";
import { Priority, Spawn } from "../../stack/exec/types.ts";
import type { BufRing, LpgEnv } from "../../stack/protocols/env.ts";
import { handleDatagram, type MemcachedEngine, UdpDrop } from "../../stack/apps/memcached/mod.ts";

/** What serving one datagram did (numeric codes for the hot path). */
export const LpgServe = {
  /** The socket ring was empty. */
  Empty: -1,
  /** The application ignored the datagram (memcached: malformed or multi-datagram request). */
  Ignored: -2,
} as const;

/** One application thread serving the sockets of one app pipeline. */
export class LpgServerApp {
  /** Reply datagrams that could not get a buffer or a send task. */
  replyFailures = 0;
  /** Source IPv4 of the last datagram served. */
  lastSrcIp = 0;
  /** Source port of the last datagram served. */
  lastSrcPort = 0;
  /** Socket id of the last datagram served. */
  lastSid = -1;
  readonly #env: LpgEnv;
  readonly #ctx: ExecContext<LpgEnv>;
  readonly #engine: MemcachedEngine | null;
  readonly #rings: BufRing[];
  readonly #sids: Int32Array;
  readonly #from: Int32Array;
  #next = 0;
  #replies = 0;
  #req = -1;
  #fromNode = 0;
  readonly #emit: (reply: Uint8Array) => void;

  /**
   * An app over sockets `sids` whose FromSocket node numbers in the app pipeline `ctx` are
   * `fromNodes`; `engine` null = echo.
   */
  constructor(
    env: LpgEnv,
    ctx: ExecContext<LpgEnv>,
    sids: readonly number[],
    fromNodes: readonly number[],
    engine: MemcachedEngine | null,
  ) {
    if (sids.length !== fromNodes.length || sids.length === 0) {
      throw new Error(
        `LPG server app needs one FromSocket node per socket: ${sids.length} sockets, ${fromNodes.length} nodes`,
      );
    }
    this.#env = env;
    this.#ctx = ctx;
    this.#engine = engine;
    this.#sids = Int32Array.from(sids);
    this.#from = Int32Array.from(fromNodes);
    this.#rings = sids.map((s) => env.socketRing(s));
    this.#emit = (reply) => this.#send(reply);
  }

  /** Datagrams waiting in this app's socket rings. */
  waiting(): number {
    let n = 0;
    const rings = this.#rings;
    for (let i = 0; i < rings.length; i++) n += (rings[i] as BufRing).size;
    return n;
  }

  /**
   * Serves one datagram (sockets in round robin): returns the number of replies spawned, or an
   * {@link LpgServe} code. `lastSrcIp`/`lastSrcPort`/`lastSid` describe the datagram.
   */
  serveOne(): number {
    const k = this.#sids.length;
    for (let i = 0; i < k; i++) {
      const j = (this.#next + i) % k;
      const ring = this.#rings[j] as BufRing;
      const b = ring.shift();
      if (b < 0) continue;
      this.#next = (j + 1) % k;
      return this.#serve(b, j);
    }
    return LpgServe.Empty;
  }

  #serve(b: number, j: number): number {
    const e = this.#env;
    const ctx = this.#ctx;
    const pool = e.pool;
    this.lastSrcIp = e.rxSrcIp[b] ?? 0;
    this.lastSrcPort = e.rxSrcPort[b] ?? 0;
    this.lastSid = this.#sids[j] ?? -1;
    const l4 = e.l4[b] ?? 0;
    const len = ctx.view.getUint16(l4 + 4) - 8;
    const from = this.#from[j] ?? 0;
    if (this.#engine === null) {
      // Echo: the reply is the request's payload, in place, back to its sender.
      e.txDstIp[b] = e.rxSrcIp[b] ?? 0;
      e.txDstPort[b] = e.rxSrcPort[b] ?? 0;
      e.txSrcPort[b] = e.rxDstPort[b] ?? 0;
      pool.start[b] = e.l5[b] ?? 0;
      pool.length[b] = len;
      if (ctx.spawn(from, Spawn.send, b, Priority.Low)) return 1;
      this.replyFailures++;
      pool.free(b, pool.owner[b] ?? ctx.owner);
      return 0;
    }
    this.#replies = 0;
    this.#req = b;
    this.#fromNode = from;
    const l5 = e.l5[b] ?? 0;
    const r = handleDatagram(this.#engine, pool.bytes.subarray(l5, l5 + len), this.#emit);
    pool.free(b, pool.owner[b] ?? ctx.owner);
    this.#req = -1;
    return r === UdpDrop.NONE ? this.#replies : LpgServe.Ignored;
  }

  #send(reply: Uint8Array): void {
    const e = this.#env;
    const ctx = this.#ctx;
    const pool = e.pool;
    const b = this.#req;
    const id = pool.alloc(ctx.owner);
    if (id < 0) {
      this.replyFailures++;
      return;
    }
    const s = pool.start[id] ?? 0;
    pool.bytes.set(reply, s);
    pool.length[id] = reply.length;
    e.txDstIp[id] = e.rxSrcIp[b] ?? 0;
    e.txDstPort[id] = e.rxSrcPort[b] ?? 0;
    e.txSrcPort[id] = e.rxDstPort[b] ?? 0;
    if (ctx.spawn(this.#fromNode, Spawn.send, id, Priority.Low)) {
      this.#replies++;
      return;
    }
    this.replyFailures++;
    pool.free(id, ctx.owner);
  }
}
