import assert from "node:assert/strict";
import { CAPTURED } from "./_captured_frames.ts";
import * as eth from "./ethernet.ts";
import * as arp from "./arp.ts";
import * as ip from "./ipv4.ts";
import * as icmp from "./icmp.ts";
import * as udp from "./udp.ts";
import * as tcp from "./tcp.ts";

const view = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset, f.byteLength);

Deno.test("header accessors read captured frames", async (t) => {
  await t.step("Ethernet and ARP", () => {
    const f = CAPTURED.arpRequest();
    const v = view(f);
    assert.equal(eth.ethType(v, 0), eth.EtherType.Arp);
    assert.equal(eth.isBroadcastMac(v, eth.ETH_OFF_DST), true);
    assert.equal(eth.isGroupMac(v, eth.ETH_OFF_SRC), false);
    assert.deepEqual(
      [
        arp.arpHtype(v, 14),
        arp.arpPtype(v, 14),
        arp.arpHlen(v, 14),
        arp.arpPlen(v, 14),
        arp.arpOp(v, 14),
      ],
      [1, 0x0800, 6, 4, arp.ArpOp.Request],
    );
    assert.deepEqual([arp.arpSenderIp(v, 14), arp.arpTargetIp(v, 14)], [0x0a630001, 0x0a630002]);
  });

  await t.step("IPv4 and UDP", () => {
    const f = CAPTURED.udp();
    const v = view(f);
    assert.deepEqual(
      [
        ip.ipv4Version(v, 14),
        ip.ipv4Ihl(v, 14),
        ip.ipv4Tos(v, 14),
        ip.ipv4TotalLength(v, 14),
        ip.ipv4Id(v, 14),
      ],
      [4, 5, 0, 42, 19900],
    );
    assert.deepEqual(
      [
        ip.ipv4Flags(v, 14),
        ip.ipv4FragOffset(v, 14),
        ip.ipv4Ttl(v, 14),
        ip.ipv4Proto(v, 14),
        ip.ipv4Checksum(v, 14),
      ],
      [ip.Ipv4Flag.DF, 0, 64, ip.IpProto.Udp, 0xef04],
    );
    assert.deepEqual([ip.ipv4Src(v, 14), ip.ipv4Dst(v, 14)], [0x7f000001, 0x7f000001]);
    assert.deepEqual(
      [udp.udpSrcPort(v, 34), udp.udpDstPort(v, 34), udp.udpLength(v, 34), udp.udpChecksum(v, 34)],
      [42283, 9999, 22, 0xfe29],
    );
    ip.setIpv4Ttl(v, 14, 3);
    ip.setIpv4Src(v, 14, 0x0a000001);
    assert.deepEqual([ip.ipv4Ttl(v, 14), ip.ipv4Src(v, 14)], [3, 0x0a000001]);
  });

  await t.step("IPv4 option lists", () => {
    const v = view(new Uint8Array([1, 1, 0x94, 4, 0, 0, 0, 0x44, 9]));
    assert.equal(ip.ipv4OptionsValid(v, 0, 8), true, "NOP NOP router-alert End");
    assert.equal(ip.ipv4OptionsValid(v, 7, 2), false, "timestamp option overruns");
    assert.equal(ip.ipv4OptionsValid(v, 2, 1), false, "no length byte");
  });

  await t.step("ICMP", () => {
    const f = CAPTURED.icmpUnreachable();
    const v = view(f);
    assert.deepEqual([icmp.icmpType(v, 34), icmp.icmpCode(v, 34), icmp.icmpChecksum(v, 34)], [
      3,
      3,
      0x53d3,
    ]);
    assert.equal(icmp.isIcmpError(icmp.icmpType(v, 34)), true);
    const e = view(CAPTURED.icmpEchoRequest());
    assert.deepEqual([icmp.icmpId(e, 34), icmp.icmpSeq(e, 34), icmp.icmpRest(e, 34)], [
      0x1234,
      1,
      0x12340001,
    ]);
    assert.equal(icmp.isIcmpError(icmp.IcmpType.EchoRequest), false);
  });

  await t.step("TCP", () => {
    const v = view(CAPTURED.tcpSynAck());
    assert.deepEqual(
      [tcp.tcpSrcPort(v, 34), tcp.tcpDstPort(v, 34), tcp.tcpSeq(v, 34), tcp.tcpAck(v, 34)],
      [9998, 59602, 3280216300, 1161283604],
    );
    assert.deepEqual(
      [
        tcp.tcpDataOffset(v, 34),
        tcp.tcpFlags(v, 34),
        tcp.tcpWindow(v, 34),
        tcp.tcpChecksum(v, 34),
        tcp.tcpUrgent(v, 34),
      ],
      [10, tcp.TcpFlag.SYN | tcp.TcpFlag.ACK, 65483, 0xfe30, 0],
    );
  });

  await t.step("802.1Q TCI fields", () => {
    const out = new Uint8Array(18);
    const v = view(out);
    const n = eth.writeEthHeader(
      out,
      v,
      0,
      new Uint8Array(6),
      new Uint8Array(6),
      eth.EtherType.Ipv4,
      (5 << 13) | 42,
    );
    assert.equal(n, 18);
    assert.equal(eth.ethType(v, 0), eth.EtherType.Vlan);
    const tci = eth.vlanTci(v, 0);
    assert.deepEqual([eth.tciVlanId(tci), eth.tciPcp(tci), v.getUint16(eth.VLAN_OFF_TYPE)], [
      42,
      5,
      0x0800,
    ]);
    assert.throws(
      () => eth.writeMac(out, 0, new Uint8Array(4)),
      /MAC of 4 bytes: a MAC is 6 bytes/,
    );
  });
});
