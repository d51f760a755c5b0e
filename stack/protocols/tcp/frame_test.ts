import assert from "node:assert/strict";
import { parseMac } from "../../packet/addr.ts";
import { FrameInfo } from "../../packet/frame_info.ts";
import { parseFrame } from "../../packet/parse.ts";
import { Reason } from "../../packet/reason.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../packet/verify.ts";
import { TcpEngine } from "./engine.ts";
import { segmentFrameLength, writeSegmentFrame } from "./frame.ts";

Deno.test("segment framing", async (t) => {
  const e = new TcpEngine({ clock: () => 0 });
  e.connect(0x0a000001, 0x0a000002, 80, 1234);
  const spec = { srcMac: parseMac("02:00:00:00:00:01"), dstMac: parseMac("02:00:00:00:00:02") };

  await t.step("a framed SYN parses with valid checksums, and the engine reads it back", () => {
    const out = new Uint8Array(200);
    const n = writeSegmentFrame(e.tx, 0, out, 10, spec);
    assert.equal(n, segmentFrameLength(e.tx, 0));
    const info = new FrameInfo();
    const r = parseFrame(out, 10, n, info) || verifyIpv4HeaderChecksum(out, info) ||
      verifyL4Checksum(out, info);
    assert.equal(r, Reason.Ok);
    assert.equal(info.srcPort, 1234);
    assert.equal(info.dstPort, 80);
    assert.equal(info.ipSrc, 0x0a000001);
    const server = new TcpEngine({ clock: () => 0 });
    server.listen(80);
    assert.equal(server.inputFrame(out, info), 0);
    assert.equal(server.tx.count, 1, "SYN-ACK");
  });

  await t.step("bad arguments throw clear errors", () => {
    assert.throws(() => writeSegmentFrame(e.tx, 5, new Uint8Array(100), 0, spec), /holds 1/);
    assert.throws(
      () => writeSegmentFrame(e.tx, 0, new Uint8Array(20), 0, spec),
      /exceed the 20-byte/,
    );
    assert.throws(
      () =>
        writeSegmentFrame(e.tx, 0, new Uint8Array(100), 0, { ...spec, srcMac: new Uint8Array(4) }),
      /MACs have 6 bytes/,
    );
  });
});
