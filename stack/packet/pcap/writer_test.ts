import { deepStrictEqual, rejects, throws } from "node:assert/strict";
import fc from "fast-check";
import { PcapWriter, type PcapWriterOptions } from "./writer.ts";
import { decodePcap, encodePcap } from "./memory.ts";
import { PcapReader } from "./reader.ts";
import { framesArb } from "./_test_frames.ts";

async function collect(
  write: (w: PcapWriter) => Promise<void>,
  opts: PcapWriterOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = PcapWriter.toStream(new WritableStream({ write: (c) => void chunks.push(c) }), opts);
  await write(w);
  await w.close();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

Deno.test("PcapWriter", async (t) => {
  await t.step("writes the same bytes as encodePcap, whatever the buffer size", async () => {
    await fc.assert(
      fc.asyncProperty(
        framesArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1024, max: 4096 }),
        async (frames, nanosecond, snaplen, bufferSize) => {
          const bytes = await collect(async (w) => {
            for (const f of frames) await w.write(f.tsNs, f.data, 0, f.data.length, f.origLen);
          }, { nanosecond, snaplen, bufferSize });
          deepStrictEqual(bytes, encodePcap(frames, { nanosecond, snaplen }));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("writes records larger than its buffer and a sub-range of a buffer", async () => {
    const big = new Uint8Array(3000).map((_, i) => i & 0xff);
    const bytes = await collect(async (w) => {
      await w.write(1n, big);
      await w.writeParts(2, 500, big, 10, 20);
      await w.writeParts(3, 0, big, 100, 700, 900);
    }, { bufferSize: 1024, nanosecond: true });
    const { records } = decodePcap(bytes);
    deepStrictEqual(records.map((r) => [r.tsNs, r.capLen, r.origLen]), [
      [1n, 3000, 3000],
      [2_000_000_500n, 20, 20],
      [3_000_000_000n, 700, 900],
    ]);
    deepStrictEqual(records[0]?.data, big);
    deepStrictEqual(records[1]?.data, big.slice(10, 30));
    deepStrictEqual(records[2]?.data, big.slice(100, 800));
  });

  await t.step("create writes a file PcapReader reads back", async () => {
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      const w = await PcapWriter.create(path, { snaplen: 64 });
      await w.write(1_700_000_000_123_456_789n, new Uint8Array(100).fill(9));
      await w.close();
      const reader = await PcapReader.open(path);
      const got = [];
      for await (const r of reader) got.push(r);
      reader.close();
      deepStrictEqual(got.map((r) => [r.tsNs, r.capLen, r.origLen]), [[
        1_700_000_000_123_456_000n,
        64,
        100,
      ]]);
      deepStrictEqual(w.records, 1);
      deepStrictEqual(w.bytes, 24 + 16 + 64);
    } finally {
      await Deno.remove(path);
    }
  });

  await t.step("refuses bad timestamps, ranges and writes after close", async () => {
    const w = PcapWriter.toStream(new WritableStream());
    throws(() => w.write(-1n, new Uint8Array(1)), /-1 ns/);
    throws(() => w.write(4_294_967_296_000_000_000n, new Uint8Array(1)), /32-bit seconds/);
    throws(() => w.writeParts(0, 1_000_000_000, new Uint8Array(1)), /0\.\.999999999/);
    throws(() => w.write(0n, new Uint8Array(4), 2, 3), /off 2 len 3/);
    throws(() => w.write(0n, new Uint8Array(4), 0, 4, 3), /original length 3/);
    await w.close();
    throws(() => w.write(0n, new Uint8Array(1)), /closed PcapWriter/);
    await rejects(PcapWriter.create("/nonexistent-dir/x.pcap", { snaplen: 0 }), /snaplen 0/);
    throws(() => PcapWriter.toStream(new WritableStream(), { bufferSize: 10 }), /bufferSize 10/);
  });
});
