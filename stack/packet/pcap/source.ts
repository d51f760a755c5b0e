/**
 * Byte sources and sinks the pcap reader and writer stream through: files and web streams.
 *
 * @module
 */

/** Something bytes are read from in chunks, like `Deno.FsFile`. */
export interface ByteSource {
  /** Reads at most `into.length` bytes into `into`; resolves to the count, or null at the end. */
  read(into: Uint8Array): Promise<number | null>;
  /** Releases the underlying file or stream. */
  close(): void;
}

/** Something bytes are written to, like `Deno.FsFile`. */
export interface ByteSink {
  /** Writes all of `bytes`; the caller may reuse `bytes` once the promise resolves. */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and releases the underlying file or stream. */
  close(): Promise<void>;
}

/** Wraps an open file (or any `Deno.Reader`-like object with `read` and `close`) as a source. */
export function fileSource(
  file: { read(p: Uint8Array): Promise<number | null>; close(): void },
): ByteSource {
  return {
    read: (into) => file.read(into),
    close: () => file.close(),
  };
}

/**
 * Wraps a `ReadableStream` of byte chunks as a source; a chunk larger than the caller's buffer
 * is handed out over several reads.
 */
export function streamSource(stream: ReadableStream<Uint8Array>): ByteSource {
  const reader = stream.getReader();
  let pending: Uint8Array | null = null;
  let pendingOff = 0;
  let closed = false;
  return {
    async read(into: Uint8Array): Promise<number | null> {
      if (into.length === 0) return 0;
      while (pending === null || pendingOff >= pending.length) {
        if (closed) return null;
        const r = await reader.read();
        if (r.done) {
          closed = true;
          return null;
        }
        pending = r.value;
        pendingOff = 0;
      }
      const n = Math.min(into.length, pending.length - pendingOff);
      into.set(pending.subarray(pendingOff, pendingOff + n));
      pendingOff += n;
      return n;
    },
    close(): void {
      if (!closed) {
        closed = true;
        reader.cancel().catch(() => {});
      }
      reader.releaseLock();
    },
  };
}

/** Wraps an open file as a sink, looping until every byte is written. */
export function fileSink(
  file: { write(p: Uint8Array): Promise<number>; close(): void },
): ByteSink {
  return {
    async write(bytes: Uint8Array): Promise<void> {
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
    },
    close(): Promise<void> {
      file.close();
      return Promise.resolve();
    },
  };
}

/** Wraps a `WritableStream` of byte chunks as a sink; each write hands the stream a copy. */
export function streamSink(stream: WritableStream<Uint8Array>): ByteSink {
  const writer = stream.getWriter();
  return {
    write: (bytes) => writer.write(bytes.slice()),
    close: () => writer.close(),
  };
}
