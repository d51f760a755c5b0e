import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { formatStatsReport, PcapStats } from "./stats.ts";
import { scanFrames } from "./scan.ts";
import { PcapReader } from "./reader.ts";
import { encodePcap } from "./memory.ts";
import { sampleFrames } from "./_test_frames.ts";
import { LinkType } from "./format.ts";

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
}

Deno.test("PcapStats over scanFrames", async (t) => {
  const f = sampleFrames();
  const list = [
    f.udp,
    f.tcpSyn,
    f.tcpData,
    f.echo,
    f.unreachable,
    f.arpReq,
    f.vlanUdp,
    f.badIp,
    f.badUdp,
    f.badIhl,
    f.ipv6,
  ];
  const frames = list.map((data, i) => ({
    tsNs: 1_000_000_000_000_000_000n + BigInt(i) * 250_000_000n,
    data,
  }));
  // One more frame cut by a snap length: captured 60 of 154 bytes.
  frames.push(
    {
      tsNs: 1_000_000_003_000_000_000n,
      data: f.tcpData.subarray(0, 60),
      origLen: f.tcpData.length,
    } as never,
  );

  await t.step(
    "counts frames, bytes, protocols, flows, bad checksums and malformations",
    async () => {
      const bytes = encodePcap(frames, { nanosecond: true });
      const reader = await PcapReader.fromStream(streamOf(bytes), { chunkSize: 64 });
      const stats = new PcapStats();
      const n = await scanFrames(reader, (rec, insp) => stats.add(rec.tsSec, rec.tsNsec, insp));
      reader.close();
      deepStrictEqual(n, 12);
      const r = stats.report(true, 3);
      deepStrictEqual(r.frames, 12);
      deepStrictEqual(r.wireBytes, list.reduce((s, x) => s + x.length, 0) + f.tcpData.length);
      deepStrictEqual(r.capturedBytes, list.reduce((s, x) => s + x.length, 0) + 60);
      deepStrictEqual(r.first, "2001-09-09T01:46:40.000000000Z");
      deepStrictEqual(r.last, "2001-09-09T01:46:43.000000000Z");
      deepStrictEqual(r.durationSeconds, 3);
      deepStrictEqual(r.protocols, {
        arp: 1,
        ipv4: 10,
        ipv6: 1,
        otherEthertype: 0,
        vlanTagged: 1,
        udp: 4,
        tcp: 3,
        icmp: 2,
        ipv4Fragment: 0,
        otherIp: 0,
      });
      // Flows: udp 10.0.0.1:5000-10.0.0.2:53 (udp, badIp, badUdp), tcp 40000-80, icmp, udp 1-2.
      deepStrictEqual(r.flows, 4);
      deepStrictEqual(r.topFlows[0], {
        proto: "tcp",
        a: "10.0.0.1:40000",
        b: "10.0.0.2:80",
        packets: 3,
        bytes: 368,
      });
      deepStrictEqual(r.topFlows.length, 3);
      deepStrictEqual(r.badChecksums, { ipv4: 1, udp: 1, tcp: 0, icmp: 0 });
      deepStrictEqual(r.truncated, 1);
      deepStrictEqual(r.malformed, { "ipv4-bad-ihl": 1 });
      const text = formatStatsReport(r, "x.pcap");
      ok(text.includes("frames:         12"), text);
      ok(text.includes("bad checksums:  ipv4 1, udp 1, tcp 0, icmp 0"), text);
    },
  );

  await t.step("an empty capture reports zeros and no timestamps", () => {
    const r = new PcapStats().report(false);
    deepStrictEqual([r.frames, r.first, r.last, r.durationSeconds, r.flows], [0, null, null, 0, 0]);
  });

  await t.step(
    "scanFrames refuses a link type other than Ethernet and stops at a limit",
    async () => {
      const raw = await PcapReader.fromStream(
        streamOf(encodePcap([], { linkType: LinkType.Raw })),
        { name: "raw.pcap" },
      );
      await rejects(
        scanFrames(raw, () => {}),
        /"raw\.pcap": link type RAW \(IPv4\/IPv6\) \(101\), only EN10MB/,
      );
      const reader = await PcapReader.fromStream(streamOf(encodePcap(frames)));
      deepStrictEqual(await scanFrames(reader, () => {}, 5), 5);
      reader.close();
    },
  );
});
