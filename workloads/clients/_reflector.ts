/**
 * A trivial server for tests: answers memcached-over-UDP requests with the lab's real memcached
 * engine and echoes UDP echo requests, one request at a time with a fixed service time (FIFO),
 * with hooks to tamper with or drop replies.
 *
 * @module
 */
import { MemcachedEngine } from "../../stack/apps/memcached/engine.ts";
import { handleDatagram } from "../../stack/apps/memcached/udp.ts";
import { buildUdpFrame } from "../../stack/packet/build.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason } from "../../stack/packet/reason.ts";
import type { ClientNetHost, ClientTestbed, ClientTransmit } from "./types.ts";

/** Options of a {@link Reflector}. */
export interface ReflectorOptions {
  /** Host name. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address. */
  readonly ip: number;
  /** Service time per request in ns. */
  serviceNs: number;
  /** UDP port answered as memcached (default 11211). */
  readonly memcachedPort?: number;
  /** UDP port answered as echo (default 7). */
  readonly echoPort?: number;
  /** Largest memcached UDP reply payload, header included (default 1400). */
  readonly udpMaxPayload?: number;
}

/** The reflector server. */
export class Reflector implements ClientNetHost {
  /** Host name. */
  readonly name: string;
  /** Host MAC. */
  readonly mac: Uint8Array;
  /** Host IPv4 address. */
  readonly ip: number;
  /** Service time per request (ns); may be changed during a run. */
  serviceNs: number;
  /** The memcached engine. */
  readonly engine: MemcachedEngine;
  /** Requests answered. */
  answered = 0;
  /** Requests received (answered or dropped). */
  received = 0;
  /** Called with each reply payload before it is sent; may change its bytes. */
  tamper: ((payload: Uint8Array, requestNumber: number) => void) | null = null;
  /** Returns true to drop request number n (counting from 0) without answering. */
  drop: ((requestNumber: number) => boolean) | null = null;
  readonly #tb: ClientTestbed;
  readonly #tx: ClientTransmit;
  readonly #info = new FrameInfo();
  readonly #mcPort: number;
  readonly #echoPort: number;
  readonly #ev: number;
  #busyUntil = 0;

  /** Creates the reflector and attaches it to the testbed. */
  constructor(tb: ClientTestbed, opts: ReflectorOptions) {
    this.name = opts.name;
    this.mac = opts.mac;
    this.ip = opts.ip;
    this.serviceNs = opts.serviceNs;
    this.#tb = tb;
    this.#mcPort = opts.memcachedPort ?? 11211;
    this.#echoPort = opts.echoPort ?? 7;
    this.engine = new MemcachedEngine({
      clock: () => Math.floor(tb.sim.now / 1e9),
      ...(opts.udpMaxPayload === undefined ? {} : { udpMaxPayload: opts.udpMaxPayload }),
    });
    this.#ev = tb.sim.on(`reflector.${opts.name}.done`, (buf, n) => this.#done(buf, n));
    this.#tx = tb.attach(this);
  }

  /** Stalls the server: no request finishes service before `untilNs` (plus its service time). */
  stall(untilNs: number): void {
    this.#busyUntil = Math.max(this.#busyUntil, untilNs);
  }

  /** Queues the request; it is answered after the service time. */
  receive(buf: number, _len: number): void {
    const n = this.received++;
    const now = this.#tb.sim.now;
    const start = Math.max(now, this.#busyUntil);
    this.#busyUntil = start + this.serviceNs;
    this.#tb.sim.at(this.#busyUntil, this.#ev, buf, n);
  }

  #done(buf: number, n: number): void {
    const pool = this.#tb.pool;
    const bytes = pool.bytes;
    const s = pool.start[buf] ?? 0;
    const info = this.#info;
    const ok = parseFrame(bytes, s, pool.length[buf] ?? 0, info) === Reason.Ok &&
      info.ipProto === 17;
    const request = ok
      ? bytes.slice(info.payload, info.payload + info.capturedPayloadLen())
      : new Uint8Array(0);
    const src = {
      mac: bytes.slice(s + 6, s + 12),
      ip: info.ipSrc,
      port: info.srcPort,
      dport: info.dstPort,
    };
    pool.free(buf, pool.owner[buf] ?? 0);
    if (!ok || (this.drop !== null && this.drop(n))) return;
    const send = (payload: Uint8Array): void => {
      const p = payload.slice();
      if (this.tamper !== null) this.tamper(p, n);
      const out = pool.alloc(1);
      if (out < 0) return;
      const len = buildUdpFrame(bytes, pool.start[out] ?? 0, {
        dstMac: src.mac,
        srcMac: this.mac,
        srcIp: this.ip,
        dstIp: src.ip,
        srcPort: src.dport,
        dstPort: src.port,
        payload: p,
      });
      pool.length[out] = len;
      this.#tx(out, len);
    };
    this.answered++;
    if (src.dport === this.#mcPort) handleDatagram(this.engine, request, send);
    else if (src.dport === this.#echoPort) send(request);
  }
}
