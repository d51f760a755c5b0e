/**
 * `PcapReader`: reads a classic pcap file record by record, streaming it in fixed-size chunks.
 *
 * @module
 */
import { parsePcapHeader, type PcapHeader } from "./header.ts";
import { FILE_HEADER_BYTES, MAX_SNAPLEN, RECORD_HEADER_BYTES } from "./format.ts";
import {
  decodeRecordAt,
  detachRecord,
  type PcapRecord,
  PcapRecordView,
  truncatedRecordError,
} from "./record.ts";
import { type ByteSource, fileSource, streamSource } from "./source.ts";

/** Options of `PcapReader`. */
export interface PcapReaderOptions {
  /** Name used in error messages (default: the path, or `"<stream>"`). */
  readonly name?: string;
  /** Bytes asked of the source per read, 16..16777216 (default 65536). */
  readonly chunkSize?: number;
}

/** Default bytes read from the source at a time. */
export const DEFAULT_CHUNK_SIZE = 65536;

/**
 * Reads a classic pcap file (microsecond or nanosecond, either byte order) without loading it
 * whole: it buffers one chunk, growing only to fit a record larger than that.
 *
 * Two ways to read: `for await (const r of reader)` yields detached `PcapRecord`s (each copies its
 * bytes), and the allocation-free loop `while (await reader.next(view))` fills one reused
 * `PcapRecordView` whose bytes stay valid until the next call. Damaged files throw a `PcapError`
 * naming the problem and its byte offset.
 *
 * @example
 * ```ts ignore
 * const reader = await PcapReader.open("capture.pcap");
 * try {
 *   for await (const rec of reader) console.log(rec.index, rec.capLen, rec.origLen);
 * } finally {
 *   reader.close();
 * }
 * ```
 */
export class PcapReader {
  /** The parsed file header. */
  readonly header: PcapHeader;
  /** The name used in error messages. */
  readonly name: string;
  /** Source reads performed so far (for tests and diagnostics). */
  reads = 0;
  /** Bytes read from the source so far. */
  bytesRead = 0;

  #source: ByteSource;
  #chunkSize: number;
  #buf: Uint8Array;
  #view: DataView;
  #pos: number;
  #end: number;
  #base = 0;
  #eof: boolean;
  #index = 0;
  #closed = false;
  #iterView = new PcapRecordView();

  private constructor(
    source: ByteSource,
    name: string,
    chunkSize: number,
    buf: Uint8Array,
    end: number,
    eof: boolean,
    header: PcapHeader,
  ) {
    this.#source = source;
    this.name = name;
    this.#chunkSize = chunkSize;
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#end = end;
    this.#eof = eof;
    this.#pos = FILE_HEADER_BYTES;
    this.header = header;
  }

  /** Opens the pcap file at `path` and reads its header; throws `PcapError` if it is not one. */
  static async open(path: string | URL, opts: PcapReaderOptions = {}): Promise<PcapReader> {
    const file = await Deno.open(path, { read: true });
    return await PcapReader.fromSource(fileSource(file), { name: String(path), ...opts });
  }

  /** Reads a pcap file from a byte stream (e.g. `file.readable` or a `fetch` body). */
  static async fromStream(
    stream: ReadableStream<Uint8Array>,
    opts: PcapReaderOptions = {},
  ): Promise<PcapReader> {
    return await PcapReader.fromSource(streamSource(stream), opts);
  }

  /** Reads a pcap file from any `ByteSource`; closes the source if the header is bad. */
  static async fromSource(source: ByteSource, opts: PcapReaderOptions = {}): Promise<PcapReader> {
    const name = opts.name ?? "<stream>";
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 16 || chunkSize > 1 << 24) {
      source.close();
      throw new RangeError(
        `Invalid pcap reader chunkSize ${chunkSize}: must be an integer 16..16777216`,
      );
    }
    const buf = new Uint8Array(Math.max(chunkSize, FILE_HEADER_BYTES));
    let end = 0;
    let eof = false;
    let reads = 0;
    try {
      while (end < FILE_HEADER_BYTES) {
        const n = await source.read(buf.subarray(end, Math.min(buf.length, end + chunkSize)));
        reads++;
        if (n === null) {
          eof = true;
          break;
        }
        end += n;
      }
      const header = parsePcapHeader(buf, end, name);
      const reader = new PcapReader(source, name, chunkSize, buf, end, eof, header);
      reader.reads = reads;
      reader.bytesRead = end;
      return reader;
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /** LINKTYPE of every record (1 = Ethernet). */
  get linkType(): number {
    return this.header.linkType;
  }

  /** True when timestamps have nanosecond resolution. */
  get nanosecond(): boolean {
    return this.header.nanosecond;
  }

  /** The file's snapshot length. */
  get snaplen(): number {
    return this.header.snaplen;
  }

  /**
   * Fills `out` with the next record already buffered; returns false when `fill()` is needed
   * (or the file is done). Allocates nothing. Throws `PcapError` on a damaged record.
   */
  tryNext(out: PcapRecordView): boolean {
    if (this.#closed) return false;
    const next = decodeRecordAt(
      this.#buf,
      this.#view,
      this.#pos,
      this.#end,
      this.header,
      this.#base,
      this.#index,
      this.name,
      out,
    );
    if (next < 0) {
      if (this.#eof && this.#pos < this.#end) {
        throw truncatedRecordError(
          this.#view,
          this.#pos,
          this.#end - this.#pos,
          this.header,
          this.#base + this.#pos,
          this.#index,
          this.name,
        );
      }
      return false;
    }
    this.#pos = next;
    this.#index++;
    return true;
  }

  /**
   * Reads one more chunk from the source; resolves false at the end of the file. Invalidates
   * the bytes of record views filled before.
   */
  async fill(): Promise<boolean> {
    if (this.#closed || this.#eof) return false;
    if (this.#pos > 0) {
      this.#buf.copyWithin(0, this.#pos, this.#end);
      this.#base += this.#pos;
      this.#end -= this.#pos;
      this.#pos = 0;
    }
    let need = this.#end + 1;
    if (this.#end >= RECORD_HEADER_BYTES) {
      const capLen = this.#view.getUint32(8, this.header.littleEndian);
      need = RECORD_HEADER_BYTES + Math.min(capLen, MAX_SNAPLEN);
    }
    if (need > this.#buf.length) this.#grow(need);
    const space = this.#buf.subarray(
      this.#end,
      Math.min(this.#buf.length, this.#end + this.#chunkSize),
    );
    const n = await this.#source.read(space);
    this.reads++;
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    this.bytesRead += n;
    return true;
  }

  /**
   * Fills `out` with the next record, reading from the source as needed; resolves false at the
   * end of the file. `out.bytes` stays valid until the next call.
   */
  async next(out: PcapRecordView): Promise<boolean> {
    for (;;) {
      if (this.tryNext(out)) return true;
      if (!(await this.fill())) return this.tryNext(out);
    }
  }

  /** Yields every remaining record as a detached `PcapRecord` (its own copy of the bytes). */
  async *[Symbol.asyncIterator](): AsyncGenerator<PcapRecord, void, undefined> {
    const view = this.#iterView;
    while (await this.next(view)) yield detachRecord(view);
  }

  /** Releases the source; further reads return nothing. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.close();
  }

  #grow(need: number): void {
    const size = Math.max(need, this.#buf.length * 2);
    const bigger = new Uint8Array(size);
    bigger.set(this.#buf.subarray(0, this.#end));
    this.#buf = bigger;
    this.#view = new DataView(bigger.buffer);
  }
}
