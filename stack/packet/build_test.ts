import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildArpReply,
  buildArpRequest,
  buildIcmpEchoFrame,
  buildIcmpErrorFrame,
  buildTcpFrame,
  buildUdpFrame,
  ChecksumMode,
  type Ipv4Spec,
} from "./build.ts";
import { FrameInfo, MacKind } from "./frame_info.ts";
import { parseFrame, verifyIpv4HeaderChecksum, verifyL4Checksum } from "./parse.ts";
import { Reason, type ReasonCode, reasonName } from "./reason.ts";
import { parseTcpOptions, TcpOptions } from "./tcp_options.ts";
import { ipv4PseudoHeaderSum } from "./checksum.ts";
import { CAPTURED } from "./_captured_frames.ts";

const LO = 0x7f000001;
const ZERO = new Uint8Array(6);
const enc = (s: string) => new TextEncoder().encode(s);
const loopback = { dstMac: ZERO, srcMac: ZERO, srcIp: LO, dstIp: LO, padToMinimum: false } as const;

function built(fn: (out: Uint8Array) => number): Uint8Array {
  const out = new Uint8Array(2048);
  return out.slice(0, fn(out));
}

function check(f: Uint8Array, info: FrameInfo): ReasonCode {
  return parseFrame(f, 0, f.length, info) || verifyIpv4HeaderChecksum(f, info) ||
    verifyL4Checksum(f, info);
}

Deno.test("builders reproduce captured frames byte for byte", async (t) => {
  await t.step("UDP datagram with a partial (loopback) checksum", () => {
    const f = built((out) =>
      buildUdpFrame(out, 0, {
        ...loopback,
        ipId: 19900,
        srcPort: 42283,
        dstPort: 9999,
        payload: enc("hello dragonet"),
        l4Checksum: ChecksumMode.Partial,
      })
    );
    assert.deepEqual(f, CAPTURED.udp());
  });

  await t.step("ICMP echo request and reply", () => {
    const common = { ...loopback, id: 0x1234, seq: 1, payload: enc("dragonet-lab-echo") };
    assert.deepEqual(
      built((out) => buildIcmpEchoFrame(out, 0, { ...common, ipId: 43311 })),
      CAPTURED.icmpEchoRequest(),
    );
    assert.deepEqual(
      built((out) =>
        buildIcmpEchoFrame(out, 0, { ...common, ipId: 43312, dontFragment: false, reply: true })
      ),
      CAPTURED.icmpEchoReply(),
    );
  });

  await t.step("ICMP port unreachable quoting the whole UDP datagram", () => {
    const original = CAPTURED.udp().subarray(14);
    const f = built((out) =>
      buildIcmpErrorFrame(out, 0, {
        ...loopback,
        tos: 0xc0,
        ipId: 43310,
        dontFragment: false,
        type: 3,
        code: 3,
        original,
        quoteLen: original.length,
      })
    );
    assert.deepEqual(f, CAPTURED.icmpUnreachable());
  });

  await t.step("TCP SYN, SYN-ACK and data segment with options", () => {
    const syn = built((out) =>
      buildTcpFrame(out, 0, {
        ...loopback,
        ipId: 27635,
        srcPort: 59602,
        dstPort: 9998,
        seq: 1161283603,
        flags: 0x02,
        window: 65495,
        options: {
          mss: 65495,
          sackPermitted: true,
          timestamps: { val: 2214770792, ecr: 0 },
          windowScale: 10,
        },
        l4Checksum: ChecksumMode.Partial,
      })
    );
    assert.deepEqual(syn, CAPTURED.tcpSyn());
    const synAck = built((out) =>
      buildTcpFrame(out, 0, {
        ...loopback,
        ipId: 0,
        srcPort: 9998,
        dstPort: 59602,
        seq: 3280216300,
        ack: 1161283604,
        flags: 0x12,
        window: 65483,
        options: {
          mss: 65495,
          sackPermitted: true,
          timestamps: { val: 3740493684, ecr: 2214770792 },
          windowScale: 10,
        },
        l4Checksum: ChecksumMode.Partial,
      })
    );
    assert.deepEqual(synAck, CAPTURED.tcpSynAck());
    const data = built((out) =>
      buildTcpFrame(out, 0, {
        ...loopback,
        ipId: 27637,
        srcPort: 59602,
        dstPort: 9998,
        seq: 1161283604,
        ack: 3280216301,
        flags: 0x18,
        window: 64,
        options: { timestamps: { val: 2214770792, ecr: 3740493684 } },
        payload: enc("GET / HTTP/1.0\r\n\r\n"),
        l4Checksum: ChecksumMode.Partial,
      })
    );
    assert.deepEqual(data, CAPTURED.tcpData());
  });

  await t.step("ARP request padded to 60 bytes", () => {
    const f = built((out) =>
      buildArpRequest(out, 0, {
        srcMac: new Uint8Array([0xb2, 0xc2, 0x6d, 0xa6, 0xd0, 0xec]),
        senderIp: 0x0a630001,
        targetIp: 0x0a630002,
      })
    );
    assert.deepEqual(f, CAPTURED.arpRequest());
  });
});

Deno.test("builder checksum modes and errors", async (t) => {
  const info = new FrameInfo();
  const base = {
    dstMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
    srcMac: new Uint8Array([2, 0, 0, 0, 0, 1]),
    srcIp: 0x0a000001,
    dstIp: 0x0a000002,
    srcPort: 1,
    dstPort: 2,
  };

  await t.step(
    "full checksums verify; None leaves UDP checksum 0 (= none); Partial is the pseudo sum",
    () => {
      const full = built((out) => buildUdpFrame(out, 0, { ...base, payload: enc("abc") }));
      assert.equal(check(full, info), Reason.Ok);
      assert.equal(full.length, 60, "padded to the Ethernet minimum");
      const none = built((out) =>
        buildUdpFrame(out, 0, { ...base, l4Checksum: ChecksumMode.None })
      );
      assert.equal(none[40], 0);
      assert.equal(none[41], 0);
      assert.equal(check(none, info), Reason.Ok);
      const partial = built((out) =>
        buildUdpFrame(out, 0, { ...base, l4Checksum: ChecksumMode.Partial })
      );
      const pseudo = ipv4PseudoHeaderSum(base.srcIp, base.dstIp, 17, 8);
      assert.equal(((partial[40] ?? 0) << 8) | (partial[41] ?? 0), pseudo);
      const noIp = built((out) => buildUdpFrame(out, 0, { ...base, ipChecksum: false }));
      assert.equal(check(noIp, info), Reason.Ipv4BadChecksum);
    },
  );

  await t.step("a computed UDP checksum of zero is sent as 0xffff (RFC 768)", () => {
    const probe = built((out) => buildUdpFrame(out, 0, { ...base, payload: new Uint8Array(2) }));
    const c = ((probe[40] ?? 0) << 8) | (probe[41] ?? 0);
    // A payload word equal to the old checksum brings the one's-complement sum to 0xffff.
    const f = built((out) =>
      buildUdpFrame(out, 0, { ...base, payload: new Uint8Array([c >>> 8, c & 0xff]) })
    );
    assert.equal(((f[40] ?? 0) << 8) | (f[41] ?? 0), 0xffff);
    assert.equal(check(f, info), Reason.Ok);
  });

  await t.step("bad arguments throw errors naming the value and the limit", () => {
    const out = new Uint8Array(64);
    assert.throws(
      () => buildUdpFrame(out, 0, { ...base, srcPort: 70000 }),
      /source port 70000 must be an integer 0\.\.65535/,
    );
    assert.throws(
      () => buildUdpFrame(out, 0, { ...base, dstMac: new Uint8Array(5) }),
      /destination MAC has 5 bytes, a MAC has 6/,
    );
    assert.throws(
      () => buildUdpFrame(out, 0, { ...base, payload: new Uint8Array(100) }),
      /Cannot build UDP frame of 142 bytes at offset 0: buffer holds 64 bytes/,
    );
    assert.throws(
      () => buildUdpFrame(out, 0, { ...base, vlan: { id: 4096 } }),
      /VLAN id 4096 must be an integer 0\.\.4095/,
    );
    assert.throws(
      () => buildUdpFrame(out, 0, { ...base, ipOptions: new Uint8Array(3) }),
      /IPv4 options of 3 bytes must be a multiple of 4, at most 40/,
    );
    assert.throws(
      () =>
        buildIcmpErrorFrame(out, 0, { ...base, type: 3, code: 1, original: new Uint8Array(10) }),
      /original datagram \(10 bytes\) must start with an IPv4 header/,
    );
    assert.throws(() => buildUdpFrame(out, 10, base), /buffer holds 64 bytes/);
  });
});

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 });
const ipOptionWord = fc.constantFrom([1, 1, 1, 1], [0x94, 4, 0, 0], [1, 1, 1, 0], [0x44, 4, 5, 0]);
const ipv4Part = fc.record({
  dstMac: mac,
  srcMac: mac,
  srcIp: u32,
  dstIp: u32,
  ttl: fc.integer({ min: 0, max: 255 }),
  ipId: u16,
  tos: fc.integer({ min: 0, max: 255 }),
  dontFragment: fc.boolean(),
  vlan: fc.option(
    fc.record({ id: fc.integer({ min: 0, max: 4095 }), pcp: fc.integer({ min: 0, max: 7 }) }),
    {
      nil: undefined,
    },
  ),
  ipOptions: fc.array(ipOptionWord, { maxLength: 10 }).map((ws) => new Uint8Array(ws.flat())),
});

function assertIpv4(
  info: FrameInfo,
  s: Ipv4Spec & { vlan?: { id: number; pcp?: number } | undefined },
) {
  assert.equal(info.vlanId, s.vlan?.id ?? -1);
  assert.equal(info.vlanPcp, s.vlan ? s.vlan.pcp ?? 0 : -1);
  assert.equal(info.etherType, 0x0800);
  assert.equal(info.ipSrc, s.srcIp);
  assert.equal(info.ipDst, s.dstIp);
  assert.equal(info.ipTtl, s.ttl);
  assert.equal(info.ipId, s.ipId);
  assert.equal(info.ipTos, s.tos);
  assert.equal(info.ipFlags, s.dontFragment === false ? 0 : 2);
  assert.equal(info.ipFragOffset, 0);
  assert.equal(info.ipHeaderLen, 20 + (s.ipOptions?.length ?? 0));
}

Deno.test("property: parse(build(x)) equals x", async (t) => {
  const info = new FrameInfo();
  const out = new Uint8Array(2048);
  const opts = new TcpOptions();

  await t.step("UDP", () => {
    fc.assert(
      fc.property(
        ipv4Part,
        u16,
        u16,
        fc.uint8Array({ maxLength: 1400 }),
        fc.nat(100),
        (ip, srcPort, dstPort, payload, off) => {
          const s = { ...ip, srcPort, dstPort, payload };
          const len = buildUdpFrame(out, off, s);
          const f = out.subarray(off, off + len);
          const r = check(f, info);
          assert.equal(r, Reason.Ok, reasonName(r));
          assertIpv4(info, s);
          assert.deepEqual([info.srcPort, info.dstPort, info.payloadLen], [
            srcPort,
            dstPort,
            payload.length,
          ]);
          assert.deepEqual(f.subarray(info.payload, info.payload + info.payloadLen), payload);
          assert.ok(len >= 60);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("TCP with options", () => {
    const options = fc.record(
      {
        mss: u16,
        windowScale: fc.integer({ min: 0, max: 14 }),
        sackPermitted: fc.boolean(),
        timestamps: fc.record({ val: u32, ecr: u32 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        ipv4Part,
        fc.record({
          srcPort: u16,
          dstPort: u16,
          seq: u32,
          ack: u32,
          flags: fc.integer({ min: 0, max: 255 }),
          window: u16,
        }),
        options,
        fc.uint8Array({ maxLength: 1400 }),
        (ip, tcp, o, payload) => {
          const s = { ...ip, ...tcp, options: o, payload };
          const len = buildTcpFrame(out, 0, s);
          const r = check(out.subarray(0, len), info);
          assert.equal(r, Reason.Ok, reasonName(r));
          assertIpv4(info, s);
          assert.deepEqual(
            [
              info.srcPort,
              info.dstPort,
              info.tcpSeq,
              info.tcpAck,
              info.tcpFlags,
              info.tcpWindow,
              info.payloadLen,
            ],
            [tcp.srcPort, tcp.dstPort, tcp.seq, tcp.ack, tcp.flags, tcp.window, payload.length],
          );
          assert.deepEqual(out.subarray(info.payload, info.payload + info.payloadLen), payload);
          assert.equal(parseTcpOptions(out, info.l4 + 20, info.tcpHeaderLen - 20, opts), Reason.Ok);
          assert.equal(opts.mss, o.mss ?? -1);
          assert.equal(opts.windowScale, o.windowScale ?? -1);
          assert.equal(opts.sackPermitted, o.sackPermitted === true);
          assert.equal(opts.tsVal, o.timestamps?.val ?? 0);
          assert.equal(opts.tsEcr, o.timestamps?.ecr ?? 0);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("ICMP echo", () => {
    fc.assert(
      fc.property(
        ipv4Part,
        u16,
        u16,
        fc.boolean(),
        fc.uint8Array({ maxLength: 1000 }),
        (ip, id, seq, reply, payload) => {
          const s = { ...ip, id, seq, reply, payload };
          const len = buildIcmpEchoFrame(out, 0, s);
          const r = check(out.subarray(0, len), info);
          assert.equal(r, Reason.Ok, reasonName(r));
          assertIpv4(info, s);
          assert.deepEqual([info.icmpType, info.icmpCode, info.icmpId, info.icmpSeq], [
            reply ? 0 : 8,
            0,
            id,
            seq,
          ]);
          assert.deepEqual(out.subarray(info.payload, info.payload + info.payloadLen), payload);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("ICMP error quoting a built UDP datagram", () => {
    const inner = new Uint8Array(2048);
    fc.assert(
      fc.property(
        ipv4Part,
        fc.constantFrom(3, 11, 12),
        fc.integer({ min: 0, max: 15 }),
        fc.uint8Array({ maxLength: 64 }),
        (ip, type, code, payload) => {
          const udpLen = buildUdpFrame(inner, 0, {
            ...ip,
            vlan: undefined,
            srcPort: 7,
            dstPort: 9,
            payload,
            padToMinimum: false,
          });
          const original = inner.subarray(14, udpLen);
          const s = { ...ip, type, code, original };
          const len = buildIcmpErrorFrame(out, 0, s);
          const r = check(out.subarray(0, len), info);
          assert.equal(r, Reason.Ok, reasonName(r));
          assert.deepEqual([info.icmpType, info.icmpCode], [type, code]);
          const quoted = original.subarray(0, ((original[0] ?? 0) & 15) * 4 + 8);
          assert.deepEqual(out.subarray(info.payload, info.payload + info.payloadLen), quoted);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("ARP request and reply", () => {
    fc.assert(
      fc.property(mac, mac, u32, u32, fc.boolean(), (srcMac, dstMac, senderIp, targetIp, reply) => {
        const len = reply
          ? buildArpReply(out, 0, { srcMac, dstMac, senderIp, targetIp })
          : buildArpRequest(out, 0, { srcMac, senderIp, targetIp });
        assert.equal(len, 60);
        assert.equal(check(out.subarray(0, len), info), Reason.Ok);
        assert.deepEqual([info.arpOp, info.arpSenderIp, info.arpTargetIp], [
          reply ? 2 : 1,
          senderIp,
          targetIp,
        ]);
        if (!reply) assert.equal(info.dstMacKind, MacKind.Broadcast);
        assert.deepEqual(out.subarray(22, 28), srcMac);
        assert.deepEqual(out.subarray(32, 38), reply ? dstMac : new Uint8Array(6));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
