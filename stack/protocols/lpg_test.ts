import assert from "node:assert/strict";
import {
  FrameInfo,
  parseFrame,
  parseIpv4,
  Reason,
  verifyIpv4HeaderChecksum,
  verifyL4Checksum,
} from "../packet/mod.ts";
import { formatProblems, validateGraph } from "../graph/mod.ts";
import { Registry } from "../graph/registry.ts";
import {
  arpReplyFrame,
  arpRequestFrame,
  LOCAL_IP,
  LOCAL_MAC,
  makeStack,
  PEER_IP,
  PEER_MAC,
  pingFrame,
  tcpFrame,
  udpFrame,
} from "./_testing.ts";
import { buildLpg, lpgTemplate } from "./lpg.ts";
import { UDP_SOCKETS_EXPANSION, UDP_SOCKETS_NODE } from "./udp_sockets_expansion.ts";
import { formatMac } from "../packet/addr.ts";
import { counterRows, dropsByReason } from "../exec/counters.ts";
import { internetChecksum } from "../packet/checksum.ts";

const MODES = ["interpreter", "compiled"] as const;

function parsed(frame: Uint8Array): FrameInfo {
  const info = new FrameInfo();
  const r = parseFrame(frame, 0, frame.length, info) || verifyIpv4HeaderChecksum(frame, info) ||
    verifyL4Checksum(frame, info);
  assert.equal(r, Reason.Ok, `reply does not parse or verify: reason ${r}`);
  return info;
}

Deno.test("LPG graph data", async (t) => {
  await t.step("the template with its C-node validates", () => {
    const expansions = new Registry<unknown>("expansion").register(UDP_SOCKETS_EXPANSION, 0);
    const g = lpgTemplate();
    assert.equal(formatProblems(validateGraph(g, { expansions })), "");
    assert.ok(g.nodes.some((n) => n.id === UDP_SOCKETS_NODE));
  });
  await t.step("configured graphs validate for 0, 1 and several endpoints", () => {
    for (
      const eps of [
        [],
        [{ sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 }],
        [
          { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
          {
            sockets: [{ sid: 4, appId: 3 }, { sid: 5, appId: 3 }],
            srcIp: 6,
            srcPort: 2345,
            dstIp: 3,
            dstPort: 3456,
          },
        ],
      ]
    ) {
      const g = buildLpg(eps);
      // Without sockets nothing sends UDP: the UDP TX chain is unreachable, and only it.
      const problems = validateGraph(g).filter((p) =>
        !(eps.length === 0 && p.code === "unreachable" && p.node?.startsWith("tx.udp."))
      );
      assert.equal(formatProblems(problems), "");
      assert.ok(!g.nodes.some((n) => n.id === UDP_SOCKETS_NODE));
    }
  });
  await t.step("C3: filter labels and a Balance node with one port per socket", () => {
    const g = buildLpg([
      { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
      {
        sockets: [{ sid: 4, appId: 3 }, { sid: 5, appId: 3 }],
        srcIp: 6,
        srcPort: 2345,
        dstIp: 3,
        dstPort: 3456,
      },
    ]);
    const labels = g.nodes.map((n) => n.label).filter((l) => l !== undefined);
    assert.ok(labels.includes("RxL4UDP(*:* / *:7)"));
    assert.ok(labels.includes("RxL4UDP(0.0.0.6:2345 / 0.0.0.3:3456)"));
    const balance = g.nodes.find((n) => n.id === "rx.udp.demux.e2-balance");
    assert.deepEqual(balance && g.specs[balance.spec]?.ports, ["s0", "s1"]);
  });
});

for (const mode of MODES) {
  Deno.test(`LPG on real frames (${mode})`, async (t) => {
    await t.step("ARP request for the local IP gets a reply", () => {
      const s = makeStack({ mode });
      const out = s.receive(arpRequestFrame());
      assert.equal(out.length, 1);
      const info = parsed(out[0] ?? new Uint8Array());
      assert.equal(info.arpOp, 2);
      assert.equal(info.arpSenderIp, parseIpv4(LOCAL_IP) >>> 0);
      assert.equal(info.arpTargetIp, parseIpv4(PEER_IP) >>> 0);
      const f = out[0] ?? new Uint8Array();
      assert.equal(formatMac(f, 0), PEER_MAC);
      assert.equal(formatMac(f, 6), LOCAL_MAC);
      assert.equal(formatMac(f, 14 + 8), LOCAL_MAC);
      assert.equal(formatMac(f, 14 + 18), PEER_MAC);
    });

    await t.step("ARP request for another IP is not answered", () => {
      const s = makeStack({ mode });
      assert.equal(s.receive(arpRequestFrame("10.0.0.99")).length, 0);
      assert.equal(s.counter("rx.arp.local-ip-dest", "arp-not-local"), 1);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("ping gets an echo reply with valid checksums, same id and payload", () => {
      const s = makeStack({ mode });
      const payload = new TextEncoder().encode("abcdefghij");
      const out = s.receive(pingFrame(0x1234, 7, payload));
      assert.equal(out.length, 1);
      const f = out[0] ?? new Uint8Array();
      const info = parsed(f);
      assert.equal(info.icmpType, 0);
      assert.equal(info.icmpCode, 0);
      assert.equal(info.icmpId, 0x1234);
      assert.equal(info.icmpSeq, 7);
      assert.equal(info.ipSrc, parseIpv4(LOCAL_IP) >>> 0);
      assert.equal(info.ipDst, parseIpv4(PEER_IP) >>> 0);
      assert.equal(info.ipTtl, 17);
      assert.equal(info.ipFlags, 2);
      assert.equal(info.ipId, 0);
      assert.deepEqual(f.slice(info.l4 + 8, info.l4 + 8 + payload.length), payload);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("UDP to a closed port gets ICMP port unreachable quoting it", () => {
      const s = makeStack({ mode });
      const req = udpFrame(9, new Uint8Array([1, 2, 3]));
      const out = s.receive(req);
      assert.equal(out.length, 1);
      const f = out[0] ?? new Uint8Array();
      const info = parsed(f);
      assert.equal(info.icmpType, 3);
      assert.equal(info.icmpCode, 3);
      assert.deepEqual(f.slice(info.l4 + 8, info.l4 + 8 + 28), req.slice(14, 14 + 28));
      assert.equal(s.counter("rx.udp.closed-port-action", "closed-port"), 1);
    });

    await t.step("port unreachable is rate-limited and counted", () => {
      let now = 0;
      const s = makeStack({
        mode,
        config: { icmpErrorsPerSecond: 1, icmpErrorBurst: 2, now: () => now },
      });
      const sent = [1, 2, 3, 4].map(() => s.receive(udpFrame(9, new Uint8Array(4))).length);
      assert.deepEqual(sent, [1, 1, 0, 0]);
      assert.equal(s.counter("rx.udp.closed-port-action", "rate-limited"), 2);
      now = 1000;
      assert.equal(s.receive(udpFrame(9, new Uint8Array(4))).length, 1);
      assert.equal(s.counter("rx.udp.closed-port-action", "closed-port"), 5);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("UDP to an open port is delivered to its socket", () => {
      const s = makeStack({ mode });
      assert.equal(s.receive(udpFrame(7, new Uint8Array([9, 9]))).length, 0);
      const ring = s.env.socketRing(0);
      assert.equal(ring.size, 1);
      const b = ring.shift();
      assert.equal(s.env.rxSrcPort[b], 40000);
      assert.equal(s.env.l5[b], (s.pool.start[b] ?? 0) + 42);
    });

    await t.step("TCP is classified as tcp and dropped with its reason", () => {
      const s = makeStack({ mode });
      assert.equal(s.receive(tcpFrame(80)).length, 0);
      assert.equal(s.counter("rx.ipv4.classify", "tcp-unsupported"), 1);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("ARP park-and-restart: lookup miss, request, reply, restarted echo", () => {
      const s = makeStack({ mode, knownPeer: false });
      const out1 = s.receive(pingFrame(1, 1, new Uint8Array(4)));
      assert.equal(out1.length, 1, "only the ARP request goes out");
      const req = parsed(out1[0] ?? new Uint8Array());
      assert.equal(req.arpOp, 1);
      assert.equal(req.arpTargetIp, parseIpv4(PEER_IP) >>> 0);
      assert.equal(formatMac(out1[0] ?? new Uint8Array(), 0), "ff:ff:ff:ff:ff:ff");
      assert.equal(s.env.pendingCount, 1);
      // A second packet to the same IP parks without a second request.
      assert.equal(s.receive(pingFrame(1, 2, new Uint8Array(4))).length, 0);
      assert.equal(s.counter("tx.arp.resolve", "parked"), 2);
      const out2 = s.receive(arpReplyFrame());
      assert.equal(out2.length, 2);
      for (const [i, f] of out2.entries()) {
        const info = parsed(f);
        assert.equal(info.icmpType, 0);
        assert.equal(info.icmpSeq, i + 1);
        assert.equal(formatMac(f, 0), PEER_MAC);
      }
      assert.equal(s.env.pendingCount, 0);
      assert.equal(s.counter("tx.arp.process-pending-response", "restarted"), 2);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("an unsolicited ARP reply is dropped and counted", () => {
      const s = makeStack({ mode });
      assert.equal(s.receive(arpReplyFrame()).length, 0);
      assert.equal(s.counter("rx.arp.is-pending", "arp-unsolicited"), 1);
    });

    await t.step("gratuitous ARP at start announces the local address", () => {
      const s = makeStack({ mode });
      for (const n of s.program.initNodes) s.exec.run(n, -1);
      const out = s.takeTx();
      assert.equal(out.length, 1);
      const info = parsed(out[0] ?? new Uint8Array());
      assert.equal(info.arpOp, 1);
      assert.equal(info.arpSenderIp, parseIpv4(LOCAL_IP) >>> 0);
      assert.equal(info.arpTargetIp, parseIpv4(LOCAL_IP) >>> 0);
    });

    await t.step("Q12: the most specific endpoint wins, deterministically", () => {
      const s = makeStack({
        mode,
        endpoints: [
          { sockets: [{ sid: 1, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 53 },
          {
            sockets: [{ sid: 2, appId: 0 }],
            srcIp: parseIpv4(PEER_IP) >>> 0,
            srcPort: 1000,
            dstIp: 0,
            dstPort: 53,
          },
        ],
      });
      s.receive(udpFrame(53, new Uint8Array(2), { srcPort: 1000 }));
      s.receive(udpFrame(53, new Uint8Array(2), { srcPort: 1001 }));
      assert.equal(s.env.socketRing(2).size, 1);
      assert.equal(s.env.socketRing(1).size, 1);
      assert.equal(s.counter("rx.udp.demux.e1", "true"), 1);
      assert.equal(s.counter("rx.udp.demux.e2", "true"), 1);
    });

    await t.step("several sockets on one endpoint are served round robin", () => {
      const s = makeStack({
        mode,
        endpoints: [{
          sockets: [{ sid: 4, appId: 0 }, { sid: 5, appId: 1 }],
          srcIp: 0,
          srcPort: 0,
          dstIp: 0,
          dstPort: 7,
        }],
      });
      for (let i = 0; i < 4; i++) s.receive(udpFrame(7, new Uint8Array(1)));
      assert.equal(s.env.socketRing(4).size, 2);
      assert.equal(s.env.socketRing(5).size, 2);
    });
  });
}

function fixIpChecksum(f: Uint8Array): Uint8Array {
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const ihl = ((f[14] ?? 0) & 15) * 4;
  v.setUint16(24, 0);
  if (ihl >= 20) v.setUint16(24, internetChecksum(f, 14, ihl));
  return f;
}

function edit(f: Uint8Array, fn: (v: DataView, f: Uint8Array) => void, fixIp = true): Uint8Array {
  const copy = f.slice();
  fn(new DataView(copy.buffer), copy);
  return fixIp ? fixIpChecksum(copy) : copy;
}

/** One malformed frame per drop reason: [name, frame, node, counter]. */
function malformedFrames(): [string, Uint8Array, string, string][] {
  const udp = udpFrame(7, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  const ping = pingFrame(1, 1, new Uint8Array(8));
  const arp = arpRequestFrame();
  return [
    ["runt", udp.slice(0, 10), "rx.l2.valid-length", "eth-truncated"],
    [
      "other MAC",
      edit(udp, (v) => v.setUint8(5, 0x09), false),
      "rx.l2.valid-local-mac",
      "eth-not-local",
    ],
    ["802.3 length", edit(udp, (v) => v.setUint16(12, 0x0600)), "rx.l2.valid-type", "eth-bad-type"],
    ["LLDP", edit(udp, (v) => v.setUint16(12, 0x88cc)), "rx.l2.classify-l3", "unknown-ethertype"],
    ["ARP truncated", arp.slice(0, 30), "rx.arp.valid-header-length", "arp-truncated"],
    [
      "ARP opcode",
      edit(arp, (v) => v.setUint16(20, 7), false),
      "rx.arp.classify",
      "arp-bad-opcode",
    ],
    [
      "ARP htype",
      edit(arp, (v) => v.setUint16(14, 6), false),
      "rx.arp.valid-request",
      "arp-bad-format",
    ],
    [
      "IHL 4",
      edit(udp, (v) => v.setUint8(14, 0x44)),
      "rx.ipv4.valid-header-length",
      "ipv4-bad-header-length",
    ],
    [
      "fragment",
      edit(udp, (v) => v.setUint16(20, 0x2000)),
      "rx.ipv4.valid-reassembly",
      "ipv4-fragment",
    ],
    [
      "version 6",
      edit(udp, (v) => v.setUint8(14, 0x65)),
      "rx.ipv4.valid-version",
      "ipv4-bad-version",
    ],
    [
      "total length",
      edit(udp, (v) => v.setUint16(16, 300)),
      "rx.ipv4.valid-length",
      "ipv4-bad-total-length",
    ],
    [
      "IP checksum",
      edit(udp, (v) => v.setUint16(24, 0x1234), false),
      "rx.ipv4.valid-checksum",
      "ipv4-bad-checksum",
    ],
    [
      "not our IP",
      edit(udp, (v) => v.setUint32(30, 0x0a000063)),
      "rx.ipv4.valid-local-ip",
      "ipv4-not-local",
    ],
    [
      "protocol 99",
      edit(udp, (v) => v.setUint8(23, 99)),
      "rx.ipv4.classify",
      "ipv4-unknown-protocol",
    ],
    [
      "ICMP short",
      edit(ping, (v) => v.setUint16(16, 24)),
      "rx.icmp.valid-header-length",
      "icmp-truncated",
    ],
    [
      "ICMP checksum",
      edit(ping, (v) => v.setUint16(36, 0)),
      "rx.icmp.valid-checksum",
      "icmp-bad-checksum",
    ],
    [
      "ICMP type 13",
      edit(ping, (_v, f) => {
        f[34] = 13;
        const v = new DataView(f.buffer);
        v.setUint16(36, 0);
        v.setUint16(36, internetChecksum(f, 34, 16));
      }),
      "rx.icmp.is-type-request",
      "icmp-not-echo-request",
    ],
    [
      "UDP short",
      edit(udp, (v) => v.setUint16(16, 24)),
      "rx.udp.valid-header-length",
      "udp-truncated",
    ],
    ["UDP length", edit(udp, (v) => v.setUint16(38, 200)), "rx.udp.valid-length", "udp-bad-length"],
    [
      "UDP checksum",
      edit(udp, (_v, f) => {
        f[45] = (f[45] ?? 0) ^ 0xff;
      }),
      "rx.udp.valid-checksum",
      "udp-bad-checksum",
    ],
  ];
}

for (const mode of MODES) {
  Deno.test(`LPG drops one malformed frame of each kind with its reason (${mode})`, async (t) => {
    for (const [name, frame, node, counter] of malformedFrames()) {
      await t.step(`${name} -> ${node} ${counter}`, () => {
        const s = makeStack({ mode });
        assert.equal(s.receive(frame).length, 0);
        assert.equal(s.counter(node, counter), 1);
        assert.equal(s.env.socketRing(0).size, 0);
        assert.equal(s.pool.inUse, 0);
        assert.equal(s.ctx.freedAtEnd, 1);
      });
    }
  });
}

Deno.test("quirk Q5 knob: with verification off a bad UDP checksum is delivered", () => {
  const s = makeStack({ config: { verifyUdpChecksum: false } });
  const f = udpFrame(7, new Uint8Array([1, 2, 3, 4]));
  f[43] = (f[43] ?? 0) ^ 0xff;
  s.receive(f);
  assert.equal(s.env.socketRing(0).size, 1);
});

Deno.test("counter rows report calls, ports, drops by reason and node counters", () => {
  const s = makeStack();
  s.receive(udpFrame(9, new Uint8Array(2)));
  const bad = pingFrame(1, 1, new Uint8Array(4));
  bad[36] = 0;
  s.receive(bad);
  const rows = counterRows(s.program, s.ctx);
  const find = (node: string, counter: string) =>
    rows.find((r) => r.node === node && r.counter === counter)?.value;
  assert.equal(find("rx.l2.valid-length", "calls"), 2);
  assert.equal(find("rx.icmp.valid-checksum", "drop:icmp-bad-checksum"), 1);
  assert.equal(find("rx.udp.closed-port-action", "closed-port"), 1);
  assert.deepEqual([...dropsByReason(s.program, s.ctx)], [["icmp-bad-checksum", 1]]);
});
