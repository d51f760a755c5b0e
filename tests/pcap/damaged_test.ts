/**
 * Damaged and foreign files derived from the real loopback capture: each gives its specific
 * `PcapError` code, byte offset and message, whether read through `PcapReader.open` (streaming)
 * or `lab pcap show`.
 */
import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import {
  PcapError,
  PcapErrorCode,
  type PcapErrorCodeValue,
  PcapReader,
} from "../../stack/packet/pcap/mod.ts";
import { showPcap } from "../../harness/cli/pcap.ts";
import { CaptureIo } from "../../harness/cli/_io.ts";

const FIXTURE = new URL("./loopback.pcap", import.meta.url).pathname;
const original = await Deno.readFile(FIXTURE);

async function readAll(path: string): Promise<number> {
  const reader = await PcapReader.open(path, { chunkSize: 64 });
  let n = 0;
  try {
    for await (const _ of reader) n++;
  } finally {
    reader.close();
  }
  return n;
}

async function expectError(
  dir: string,
  name: string,
  bytes: Uint8Array,
  code: PcapErrorCodeValue,
  offset: number,
  text: RegExp,
): Promise<void> {
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, bytes);
  const check = (e: unknown) => {
    ok(e instanceof PcapError, String(e));
    deepStrictEqual([e.code, e.offset], [code, offset]);
    ok(text.test(e.message), e.message);
    ok(e.message.includes(`"${path}"`), e.message);
    return true;
  };
  await rejects(readAll(path), check);
  await rejects(showPcap(path, {}, new CaptureIo()), check);
}

Deno.test("damaged pcap files", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("the intact capture reads all 11 frames in 64-byte chunks", async () => {
      deepStrictEqual(await readAll(FIXTURE), 11);
    });

    await t.step(
      "a truncated file header",
      () =>
        expectError(
          dir,
          "short.pcap",
          original.slice(0, 17),
          PcapErrorCode.TruncatedFileHeader,
          0,
          /file header truncated at byte offset 17/,
        ),
    );

    await t.step("a truncated record header", () =>
      // Records: 24 + (16+47) = 87, + (16+48) = 151: the third record header starts at 151.
      expectError(
        dir,
        "rechdr.pcap",
        original.slice(0, 151 + 9),
        PcapErrorCode.TruncatedRecordHeader,
        151,
        /record 2 header truncated at byte offset 151: 9 of 16 bytes/,
      ));

    await t.step(
      "a truncated record",
      () =>
        expectError(
          dir,
          "recdata.pcap",
          original.slice(0, original.length - 1),
          PcapErrorCode.TruncatedRecordData,
          original.length - 66,
          /record 10 at byte offset \d+ truncated: header says 66 captured bytes, only 65 present/,
        ),
    );

    await t.step("a captured length above the snaplen", () => {
      const b = original.slice();
      new DataView(b.buffer).setUint32(16, 40, true); // snaplen 40; the first frame has 47 bytes
      return expectError(
        dir,
        "snap.pcap",
        b,
        PcapErrorCode.CapLenExceedsSnaplen,
        32,
        /record 0 at byte offset 24 has captured length 47, above the file's snaplen of 40/,
      );
    });

    await t.step("a pcapng file, with the editcap hint", async () => {
      // Section Header Block (28 bytes) + Interface Description Block (20 bytes), little-endian.
      const ng = Uint8Array.of(
        0x0a,
        0x0d,
        0x0d,
        0x0a,
        28,
        0,
        0,
        0,
        0x4d,
        0x3c,
        0x2b,
        0x1a,
        1,
        0,
        0,
        0,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        28,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        20,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        4,
        0,
        20,
        0,
        0,
        0,
      );
      await expectError(
        dir,
        "x.pcapng",
        ng,
        PcapErrorCode.Pcapng,
        0,
        /pcapng file .*editcap -F pcap .*x\.pcapng out\.pcap/,
      );
    });

    await t.step(
      "not a capture at all",
      () =>
        expectError(
          dir,
          "text.pcap",
          new TextEncoder().encode("hello, this is not a pcap file\n"),
          PcapErrorCode.BadMagic,
          0,
          /bad magic 0x68656c6c/,
        ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
