import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { encodePcapHeader, parsePcapHeader } from "./header.ts";
import { PcapError, PcapErrorCode, type PcapErrorCodeValue } from "./error.ts";
import { LinkType } from "./format.ts";

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function rejects(bytes: Uint8Array, code: PcapErrorCodeValue, offset: number, text: string): void {
  throws(
    () => parsePcapHeader(bytes, bytes.length, "f.pcap"),
    (e: unknown) => {
      ok(e instanceof PcapError, String(e));
      deepStrictEqual(e.code, code);
      deepStrictEqual(e.offset, offset);
      ok(e.message.includes(text), e.message);
      return true;
    },
  );
}

Deno.test("parsePcapHeader", async (t) => {
  await t.step("reads the little-endian microsecond header tcpdump writes", () => {
    // First 24 bytes of `tcpdump -i lo -w` on x86-64 (snaplen 262144, EN10MB).
    const h = parsePcapHeader(
      hex("d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000"),
      24,
      "f",
    );
    deepStrictEqual(h, {
      littleEndian: true,
      nanosecond: false,
      versionMajor: 2,
      versionMinor: 4,
      snaplen: 262144,
      linkType: LinkType.Ethernet,
      fcsBytes: 0,
    });
  });

  await t.step("reads big-endian nanosecond headers with an FCS length", () => {
    // Link type field: FCS len 2 words (bits 28..31), F bit 26 set, LINKTYPE 1.
    const h = parsePcapHeader(
      hex("a1b23c4d 0002 0004 00000000 00000000 0000ffff 24000001"),
      24,
      "f",
    );
    deepStrictEqual(h.littleEndian, false);
    deepStrictEqual(h.nanosecond, true);
    deepStrictEqual(h.snaplen, 65535);
    deepStrictEqual(h.linkType, 1);
    deepStrictEqual(h.fcsBytes, 4);
  });

  await t.step("round-trips all four magics through encodePcapHeader", () => {
    for (const nanosecond of [false, true]) {
      for (const bigEndian of [false, true]) {
        const out = new Uint8Array(24);
        encodePcapHeader(out, 0, { nanosecond, bigEndian, snaplen: 1500, linkType: 101 });
        const h = parsePcapHeader(out, 24, "f");
        deepStrictEqual([h.nanosecond, h.littleEndian, h.snaplen, h.linkType], [
          nanosecond,
          !bigEndian,
          1500,
          101,
        ]);
      }
    }
  });

  await t.step("rejects pcapng with the editcap hint", () => {
    rejects(hex("0a0d0d0a 1c000000 4d3c2b1a"), PcapErrorCode.Pcapng, 0, "editcap -F pcap f.pcap");
  });

  await t.step("rejects modified pcap, unknown magic and version 1", () => {
    rejects(
      hex("34cdb2a1 0200 0400 00000000 00000000 00000400 01000000"),
      PcapErrorCode.ModifiedPcap,
      0,
      "modified",
    );
    rejects(
      hex("7f454c46 0201 0100 00000000 00000000 00000400 01000000"),
      PcapErrorCode.BadMagic,
      0,
      "0x7f454c46",
    );
    rejects(
      hex("d4c3b2a1 0100 0400 00000000 00000000 00000400 01000000"),
      PcapErrorCode.BadVersion,
      4,
      "1.4",
    );
  });

  await t.step("rejects a header shorter than 24 bytes, naming where it ends", () => {
    rejects(
      hex("d4c3b2a1 0200 0400 00000000"),
      PcapErrorCode.TruncatedFileHeader,
      0,
      "byte offset 12",
    );
    rejects(new Uint8Array(0), PcapErrorCode.TruncatedFileHeader, 0, "byte offset 0");
  });

  await t.step("encodePcapHeader refuses bad options", () => {
    throws(() => encodePcapHeader(new Uint8Array(24), 0, { snaplen: 0 }), /snaplen 0/);
    throws(() => encodePcapHeader(new Uint8Array(24), 0, { snaplen: 262145 }), /1\.\.262144/);
    throws(() => encodePcapHeader(new Uint8Array(24), 0, { linkType: 70000 }), /0\.\.65535/);
    throws(() => encodePcapHeader(new Uint8Array(23), 0, {}), /needs 24 bytes/);
  });
});
