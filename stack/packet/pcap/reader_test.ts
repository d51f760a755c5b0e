import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import fc from "fast-check";
import { PcapReader } from "./reader.ts";
import { PcapRecordView } from "./record.ts";
import { decodePcap, encodePcap } from "./memory.ts";
import { PcapError, PcapErrorCode } from "./error.ts";
import { framesArb } from "./_test_frames.ts";
import type { ByteSource } from "./source.ts";

function streamOf(bytes: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + piece));
      off += piece;
    },
  });
}

/** A source that records the size of every read request. */
function countingSource(bytes: Uint8Array, asks: number[]): ByteSource {
  let off = 0;
  return {
    read(into) {
      asks.push(into.length);
      if (off >= bytes.length) return Promise.resolve(null);
      const n = Math.min(into.length, bytes.length - off);
      into.set(bytes.subarray(off, off + n));
      off += n;
      return Promise.resolve(n);
    },
    close() {},
  };
}

async function readAll(reader: PcapReader): Promise<ReturnType<typeof decodePcap>["records"]> {
  const out = [];
  try {
    for await (const r of reader) out.push(r);
  } finally {
    reader.close();
  }
  return out;
}

Deno.test("PcapReader", async (t) => {
  await t.step("a stream read in small chunks yields what decodePcap yields", async () => {
    await fc.assert(
      fc.asyncProperty(
        framesArb,
        fc.boolean(),
        fc.integer({ min: 16, max: 200 }),
        fc.integer({ min: 1, max: 500 }),
        async (frames, nanosecond, chunkSize, piece) => {
          const bytes = encodePcap(frames, { nanosecond, bigEndian: piece % 2 === 0 });
          const reader = await PcapReader.fromStream(streamOf(bytes, piece), { chunkSize });
          deepStrictEqual(reader.nanosecond, nanosecond);
          deepStrictEqual(await readAll(reader), decodePcap(bytes).records);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("a file larger than the chunk size streams in chunk-sized reads", async () => {
    const frames = Array.from({ length: 200 }, (_, i) => ({
      tsNs: BigInt(i) * 1_000_123n,
      data: new Uint8Array(60 + (i % 50) * 20).fill(i & 0xff),
    }));
    const bytes = encodePcap(frames);
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await Deno.writeFile(path, bytes);
      const reader = await PcapReader.open(path, { chunkSize: 1024 });
      const records = await readAll(reader);
      deepStrictEqual(records.length, 200);
      deepStrictEqual(records, decodePcap(bytes).records);
      deepStrictEqual(reader.bytesRead, bytes.length);
      ok(reader.reads >= Math.ceil(bytes.length / 1024), `only ${reader.reads} reads`);
    } finally {
      await Deno.remove(path);
    }
  });

  await t.step("never asks the source for more than one chunk, even for a big record", async () => {
    const bytes = encodePcap([{ tsNs: 0n, data: new Uint8Array(5000).fill(7) }]);
    const asks: number[] = [];
    const reader = await PcapReader.fromSource(countingSource(bytes, asks), { chunkSize: 256 });
    const records = await readAll(reader);
    deepStrictEqual(records[0]?.data, new Uint8Array(5000).fill(7));
    ok(asks.every((n) => n <= 256), `asked ${Math.max(...asks)} bytes`);
  });

  await t.step("the view loop fills one reused record", async () => {
    const bytes = encodePcap([
      { tsNs: 5_000_000_007n, data: Uint8Array.of(1, 2, 3) },
      { tsNs: 6_000_000_000n, data: Uint8Array.of(4, 5), origLen: 9 },
    ], { nanosecond: true });
    const reader = await PcapReader.fromStream(streamOf(bytes, 7), { chunkSize: 16 });
    const view = new PcapRecordView();
    const seen: unknown[] = [];
    while (await reader.next(view)) {
      seen.push([
        view.index,
        view.tsSec,
        view.tsNsec,
        view.origLen,
        [...view.copyData()],
        view.fileOffset,
      ]);
    }
    reader.close();
    deepStrictEqual(seen, [[0, 5, 7, 3, [1, 2, 3], 24], [1, 6, 0, 9, [4, 5], 43]]);
  });

  await t.step("damage found while streaming carries the file offset", async () => {
    const bytes = encodePcap([
      { tsNs: 0n, data: new Uint8Array(100) },
      { tsNs: 0n, data: new Uint8Array(100) },
    ]);
    const cut = bytes.slice(0, bytes.length - 30);
    const reader = await PcapReader.fromStream(streamOf(cut, 33), {
      chunkSize: 32,
      name: "cut.pcap",
    });
    await rejects(readAll(reader), (e: unknown) => {
      ok(e instanceof PcapError);
      deepStrictEqual([e.code, e.offset], [PcapErrorCode.TruncatedRecordData, 24 + 116 + 16]);
      ok(e.message.includes('"cut.pcap"'), e.message);
      return true;
    });
  });

  await t.step("opening a pcapng or short file fails at once", async () => {
    const ng = Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0);
    await rejects(PcapReader.fromStream(streamOf(ng, 3)), /pcapng.*editcap -F pcap/);
    await rejects(
      PcapReader.fromStream(streamOf(encodePcap([]).slice(0, 20), 5)),
      /truncated at byte offset 20/,
    );
  });

  await t.step("rejects a chunk size below 16", async () => {
    await rejects(
      PcapReader.fromStream(streamOf(encodePcap([]), 5), { chunkSize: 8 }),
      /chunkSize 8/,
    );
  });
});
