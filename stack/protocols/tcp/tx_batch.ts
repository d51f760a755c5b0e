/**
 * `TcpTxBatch`: the segments the engine emitted since the caller last drained it, and the
 * serializer that writes them.
 *
 * Each segment is a complete TCP header (with options) plus payload, checksum filled with the
 * IPv4 pseudo-header, in a fixed slot of one arena; the IPv4 addresses travel beside it so the
 * IPv4 TX node (or `writeSegmentFrame`) can wrap it. Nothing is allocated after construction.
 *
 * @module
 */

import { ipv4PseudoHeaderSum, onesComplementSum } from "../../packet/checksum.ts";
import { copyBytes } from "./_copy.ts";

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
  readonly #view: DataView;

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
    this.#view = new DataView(this.bytes.buffer);
  }

  /**
   * Appends one segment: header (with MSS and window-scale options when `mss >= 0`, the scale
   * only when `wscale >= 0`), `n` payload bytes from ring `ring` starting at index `pos`
   * (wrapping), and the checksum over the IPv4 pseudo-header. Returns false when the batch is
   * full. Allocation-free except for payload copies longer than 64 bytes (see `_copy.ts`).
   */
  writeSegment(
    connId: number,
    srcIp: number,
    dstIp: number,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    window: number,
    ring: Uint8Array | null,
    pos: number,
    n: number,
    mss: number,
    wscale: number,
  ): boolean {
    if (this.count >= this.capacity) return false;
    const i = this.count++;
    const o = i * this.slotSize;
    const b = this.bytes;
    const v = this.#view;
    let hl = 20;
    if (mss >= 0) {
      v.setUint8(o + 20, 2); // kind MSS, length 4 (RFC 9293 §3.2)
      v.setUint8(o + 21, 4);
      v.setUint16(o + 22, mss);
      hl = 24;
      if (wscale >= 0) {
        v.setUint8(o + 24, 1); // NOP, then kind 3 length 3 (RFC 7323 §2.2), Linux's layout
        v.setUint8(o + 25, 3);
        v.setUint8(o + 26, 3);
        v.setUint8(o + 27, wscale);
        hl = 28;
      }
    }
    v.setUint16(o, srcPort);
    v.setUint16(o + 2, dstPort);
    v.setUint32(o + 4, seq >>> 0);
    v.setUint32(o + 8, ack >>> 0);
    v.setUint8(o + 12, (hl >>> 2) << 4);
    v.setUint8(o + 13, flags);
    v.setUint16(o + 14, window);
    v.setUint16(o + 16, 0);
    v.setUint16(o + 18, 0);
    if (n > 0 && ring !== null) {
      const size = ring.length;
      const first = Math.min(n, size - pos);
      copyBytes(b, o + hl, ring, pos, first);
      if (first < n) copyBytes(b, o + hl + first, ring, 0, n - first);
    }
    const len = hl + n;
    const sum = onesComplementSum(b, o, len, ipv4PseudoHeaderSum(srcIp, dstIp, 6, len));
    v.setUint16(o + 16, ~sum & 0xffff);
    this.length[i] = len;
    this.srcIp[i] = srcIp;
    this.dstIp[i] = dstIp;
    this.conn[i] = connId;
    return true;
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
