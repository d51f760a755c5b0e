import assert from "node:assert/strict";
import fc from "fast-check";
import { FrameInfo, MacKind } from "./frame_info.ts";
import { parseFrame, verifyIpv4HeaderChecksum, verifyL4Checksum } from "./parse.ts";
import { Reason, type ReasonCode, reasonName } from "./reason.ts";
import { CAPTURED } from "./_captured_frames.ts";
import { buildUdpFrame } from "./build.ts";

const LO = 0x7f000001;

function setU16(f: Uint8Array, at: number, value: number): Uint8Array {
  new DataView(f.buffer, f.byteOffset).setUint16(at, value);
  return f;
}

function check(f: Uint8Array, info: FrameInfo): ReasonCode {
  return parseFrame(f, 0, f.length, info) || verifyIpv4HeaderChecksum(f, info) ||
    verifyL4Checksum(f, info);
}

Deno.test("parseFrame on captured frames", async (t) => {
  const info = new FrameInfo();

  await t.step("UDP datagram: fields, and the partial loopback checksum fails verification", () => {
    const f = CAPTURED.udp();
    assert.equal(parseFrame(f, 0, f.length, info), Reason.Ok);
    assert.equal(info.dstMacKind, MacKind.Unicast);
    assert.equal(info.vlanId, -1);
    assert.equal(info.etherType, 0x0800);
    assert.equal(info.l3, 14);
    assert.equal(info.l4, 34);
    assert.equal(info.payload, 42);
    assert.equal(info.payloadLen, 14);
    assert.equal(
      new TextDecoder().decode(f.subarray(info.payload, info.payload + info.payloadLen)),
      "hello dragonet",
    );
    assert.equal(info.ipSrc, LO);
    assert.equal(info.ipDst, LO);
    assert.equal(info.ipId, 19900);
    assert.equal(info.ipFlags, 2);
    assert.equal(info.ipTtl, 64);
    assert.equal(info.ipProto, 17);
    assert.equal(info.srcPort, 42283);
    assert.equal(info.dstPort, 9999);
    assert.equal(info.udpLen, 22);
    assert.equal(info.truncated, false);
    assert.equal(verifyIpv4HeaderChecksum(f, info), Reason.Ok);
    assert.equal(verifyL4Checksum(f, info), Reason.UdpBadChecksum);
    setU16(f, 40, 0x56d6); // the full checksum tcpdump -vv computed
    assert.equal(verifyL4Checksum(f, info), Reason.Ok);
    setU16(f, 40, 0); // zero means "no checksum" (RFC 768)
    assert.equal(verifyL4Checksum(f, info), Reason.Ok);
  });

  await t.step("ICMP port unreachable, echo request and reply verify fully", () => {
    for (const name of ["icmpUnreachable", "icmpEchoRequest", "icmpEchoReply"] as const) {
      const f = CAPTURED[name]();
      assert.equal(check(f, info), Reason.Ok, name);
      assert.equal(info.ipProto, 1);
    }
    const u = CAPTURED.icmpUnreachable();
    parseFrame(u, 0, u.length, info);
    assert.deepEqual([info.icmpType, info.icmpCode, info.ipTos, info.payloadLen], [3, 3, 0xc0, 42]);
    const e = CAPTURED.icmpEchoRequest();
    parseFrame(e, 0, e.length, info);
    assert.deepEqual([info.icmpType, info.icmpId, info.icmpSeq, info.payloadLen], [
      8,
      0x1234,
      1,
      17,
    ]);
  });

  await t.step("TCP SYN, SYN-ACK and data segment: fields and tcpdump's full checksums", () => {
    const cases = [["tcpSyn", 0xf667, 0x02, 0], ["tcpSynAck", 0xcb89, 0x12, 0], [
      "tcpData",
      0x154f,
      0x18,
      18,
    ]] as const;
    for (const [name, full, flags, dataLen] of cases) {
      const f = CAPTURED[name]();
      assert.equal(parseFrame(f, 0, f.length, info), Reason.Ok, name);
      assert.equal(info.tcpFlags, flags);
      assert.equal(info.payloadLen, dataLen);
      assert.equal(verifyL4Checksum(f, info), Reason.TcpBadChecksum, `${name} partial checksum`);
      setU16(f, 50, full);
      assert.equal(check(f, info), Reason.Ok, `${name} full checksum`);
    }
    const syn = CAPTURED.tcpSyn();
    parseFrame(syn, 0, syn.length, info);
    assert.deepEqual(
      [info.srcPort, info.dstPort, info.tcpSeq, info.tcpAck, info.tcpWindow, info.tcpHeaderLen],
      [59602, 9998, 1161283603, 0, 65495, 40],
    );
  });

  await t.step("ARP request", () => {
    const f = CAPTURED.arpRequest();
    assert.equal(check(f, info), Reason.Ok);
    assert.equal(info.dstMacKind, MacKind.Broadcast);
    assert.equal(info.etherType, 0x0806);
    assert.deepEqual([info.arpOp, info.arpSenderIp, info.arpTargetIp], [1, 0x0a630001, 0x0a630002]);
    assert.equal(info.ipProto, -1);
  });

  await t.step("frame inside a larger buffer at an offset", () => {
    const f = CAPTURED.tcpData();
    const big = new Uint8Array(f.length + 100);
    big.set(f, 37);
    assert.equal(parseFrame(big, 37, f.length, info), Reason.Ok);
    assert.equal(info.l4, 37 + 34);
    assert.equal(info.payload, 37 + 66);
  });
});

/** A valid 60-byte frame built for mutation: UDP 10.0.0.1:1000 -> 10.0.0.2:2000, 4 payload bytes. */
function udpFrame(opts: { vlan?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(128);
  const len = buildUdpFrame(out, 0, {
    dstMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
    srcMac: new Uint8Array([2, 0, 0, 0, 0, 1]),
    srcIp: 0x0a000001,
    dstIp: 0x0a000002,
    srcPort: 1000,
    dstPort: 2000,
    payload: new Uint8Array([1, 2, 3, 4]),
    padToMinimum: false,
    ...(opts.vlan ? { vlan: { id: 42, pcp: 5 } } : {}),
  });
  return out.slice(0, len);
}

/** Rewrites the IPv4 header checksum of a frame with L3 at 14. */
function fixIpSum(f: Uint8Array): Uint8Array {
  setU16(f, 24, 0);
  let s = 0;
  for (let i = 14; i < 34; i += 2) s += ((f[i] ?? 0) << 8) | (f[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return setU16(f, 24, ~s & 0xffff);
}

Deno.test("parseFrame returns a specific reason for each failure", async (t) => {
  const info = new FrameInfo();
  const arp = (mutate: (f: Uint8Array) => void) => {
    const f = CAPTURED.arpRequest();
    mutate(f);
    return f;
  };
  const udp = (mutate: (f: Uint8Array) => void, fix = true) => {
    const f = udpFrame();
    mutate(f);
    return fix ? fixIpSum(f) : f;
  };
  const tcp = (mutate: (f: Uint8Array) => void) => {
    const f = CAPTURED.tcpData();
    mutate(f);
    return fixIpSum(f);
  };
  const cases: [string, Uint8Array, ReasonCode][] = [
    ["13-byte frame", new Uint8Array(13), Reason.EthTruncated],
    ["tag cut short", udpFrame({ vlan: true }).slice(0, 16), Reason.VlanTruncated],
    ["IPv6 ethertype", setU16(udpFrame(), 12, 0x86dd), Reason.UnknownEthertype],
    ["802.3 length field", setU16(udpFrame(), 12, 0x0040), Reason.UnknownEthertype],
    ["ARP cut short", CAPTURED.arpRequest().slice(0, 41), Reason.ArpTruncated],
    ["ARP hardware type 6", arp((f) => setU16(f, 14, 6)), Reason.ArpBadHardwareType],
    ["ARP protocol IPv6", arp((f) => setU16(f, 16, 0x86dd)), Reason.ArpBadProtocolType],
    ["ARP hlen 8", arp((f) => (f[18] = 8)), Reason.ArpBadAddressLength],
    ["ARP opcode 3", arp((f) => setU16(f, 20, 3)), Reason.ArpBadOpcode],
    ["IPv4 cut to 19 bytes", udpFrame().slice(0, 33), Reason.Ipv4Truncated],
    ["version 6 in IPv4 frame", udp((f) => (f[14] = 0x65)), Reason.Ipv4BadVersion],
    ["IHL 4 (quirk Q3 corrected)", udp((f) => (f[14] = 0x44)), Reason.Ipv4BadIhl],
    ["IHL 15 in a short frame", udp((f) => (f[14] = 0x4f)), Reason.Ipv4HeaderTruncated],
    ["total length 200", udp((f) => setU16(f, 16, 200)), Reason.Ipv4TotalLengthBeyondFrame],
    ["total length 10", udp((f) => setU16(f, 16, 10)), Reason.Ipv4TotalLengthBelowHeader],
    [
      "bad option length",
      udp((f) => {
        f[14] = 0x46; // IHL 6: the UDP header's first 4 bytes become options
        f[34] = 0x83; // loose source route...
        f[35] = 9; // ...claiming 9 bytes in a 4-byte option area
      }),
      Reason.Ipv4BadOptions,
    ],
    [
      "header checksum off by one",
      udp((f) => (f[25] = (f[25] ?? 0) ^ 1), false),
      Reason.Ipv4BadChecksum,
    ],
    ["MF set", udp((f) => setU16(f, 20, 0x2000)), Reason.Ipv4Fragment],
    ["fragment offset 8", udp((f) => setU16(f, 20, 0x0001)), Reason.Ipv4Fragment],
    ["protocol 47 (GRE)", udp((f) => (f[23] = 47)), Reason.Ipv4UnknownProtocol],
    ["IP payload of 6 bytes for UDP", udp((f) => setU16(f, 16, 26)), Reason.UdpTruncated],
    ["UDP length 7", udp((f) => setU16(f, 38, 7)), Reason.UdpBadLength],
    ["UDP length beyond IP payload", udp((f) => setU16(f, 38, 13)), Reason.UdpBadLength],
    ["UDP payload flipped", udp((f) => (f[42] = 0xff)), Reason.UdpBadChecksum],
    ["TCP in 19 bytes", tcp((f) => setU16(f, 16, 39)), Reason.TcpTruncated],
    ["TCP data offset 4", tcp((f) => (f[46] = 0x40)), Reason.TcpBadDataOffset],
    ["TCP data offset 15", tcp((f) => (f[46] = 0xf0)), Reason.TcpBadDataOffset],
    ["TCP option length 0", tcp((f) => (f[57] = 0)), Reason.TcpBadOptions],
    ["TCP partial checksum", CAPTURED.tcpData(), Reason.TcpBadChecksum],
    [
      "ICMP in 4 bytes",
      udp((f) => {
        f[23] = 1;
        setU16(f, 16, 24);
      }),
      Reason.IcmpTruncated,
    ],
    [
      "ICMP payload flipped",
      (() => {
        const f = CAPTURED.icmpEchoRequest();
        f[50] = (f[50] ?? 0) ^ 0x10;
        return f;
      })(),
      Reason.IcmpBadChecksum,
    ],
  ];

  for (const [name, frame, expected] of cases) {
    await t.step(`${name} -> ${reasonName(expected)}`, () => {
      assert.equal(check(frame, info), expected);
    });
  }

  await t.step("every reason except Ok and TTL zero is produced by some case above", () => {
    const seen = new Set(cases.map((c) => c[2]));
    const missing = Object.entries(Reason).filter(([k, c]) =>
      !seen.has(c) && k !== "Ok" && k !== "Ipv4TtlZero" && k !== "FrameBoundsInvalid"
    );
    assert.deepEqual(missing, []);
  });

  await t.step("bad offsets and lengths give FrameBoundsInvalid", () => {
    const f = udpFrame();
    assert.equal(parseFrame(f, -1, 10, info), Reason.FrameBoundsInvalid);
    assert.equal(parseFrame(f, 0, f.length + 1, info), Reason.FrameBoundsInvalid);
    assert.equal(parseFrame(f, 0.5, 20, info), Reason.FrameBoundsInvalid);
    assert.equal(parseFrame(f, 0, Number.NaN, info), Reason.FrameBoundsInvalid);
  });

  await t.step("a snap-length cut keeps ports, sets truncated, and cannot verify L4", () => {
    const f = CAPTURED.tcpData().slice(0, 70);
    assert.equal(parseFrame(f, 0, f.length, info), Reason.Ipv4TotalLengthBeyondFrame);
    assert.equal(info.truncated, true);
    assert.equal(info.dstPort, 9998);
    assert.equal(info.payloadLen, 18);
    assert.equal(info.capturedPayloadLen(), 4);
    assert.equal(verifyL4Checksum(f, info), Reason.Ipv4TotalLengthBeyondFrame);
  });

  await t.step("802.1Q tag: id, priority, offsets", () => {
    const f = udpFrame({ vlan: true });
    assert.equal(check(f, info), Reason.Ok);
    assert.deepEqual([info.vlanId, info.vlanPcp, info.l3, info.l4, info.dstPort], [
      42,
      5,
      18,
      38,
      2000,
    ]);
  });
});

Deno.test("parseFrame never throws", async (t) => {
  const info = new FrameInfo();
  await t.step("property: random bytes give a defined reason without throwing", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, ipv4, vlan) => {
          // Steer half the inputs past the EtherType check so deeper layers are exercised.
          if (bytes.length >= 18 && ipv4) {
            const dv = new DataView(bytes.buffer);
            if (vlan) {
              dv.setUint16(12, 0x8100);
              dv.setUint16(16, 0x0800);
            } else dv.setUint16(12, 0x0800);
            bytes[vlan ? 18 : 14] = 0x45 + ((bytes[20] ?? 0) & 3);
          }
          const r = check(bytes, info);
          assert.ok(Number.isInteger(r) && r >= 0 && r < Object.keys(Reason).length);
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });

  await t.step("property: every truncation of every captured frame is handled", () => {
    const frames = Object.entries(CAPTURED).map(([name, make]) => ({ name, f: make() }));
    fc.assert(
      fc.property(fc.constantFrom(...frames), fc.nat(), ({ name, f }, n) => {
        const len = n % f.length;
        const r = check(f.subarray(0, len), info);
        // The ARP request carries 18 bytes of Ethernet padding after its 42 bytes of headers.
        const complete = name === "arpRequest" && len >= 42;
        assert.equal(r === Reason.Ok, complete, `${name} cut at ${len} gave ${reasonName(r)}`);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
