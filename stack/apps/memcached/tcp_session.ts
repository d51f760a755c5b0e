/**
 * A TCP byte-stream session: buffers partial requests across segments and runs pipelined
 * requests in order, releasing replies when memcached 1.6 would write them.
 *
 * The protocol is chosen by the first byte of the connection, as memcached does (0x80 binary,
 * anything else ASCII). Requests split across segments wait in the session's buffer; a data
 * block being discarded after an error (`SERVER_ERROR object too large for cache`, binary
 * `E2BIG`) is skipped as it arrives.
 *
 * Reply timing follows memcached's connection state machine: each `receive` is one read event;
 * replies are written when the event runs out of complete requests, except while a value block
 * is still arriving or being discarded (`conn_nread`/`conn_swallow` do not flush); when such a
 * value completes in a later read (memcached reads it straight from the socket); after an ASCII
 * get and a binary error or no-op; and after every batch of requests allowed per event (`-R`,
 * 20: the first batch of an event holds 21 because the event starts past the counter). Until a binary get-family reply is written, its
 * item stays pinned (memcached's reference), which makes incr/decr build a new item instead of
 * rewriting it in place.
 *
 * After `quit` or a binary protocol error {@link closed} is set and later bytes are ignored;
 * after a request memcached answers by dropping the connection (an `HTTP/` request line, a line
 * of more than 2048 bytes, a bad binary magic) unsent replies are dropped too.
 *
 * @module
 */
import { CloseMode, type CloseModeCode, type ConnState, NEED_DATA, NEED_MORE } from "./codes.ts";
import { asciiStep } from "./ascii_protocol.ts";
import { binaryStep } from "./binary_protocol.ts";
import { BIN_REQ_MAGIC } from "./constants.ts";
import type { MemcachedEngine } from "./engine.ts";
import type { Item } from "./item_store.ts";
import { OutBuffer } from "./out_buffer.ts";

const EMPTY = new Uint8Array(0);
const PROTO_UNKNOWN = 0;
const PROTO_ASCII = 1;
const PROTO_BINARY = 2;

/**
 * Requests memcached runs per read event before it flushes and yields (`-R`, default 20).
 * source: memcached 1.6 `settings.reqs_per_event = 20` (unverified in the reference).
 */
export const REQS_PER_EVENT = 20;

/** One client connection to a {@link MemcachedEngine} over a byte stream. */
export class TcpSession implements ConnState {
  /** Bytes still to discard. */
  swallow = 0;
  /** Close state after the last `receive`. */
  close: CloseModeCode = CloseMode.NONE;
  private readonly engine: MemcachedEngine;
  private readonly reqsPerEvent: number;
  private readonly out = new OutBuffer();
  /** Bytes at the front of `out` handed to the caller by the previous `receive`. */
  private returned = 0;
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  private protocol = PROTO_UNKNOWN;
  /** The previous read ended inside a value block or a discard (memcached `conn_nread`). */
  private waitingForData = false;
  private pins: Item[] = [];
  private pinCount = 0;
  private nreqs = 0;

  /** Opens a session on an engine; `reqsPerEvent` is memcached's `-R` (default 20). */
  constructor(engine: MemcachedEngine, reqsPerEvent = REQS_PER_EVENT) {
    if (!Number.isInteger(reqsPerEvent) || reqsPerEvent < 1) {
      throw new RangeError(
        `TCP session "reqsPerEvent" must be a positive integer, got ${reqsPerEvent}`,
      );
    }
    this.engine = engine;
    this.reqsPerEvent = reqsPerEvent;
  }

  /** Whether the connection is closed (after `quit`, a protocol error or a forced close). */
  get closed(): boolean {
    return this.close !== CloseMode.NONE;
  }

  /** Bytes buffered while waiting for the rest of a request. */
  get buffered(): number {
    return this.pendingLength;
  }

  /** Bytes of replies held back while a value block is still arriving. */
  get held(): number {
    return this.out.length - this.returned;
  }

  /** Records that an unsent reply refers to `item` (see `ConnState.pin`). */
  pin(item: Item): void {
    item.refs++;
    if (this.pinCount === this.pins.length) this.pins.push(item);
    else this.pins[this.pinCount] = item;
    this.pinCount++;
  }

  /** Sends the replies so far and releases their pins (see `ConnState.flush`). */
  flush(): void {
    for (let i = 0; i < this.pinCount; i++) (this.pins[i] as Item).refs--;
    this.pinCount = 0;
    this.out.markFlushed();
  }

  /**
   * Feeds the bytes of one read; returns the reply bytes memcached would write in response, as
   * a view valid until the next call. Returns an empty array once the session is closed.
   */
  receive(chunk: Uint8Array): Uint8Array {
    if (this.returned > 0) this.out.dropFront(this.returned);
    this.returned = 0;
    this.nreqs = this.reqsPerEvent + 1;
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
    if (this.close === CloseMode.NOW) {
      this.flush();
      this.out.reset();
      return EMPTY;
    }
    if (!this.waitingForData || this.closed) this.flush();
    this.returned = this.out.flushedLength;
    return this.out.bytes.subarray(0, this.returned);
  }

  /**
   * Runs requests; returns bytes consumed and records whether it stopped inside a value block.
   *
   * memcached reads the rest of a value that spans reads straight from the socket, exactly as
   * many bytes as missing, so its read buffer is empty when the value completes: it writes the
   * replies so far and starts a new event for whatever follows. The same holds for a discard.
   */
  private run(buf: Uint8Array, start: number, end: number): number {
    let pos = start;
    let resuming = this.waitingForData;
    this.waitingForData = false;
    while (pos < end && !this.closed) {
      if (this.swallow > 0) {
        const n = Math.min(this.swallow, end - pos);
        this.swallow -= n;
        pos += n;
        if (this.swallow === 0 && resuming) {
          resuming = false;
          this.flush();
          this.nreqs = this.reqsPerEvent + 1;
        }
        continue;
      }
      if (this.nreqs === 0) {
        // memcached yields after a batch: the replies so far are written.
        this.flush();
        this.nreqs = this.reqsPerEvent;
      }
      if (this.protocol === PROTO_UNKNOWN) {
        this.protocol = buf[pos] === BIN_REQ_MAGIC ? PROTO_BINARY : PROTO_ASCII;
      }
      const next = this.protocol === PROTO_BINARY
        ? binaryStep(this.engine, buf, pos, end, this.out, this)
        : asciiStep(this.engine, buf, pos, end, this.out, this);
      if (next === NEED_MORE) return pos;
      if (next === NEED_DATA) {
        this.waitingForData = true;
        return pos;
      }
      this.nreqs--;
      pos = next;
      if (resuming) {
        resuming = false;
        this.flush();
        this.nreqs = this.reqsPerEvent + 1;
      }
    }
    if (this.swallow > 0) this.waitingForData = true;
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
