/**
 * The client side of UDP echo in netperf UDP_RR style (workloads.md §6): each transaction sends
 * a `requestSize`-byte datagram and expects the same bytes back (the lab's echo server returns
 * the request, so response size = request size). The first two payload bytes carry the request
 * id (netperf matches replies by order; the lab tags them so a misrouted or corrupted reply is
 * caught); the rest is a pattern of the id, checked byte for byte.
 *
 * @module
 */
import {
  type ClientProtocol,
  ReplyStatus,
  type ReplyStatusCode,
  RequestKind,
  type RequestKindCode,
} from "../clients/protocol.ts";
import { CallerViews, copyWords, equalWords } from "../clients/byte_words.ts";
import { MAX_UDP_PAYLOAD } from "../clients/udp_frame_writer.ts";

/** Smallest request: the two id bytes. */
export const MIN_ECHO_BYTES = 2;

/*
 * Byte j >= 2 of request `id` is (imul(id + 1, 0x9e37) + imul(j, 131) + (j >> 8)) mod 256: the
 * low byte of a sum depends only on the low bytes of its terms, so it is the id's part (one of
 * 256, `idPart`) plus a part of the position. The payload after the id is therefore one of 256
 * rows, each computed once on first use and then copied and compared 4 bytes at a time.
 */

/** Bytes per row: payload bytes 2..MAX_UDP_PAYLOAD-1, padded to whole words. */
const ROW_BYTES = (MAX_UDP_PAYLOAD - MIN_ECHO_BYTES + 3) & ~3;
/** Row `a` holds payload bytes 2.. of every request whose id part is `a`, as words. */
const ROWS = new Int32Array((256 * ROW_BYTES) / 4);
const ROWS_BYTES = new Uint8Array(ROWS.buffer);
const rowBuilt = new Uint8Array(256);

/** The id part of the pattern, imul(id + 1, 0x9e37) mod 256. */
function idPart(id: number): number {
  return Math.imul(id + 1, 0x9e37) & 0xff;
}

/** First word of the row of request `id`'s payload pattern (built on first use). */
function rowOf(id: number): number {
  const a = idPart(id);
  if (rowBuilt[a] === 0) {
    const at = a * ROW_BYTES;
    for (let i = 0; i < ROW_BYTES; i++) {
      const j = i + MIN_ECHO_BYTES;
      ROWS_BYTES[at + i] = (a + Math.imul(j, 131) + (j >>> 8)) & 0xff;
    }
    rowBuilt[a] = 1;
  }
  return (a * ROW_BYTES) / 4;
}

/** One connection's UDP_RR client protocol. */
export class UdpEchoClient implements ClientProtocol {
  /** Protocol name. */
  readonly name = "udp-echo";
  /** Request (= expected response) payload size in bytes. */
  readonly requestSize: number;
  readonly #views = new CallerViews();

  /** Creates the protocol; `requestSize` must be 2..1472 bytes (one unfragmented datagram). */
  constructor(requestSize: number) {
    if (
      !Number.isInteger(requestSize) || requestSize < MIN_ECHO_BYTES ||
      requestSize > MAX_UDP_PAYLOAD
    ) {
      throw new RangeError(
        `Echo request size ${requestSize} B is invalid: must be an integer ${MIN_ECHO_BYTES}..${MAX_UDP_PAYLOAD}`,
      );
    }
    this.requestSize = requestSize;
  }

  /** Echo has no warm-up load. */
  loading(): boolean {
    return false;
  }

  /** Writes the id and the pattern. */
  writeRequest(_slot: number, id: number, bytes: Uint8Array, off: number, cap: number): number {
    const n = this.requestSize;
    if (n > cap) {
      throw new RangeError(`Echo request size ${n} B does not fit the ${cap}-byte frame buffer`);
    }
    bytes[off] = id >>> 8;
    bytes[off + 1] = id & 0xff;
    const view = this.#views.of(bytes);
    copyWords(ROWS, ROWS_BYTES, rowOf(id), n - MIN_ECHO_BYTES, bytes, view, off + MIN_ECHO_BYTES);
    return n;
  }

  /** Every request is an echo. */
  kindOf(_slot: number): RequestKindCode {
    return RequestKind.Echo;
  }

  /** The id in the first two bytes, or -1 when shorter. */
  replyId(bytes: Uint8Array, off: number, len: number): number {
    if (len < MIN_ECHO_BYTES) return -1;
    return ((bytes[off] as number) << 8) | (bytes[off + 1] as number);
  }

  /** Done when the reply is exactly the request; wrong otherwise. */
  onReply(_slot: number, bytes: Uint8Array, off: number, len: number): ReplyStatusCode {
    if (len !== this.requestSize) return ReplyStatus.Wrong;
    const id = ((bytes[off] as number) << 8) | (bytes[off + 1] as number);
    if (!(off >= 0 && off + len <= bytes.length)) return ReplyStatus.Wrong;
    const view = this.#views.of(bytes);
    const from = rowOf(id);
    const ok = equalWords(ROWS, ROWS_BYTES, from, len - MIN_ECHO_BYTES, bytes, view, off + 2);
    return ok ? ReplyStatus.Done : ReplyStatus.Wrong;
  }

  /** Nothing to forget. */
  abandon(_slot: number): void {}

  /** No protocol-specific counters. */
  counters(): Readonly<Record<string, number>> {
    return {};
  }
}
