/**
 * L4 checksums of captured frames: tells a correct checksum from a Linux partial one (the folded
 * IPv4 pseudo-header sum a NIC would complete, CHECKSUM_PARTIAL, which is what `tcpdump -i lo`
 * records) and from a wrong one, and completes partial ones.
 *
 * A wrong checksum is never "fixed": only a field equal to the pseudo-header sum is, so a frame
 * that was really corrupted still reaches the stack with its bad checksum and is dropped there
 * with a counted reason. A partial checksum covers only the pseudo-header, so completing it
 * vouches for nothing in the segment: that is sound for loopback captures (the bytes never
 * crossed a wire), and the reason completion is limited to them by default.
 *
 * @module
 */
import { ipv4PseudoHeaderSum, onesComplementSum } from "../../stack/packet/checksum.ts";
import type { FrameInfo } from "../../stack/packet/frame_info.ts";

/** What {@linkcode classifyL4Checksum} found. */
export const L4Checksum = {
  /** Correct, or UDP without checksum, or not a UDP/TCP frame. */
  Ok: 0,
  /** The field holds the pseudo-header sum only (checksum offload not done). */
  Partial: 1,
  /** Neither correct nor partial. */
  Bad: 2,
  /** The segment is not all in the frame: cannot be checked. */
  Truncated: 3,
} as const;
/** One of {@linkcode L4Checksum}. */
export type L4ChecksumCode = (typeof L4Checksum)[keyof typeof L4Checksum];

function segment(bytes: Uint8Array, info: FrameInfo): { at: number; len: number } | null {
  if (info.l4 < 0) return null;
  if (info.l4Proto === 17) {
    const len = info.udpLen;
    if (len < 8 || info.l4 + len > info.end || info.end > bytes.length) return null;
    return { at: info.l4 + 6, len };
  }
  if (info.l4Proto === 6) {
    const len = info.l4Len;
    if (len < 20 || info.l4 + len > info.end || info.end > bytes.length) return null;
    return { at: info.l4 + 16, len };
  }
  return null;
}

/** Classifies the UDP or TCP checksum of a frame parsed into `info` (other frames: `Ok`). */
export function classifyL4Checksum(bytes: Uint8Array, info: FrameInfo): L4ChecksumCode {
  if (info.l4Proto !== 6 && info.l4Proto !== 17) return L4Checksum.Ok;
  const seg = segment(bytes, info);
  if (seg === null) return L4Checksum.Truncated;
  const field = (bytes[seg.at] ?? 0) << 8 | (bytes[seg.at + 1] ?? 0);
  if (info.l4Proto === 17 && field === 0) return L4Checksum.Ok;
  const pseudo = ipv4PseudoHeaderSum(info.ipSrc, info.ipDst, info.l4Proto, seg.len);
  if (onesComplementSum(bytes, info.l4, seg.len, pseudo) === 0xffff) return L4Checksum.Ok;
  return field === pseudo ? L4Checksum.Partial : L4Checksum.Bad;
}

/**
 * Writes the correct UDP or TCP checksum into the frame parsed into `info` (in place); returns
 * false when the frame has no complete UDP/TCP segment.
 */
export function fillL4Checksum(bytes: Uint8Array, info: FrameInfo): boolean {
  const seg = segment(bytes, info);
  if (seg === null) return false;
  bytes[seg.at] = 0;
  bytes[seg.at + 1] = 0;
  const pseudo = ipv4PseudoHeaderSum(info.ipSrc, info.ipDst, info.l4Proto, seg.len);
  let sum = ~onesComplementSum(bytes, info.l4, seg.len, pseudo) & 0xffff;
  if (sum === 0 && info.l4Proto === 17) sum = 0xffff; // RFC 768: zero means "no checksum"
  bytes[seg.at] = sum >>> 8;
  bytes[seg.at + 1] = sum & 0xff;
  return true;
}
