/**
 * `PcapWriter`: writes a classic pcap file through a buffer, record by record.
 *
 * @module
 */
import { encodePcapHeader, type PcapHeaderOptions, resolveHeaderOptions } from "./header.ts";
import { FILE_HEADER_BYTES, RECORD_HEADER_BYTES } from "./format.ts";
import { type ByteSink, fileSink, streamSink } from "./source.ts";

/** Options of `PcapWriter`: the header fields plus the buffer size. */
export interface PcapWriterOptions extends PcapHeaderOptions {
  /** Bytes buffered before a write to the sink, 1024..16777216 (default 65536). */
  readonly bufferSize?: number;
}

const NS_PER_S = 1_000_000_000n;
const MAX_TS_SEC = 0xffffffff;

/**
 * Writes a classic pcap file (Ethernet link type unless told otherwise). Frames longer than the
 * snaplen are cut to it, keeping their original length in the record.
 *
 * @example
 * ```ts ignore
 * const w = await PcapWriter.create("out.pcap", { nanosecond: true });
 * await w.write(1_700_000_000_000_000_000n, frame);
 * await w.close();
 * ```
 */
export class PcapWriter {
  /** Records written so far. */
  records = 0;
  /** Bytes written (or buffered) so far, including the file header. */
  bytes = 0;
  /** True for nanosecond timestamps. */
  readonly nanosecond: boolean;
  /** Snapshot length: the most bytes kept per frame. */
  readonly snaplen: number;
  /** LINKTYPE written in the header. */
  readonly linkType: number;

  #sink: ByteSink;
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;
  #le: boolean;
  #closed = false;

  private constructor(sink: ByteSink, opts: PcapWriterOptions) {
    const o = resolveHeaderOptions(opts);
    const size = opts.bufferSize ?? 65536;
    if (!Number.isInteger(size) || size < 1024 || size > 1 << 24) {
      throw new RangeError(
        `Invalid pcap writer bufferSize ${size}: must be an integer 1024..16777216`,
      );
    }
    this.#sink = sink;
    this.nanosecond = o.nanosecond;
    this.snaplen = o.snaplen;
    this.linkType = o.linkType;
    this.#le = !o.bigEndian;
    this.#buf = new Uint8Array(size);
    this.#view = new DataView(this.#buf.buffer);
    this.#len = encodePcapHeader(this.#buf, 0, o);
    this.bytes = FILE_HEADER_BYTES;
  }

  /** Creates (or truncates) the file at `path` and buffers its header. */
  static async create(path: string | URL, opts: PcapWriterOptions = {}): Promise<PcapWriter> {
    resolveHeaderOptions(opts);
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      return new PcapWriter(fileSink(file), opts);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** Writes the pcap file to a `WritableStream` of byte chunks. */
  static toStream(stream: WritableStream<Uint8Array>, opts: PcapWriterOptions = {}): PcapWriter {
    return new PcapWriter(streamSink(stream), opts);
  }

  /** Writes the pcap file to any `ByteSink`. */
  static toSink(sink: ByteSink, opts: PcapWriterOptions = {}): PcapWriter {
    return new PcapWriter(sink, opts);
  }

  /**
   * Appends one frame stamped `tsNs` nanoseconds after the epoch: `bytes[off .. off + len)`,
   * cut to the snaplen; `origLen` (default `len`) is its length on the wire.
   */
  write(
    tsNs: bigint,
    bytes: Uint8Array,
    off = 0,
    len: number = bytes.length - off,
    origLen: number = len,
  ): Promise<void> {
    if (tsNs < 0n || tsNs / NS_PER_S > BigInt(MAX_TS_SEC)) {
      throw new RangeError(
        `Invalid pcap timestamp ${tsNs} ns: must be 0..${MAX_TS_SEC} s after the epoch (32-bit seconds)`,
      );
    }
    return this.writeParts(
      Number(tsNs / NS_PER_S),
      Number(tsNs % NS_PER_S),
      bytes,
      off,
      len,
      origLen,
    );
  }

  /**
   * Like `write` with the timestamp as seconds and nanoseconds (no BigInt). With microsecond
   * files the nanoseconds are truncated to microseconds. Resolves at once unless the buffer had
   * to be flushed.
   */
  writeParts(
    tsSec: number,
    tsNsec: number,
    bytes: Uint8Array,
    off = 0,
    len: number = bytes.length - off,
    origLen: number = len,
  ): Promise<void> {
    if (this.#closed) throw new Error("Cannot write to a closed PcapWriter: create a new one");
    if (!Number.isInteger(tsSec) || tsSec < 0 || tsSec > MAX_TS_SEC) {
      throw new RangeError(
        `Invalid pcap timestamp seconds ${tsSec}: must be an integer 0..${MAX_TS_SEC}`,
      );
    }
    if (!Number.isInteger(tsNsec) || tsNsec < 0 || tsNsec > 999_999_999) {
      throw new RangeError(
        `Invalid pcap timestamp nanoseconds ${tsNsec}: must be an integer 0..999999999`,
      );
    }
    if (
      !Number.isInteger(off) || !Number.isInteger(len) || off < 0 || len < 0 ||
      off + len > bytes.length
    ) {
      throw new RangeError(
        `Invalid frame range off ${off} len ${len}: must lie within the ${bytes.length}-byte buffer`,
      );
    }
    if (!Number.isInteger(origLen) || origLen < len || origLen > 0xffffffff) {
      throw new RangeError(
        `Invalid original length ${origLen}: must be an integer ${len}..4294967295`,
      );
    }
    const capLen = Math.min(len, this.snaplen);
    const frac = this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000);
    const total = RECORD_HEADER_BYTES + capLen;
    this.records++;
    this.bytes += total;
    if (this.#len + total <= this.#buf.length) {
      this.#put(tsSec, frac, capLen, origLen, bytes, off);
      return Promise.resolve();
    }
    return this.#flushThenPut(tsSec, frac, capLen, origLen, bytes, off);
  }

  /** Writes out everything buffered. */
  async flush(): Promise<void> {
    if (this.#len === 0) return;
    const n = this.#len;
    this.#len = 0;
    await this.#sink.write(this.#buf.subarray(0, n));
  }

  /** Flushes and closes the sink. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    await this.#sink.close();
  }

  async #flushThenPut(
    tsSec: number,
    frac: number,
    capLen: number,
    origLen: number,
    bytes: Uint8Array,
    off: number,
  ): Promise<void> {
    await this.flush();
    if (RECORD_HEADER_BYTES + capLen <= this.#buf.length) {
      this.#put(tsSec, frac, capLen, origLen, bytes, off);
      return;
    }
    this.#putHeader(tsSec, frac, capLen, origLen);
    await this.flush();
    await this.#sink.write(bytes.subarray(off, off + capLen));
  }

  #putHeader(tsSec: number, frac: number, capLen: number, origLen: number): void {
    const v = this.#view;
    const p = this.#len;
    v.setUint32(p, tsSec, this.#le);
    v.setUint32(p + 4, frac, this.#le);
    v.setUint32(p + 8, capLen, this.#le);
    v.setUint32(p + 12, origLen, this.#le);
    this.#len = p + RECORD_HEADER_BYTES;
  }

  #put(
    tsSec: number,
    frac: number,
    capLen: number,
    origLen: number,
    bytes: Uint8Array,
    off: number,
  ): void {
    this.#putHeader(tsSec, frac, capLen, origLen);
    const buf = this.#buf;
    const at = this.#len;
    if (off === 0 && capLen === bytes.length) buf.set(bytes, at);
    else if (capLen <= 128) { for (let i = 0; i < capLen; i++) buf[at + i] = bytes[off + i] ?? 0; }
    else buf.set(bytes.subarray(off, off + capLen), at);
    this.#len = at + capLen;
  }
}
