/**
 * The client side of memcached over TCP (ASCII protocol): the same requests and the same reply
 * checks as over UDP ({@link MemcachedUdpClient}), without the 8-byte frame header, with
 * replies found in the byte stream in request order.
 *
 * Framing of a reply at the front of the stream: a `VALUE <key> <flags> <n>\r\n` line is
 * followed by `n` data bytes, `\r\n` and `END\r\n`; any other reply is one line (`STORED`,
 * `END`, an error). A line longer than {@link MAX_REPLY_LINE} bytes without `\r\n`, or a
 * `VALUE` line without a length, puts the stream out of step (`replyLength` returns -1).
 *
 * Checks (delegated to the UDP client's checker, so both transports judge replies alike): a set
 * must get exactly `STORED\r\n`; a get exactly `END\r\n` (a miss) or
 * `VALUE <key> 0 <n>\r\n<data>\r\nEND\r\n` with the requested key and that key's data.
 * Requests are not limited to one datagram, so values are clamped only to the driver's
 * per-request capacity.
 *
 * @module
 */
import { ReplyStatus, type ReplyStatusCode, type RequestKindCode } from "../clients/protocol.ts";
import type { StreamProtocol } from "../clients/stream_protocol.ts";
import {
  MEMCACHED_UDP_HEADER,
  MemcachedUdpClient,
  type MemcachedUdpOptions,
} from "./memcached_udp.ts";

/**
 * Longest reply line accepted before the stream counts as out of step: memcached's own limit
 * on a request line is 2048 bytes (workloads.md §3, `KEY_MAX_LENGTH` 250 plus fields); a reply
 * line to the lab's requests is far shorter.
 */
export const MAX_REPLY_LINE = 2048;

/** Largest request the TCP client writes (a set of up to this many bytes in total). */
export const MAX_TCP_REQUEST = 65_536;

/** Options of {@link MemcachedTcpClient}: the UDP client's, without the datagram chunk. */
export type MemcachedTcpOptions = Omit<MemcachedUdpOptions, "replyChunk">;

const V = 0x56, A = 0x41, L = 0x4c, U = 0x55, E = 0x45, SP = 0x20, CR = 0x0d, LF = 0x0a;

/** One connection's memcached-over-TCP client protocol. */
export class MemcachedTcpClient implements StreamProtocol {
  /** Protocol name. */
  readonly name = "memcached-tcp";
  readonly #udp: MemcachedUdpClient;
  #scratch: Uint8Array = new Uint8Array(MEMCACHED_UDP_HEADER + 4096);

  /** Creates the protocol of one connection; throws like {@link MemcachedUdpClient}. */
  constructor(opts: MemcachedTcpOptions) {
    this.#udp = new MemcachedUdpClient({ ...opts, replyChunk: 65_527 });
  }

  /** True while warm-up sets remain. */
  loading(): boolean {
    return this.#udp.loading();
  }

  /** Writes a get, a set or a warm-up set (no frame header). */
  writeRequest(slot: number, bytes: Uint8Array, off: number, cap: number): number {
    const room = Math.min(cap, MAX_TCP_REQUEST);
    this.#grow(room + MEMCACHED_UDP_HEADER);
    const s = this.#scratch;
    const n = this.#udp.writeRequest(slot, 0, s, 0, room + MEMCACHED_UDP_HEADER) -
      MEMCACHED_UDP_HEADER;
    bytes.set(s.subarray(MEMCACHED_UDP_HEADER, MEMCACHED_UDP_HEADER + n), off);
    return n;
  }

  /** The kind of the request in `slot`. */
  kindOf(slot: number): RequestKindCode {
    return this.#udp.kindOf(slot);
  }

  /** Length of the complete reply at the front of the stream, 0 when incomplete, -1 when out of step. */
  replyLength(_slot: number, b: Uint8Array, off: number, len: number): number {
    const end = off + len;
    const lineEnd = Math.min(end, off + MAX_REPLY_LINE);
    let eol = -1;
    for (let i = off; i + 1 < lineEnd; i++) {
      if (b[i] === CR && b[i + 1] === LF) {
        eol = i;
        break;
      }
    }
    if (eol < 0) return len >= MAX_REPLY_LINE ? -1 : 0;
    const line = eol + 2 - off;
    const isValue = eol - off >= 6 && b[off] === V && b[off + 1] === A && b[off + 2] === L &&
      b[off + 3] === U && b[off + 4] === E && b[off + 5] === SP;
    if (!isValue) return line;
    // The data length is the last field of the VALUE line.
    let p = eol - 1;
    let n = 0;
    let scale = 1;
    let digits = 0;
    while (p > off + 5 && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39 && digits < 9) {
      n += ((b[p] as number) - 0x30) * scale;
      scale *= 10;
      p--;
      digits++;
    }
    if (digits === 0 || b[p] !== SP) return -1;
    const total = line + n + 2 + 5;
    return len >= total ? total : 0;
  }

  /** Checks one complete reply exactly as the UDP client checks a one-datagram reply. */
  check(slot: number, bytes: Uint8Array, off: number, len: number): ReplyStatusCode {
    this.#grow(len + MEMCACHED_UDP_HEADER);
    const s = this.#scratch;
    // Header of a one-datagram reply: id 0, sequence 0, total 1, reserved 0.
    s.fill(0, 0, MEMCACHED_UDP_HEADER);
    s[5] = 1;
    s.set(bytes.subarray(off, off + len), MEMCACHED_UDP_HEADER);
    const r = this.#udp.onReply(slot, s, 0, len + MEMCACHED_UDP_HEADER);
    return r === ReplyStatus.Partial ? ReplyStatus.Wrong : r;
  }

  /** Counters of this protocol (gets, sets, values clamped). */
  counters(): Record<string, number> {
    return this.#udp.counters();
  }

  #grow(n: number): void {
    if (this.#scratch.length < n) {
      this.#scratch = new Uint8Array(Math.max(n, 2 * this.#scratch.length));
    }
  }
}
