/**
 * The pcap record header: a reusable record view and the checked decoder the readers share.
 *
 * Layout (draft-ietf-opsawg-pcap-04 section 5): timestamp seconds u32, timestamp microseconds or
 * nanoseconds u32, captured length u32, original length u32, then `capLen` bytes of frame.
 *
 * @module
 */
import { PcapError, PcapErrorCode } from "./error.ts";
import { MAX_SNAPLEN, RECORD_HEADER_BYTES } from "./format.ts";
import type { PcapHeader } from "./header.ts";

/**
 * One record, filled in place by `PcapReader.tryNext` so reading allocates nothing per packet.
 *
 * `bytes[offset .. offset + capLen)` is the captured frame. `bytes` is the reader's internal
 * buffer: it stays valid only until the reader's next `fill()`; copy what you keep.
 */
export class PcapRecordView {
  /** Buffer holding the frame (the reader's, or the decoded file's). */
  bytes: Uint8Array = new Uint8Array(0);
  /** Offset of the frame's first byte in `bytes`. */
  offset = 0;
  /** Bytes captured (present in `bytes`). */
  capLen = 0;
  /** Bytes the frame had on the wire. */
  origLen = 0;
  /** Timestamp seconds since the Unix epoch (UTC). */
  tsSec = 0;
  /** Timestamp nanoseconds within the second, 0..999999999, whatever the file's resolution. */
  tsNsec = 0;
  /** Zero-based record number in the file. */
  index = 0;
  /** Byte offset in the file of the record header. */
  fileOffset = 0;

  /** The timestamp as nanoseconds since the epoch (allocates a BigInt). */
  tsNs(): bigint {
    return BigInt(this.tsSec) * 1_000_000_000n + BigInt(this.tsNsec);
  }

  /** A copy of the captured bytes. */
  copyData(): Uint8Array {
    return this.bytes.slice(this.offset, this.offset + this.capLen);
  }
}

/** A record detached from any reader buffer, as yielded by async iteration and `decodePcap`. */
export interface PcapRecord {
  /** Zero-based record number in the file. */
  readonly index: number;
  /** Timestamp as nanoseconds since the Unix epoch (UTC). */
  readonly tsNs: bigint;
  /** Timestamp seconds since the epoch. */
  readonly tsSec: number;
  /** Nanoseconds within the second, 0..999999999. */
  readonly tsNsec: number;
  /** Bytes captured (`data.length`). */
  readonly capLen: number;
  /** Bytes the frame had on the wire. */
  readonly origLen: number;
  /** The captured bytes (a copy owned by the caller). */
  readonly data: Uint8Array;
}

/** Copies a record view into a detached `PcapRecord`. */
export function detachRecord(view: PcapRecordView): PcapRecord {
  return {
    index: view.index,
    tsNs: view.tsNs(),
    tsSec: view.tsSec,
    tsNsec: view.tsNsec,
    capLen: view.capLen,
    origLen: view.origLen,
    data: view.copyData(),
  };
}

/**
 * Decodes the record starting at `bytes[pos]` when all of it lies before `end`.
 *
 * Returns the position after the record (and fills `out`), or -1 when more bytes are needed.
 * `fileBase` is the file offset of `bytes[0]`, used for `out.fileOffset` and error offsets.
 * Throws a `PcapError` for a captured length above the snaplen or the libpcap maximum, or a
 * sub-second field out of range; it never reports truncation (the caller knows about EOF).
 */
export function decodeRecordAt(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  end: number,
  header: PcapHeader,
  fileBase: number,
  index: number,
  name: string,
  out: PcapRecordView,
): number {
  if (end - pos < RECORD_HEADER_BYTES) return -1;
  const le = header.littleEndian;
  const tsSec = view.getUint32(pos, le);
  const frac = view.getUint32(pos + 4, le);
  const capLen = view.getUint32(pos + 8, le);
  const origLen = view.getUint32(pos + 12, le);
  const fileOffset = fileBase + pos;
  if (capLen > MAX_SNAPLEN) {
    throw new PcapError(
      PcapErrorCode.CapLenTooLarge,
      fileOffset + 8,
      `Cannot read "${name}": record ${index} at byte offset ${fileOffset} has captured length ${capLen}, above the pcap maximum of ${MAX_SNAPLEN}`,
    );
  }
  const snaplen = header.snaplen === 0 ? MAX_SNAPLEN : header.snaplen;
  if (capLen > snaplen) {
    throw new PcapError(
      PcapErrorCode.CapLenExceedsSnaplen,
      fileOffset + 8,
      `Cannot read "${name}": record ${index} at byte offset ${fileOffset} has captured length ${capLen}, above the file's snaplen of ${snaplen}`,
    );
  }
  const fracLimit = header.nanosecond ? 1_000_000_000 : 1_000_000;
  if (frac >= fracLimit) {
    throw new PcapError(
      PcapErrorCode.BadTimestampFraction,
      fileOffset + 4,
      `Cannot read "${name}": record ${index} at byte offset ${fileOffset} has a sub-second timestamp of ${frac} ${
        header.nanosecond ? "ns" : "us"
      }, must be below ${fracLimit}`,
    );
  }
  const dataStart = pos + RECORD_HEADER_BYTES;
  if (end - dataStart < capLen) return -1;
  out.bytes = bytes;
  out.offset = dataStart;
  out.capLen = capLen;
  out.origLen = origLen;
  out.tsSec = tsSec;
  out.tsNsec = header.nanosecond ? frac : frac * 1000;
  out.index = index;
  out.fileOffset = fileOffset;
  return dataStart + capLen;
}

/**
 * Builds the `PcapError` for a file that ends `remaining` bytes into the record at `fileOffset`.
 */
export function truncatedRecordError(
  view: DataView,
  pos: number,
  remaining: number,
  header: PcapHeader,
  fileOffset: number,
  index: number,
  name: string,
): PcapError {
  if (remaining < RECORD_HEADER_BYTES) {
    return new PcapError(
      PcapErrorCode.TruncatedRecordHeader,
      fileOffset,
      `Cannot read "${name}": record ${index} header truncated at byte offset ${fileOffset}: ${remaining} of ${RECORD_HEADER_BYTES} bytes present`,
    );
  }
  const capLen = view.getUint32(pos + 8, header.littleEndian);
  const have = remaining - RECORD_HEADER_BYTES;
  return new PcapError(
    PcapErrorCode.TruncatedRecordData,
    fileOffset + RECORD_HEADER_BYTES,
    `Cannot read "${name}": record ${index} at byte offset ${fileOffset} truncated: header says ${capLen} captured bytes, only ${have} present before the end of the file`,
  );
}
