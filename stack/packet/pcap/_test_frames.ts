/**
 * Shared test data for the pcap tests (not part of the public surface).
 *
 * @module
 */
import fc from "fast-check";
import type { PcapFrameInput } from "./memory.ts";
import {
  buildArpReply,
  buildArpRequest,
  buildIcmpEchoFrame,
  buildIcmpErrorFrame,
  buildTcpFrame,
  buildUdpFrame,
} from "../build.ts";
import { TcpFlag } from "../tcp.ts";
import { IcmpType } from "../icmp.ts";

/** Arbitrary frames with timestamps anywhere in the 32-bit second range. */
export const framesArb: fc.Arbitrary<PcapFrameInput[]> = fc.array(
  fc.record({
    tsNs: fc.bigInt({ min: 0n, max: 4_294_967_295_999_999_999n }),
    data: fc.uint8Array({ maxLength: 300 }),
    extra: fc.nat(100),
  }).map(({ tsNs, data, extra }) => ({ tsNs, data, origLen: data.length + extra })),
  { maxLength: 20 },
);

const MAC_A = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0a);
const MAC_B = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0b);
const IP_A = 0x0a000001; // 10.0.0.1
const IP_B = 0x0a000002; // 10.0.0.2

/** Names of the frames `sampleFrames` builds. */
export type SampleName =
  | "udp"
  | "tcpSyn"
  | "tcpData"
  | "echo"
  | "unreachable"
  | "arpReq"
  | "arpRep"
  | "vlanUdp"
  | "badIp"
  | "badUdp"
  | "badIhl"
  | "ipv6";

/** Named Ethernet frames built by the packet layer's builders (padded to 60 bytes). */
export function sampleFrames(): { [K in SampleName]: Uint8Array } {
  const buf = new Uint8Array(2048);
  const take = (n: number) => buf.slice(0, n);
  const ip = { dstMac: MAC_B, srcMac: MAC_A, srcIp: IP_A, dstIp: IP_B };
  const udp = take(
    buildUdpFrame(buf, 0, { ...ip, srcPort: 5000, dstPort: 53, payload: new Uint8Array(12) }),
  );
  const tcpSyn = take(
    buildTcpFrame(buf, 0, {
      ...ip,
      srcPort: 40000,
      dstPort: 80,
      seq: 1000,
      flags: TcpFlag.SYN,
      window: 512,
    }),
  );
  const tcpData = take(
    buildTcpFrame(buf, 0, {
      ...ip,
      srcPort: 40000,
      dstPort: 80,
      seq: 1001,
      ack: 7,
      flags: TcpFlag.PSH | TcpFlag.ACK,
      window: 512,
      payload: new Uint8Array(100),
    }),
  );
  const echo = take(
    buildIcmpEchoFrame(buf, 0, { ...ip, id: 7, seq: 3, payload: new Uint8Array(56) }),
  );
  const unreachable = take(
    buildIcmpErrorFrame(buf, 0, {
      ...ip,
      srcIp: IP_B,
      dstIp: IP_A,
      type: IcmpType.DestUnreachable,
      code: 3,
      original: udp.subarray(14),
    }),
  );
  const arpReq = take(buildArpRequest(buf, 0, { srcMac: MAC_A, senderIp: IP_A, targetIp: IP_B }));
  const arpRep = take(
    buildArpReply(buf, 0, { srcMac: MAC_B, dstMac: MAC_A, senderIp: IP_B, targetIp: IP_A }),
  );
  const vlanUdp = take(
    buildUdpFrame(buf, 0, {
      ...ip,
      vlan: { id: 5, pcp: 3 },
      srcPort: 1,
      dstPort: 2,
      payload: new Uint8Array(4),
    }),
  );
  const badIp = udp.slice();
  badIp[14 + 8] = (badIp[14 + 8] ?? 0) ^ 1; // TTL changed, header checksum no longer verifies
  const badUdp = udp.slice();
  badUdp[14 + 20 + 8] = (badUdp[14 + 20 + 8] ?? 0) ^ 0xff; // first payload byte changed
  const badIhl = udp.slice();
  badIhl[14] = 0x44; // IHL 4
  const ipv6 = new Uint8Array(60);
  ipv6.set(MAC_B, 0);
  ipv6.set(MAC_A, 6);
  ipv6[12] = 0x86;
  ipv6[13] = 0xdd;
  return {
    udp,
    tcpSyn,
    tcpData,
    echo,
    unreachable,
    arpReq,
    arpRep,
    vlanUdp,
    badIp,
    badUdp,
    badIhl,
    ipv6,
  };
}
