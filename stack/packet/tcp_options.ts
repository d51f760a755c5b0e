/**
 * TCP options: parse MSS, window scale, SACK-permitted, SACK blocks and timestamps into a
 * reusable struct, and write them in the order Linux uses.
 *
 * Kinds and lengths: RFC 9293 (End 0, Nop 1, MSS 2/4), RFC 7323 (window scale 3/3, timestamps
 * 8/10), RFC 2018 (SACK-permitted 4/2, SACK 5/2+8n). Unknown kinds with a sane length byte are
 * skipped.
 *
 * @module
 */
import { Reason, type ReasonCode } from "./reason.ts";
import { viewOf } from "./_view.ts";

/** TCP option kinds. */
export const TcpOptionKind = {
  End: 0,
  Nop: 1,
  Mss: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Sack: 5,
  Timestamps: 8,
} as const;

/** Most bytes of options a TCP header can carry (data offset 15). */
export const TCP_OPTIONS_MAX = 40;

/** Parsed TCP options, reused across packets; absent values are -1 / false / 0 blocks. */
export class TcpOptions {
  /** Maximum segment size, or -1 when absent. */
  mss = -1;
  /** Window scale shift count, or -1 when absent. */
  windowScale = -1;
  /** Whether SACK-permitted was present. */
  sackPermitted = false;
  /** Whether the timestamps option was present. */
  hasTimestamps = false;
  /** TSval (u32) when `hasTimestamps`. */
  tsVal = 0;
  /** TSecr (u32) when `hasTimestamps`. */
  tsEcr = 0;
  /** Number of SACK blocks (0..4) in `sackBlocks`. */
  sackCount = 0;
  /** SACK blocks as left/right edge pairs: `[left0, right0, left1, right1, ...]`. */
  readonly sackBlocks: Uint32Array = new Uint32Array(8);

  /** Clears every field to "absent". */
  reset(): void {
    this.mss = -1;
    this.windowScale = -1;
    this.sackPermitted = false;
    this.hasTimestamps = false;
    this.tsVal = 0;
    this.tsEcr = 0;
    this.sackCount = 0;
  }
}

/**
 * Parses the option area `bytes[off, off+len)` into `out` (reset first). Returns `Reason.Ok`, or
 * `Reason.TcpBadOptions` when an option overruns the area, has a length byte below 2, or a known
 * kind has the wrong length; never throws for a range within `bytes` (`FrameBoundsInvalid`
 * otherwise).
 */
export function parseTcpOptions(
  bytes: Uint8Array,
  off: number,
  len: number,
  out: TcpOptions,
): ReasonCode {
  out.reset();
  if (!(off >= 0 && len >= 0 && off + len <= bytes.length)) return Reason.FrameBoundsInvalid;
  const v = viewOf(bytes);
  const end = off + len;
  let i = off;
  while (i < end) {
    const kind = v.getUint8(i);
    if (kind === TcpOptionKind.End) return Reason.Ok;
    if (kind === TcpOptionKind.Nop) {
      i++;
      continue;
    }
    if (i + 1 >= end) return Reason.TcpBadOptions;
    const optLen = v.getUint8(i + 1);
    if (optLen < 2 || i + optLen > end) return Reason.TcpBadOptions;
    switch (kind) {
      case TcpOptionKind.Mss:
        if (optLen !== 4) return Reason.TcpBadOptions;
        out.mss = v.getUint16(i + 2);
        break;
      case TcpOptionKind.WindowScale:
        if (optLen !== 3) return Reason.TcpBadOptions;
        out.windowScale = v.getUint8(i + 2);
        break;
      case TcpOptionKind.SackPermitted:
        if (optLen !== 2) return Reason.TcpBadOptions;
        out.sackPermitted = true;
        break;
      case TcpOptionKind.Sack: {
        const n = (optLen - 2) >>> 3;
        if (n < 1 || n > 4 || optLen !== 2 + 8 * n) return Reason.TcpBadOptions;
        for (let b = 0; b < n; b++) {
          out.sackBlocks[2 * b] = v.getUint32(i + 2 + 8 * b);
          out.sackBlocks[2 * b + 1] = v.getUint32(i + 6 + 8 * b);
        }
        out.sackCount = n;
        break;
      }
      case TcpOptionKind.Timestamps:
        if (optLen !== 10) return Reason.TcpBadOptions;
        out.hasTimestamps = true;
        out.tsVal = v.getUint32(i + 2);
        out.tsEcr = v.getUint32(i + 6);
        break;
      default:
        break;
    }
    i += optLen;
  }
  return Reason.Ok;
}

/** TCP options to write; absent fields are not written. */
export interface TcpOptionsSpec {
  /** Maximum segment size (0..65535). */
  readonly mss?: number;
  /** Window scale shift count (0..14, RFC 7323). */
  readonly windowScale?: number;
  /** Write SACK-permitted (SYN segments). */
  readonly sackPermitted?: boolean;
  /** Write the timestamps option. */
  readonly timestamps?: { readonly val: number; readonly ecr: number };
  /** SACK blocks as left/right pairs, at most 4 pairs (fewer with other options). */
  readonly sackBlocks?: readonly number[];
}

/** Bytes `writeTcpOptions` writes for `spec` (a multiple of 4), without writing anything. */
export function tcpOptionsLength(spec: TcpOptionsSpec): number {
  let n = 0;
  if (spec.mss !== undefined) n += 4;
  if (spec.timestamps !== undefined) n += 12; // (SACK-permitted or 2 NOPs) + 10
  else if (spec.sackPermitted === true) n += 4; // 2 NOPs + 2
  if (spec.windowScale !== undefined) n += 4; // NOP + 3
  if (spec.sackBlocks !== undefined && spec.sackBlocks.length > 0) {
    n += 4 + 4 * spec.sackBlocks.length; // 2 NOPs + 2 + 8 per pair
  }
  return n;
}

/**
 * Writes `spec` at `off` in Linux order (MSS; SACK-permitted and timestamps; NOP + window
 * scale; NOP NOP + SACK), padded with NOPs to 32-bit words. Returns the bytes written. Throws
 * a clear error when a value is out of range or the options exceed 40 bytes.
 */
export function writeTcpOptions(bytes: Uint8Array, off: number, spec: TcpOptionsSpec): number {
  const total = tcpOptionsLength(spec);
  if (total > TCP_OPTIONS_MAX) {
    throw new RangeError(
      `Cannot write TCP options of ${total} bytes: a TCP header holds at most ${TCP_OPTIONS_MAX}`,
    );
  }
  const blocks = spec.sackBlocks ?? [];
  if (blocks.length % 2 !== 0 || blocks.length > 8) {
    throw new RangeError(
      `Cannot write ${blocks.length} SACK edges: give left/right pairs, at most 4 pairs`,
    );
  }
  if (
    spec.mss !== undefined && !(Number.isInteger(spec.mss) && spec.mss >= 0 && spec.mss <= 0xffff)
  ) {
    throw new RangeError(`Cannot write TCP MSS ${spec.mss}: must be an integer 0..65535`);
  }
  if (
    spec.windowScale !== undefined &&
    !(Number.isInteger(spec.windowScale) && spec.windowScale >= 0 && spec.windowScale <= 14)
  ) {
    throw new RangeError(
      `Cannot write TCP window scale ${spec.windowScale}: must be an integer 0..14 (RFC 7323)`,
    );
  }
  if (!(off >= 0 && off + total <= bytes.length)) {
    throw new RangeError(
      `Cannot write ${total} bytes of TCP options at offset ${off}: buffer holds ${bytes.length}`,
    );
  }
  const v = viewOf(bytes);
  let i = off;
  if (spec.mss !== undefined) {
    v.setUint8(i, TcpOptionKind.Mss);
    v.setUint8(i + 1, 4);
    v.setUint16(i + 2, spec.mss);
    i += 4;
  }
  if (spec.timestamps !== undefined) {
    if (spec.sackPermitted === true) {
      v.setUint8(i, TcpOptionKind.SackPermitted);
      v.setUint8(i + 1, 2);
    } else {
      v.setUint8(i, TcpOptionKind.Nop);
      v.setUint8(i + 1, TcpOptionKind.Nop);
    }
    v.setUint8(i + 2, TcpOptionKind.Timestamps);
    v.setUint8(i + 3, 10);
    v.setUint32(i + 4, spec.timestamps.val >>> 0);
    v.setUint32(i + 8, spec.timestamps.ecr >>> 0);
    i += 12;
  } else if (spec.sackPermitted === true) {
    v.setUint8(i, TcpOptionKind.Nop);
    v.setUint8(i + 1, TcpOptionKind.Nop);
    v.setUint8(i + 2, TcpOptionKind.SackPermitted);
    v.setUint8(i + 3, 2);
    i += 4;
  }
  if (spec.windowScale !== undefined) {
    v.setUint8(i, TcpOptionKind.Nop);
    v.setUint8(i + 1, TcpOptionKind.WindowScale);
    v.setUint8(i + 2, 3);
    v.setUint8(i + 3, spec.windowScale);
    i += 4;
  }
  if (blocks.length > 0) {
    v.setUint8(i, TcpOptionKind.Nop);
    v.setUint8(i + 1, TcpOptionKind.Nop);
    v.setUint8(i + 2, TcpOptionKind.Sack);
    v.setUint8(i + 3, 2 + 4 * blocks.length);
    i += 4;
    for (const edge of blocks) {
      v.setUint32(i, edge >>> 0);
      i += 4;
    }
  }
  return i - off;
}
