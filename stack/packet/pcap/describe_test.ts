import { deepStrictEqual } from "node:assert/strict";
import fc from "fast-check";
import { describeFrame, formatTcpFlags, formatTimeOfDay } from "./describe.ts";
import { FrameInspector } from "./inspect.ts";
import { sampleFrames } from "./_test_frames.ts";

// 2023-11-14T22:13:20.123456789Z
const SEC = 1_700_000_000;
const NSEC = 123_456_789;

function line(frame: Uint8Array, ethernet = false, capLen = frame.length): string {
  const insp = new FrameInspector();
  insp.inspect(frame, 0, capLen, frame.length);
  return describeFrame(frame, SEC, NSEC, insp, { ethernet }).slice(16);
}

Deno.test("describeFrame", async (t) => {
  const f = sampleFrames();

  await t.step("prints UDP, TCP, ICMP and ARP like tcpdump -nn -S", () => {
    deepStrictEqual(line(f.udp), "IP 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12");
    deepStrictEqual(
      line(f.tcpSyn),
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 512, length 0",
    );
    deepStrictEqual(
      line(f.tcpData),
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 7, win 512, length 100",
    );
    deepStrictEqual(
      line(f.echo),
      "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 3, length 64",
    );
    deepStrictEqual(
      line(f.unreachable),
      "IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 53 unreachable, length 36",
    );
    deepStrictEqual(line(f.arpReq), "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46");
    deepStrictEqual(line(f.arpRep), "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 46");
    deepStrictEqual(line(f.ipv6), "IP6, length 46");
  });

  await t.step("-e adds MACs, EtherType, VLAN and the frame length", () => {
    deepStrictEqual(
      line(f.udp, true),
      "02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 60: 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12",
    );
    deepStrictEqual(
      line(f.vlanUdp, true),
      "02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype 802.1Q (0x8100), length 60: vlan 5, p 3, ethertype IPv4 (0x0800), 10.0.0.1.1 > 10.0.0.2.2: UDP, length 4",
    );
    deepStrictEqual(
      line(f.arpReq, true),
      "02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60: Request who-has 10.0.0.2 tell 10.0.0.1, length 46",
    );
  });

  await t.step("marks bad checksums, malformed headers and snap-length cuts", () => {
    deepStrictEqual(
      line(f.badIp),
      "IP 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12 [bad ip cksum]",
    );
    deepStrictEqual(
      line(f.badUdp),
      "IP 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12 [bad udp cksum]",
    );
    deepStrictEqual(line(f.badIhl), "IP  [|ip] [malformed: ipv4-bad-ihl]");
    deepStrictEqual(
      line(f.tcpData, false, 60),
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 7, win 512, length 100 [truncated: 60 of 154 bytes captured]",
    );
    deepStrictEqual(
      line(f.udp, false, 10),
      "[|ether] length 60 [truncated: 10 of 60 bytes captured]",
    );
    deepStrictEqual(
      line(f.udp, false, 40),
      "IP 10.0.0.1.5000 > 10.0.0.2.53:  [|udp] [truncated: 40 of 60 bytes captured]",
    );
    deepStrictEqual(
      line(f.unreachable, false, 60),
      "IP 10.0.0.2 > 10.0.0.1:  [|icmp] [truncated: 60 of 70 bytes captured]",
    );
  });

  await t.step("formats time of day in UTC with the file's resolution", () => {
    deepStrictEqual(formatTimeOfDay(SEC, NSEC, false), "22:13:20.123456");
    deepStrictEqual(formatTimeOfDay(SEC, NSEC, true), "22:13:20.123456789");
    deepStrictEqual(formatTimeOfDay(0, 5_000, false), "00:00:00.000005");
  });

  await t.step("formats TCP flags in tcpdump's order", () => {
    deepStrictEqual(formatTcpFlags(0), "none");
    deepStrictEqual(formatTcpFlags(0x12), "S.");
    deepStrictEqual(formatTcpFlags(0xff), "FSRP.UEW");
  });

  await t.step("never throws on random bytes", () => {
    const insp = new FrameInspector();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, e) => {
        insp.inspect(bytes, 0, bytes.length, bytes.length + 4);
        describeFrame(bytes, 0, 0, insp, { ethernet: e });
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
