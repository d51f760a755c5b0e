/**
 * A growable reply buffer split into memcached response objects.
 *
 * memcached 1.6 builds each reply in "response objects" (`mc_resp`): one per ASCII command, one
 * per key of a multi-key get (`END` is added to the last), one per binary command. Over TCP the
 * objects are simply concatenated; over UDP each object is its own message with its own
 * sequence numbers (observed on memcached 1.6.18: `get a b` with two hits answers two UDP
 * messages). The buffer records where each object ends so the UDP framer can split them.
 *
 * A buffer may keep `headroom` bytes free before the first object: the UDP framer writes each
 * datagram's 8-byte frame header into the bytes just before the datagram's payload and sends the
 * reply in place, with no copy.
 *
 * @module
 */

const DIGITS = new Uint8Array(20);

/** Growable byte buffer with response-object boundaries; reused across requests. */
export class OutBuffer {
  /** Bytes written so far are `bytes[headroom .. length)`. */
  bytes: Uint8Array;
  /** Free bytes kept before the first response object. */
  readonly headroom: number;
  /** End of the bytes written (offset in `bytes`, headroom included). */
  length: number;
  /** End offsets of completed response objects. */
  ends: Int32Array;
  /** Completed response objects. */
  count = 0;
  /** End of the bytes already written to the client (memcached `conn_mwrite`) in this batch. */
  flushedLength: number;
  /** Response objects already written in this batch. */
  flushedCount = 0;
  private segmentStart: number;

  /** Creates a buffer with an initial capacity in bytes and `headroom` free bytes up front. */
  constructor(capacity = 4096, headroom = 0) {
    if (!Number.isInteger(headroom) || headroom < 0 || headroom >= capacity) {
      throw new RangeError(
        `Out buffer headroom must be an integer in 0..${capacity - 1}, got ${headroom}`,
      );
    }
    this.bytes = new Uint8Array(capacity);
    this.ends = new Int32Array(16);
    this.headroom = headroom;
    this.length = headroom;
    this.segmentStart = headroom;
    this.flushedLength = headroom;
  }

  /** Empties the buffer, keeping its storage. */
  reset(): void {
    this.length = this.headroom;
    this.count = 0;
    this.segmentStart = this.headroom;
    this.flushedLength = this.headroom;
    this.flushedCount = 0;
  }

  /** Marks everything written so far as sent. */
  markFlushed(): void {
    this.flushedLength = this.length;
    this.flushedCount = this.count;
  }

  /**
   * Drops every response not yet sent (memcached `conn_release_items`, used when a multi-key
   * get meets a too-long key).
   */
  cull(): void {
    this.rewind(this.flushedLength, this.flushedCount);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Appends `src[start .. end)`. */
  put(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    if (n <= 64) {
      // Short copies (keys, literals): a loop beats creating a subarray view.
      const b = this.bytes;
      let o = this.length;
      for (let i = start; i < end; i++) b[o++] = src[i] as number;
    } else {
      this.bytes.set(n === src.length ? src : src.subarray(start, end), this.length);
    }
    this.length += n;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b;
  }

  /** Appends a non-negative integer below 2^64 given as a number (exact below 2^53) in decimal. */
  decimal(value: number): void {
    let v = value;
    let n = 0;
    do {
      const q = Math.floor(v / 10);
      DIGITS[n++] = 0x30 + (v - q * 10);
      v = q;
    } while (v > 0);
    this.ensure(n);
    const b = this.bytes;
    for (let i = n - 1; i >= 0; i--) b[this.length++] = DIGITS[i] as number;
  }

  /** Appends a 16-bit big-endian value. */
  u16(v: number): void {
    this.ensure(2);
    this.bytes[this.length++] = (v >>> 8) & 0xff;
    this.bytes[this.length++] = v & 0xff;
  }

  /** Appends a 32-bit big-endian value. */
  u32(v: number): void {
    this.ensure(4);
    const b = this.bytes;
    b[this.length++] = (v >>> 24) & 0xff;
    b[this.length++] = (v >>> 16) & 0xff;
    b[this.length++] = (v >>> 8) & 0xff;
    b[this.length++] = v & 0xff;
  }

  /** Appends a 64-bit big-endian value given as a number below 2^53. */
  u64(v: number): void {
    const hi = Math.floor(v / 4294967296);
    this.u32(hi);
    this.u32(v - hi * 4294967296);
  }

  /**
   * Closes the current response object. An empty one is still recorded: over UDP memcached
   * sends it as a header-only datagram with a total of 0 (observed on 1.6.18 for the misses of a
   * multi-key get that are not its last key).
   */
  endSegment(): void {
    if (this.count === this.ends.length) {
      const next = new Int32Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.ends[this.count++] = this.length;
    this.segmentStart = this.length;
  }

  /** Drops the current response object entirely (memcached `resp->skip`, used by noreply). */
  skipSegment(): void {
    this.length = this.segmentStart;
  }

  /**
   * Removes the first `n` bytes, keeping the rest (object boundaries are reset); for buffers
   * without headroom.
   */
  dropFront(n: number): void {
    this.bytes.copyWithin(0, n, this.length);
    this.length -= n;
    this.count = 0;
    this.segmentStart = this.length;
    this.flushedLength = 0;
    this.flushedCount = 0;
  }

  /** Drops bytes and objects back to a saved `length` and `count`. */
  rewind(markLength: number, markCount: number): void {
    this.length = markLength;
    this.count = markCount;
    this.segmentStart = markLength;
  }

  /** Returns a view of the bytes written (valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(this.headroom, this.length);
  }
}
