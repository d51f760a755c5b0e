/**
 * `TcpTxBatch`: the segments the engine emitted since the caller last drained it.
 *
 * Each segment is a complete TCP header (with options) plus payload, checksum filled with the
 * IPv4 pseudo-header, in a fixed slot of one arena; the IPv4 addresses travel beside it so the
 * IPv4 TX node (or `writeSegmentFrame`) can wrap it. Nothing is allocated after construction.
 *
 * @module
 */

/** Fixed-slot batch of outgoing TCP segments. */
export class TcpTxBatch {
  /** Segments the batch holds at most. */
  readonly capacity: number;
  /** Bytes per slot (60-byte maximum header plus the largest payload). */
  readonly slotSize: number;
  /** The arena; segment `i` starts at `offset(i)`. */
  readonly bytes: Uint8Array;
  /** TCP segment length (header + payload) per slot. */
  readonly length: Int32Array;
  /** IPv4 source per slot (u32). */
  readonly srcIp: Uint32Array;
  /** IPv4 destination per slot (u32). */
  readonly dstIp: Uint32Array;
  /** Sending connection id per slot, or -1 (RST to no socket). */
  readonly conn: Int32Array;
  /** Segments in the batch. */
  count = 0;

  /** Makes an empty batch of `capacity` slots for payloads up to `maxPayload` bytes. */
  constructor(capacity: number, maxPayload: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1 << 20)) {
      throw new RangeError(`Cannot create TCP TX batch: capacity ${capacity} must be 1..1048576`);
    }
    if (!(Number.isInteger(maxPayload) && maxPayload >= 0 && maxPayload <= 65495)) {
      throw new RangeError(
        `Cannot create TCP TX batch: payload size ${maxPayload} must be an integer 0..65495`,
      );
    }
    this.capacity = capacity;
    this.slotSize = (60 + maxPayload + 3) & ~3;
    this.bytes = new Uint8Array(capacity * this.slotSize);
    this.length = new Int32Array(capacity);
    this.srcIp = new Uint32Array(capacity);
    this.dstIp = new Uint32Array(capacity);
    this.conn = new Int32Array(capacity);
  }

  /** Offset of slot `i` in `bytes`. */
  offset(i: number): number {
    return i * this.slotSize;
  }

  /** A copy of segment `i` (for tests and tools; not for the per-packet path). */
  copy(i: number): Uint8Array {
    if (!(Number.isInteger(i) && i >= 0 && i < this.count)) {
      throw new RangeError(`Cannot copy TX segment ${i}: the batch holds ${this.count}`);
    }
    const o = i * this.slotSize;
    return this.bytes.slice(o, o + (this.length[i] ?? 0));
  }

  /** Empties the batch (after the caller has sent or copied every segment). */
  clear(): void {
    this.count = 0;
  }
}
