import assert from "node:assert/strict";
import fc from "fast-check";
import {
  internetChecksum,
  ipv4PseudoHeaderSum,
  onesComplementSum,
} from "../../stack/packet/checksum.ts";
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

  await t.step("both checksums equal the ones computed over the whole header and segment", () => {
    const w = new UdpFrameWriter(flow);
    const bytes = new Uint8Array(1600);
    const v = new DataView(bytes.buffer);
    let x = 12345;
    for (let n = 0; n <= MAX_UDP_PAYLOAD; n++) {
      for (let j = 0; j < n; j++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        bytes[UDP_HEADERS_BYTES + j] = x >>> 24;
      }
      w.write(bytes, 0, n);
      const ipSum = v.getUint16(24);
      v.setUint16(24, 0);
      assert.equal(ipSum, internetChecksum(bytes, 14, 20), `IPv4 checksum, payload ${n} B`);
      v.setUint16(24, ipSum);
      const udpSum = v.getUint16(40);
      v.setUint16(40, 0);
      const pseudo = ipv4PseudoHeaderSum(flow.srcIp, flow.dstIp, 17, 8 + n);
      const want = ~onesComplementSum(bytes, 34, 8 + n, pseudo) & 0xffff;
      assert.equal(udpSum, want === 0 ? 0xffff : want, `UDP checksum, payload ${n} B`);
    }
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
