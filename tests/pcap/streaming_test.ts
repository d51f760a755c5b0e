/**
 * Streaming: a capture several times larger than the reader's chunk size is read in chunk-sized
 * reads with a buffer of exactly one chunk, and yields exactly what was written.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { PcapReader, PcapRecordView, PcapWriter } from "../../stack/packet/pcap/mod.ts";

Deno.test("pcap streaming", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step(
      "a 2 MB file streams through a 4 KiB reader with every record intact",
      async () => {
        const path = `${dir}/big.pcap`;
        const frames = 2000;
        const w = await PcapWriter.create(path, { nanosecond: true, bufferSize: 8192 });
        const frame = new Uint8Array(1514);
        for (let i = 0; i < frames; i++) {
          const len = 60 + ((i * 37) % 1455);
          frame.fill(i & 0xff, 0, len);
          await w.writeParts(
            1_700_000_000 + Math.floor(i / 1000),
            (i % 1000) * 1_000_000,
            frame,
            0,
            len,
          );
        }
        await w.close();
        const size = (await Deno.stat(path)).size;
        ok(size > 1_000_000, `only ${size} bytes`);

        const reader = await PcapReader.open(path, { chunkSize: 4096 });
        const view = new PcapRecordView();
        let n = 0;
        let bad = 0;
        let maxBuffer = 0;
        while (await reader.next(view)) {
          const len = 60 + ((n * 37) % 1455);
          if (
            view.capLen !== len || view.origLen !== len || view.tsNsec !== (n % 1000) * 1_000_000
          ) bad++;
          for (
            let j = view.offset;
            j < view.offset + view.capLen;
            j++
          ) if (view.bytes[j] !== (n & 0xff)) bad++;
          if (view.bytes.length > maxBuffer) maxBuffer = view.bytes.length;
          n++;
        }
        reader.close();
        deepStrictEqual([n, bad], [frames, 0]);
        deepStrictEqual(maxBuffer, 4096); // one chunk: records of at most 1530 bytes never grow it
        deepStrictEqual(reader.bytesRead, size);
        ok(reader.reads >= Math.ceil(size / 4096), `${reader.reads} reads for ${size} bytes`);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
