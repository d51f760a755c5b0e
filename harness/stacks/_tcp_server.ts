/**
 * What the TCP stack models share: one real {@link TcpEngine} with a listener on the
 * application's port, a memcached {@link TcpSession} per accepted connection, frames built from
 * the engine's emitted segments, and lists of frames waiting for their transmit cost.
 *
 * The engine runs on the simulator's clock; every segment the server receives goes through it
 * and every segment it sends comes out of it. Which core pays for which operation is the stack
 * model's business.
 *
 * @module
 */
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import type { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason } from "../../stack/packet/reason.ts";
import { TcpFlag } from "../../stack/packet/tcp.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../stack/packet/verify.ts";
import { TcpEngine } from "../../stack/protocols/tcp/engine.ts";
import type { TcpConfig } from "../../stack/protocols/tcp/config.ts";
import { TCP_COUNTERS } from "../../stack/protocols/tcp/counters.ts";
import { TcpState } from "../../stack/protocols/tcp/state.ts";
import { writeSegmentFrame } from "../../stack/protocols/tcp/frame.ts";
import { type MemcachedEngine, TcpSession } from "../../stack/apps/memcached/mod.ts";
import type { Simulator } from "../sim/simulator.ts";
import type { Host } from "../sim/host.ts";
import type { MemcachedApp } from "./server_app.ts";
import { StackDrop } from "./drops.ts";

/**
 * memcached's listen backlog (`-b`, default 1024; memcached.c `settings.backlog`); the accept
 * queue holds min(backlog, somaxconn) (host-stacks.md §2.4; somaxconn 128 in 3.x kernels,
 * unverified, the engine's `somaxconn` knob).
 */
export const MEMCACHED_LISTEN_BACKLOG = 1024;

/** A growable FIFO of buffer ids (frames waiting to be charged and sent). */
export class FrameList {
  #ids: Int32Array = new Int32Array(64);
  #head = 0;
  /** Frames in the list. */
  length = 0;

  /** Appends frame `buf`. */
  push(buf: number): void {
    if (this.length === this.#ids.length) {
      const grown = new Int32Array(2 * this.#ids.length);
      for (let i = 0; i < this.length; i++) {
        grown[i] = this.#ids[(this.#head + i) % this.#ids.length] as number;
      }
      this.#ids = grown;
      this.#head = 0;
    }
    this.#ids[(this.#head + this.length) % this.#ids.length] = buf;
    this.length++;
  }

  /** Removes and returns the oldest frame, or -1 when empty. */
  shift(): number {
    if (this.length === 0) return -1;
    const buf = this.#ids[this.#head] as number;
    this.#head = (this.#head + 1) % this.#ids.length;
    this.length--;
    return buf;
  }
}

/** Per-request result of {@link TcpServerEngine.read}. */
export interface ReadResult {
  /** Bytes read from the connection. */
  bytes: number;
  /** memcached commands (get + set) those bytes completed. */
  requests: number;
  /** Reply bytes memcached writes for them (in {@link TcpServerEngine.reply}). */
  replyBytes: number;
  /** The peer closed or reset the connection: the application closes it. */
  ended: boolean;
}

/** The server's TCP engine with its listener, sessions and frame output. */
export class TcpServerEngine {
  /** The engine. */
  readonly engine: TcpEngine;
  /** The listener on the application's port. */
  readonly listener: number;
  /** Reply bytes of the last {@link TcpServerEngine.read} (valid until the next call). */
  reply: Uint8Array = new Uint8Array(0);
  /** Accept-queue high water. */
  acceptHighWater = 0;
  /** Frames handed to the engine. */
  segmentsIn = 0;
  /** Emitted segments that found no free buffer (lost; TCP retransmits them). */
  noBuffer = 0;
  readonly #pool: BufferPool;
  readonly #owner: number;
  readonly #app: MemcachedEngine;
  readonly #sessions: (TcpSession | null)[];
  readonly #macs = new Map<number, Uint8Array>();
  readonly #spec: { srcMac: Uint8Array; dstMac: Uint8Array };
  readonly #result: ReadResult = { bytes: 0, requests: 0, replyBytes: 0, ended: false };
  #scratch: Uint8Array = new Uint8Array(65_536);

  /** An engine on `sim`'s clock listening on `port` for the host `ip`/`mac`. */
  constructor(
    sim: Simulator,
    pool: BufferPool,
    owner: number,
    mac: Uint8Array,
    ip: number,
    port: number,
    app: MemcachedEngine,
    tcp: TcpConfig & { readonly backlog?: number } = {},
  ) {
    const { backlog, ...config } = tcp;
    this.engine = new TcpEngine({ ...config, clock: () => sim.now });
    this.listener = this.engine.listen(port, {
      localIp: ip,
      backlog: backlog ?? MEMCACHED_LISTEN_BACKLOG,
    });
    this.#pool = pool;
    this.#owner = owner;
    this.#app = app;
    this.#sessions = new Array(this.engine.config.maxConnections).fill(null);
    this.#spec = { srcMac: mac, dstMac: new Uint8Array(6) };
  }

  /**
   * Whether the segment in `info` is handled under the listener's lock: a SYN, or a segment of
   * a connection still in SYN-RECEIVED (the handshake ACK's promotion; host-stacks.md §2.4).
   */
  isListenerSegment(info: FrameInfo): boolean {
    const f = info.tcpFlags;
    if ((f & TcpFlag.SYN) !== 0 && (f & TcpFlag.ACK) === 0) return true;
    const id = this.engine.table.lookup(info.ipDst, info.dstPort, info.ipSrc, info.srcPort);
    return id >= 0 && this.engine.state(id) === TcpState.SynReceived;
  }

  /** Feeds the segment of frame `buf` (parsed into `info`) to the engine and frees the buffer. */
  input(buf: number, info: FrameInfo): void {
    const pool = this.#pool;
    if (!this.#macs.has(info.ipSrc)) {
      const s = info.start + 6;
      this.#macs.set(info.ipSrc, pool.bytes.slice(s, s + 6));
    }
    this.segmentsIn++;
    this.engine.inputFrame(pool.bytes, info);
    pool.free(buf, pool.owner[buf] ?? this.#owner);
    const q = this.engine.acceptQueueLength(this.listener);
    if (q > this.acceptHighWater) this.acceptHighWater = q;
  }

  /** Frames every emitted segment into a buffer and appends it to `out`. */
  drain(out: FrameList): void {
    const tx = this.engine.tx;
    const pool = this.#pool;
    const spec = this.#spec;
    for (let i = 0; i < tx.count; i++) {
      const mac = this.#macs.get(tx.dstIp[i] ?? 0);
      const buf = mac === undefined ? -1 : pool.alloc(this.#owner);
      if (buf < 0) {
        this.noBuffer++;
        continue;
      }
      spec.dstMac = mac as Uint8Array;
      pool.length[buf] = writeSegmentFrame(tx, i, pool.bytes, pool.start[buf] ?? 0, spec);
      out.push(buf);
    }
    tx.clear();
  }

  /** Accepts one connection and opens its memcached session; -1 when none waits. */
  accept(): number {
    const id = this.engine.accept(this.listener);
    if (id >= 0) this.#sessions[id] = new TcpSession(this.#app);
    return id;
  }

  /**
   * Reads everything buffered on connection `id` and runs it through its session (one read
   * event); the reply is in {@link TcpServerEngine.reply}.
   */
  read(id: number): ReadResult {
    const r = this.#result;
    r.bytes = r.requests = r.replyBytes = 0;
    r.ended = false;
    const session = this.#sessions[id];
    if (session === null || session === undefined) return r;
    const e = this.engine;
    const avail = e.readable(id);
    if (avail > this.#scratch.length) this.#scratch = new Uint8Array(avail);
    const n = avail > 0 ? e.recv(id, this.#scratch, 0, avail) : 0;
    if (n > 0) {
      const c = this.#app.counters;
      const before = c.cmdGet + c.cmdSet;
      this.reply = session.receive(this.#scratch.subarray(0, n));
      r.requests = c.cmdGet + c.cmdSet - before;
      r.replyBytes = this.reply.length;
    }
    r.bytes = n;
    r.ended = session.closed || e.isEof(id) || e.state(id) === TcpState.Closed;
    return r;
  }

  /** Writes `bytes` on connection `id`; returns the bytes taken, -1 when it ended. */
  send(id: number, bytes: Uint8Array, off: number, len: number): number {
    return this.engine.send(id, bytes, off, len);
  }

  /** Closes connection `id` and drops its session. */
  close(id: number): void {
    this.#sessions[id] = null;
    this.engine.close(id);
  }

  /** Whether connection `id` has an open session. */
  hasSession(id: number): boolean {
    return (this.#sessions[id] ?? null) !== null;
  }
}

/**
 * Parses and verifies frame `buf` into `info`; returns -1 for a TCP segment to `ip`, else the
 * {@link StackDrop} code (the `stack/packet` reason counted into `reasons` for a bad frame).
 */
export function classifyTcpFrame(
  pool: BufferPool,
  buf: number,
  ip: number,
  info: FrameInfo,
  reasons: Uint32Array,
): number {
  const b = pool.bytes;
  const r = parseFrame(b, pool.start[buf] ?? 0, pool.length[buf] ?? 0, info) ||
    verifyIpv4HeaderChecksum(b, info) || verifyL4Checksum(b, info);
  if (r !== Reason.Ok) {
    reasons[r] = (reasons[r] ?? 0) + 1;
    return StackDrop.BadFrame;
  }
  if (info.ipProto !== 6 || (info.ipDst >>> 0) !== (ip >>> 0)) return StackDrop.NoSocket;
  return -1;
}

/** Segments the engines dropped (sum of their drop counters). */
export function tcpDrops(engines: readonly TcpEngine[]): number {
  let n = 0;
  for (const e of engines) {
    for (const c of TCP_COUNTERS) if (c.drop) n += e.counters[c.code] ?? 0;
  }
  return n;
}

/** Non-zero drop counters of `engines` summed, as `tcp.<name>` entries. */
export function tcpDropRecord(engines: readonly TcpEngine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of TCP_COUNTERS) {
    if (!c.drop) continue;
    let v = 0;
    for (const e of engines) v += e.counters[c.code] ?? 0;
    if (v > 0) out[`tcp.${c.name}`] = v;
  }
  return out;
}

/**
 * Creates a {@link TcpServerEngine} serving memcached `app` on `host`: the host's pool, owner,
 * MAC and address, the app's port, TCP knobs `options.tcp` and listen backlog `options.backlog`.
 */
export function appTcpServer(
  host: Host,
  app: MemcachedApp,
  options: { readonly tcp?: TcpConfig; readonly backlog?: number },
): TcpServerEngine {
  return new TcpServerEngine(
    host.testbed.sim,
    host.testbed.pool,
    host.owner,
    host.mac,
    host.ip,
    app.port,
    app.engine,
    { ...options.tcp, ...(options.backlog === undefined ? {} : { backlog: options.backlog }) },
  );
}
