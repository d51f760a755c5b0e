/**
 * The server applications the timed stack models run on real bytes: memcached over UDP (the real
 * engine of `stack/apps/memcached`) and UDP echo.
 *
 * @module
 */
import type { FrameInfo } from "../../stack/packet/mod.ts";
import { buildUdpFrame, type UdpFrameSpec } from "../../stack/packet/build.ts";
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { handleDatagram, MemcachedEngine, UdpDrop } from "../../stack/apps/memcached/mod.ts";
import { Op } from "../sim/calibration.ts";

/** Largest number of reply datagrams one request may produce (memcached multi-datagram replies). */
export const MAX_REPLIES = 64;

/** An application serving UDP requests on one port. */
export interface ServerApp {
  /** Application kind, for reports. */
  readonly kind: "memcached" | "echo";
  /** UDP port it listens on. */
  readonly port: number;
  /** Calibration {@link Op} code of the application work per request, or -1 for none. */
  readonly workOp: number;
  /**
   * Answers the request in buffer `buf` (parsed into `info`): writes the reply frames' buffer ids
   * into `out` (their lengths in `pool.length`) and returns how many (0 = answered without a
   * reply), or -1 when the application ignored the request. Takes ownership of `buf`: frees it
   * or reuses it as a reply.
   */
  serve(buf: number, info: FrameInfo, out: Int32Array): number;
  /** Reply buffers that could not be allocated (pool empty). */
  readonly replyAllocFailures: number;
}

/**
 * Default UDP echo port. source: workloads.md §6 (Dragonet's fancyecho on port 888).
 */
export const ECHO_PORT = 888;

/**
 * Default memcached UDP port. source: workloads.md §5 (Dragonet's runs used 7777; stock
 * memcached's default is 11211, §3).
 */
export const MEMCACHED_PORT = 7777;

/**
 * UDP echo: the reply is the request with addresses and ports swapped in place. Swapping keeps
 * the IPv4 and UDP checksums valid (the sums over the swapped fields are unchanged), so no
 * checksum is recomputed. No application work is charged (host-stacks.md §5.2: echo ≈ 0).
 */
export class EchoApp implements ServerApp {
  /** Kind. */
  readonly kind = "echo" as const;
  /** Port. */
  readonly port: number;
  /** No application work. */
  readonly workOp: number = -1;
  /** Never fails: the request buffer is reused. */
  readonly replyAllocFailures = 0;
  #pool: BufferPool;

  /** Echo on `port` over frames in `pool`. */
  constructor(pool: BufferPool, port = ECHO_PORT) {
    this.#pool = pool;
    this.port = port;
  }

  /** Swaps MACs, IPs and ports of the request in place; the request becomes the reply. */
  serve(buf: number, info: FrameInfo, out: Int32Array): number {
    const b = this.#pool.bytes;
    const s = info.start;
    swap(b, s, s + 6, 6);
    const ip = info.l3;
    swap(b, ip + 12, ip + 16, 4);
    swap(b, info.l4, info.l4 + 2, 2);
    out[0] = buf;
    return 1;
  }
}

/** Exchanges the `n` bytes at `x` with the `n` bytes at `y` (non-overlapping ranges). */
function swap(b: Uint8Array, x: number, y: number, n: number): void {
  // A byte loop: for a few bytes it is cheaper than a copyWithin call and needs no scratch.
  for (let i = 0; i < n; i++) {
    const t = b[x + i] ?? 0;
    b[x + i] = b[y + i] ?? 0;
    b[y + i] = t;
  }
}

type MutableSpec = { -readonly [K in keyof UdpFrameSpec]: UdpFrameSpec[K] };

/**
 * memcached over UDP: the request's payload runs through the real engine
 * (`handleDatagram`); each reply datagram is built into a fresh buffer as a real UDP frame back
 * to the sender. Application work per request: calibration `memcached_get`.
 */
export class MemcachedApp implements ServerApp {
  /** Kind. */
  readonly kind = "memcached" as const;
  /** Port. */
  readonly port: number;
  /** Work per request. */
  readonly workOp: number = Op.memcached_get;
  /** The engine (shared by every worker thread, as in one memcached process). */
  readonly engine: MemcachedEngine;
  /** Reply buffers that could not be allocated. */
  replyAllocFailures = 0;
  #pool: BufferPool;
  #owner: number;
  #spec: MutableSpec;
  #out: Int32Array = new Int32Array(MAX_REPLIES);
  #n = 0;
  #emit: (reply: Uint8Array) => void;

  /** memcached on `port`; the engine's clock is `nowSeconds`. */
  constructor(pool: BufferPool, nowSeconds: () => number, port = MEMCACHED_PORT, owner = 0) {
    this.#pool = pool;
    this.port = port;
    this.#owner = owner;
    this.engine = new MemcachedEngine({ clock: nowSeconds });
    this.#spec = {
      dstMac: new Uint8Array(6),
      srcMac: new Uint8Array(6),
      srcIp: 0,
      dstIp: 0,
      srcPort: port,
      dstPort: 0,
      payload: new Uint8Array(0),
    };
    this.#emit = (reply) => {
      if (this.#n >= MAX_REPLIES) return;
      const pool = this.#pool;
      const id = pool.alloc(this.#owner);
      if (id < 0) {
        this.replyAllocFailures++;
        return;
      }
      const spec = this.#spec;
      spec.payload = reply;
      const len = buildUdpFrame(pool.bytes, pool.start[id] ?? 0, spec);
      pool.length[id] = len;
      this.#out[this.#n++] = id;
    };
  }

  /** Runs the request through the engine; returns the reply count or -1 when ignored. */
  serve(buf: number, info: FrameInfo, out: Int32Array): number {
    const pool = this.#pool;
    const b = pool.bytes;
    const spec = this.#spec;
    const dst = spec.dstMac as Uint8Array;
    const src = spec.srcMac as Uint8Array;
    for (let i = 0; i < 6; i++) {
      dst[i] = b[info.start + 6 + i] ?? 0;
      src[i] = b[info.start + i] ?? 0;
    }
    spec.srcIp = info.ipDst;
    spec.dstIp = info.ipSrc;
    spec.srcPort = info.dstPort;
    spec.dstPort = info.srcPort;
    this.#n = 0;
    // One view per request: `handleDatagram` takes the datagram as its own array.
    const payload = b.subarray(info.payload, info.payload + info.payloadLen);
    const r = handleDatagram(this.engine, payload, this.#emit);
    pool.free(buf, pool.owner[buf] ?? this.#owner);
    if (r !== UdpDrop.NONE) return -1;
    const n = Math.min(this.#n, out.length);
    for (let i = 0; i < n; i++) out[i] = this.#out[i] as number;
    return n;
  }
}
