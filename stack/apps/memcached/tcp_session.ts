/**
 * A TCP byte-stream session: buffers partial requests across segments and runs pipelined
 * requests in order.
 *
 * The protocol is chosen by the first byte of the connection, as memcached does (0x80 binary,
 * anything else ASCII). Requests split across segments wait in the session's buffer; a data
 * block being discarded after an error (`SERVER_ERROR object too large for cache`, binary
 * `E2BIG`) is skipped as it arrives. After `quit` or a binary protocol error {@link closed} is
 * set and later bytes are ignored; after a request memcached answers by dropping the connection
 * (an `HTTP/` request line, a line of more than 2048 bytes, a bad binary magic) the replies of
 * the same `receive` call are dropped too.
 *
 * @module
 */
import { CloseMode, type CloseModeCode, type ConnState, NEED_MORE } from "./codes.ts";
import { asciiStep } from "./ascii_protocol.ts";
import { binaryStep } from "./binary_protocol.ts";
import { BIN_REQ_MAGIC } from "./constants.ts";
import type { MemcachedEngine } from "./engine.ts";
import { OutBuffer } from "./out_buffer.ts";

const EMPTY = new Uint8Array(0);
const PROTO_UNKNOWN = 0;
const PROTO_ASCII = 1;
const PROTO_BINARY = 2;

/** One client connection to a {@link MemcachedEngine} over a byte stream. */
export class TcpSession implements ConnState {
  /** Bytes still to discard. */
  swallow = 0;
  /** Close state after the last `receive`. */
  close: CloseModeCode = CloseMode.NONE;
  private readonly engine: MemcachedEngine;
  private readonly out = new OutBuffer();
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  private protocol = PROTO_UNKNOWN;

  /** Opens a session on an engine. */
  constructor(engine: MemcachedEngine) {
    this.engine = engine;
  }

  /** Whether the connection is closed (after `quit`, a protocol error or a forced close). */
  get closed(): boolean {
    return this.close !== CloseMode.NONE;
  }

  /** Bytes buffered while waiting for the rest of a request. */
  get buffered(): number {
    return this.pendingLength;
  }

  /**
   * Feeds received bytes; returns the reply bytes they produced, as a view valid until the next
   * call. Returns an empty array once the session is closed.
   */
  receive(chunk: Uint8Array): Uint8Array {
    this.out.reset();
    if (this.closed) return EMPTY;
    if (this.pendingLength === 0) {
      const used = this.run(chunk, 0, chunk.length);
      if (used < chunk.length && !this.closed) this.keep(chunk, used, chunk.length);
    } else {
      this.append(chunk);
      const used = this.run(this.pending, 0, this.pendingLength);
      if (this.closed) this.pendingLength = 0;
      else {
        this.pending.copyWithin(0, used, this.pendingLength);
        this.pendingLength -= used;
      }
    }
    if (this.close === CloseMode.NOW) return EMPTY;
    return this.out.view();
  }

  /** Runs requests from `buf[pos .. end)`; returns how many bytes were consumed. */
  private run(buf: Uint8Array, start: number, end: number): number {
    let pos = start;
    while (pos < end && !this.closed) {
      if (this.swallow > 0) {
        const n = Math.min(this.swallow, end - pos);
        this.swallow -= n;
        pos += n;
        continue;
      }
      if (this.protocol === PROTO_UNKNOWN) {
        this.protocol = buf[pos] === BIN_REQ_MAGIC ? PROTO_BINARY : PROTO_ASCII;
      }
      const next = this.protocol === PROTO_BINARY
        ? binaryStep(this.engine, buf, pos, end, this.out, this)
        : asciiStep(this.engine, buf, pos, end, this.out, this);
      if (next === NEED_MORE) break;
      pos = next;
    }
    return pos;
  }

  private keep(src: Uint8Array, start: number, end: number): void {
    this.pendingLength = 0;
    this.append(src.subarray(start, end));
  }

  private append(src: Uint8Array): void {
    const need = this.pendingLength + src.length;
    if (need > this.pending.length) {
      const next = new Uint8Array(Math.max(need, this.pending.length * 2, 4096));
      next.set(this.pending.subarray(0, this.pendingLength));
      this.pending = next;
    }
    this.pending.set(src, this.pendingLength);
    this.pendingLength = need;
  }
}
