import assert from "node:assert/strict";
import fc from "fast-check";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason } from "../../stack/packet/reason.ts";
import { verifyIpv4HeaderChecksum, verifyL4Checksum } from "../../stack/packet/verify.ts";
import { MAX_UDP_PAYLOAD, UDP_HEADERS_BYTES, UdpFrameWriter } from "./udp_frame_writer.ts";

Deno.test("UdpFrameWriter", async (t) => {
  const flow = {
    srcMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
    dstMac: new Uint8Array([2, 0, 0, 0, 0, 1]),
    srcIp: 0x0a000002,
    dstIp: 0x0a000001,
    srcPort: 8001,
    dstPort: 7777,
  };
  await t.step("frames parse with valid checksums, the 4-tuple and the payload in place", () => {
    const w = new UdpFrameWriter(flow);
    const bytes = new Uint8Array(4096);
    const info = new FrameInfo();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_UDP_PAYLOAD }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 255 }),
        (n, off, fill) => {
          bytes.fill(0xee);
          bytes.fill(fill, off + UDP_HEADERS_BYTES, off + UDP_HEADERS_BYTES + n);
          const len = w.write(bytes, off, n);
          assert.equal(len, Math.max(60, UDP_HEADERS_BYTES + n));
          const r = parseFrame(bytes, off, len, info) || verifyIpv4HeaderChecksum(bytes, info) ||
            verifyL4Checksum(bytes, info);
          assert.equal(r, Reason.Ok);
          assert.deepEqual(
            [info.ipSrc, info.srcPort, info.ipDst, info.dstPort, info.payloadLen],
            [flow.srcIp, flow.srcPort, flow.dstIp, flow.dstPort, n],
          );
          assert.ok(bytes.subarray(info.payload, info.payload + n).every((b) => b === fill));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("a payload too large for one datagram is refused", () => {
    const w = new UdpFrameWriter(flow);
    assert.throws(
      () => w.write(new Uint8Array(4096), 0, MAX_UDP_PAYLOAD + 1),
      /UDP payload of 1473 bytes is invalid: must be 0\.\.1472/,
    );
    assert.throws(() => new UdpFrameWriter({ ...flow, srcPort: 70000 }), /source port 70000/);
  });
});
