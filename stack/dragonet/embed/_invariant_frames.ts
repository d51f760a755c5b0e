/**
 * Random frames for the central invariant test: valid UDP to each endpoint, near misses (one
 * field off), other hosts, ARP, ICMP echo, TCP, and malformed frames of every drop class
 * (truncations, bad checksums, bad IHL, bad version and total length, fragments, unknown and
 * IPv6 ethertypes, foreign MACs, 802.1Q tags, frames around the 1522-byte limit of the NICs'
 * default maxFrame and the LPG's MTU check).
 * Frames come from a seeded `pure-rand` stream so a failing property run replays exactly (not
 * part of the public surface).
 *
 * @module
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { parseIpv4, parseMac } from "../../packet/addr.ts";
import {
  buildArpReply,
  buildArpRequest,
  buildIcmpEchoFrame,
  buildTcpFrame,
  buildUdpFrame,
  ChecksumMode,
} from "../../packet/build.ts";
import { internetChecksum } from "../../packet/checksum.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { LOCAL_IP, LOCAL_MAC, PEER_IP, PEER_MAC } from "../../protocols/_testing.ts";

/** The local host's address (u32). */
export const LOCAL = parseIpv4(LOCAL_IP) >>> 0;
/** The peer with an ARP entry (u32). */
export const PEER = parseIpv4(PEER_IP) >>> 0;
/** A second remote host, not in the ARP table (u32). */
export const OTHER_PEER = parseIpv4("10.0.0.3") >>> 0;
/** A host that is not us (u32). */
export const OTHER_LOCAL = parseIpv4("10.0.0.9") >>> 0;
/** Local ports endpoints and filters use. */
export const PORTS = [7, 9, 53, 11211] as const;
/** Remote ports endpoints and filters use. */
export const REMOTE_PORTS = [40000, 40001, 40002] as const;

const LOCAL_MAC_BYTES = parseMac(LOCAL_MAC);
const PEER_MAC_BYTES = parseMac(PEER_MAC);
const OTHER_MAC_BYTES = parseMac("02:00:00:00:00:99");
const scratch = new Uint8Array(2048);

/** Frame kinds, in the order the generator draws them (for coverage counts). */
export const FRAME_KINDS = [
  "udp-endpoint",
  "udp-near-miss",
  "udp-other-port",
  "udp-other-host",
  "icmp-echo",
  "arp-request",
  "arp-reply",
  "tcp",
  "truncated",
  "bad-ipv4-checksum",
  "bad-udp-checksum",
  "bad-icmp-checksum",
  "bad-ihl",
  "bad-version",
  "bad-total-length",
  "fragment",
  "unknown-ethertype",
  "ipv6",
  "other-mac",
  "icmp-not-echo",
  "vlan-tagged",
  "oversize",
] as const;

/** Length range of "oversize" frames: both sides of the 1522-byte limit (MTU 1500 + 22). */
export const OVERSIZE_LENGTHS = { min: 1500, max: 1700 } as const;

const pick = <T>(rng: RandomGenerator, xs: readonly T[]): T =>
  xs[uniformInt(rng, 0, xs.length - 1)] as T;

function udp(
  rng: RandomGenerator,
  srcIp: number,
  srcPort: number,
  dstIp: number,
  dstPort: number,
  vlan?: number,
  payloadBytes: number = uniformInt(rng, 0, 40),
): Uint8Array {
  const payload = new Uint8Array(payloadBytes);
  for (let i = 0; i < payload.length; i++) payload[i] = uniformInt(rng, 0, 255);
  const n = buildUdpFrame(scratch, 0, {
    dstMac: LOCAL_MAC_BYTES,
    srcMac: PEER_MAC_BYTES,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    payload,
    ipId: uniformInt(rng, 0, 0xffff),
    // A zero UDP checksum means "none" (RFC 768): both paths must accept it too.
    l4Checksum: uniformInt(rng, 0, 9) === 0 ? ChecksumMode.None : ChecksumMode.Full,
    ...(vlan === undefined ? {} : { vlan: { id: vlan } }),
  });
  return scratch.slice(0, n);
}

/** A valid UDP frame matching endpoint `e` (wildcards filled at random). */
function toEndpoint(rng: RandomGenerator, e: UdpEndpoint): Uint8Array {
  return udp(
    rng,
    e.srcIp !== 0 ? e.srcIp : pick(rng, [PEER, OTHER_PEER]),
    e.srcPort !== 0 ? e.srcPort : pick(rng, [...REMOTE_PORTS, 50000]),
    e.dstIp !== 0 ? e.dstIp : LOCAL,
    e.dstPort !== 0 ? e.dstPort : pick(rng, PORTS),
  );
}

/** A UDP frame one field off endpoint `e` (each field of the 4-tuple, one at a time). */
function nearMiss(rng: RandomGenerator, e: UdpEndpoint): Uint8Array {
  const field = uniformInt(rng, 0, 3);
  let srcIp = e.srcIp !== 0 ? e.srcIp : PEER;
  let srcPort = e.srcPort !== 0 ? e.srcPort : REMOTE_PORTS[0];
  let dstIp = LOCAL;
  let dstPort = e.dstPort !== 0 ? e.dstPort : PORTS[0];
  if (field === 0) srcIp = srcIp === PEER ? OTHER_PEER : PEER;
  else if (field === 1) srcPort = srcPort + 1;
  else if (field === 2) dstIp = OTHER_LOCAL;
  else dstPort = dstPort + 1;
  return udp(rng, srcIp, srcPort, dstIp, dstPort);
}

function icmpEcho(rng: RandomGenerator, dstIp: number): Uint8Array {
  const payload = new Uint8Array(uniformInt(rng, 0, 24)).fill(uniformInt(rng, 0, 255));
  const n = buildIcmpEchoFrame(scratch, 0, {
    dstMac: LOCAL_MAC_BYTES,
    srcMac: PEER_MAC_BYTES,
    srcIp: PEER,
    dstIp,
    id: uniformInt(rng, 0, 0xffff),
    seq: uniformInt(rng, 0, 0xffff),
    payload,
  });
  return scratch.slice(0, n);
}

/** Recomputes the IPv4 header checksum of an Ethernet II frame after a header edit. */
function fixIpv4Checksum(f: Uint8Array): void {
  const ihl = (f[14] ?? 0x45) & 0x0f;
  const len = Math.max(20, ihl * 4);
  if (14 + len > f.length) return;
  f[24] = 0;
  f[25] = 0;
  const c = internetChecksum(f, 14, len);
  f[24] = c >> 8;
  f[25] = c & 0xff;
}

/** A valid frame that some mutation below will break (UDP to an endpoint, or an echo). */
function base(rng: RandomGenerator, endpoints: readonly UdpEndpoint[]): Uint8Array {
  if (endpoints.length > 0 && uniformInt(rng, 0, 2) > 0) {
    return toEndpoint(rng, pick(rng, endpoints));
  }
  return icmpEcho(rng, LOCAL);
}

/**
 * The next random frame for `endpoints`; `kinds` counts the kinds drawn (index into
 * {@link FRAME_KINDS}).
 */
export function nextFrame(
  rng: RandomGenerator,
  endpoints: readonly UdpEndpoint[],
  kinds: Uint32Array,
): Uint8Array {
  const kind = uniformInt(rng, 0, FRAME_KINDS.length + 5);
  // The last six draws go to valid endpoint traffic, so about a third of frames are deliveries.
  const k = kind >= FRAME_KINDS.length ? 0 : kind;
  kinds[k] = (kinds[k] ?? 0) + 1;
  switch (FRAME_KINDS[k]) {
    case "udp-endpoint":
      return endpoints.length === 0
        ? udp(rng, PEER, 40000, LOCAL, 7)
        : toEndpoint(rng, pick(rng, endpoints));
    case "udp-near-miss":
      return endpoints.length === 0
        ? udp(rng, PEER, 40000, LOCAL, 8)
        : nearMiss(rng, pick(rng, endpoints));
    case "udp-other-port":
      return udp(rng, PEER, pick(rng, REMOTE_PORTS), LOCAL, uniformInt(rng, 1, 65535));
    case "udp-other-host":
      return udp(rng, PEER, 40000, OTHER_LOCAL, pick(rng, PORTS));
    case "icmp-echo":
      return icmpEcho(rng, uniformInt(rng, 0, 4) === 0 ? OTHER_LOCAL : LOCAL);
    case "arp-request": {
      const n = buildArpRequest(scratch, 0, {
        srcMac: PEER_MAC_BYTES,
        senderIp: PEER,
        targetIp: uniformInt(rng, 0, 3) === 0 ? OTHER_LOCAL : LOCAL,
      });
      return scratch.slice(0, n);
    }
    case "arp-reply": {
      const n = buildArpReply(scratch, 0, {
        srcMac: PEER_MAC_BYTES,
        dstMac: LOCAL_MAC_BYTES,
        senderIp: pick(rng, [PEER, OTHER_PEER]),
        targetIp: LOCAL,
      });
      return scratch.slice(0, n);
    }
    case "tcp": {
      const n = buildTcpFrame(scratch, 0, {
        dstMac: LOCAL_MAC_BYTES,
        srcMac: PEER_MAC_BYTES,
        srcIp: PEER,
        dstIp: LOCAL,
        srcPort: 40000,
        dstPort: pick(rng, PORTS),
        seq: 1,
        flags: 2,
      });
      return scratch.slice(0, n);
    }
    case "truncated": {
      const f = base(rng, endpoints);
      return f.slice(0, uniformInt(rng, 0, f.length - 1));
    }
    case "bad-ipv4-checksum": {
      const f = base(rng, endpoints);
      f[24] = (f[24] ?? 0) ^ (1 << uniformInt(rng, 0, 7));
      return f;
    }
    case "bad-udp-checksum": {
      const f = toEndpoint(rng, endpoints.length === 0 ? ANY_7 : pick(rng, endpoints));
      // Bytes 40..41 are the UDP checksum; a frame without one gets a wrong non-zero one.
      f[40] = (f[40] ?? 0) ^ 0x10;
      if (f[40] === 0 && f[41] === 0) f[41] = 1;
      return f;
    }
    case "bad-icmp-checksum": {
      const f = icmpEcho(rng, LOCAL);
      f[36] = (f[36] ?? 0) ^ 0x01;
      return f;
    }
    case "bad-ihl": {
      const f = base(rng, endpoints);
      f[14] = 0x40 | pick(rng, [0, 1, 4, 6, 15]);
      fixIpv4Checksum(f);
      return f;
    }
    case "bad-version": {
      const f = base(rng, endpoints);
      f[14] = (pick(rng, [0, 5, 6, 15]) << 4) | ((f[14] ?? 0x45) & 0x0f);
      fixIpv4Checksum(f);
      return f;
    }
    case "bad-total-length": {
      const f = base(rng, endpoints);
      const total = pick(rng, [0, 19, f.length, 1500]);
      f[16] = total >> 8;
      f[17] = total & 0xff;
      fixIpv4Checksum(f);
      return f;
    }
    case "fragment": {
      const f = base(rng, endpoints);
      // More-fragments, or a non-zero offset, or both; DF cleared.
      const mf = uniformInt(rng, 0, 1);
      const offset = mf === 1 && uniformInt(rng, 0, 1) === 0 ? 0 : uniformInt(rng, 1, 0x1fff);
      f[20] = (mf << 5) | (offset >> 8);
      f[21] = offset & 0xff;
      fixIpv4Checksum(f);
      return f;
    }
    case "unknown-ethertype": {
      const f = base(rng, endpoints);
      f[12] = 0x88;
      f[13] = pick(rng, [0x08, 0xcc, 0xb5]);
      return f;
    }
    case "ipv6": {
      const f = base(rng, endpoints);
      f[12] = 0x86;
      f[13] = 0xdd;
      return f;
    }
    case "other-mac": {
      const f = base(rng, endpoints);
      f.set(OTHER_MAC_BYTES, 0);
      return f;
    }
    case "icmp-not-echo": {
      const f = icmpEcho(rng, LOCAL);
      f[34] = pick(rng, [0, 3, 13]);
      f[36] = 0;
      f[37] = 0;
      const c = internetChecksum(f, 34, f.length - 34);
      f[36] = c >> 8;
      f[37] = c & 0xff;
      return f;
    }
    case "vlan-tagged": {
      // 802.1Q-tagged UDP to an endpoint: a NIC parses past the tag, the LPG has no VLAN node.
      const e = endpoints.length === 0 ? ANY_7 : pick(rng, endpoints);
      return udp(
        rng,
        e.srcIp !== 0 ? e.srcIp : PEER,
        e.srcPort !== 0 ? e.srcPort : REMOTE_PORTS[0],
        LOCAL,
        e.dstPort !== 0 ? e.dstPort : PORTS[0],
        uniformInt(rng, 1, 4094),
      );
    }
    case "oversize": {
      // UDP to an endpoint, 1500..1700 bytes: frames over 1522 are dropped by the NIC
      // (`rx_oversize`) or, without a NIC check, by the LPG (`eth-oversize`).
      const e = endpoints.length === 0 ? ANY_7 : pick(rng, endpoints);
      const len = uniformInt(rng, OVERSIZE_LENGTHS.min, OVERSIZE_LENGTHS.max);
      return udp(
        rng,
        e.srcIp !== 0 ? e.srcIp : PEER,
        e.srcPort !== 0 ? e.srcPort : REMOTE_PORTS[0],
        LOCAL,
        e.dstPort !== 0 ? e.dstPort : PORTS[0],
        undefined,
        len - 42,
      );
    }
    default:
      throw new RangeError(`Frame kind ${k} is not in FRAME_KINDS (0..${FRAME_KINDS.length - 1})`);
  }
}

const ANY_7: UdpEndpoint = {
  sockets: [{ sid: 0, appId: 0 }],
  srcIp: 0,
  srcPort: 0,
  dstIp: 0,
  dstPort: 7,
};
