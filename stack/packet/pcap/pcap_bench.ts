/**
 * Throughput of the pcap layer, 1000 records per bench iteration (divide the time by 1000 for
 * the per-record cost): record decoding from a stream, frame inspection (parse + checksums),
 * one-line description, and writing.
 *
 * Run: `deno bench --allow-read stack/packet/pcap/pcap_bench.ts`
 */
import { encodePcap } from "./memory.ts";
import { PcapReader } from "./reader.ts";
import { PcapRecordView } from "./record.ts";
import { FrameInspector } from "./inspect.ts";
import { describeFrame } from "./describe.ts";
import { PcapWriter } from "./writer.ts";
import type { ByteSink, ByteSource } from "./source.ts";
import { sampleFrames } from "./_test_frames.ts";

const N = 1000;
const samples = sampleFrames();
const kinds = [samples.udp, samples.tcpData, samples.tcpSyn, samples.echo, samples.arpReq];
const frames = Array.from({ length: N }, (_, i) => ({
  tsNs: 1_700_000_000_000_000_000n + BigInt(i) * 1000n,
  data: kinds[i % kinds.length] ?? samples.udp,
}));
const file = encodePcap(frames);

/** A source serving `file` from memory in 64 KiB pieces, rewound for each iteration. */
function memorySource(bytes: Uint8Array): ByteSource {
  let off = 0;
  return {
    read(into) {
      if (off >= bytes.length) return Promise.resolve(null);
      const n = Math.min(into.length, bytes.length - off);
      into.set(bytes.subarray(off, off + n));
      off += n;
      return Promise.resolve(n);
    },
    close() {},
  };
}

const view = new PcapRecordView();
const insp = new FrameInspector();

Deno.bench("PcapReader: read 1000 records (view loop)", { group: "read" }, async () => {
  const reader = await PcapReader.fromSource(memorySource(file));
  let n = 0;
  while (await reader.next(view)) n++;
  if (n !== N) throw new Error(`read ${n} records`);
});

Deno.bench("PcapReader: read 1000 records (for await, copies)", { group: "read" }, async () => {
  const reader = await PcapReader.fromSource(memorySource(file));
  let n = 0;
  for await (const _ of reader) n++;
  if (n !== N) throw new Error(`read ${n} records`);
});

const datas = frames.map((f) => f.data);

Deno.bench("FrameInspector: parse + verify 1000 frames", { group: "decode" }, () => {
  for (let i = 0; i < N; i++) {
    const d = datas[i] ?? samples.udp;
    insp.inspect(d, 0, d.length, d.length);
  }
});

Deno.bench("describeFrame: 1000 lines (after inspect)", { group: "decode" }, () => {
  let chars = 0;
  for (let i = 0; i < N; i++) {
    const d = datas[i] ?? samples.udp;
    insp.inspect(d, 0, d.length, d.length);
    chars += describeFrame(d, 1_700_000_000, i * 1000, insp).length;
  }
  if (chars === 0) throw new Error("no output");
});

const discard: ByteSink = { write: () => Promise.resolve(), close: () => Promise.resolve() };

Deno.bench("PcapWriter: write 1000 records", { group: "write" }, async () => {
  const w = PcapWriter.toSink(discard);
  for (let i = 0; i < N; i++) {
    const d = datas[i] ?? samples.udp;
    await w.writeParts(1_700_000_000, i * 1000, d, 0, d.length);
  }
  await w.close();
});
