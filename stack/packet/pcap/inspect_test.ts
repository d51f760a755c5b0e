import { deepStrictEqual } from "node:assert/strict";
import { FrameInspector } from "./inspect.ts";
import { Reason } from "../reason.ts";
import { sampleFrames } from "./_test_frames.ts";

Deno.test("FrameInspector", async (t) => {
  const f = sampleFrames();
  const insp = new FrameInspector();

  await t.step("a good frame has no problem of any kind", () => {
    insp.inspect(f.tcpData, 0, f.tcpData.length, f.tcpData.length);
    deepStrictEqual(
      [insp.parse, insp.ipChecksum, insp.l4Checksum, insp.malformed, insp.truncated],
      [
        Reason.Ok,
        Reason.Ok,
        Reason.Ok,
        Reason.Ok,
        false,
      ],
    );
  });

  await t.step(
    "a frame cut by the snap length is truncated, not malformed, and not checksummed",
    () => {
      insp.inspect(f.tcpData, 0, 60, f.tcpData.length);
      deepStrictEqual(insp.parse, Reason.Ipv4TotalLengthBeyondFrame);
      deepStrictEqual([insp.truncated, insp.malformed, insp.l4Checksum], [
        true,
        Reason.Ok,
        Reason.Ok,
      ]);
    },
  );

  await t.step("a frame whose IPv4 length exceeds what was on the wire is malformed", () => {
    insp.inspect(f.tcpData, 0, 60, 60);
    deepStrictEqual([insp.truncated, insp.malformed], [false, Reason.Ipv4TotalLengthBeyondFrame]);
  });

  await t.step("bad IPv4 and UDP checksums are told apart", () => {
    insp.inspect(f.badIp, 0, f.badIp.length, f.badIp.length);
    deepStrictEqual([insp.ipChecksum, insp.l4Checksum], [Reason.Ipv4BadChecksum, Reason.Ok]);
    insp.inspect(f.badUdp, 0, f.badUdp.length, f.badUdp.length);
    deepStrictEqual([insp.ipChecksum, insp.l4Checksum], [Reason.Ok, Reason.UdpBadChecksum]);
  });

  await t.step("trailing FCS bytes named by the pcap header are left out", () => {
    // An unpadded TCP frame (154 bytes) plus a 4-byte FCS: parsing the FCS as data would make
    // the frame longer than the IPv4 total length, which is harmless, so check the end offset.
    const withFcs = new Uint8Array(f.tcpData.length + 4);
    withFcs.set(f.tcpData);
    withFcs.set([0xde, 0xad, 0xbe, 0xef], f.tcpData.length);
    insp.inspect(withFcs, 0, withFcs.length, withFcs.length, 4);
    deepStrictEqual([insp.parse, insp.info.end, insp.l4Checksum], [
      Reason.Ok,
      f.tcpData.length,
      Reason.Ok,
    ]);
    insp.inspect(withFcs, 0, 100, withFcs.length, 4); // cut by the snap length: no FCS present
    deepStrictEqual(insp.info.end, 100);
  });
});
