/**
 * In-memory pcap encoding and decoding, for tests and small captures.
 *
 * @module
 */
import {
  encodePcapHeader,
  parsePcapHeader,
  type PcapHeader,
  type PcapHeaderOptions,
  resolveHeaderOptions,
} from "./header.ts";
import { FILE_HEADER_BYTES, RECORD_HEADER_BYTES } from "./format.ts";
import {
  decodeRecordAt,
  detachRecord,
  type PcapRecord,
  PcapRecordView,
  truncatedRecordError,
} from "./record.ts";

/** A frame to encode: its bytes, its timestamp and optionally its length on the wire. */
export interface PcapFrameInput {
  /** Timestamp as nanoseconds since the Unix epoch. */
  readonly tsNs: bigint;
  /** The frame; cut to the snaplen when longer. */
  readonly data: Uint8Array;
  /** Length on the wire (default `data.length`), at least `data.length`. */
  readonly origLen?: number;
}

/** A whole pcap file decoded in memory. */
export interface DecodedPcap {
  /** The file header. */
  readonly header: PcapHeader;
  /** Every record, with its own copy of the bytes. */
  readonly records: PcapRecord[];
}

/** Encodes frames into the bytes of a complete pcap file (same layout as `PcapWriter`). */
export function encodePcap(
  frames: Iterable<PcapFrameInput>,
  opts: PcapHeaderOptions = {},
): Uint8Array {
  const o = resolveHeaderOptions(opts);
  const list = [...frames];
  let size = FILE_HEADER_BYTES;
  for (const f of list) size += RECORD_HEADER_BYTES + Math.min(f.data.length, o.snaplen);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const le = !o.bigEndian;
  let p = encodePcapHeader(out, 0, o);
  for (const [i, f] of list.entries()) {
    if (f.tsNs < 0n || f.tsNs / 1_000_000_000n > 0xffffffffn) {
      throw new RangeError(
        `Invalid timestamp ${f.tsNs} ns of frame ${i}: must be 0..4294967295 s after the epoch`,
      );
    }
    const origLen = f.origLen ?? f.data.length;
    if (!Number.isInteger(origLen) || origLen < f.data.length || origLen > 0xffffffff) {
      throw new RangeError(
        `Invalid original length ${origLen} of frame ${i}: must be an integer ${f.data.length}..4294967295`,
      );
    }
    const capLen = Math.min(f.data.length, o.snaplen);
    const nsec = Number(f.tsNs % 1_000_000_000n);
    v.setUint32(p, Number(f.tsNs / 1_000_000_000n), le);
    v.setUint32(p + 4, o.nanosecond ? nsec : Math.floor(nsec / 1000), le);
    v.setUint32(p + 8, capLen, le);
    v.setUint32(p + 12, origLen, le);
    out.set(f.data.subarray(0, capLen), p + RECORD_HEADER_BYTES);
    p += RECORD_HEADER_BYTES + capLen;
  }
  return out;
}

/**
 * Decodes a complete pcap file held in memory; throws the same `PcapError`s as `PcapReader`.
 * `name` is used in error messages.
 */
export function decodePcap(bytes: Uint8Array, name = "<memory>"): DecodedPcap {
  const header = parsePcapHeader(bytes, bytes.length, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rec = new PcapRecordView();
  const records: PcapRecord[] = [];
  let pos = FILE_HEADER_BYTES;
  while (pos < bytes.length) {
    const next = decodeRecordAt(
      bytes,
      view,
      pos,
      bytes.length,
      header,
      0,
      records.length,
      name,
      rec,
    );
    if (next < 0) {
      throw truncatedRecordError(view, pos, bytes.length - pos, header, pos, records.length, name);
    }
    records.push(detachRecord(rec));
    pos = next;
  }
  return { header, records };
}
