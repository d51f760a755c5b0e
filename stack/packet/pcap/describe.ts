/**
 * One-line text of a captured Ethernet frame in the style of `tcpdump -nn -S`, with marks for
 * bad checksums, malformed headers and frames cut by the snap length.
 *
 * Formats (tcpdump 4.99 print-ether.c, print-ip.c, print-udp.c, print-tcp.c, print-icmp.c,
 * print-arp.c): `HH:MM:SS.ffffff IP a.p > b.q: UDP, length N`; TCP `Flags [S.], seq S, ack A,
 * win W, length N` (absolute sequence numbers as with `-S`, no options); ICMP `echo request, id
 * I, seq S, length N`; ARP `Request who-has T tell S, length 28`; `-e` prefixes
 * `SRC > DST, ethertype IPv4 (0x0800), length N: `. Times are UTC; marks are
 * ` [bad ip cksum]`, ` [bad udp cksum]`, ` [bad tcp cksum]`, ` [bad icmp cksum]`,
 * ` [malformed: reason-name]` and ` [truncated: C of N bytes captured]`.
 *
 * @module
 */
import { formatIpv4, formatMac } from "../addr.ts";
import { Reason, reasonName } from "../reason.ts";
import { EtherType } from "../ethernet.ts";
import { IpProto } from "../ipv4.ts";
import { IcmpType } from "../icmp.ts";
import { TcpFlag } from "../tcp.ts";
import type { FrameInspector } from "./inspect.ts";

/** Options of `describeFrame`. */
export interface DescribeOptions {
  /** Print the link-level header (MACs, EtherType, frame length) like `tcpdump -e`. */
  readonly ethernet?: boolean;
  /** Print nine fraction digits (nanosecond files) instead of six. */
  readonly nanosecond?: boolean;
}

/** `HH:MM:SS.ffffff` (or nine digits) of a UTC timestamp, as tcpdump prints with `TZ=UTC`. */
export function formatTimeOfDay(tsSec: number, tsNsec: number, nanosecond: boolean): string {
  const day = tsSec % 86400;
  const hh = Math.floor(day / 3600);
  const mm = Math.floor((day % 3600) / 60);
  const ss = day % 60;
  const frac = nanosecond
    ? String(tsNsec).padStart(9, "0")
    : String(Math.floor(tsNsec / 1000)).padStart(6, "0");
  return `${two(hh)}:${two(mm)}:${two(ss)}.${frac}`;
}

/** tcpdump's flag letters in its order (F S R P . U E W), or `none`. */
export function formatTcpFlags(flags: number): string {
  let s = "";
  if (flags & TcpFlag.FIN) s += "F";
  if (flags & TcpFlag.SYN) s += "S";
  if (flags & TcpFlag.RST) s += "R";
  if (flags & TcpFlag.PSH) s += "P";
  if (flags & TcpFlag.ACK) s += ".";
  if (flags & TcpFlag.URG) s += "U";
  if (flags & TcpFlag.ECE) s += "E";
  if (flags & TcpFlag.CWR) s += "W";
  return s === "" ? "none" : s;
}

/** Describes the inspected frame `bytes` (as passed to `insp.inspect`) stamped `tsSec.tsNsec`. */
export function describeFrame(
  bytes: Uint8Array,
  tsSec: number,
  tsNsec: number,
  insp: FrameInspector,
  opts: DescribeOptions = {},
): string {
  const info = insp.info;
  let line = formatTimeOfDay(tsSec, tsNsec, opts.nanosecond ?? false) + " ";
  if (info.l2 < 0) {
    line += `[|ether] length ${insp.origLen}`;
    return line + marks(insp);
  }
  if (opts.ethernet ?? false) line += linkHeader(bytes, insp);
  const l3Wire = insp.origLen - (info.l3 >= 0 ? info.l3 - info.l2 : 14);
  // With -e tcpdump names the protocol in the link header and drops the "IP " / "ARP, " prefix.
  const named = !(opts.ethernet ?? false);
  switch (info.etherType) {
    case EtherType.Ipv4: {
      const text = info.ipHeaderLen > 0 ? ipv4Text(bytes, insp) : " [|ip]";
      line += named ? `IP ${text}` : text;
      break;
    }
    case EtherType.Arp:
      // tcpdump prints a cut ARP packet as " [|arp]" with no "ARP, " prefix.
      line += info.arpOp < 0 && info.truncated
        ? " [|arp]"
        : (named ? "ARP, " : "") + arpText(bytes, insp, l3Wire);
      break;
    case EtherType.Ipv6:
      line += named ? `IP6, length ${l3Wire}` : `length ${l3Wire}`;
      break;
    default:
      line += info.etherType >= 0
        ? `ethertype ${etherTypeName(info.etherType)} (0x${
          hex4(info.etherType)
        }), length ${insp.origLen}`
        : `[|vlan] length ${insp.origLen}`;
  }
  return line + marks(insp);
}

function linkHeader(bytes: Uint8Array, insp: FrameInspector): string {
  const info = insp.info;
  const l2 = info.l2;
  let s = `${formatMac(bytes, l2 + 6)} > ${formatMac(bytes, l2)}, `;
  if (info.vlanId >= 0) {
    s +=
      `ethertype 802.1Q (0x8100), length ${insp.origLen}: vlan ${info.vlanId}, p ${info.vlanPcp}, `;
    s += info.etherType >= 0
      ? `ethertype ${etherTypeName(info.etherType)} (0x${hex4(info.etherType)}), `
      : "";
    return s;
  }
  if (info.etherType >= 0) {
    s += `ethertype ${etherTypeName(info.etherType)} (0x${hex4(info.etherType)}), `;
  }
  return s + `length ${insp.origLen}: `;
}

function ipv4Text(bytes: Uint8Array, insp: FrameInspector): string {
  const info = insp.info;
  const src = formatIpv4(info.ipSrc);
  const dst = formatIpv4(info.ipDst);
  if (insp.parse === Reason.Ipv4Fragment || (info.ipFragOffset !== 0 && info.l4 < 0)) {
    return `${src} > ${dst}: fragment id ${info.ipId}, offset ${info.ipFragOffset * 8}, ` +
      `proto ${info.ipProto}, length ${info.l4Len}`;
  }
  switch (info.l4Proto) {
    case IpProto.Udp:
      return `${src}.${info.srcPort} > ${dst}.${info.dstPort}: UDP, length ${
        info.udpLen >= 8 ? info.udpLen - 8 : info.l4Len - 8
      }`;
    case IpProto.Tcp:
      return `${src}.${info.srcPort} > ${dst}.${info.dstPort}: ${tcpText(info)}`;
    case IpProto.Icmp: {
      const text = icmpText(bytes, insp);
      return text === null
        ? `${src} > ${dst}:  [|icmp]`
        : `${src} > ${dst}: ICMP ${text}, length ${info.l4Len}`;
    }
  }
  // The L4 header is cut off (or too short): like tcpdump, show the ports if they are present.
  const p = info.ipProto;
  if (p === IpProto.Udp || p === IpProto.Tcp || p === IpProto.Icmp) {
    const name = p === IpProto.Udp ? "udp" : p === IpProto.Tcp ? "tcp" : "icmp";
    const l4 = info.l4;
    if (p !== IpProto.Icmp && l4 >= 0 && l4 + 4 <= info.end) {
      const sp = ((bytes[l4] ?? 0) << 8) | (bytes[l4 + 1] ?? 0);
      const dp = ((bytes[l4 + 2] ?? 0) << 8) | (bytes[l4 + 3] ?? 0);
      return `${src}.${sp} > ${dst}.${dp}:  [|${name}]`;
    }
    return `${src} > ${dst}:  [|${name}]`;
  }
  return `${src} > ${dst}: ip-proto-${info.ipProto} ${info.l4Len}`;
}

function tcpText(info: FrameInspector["info"]): string {
  const flags = info.tcpFlags;
  const len = info.tcpHeaderLen >= 20 ? info.l4Len - info.tcpHeaderLen : 0;
  let s = `Flags [${formatTcpFlags(flags)}]`;
  if (len > 0) s += `, seq ${info.tcpSeq}:${(info.tcpSeq + len) >>> 0}`;
  else if (flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) s += `, seq ${info.tcpSeq}`;
  if (flags & TcpFlag.ACK) s += `, ack ${info.tcpAck}`;
  s += `, win ${info.tcpWindow}`;
  // Options cut by the snap length: tcpdump stops there.
  if (info.l4 + info.tcpHeaderLen > info.end) return s + ", options [|tcp]";
  return s + `, length ${len}`;
}

/** The ICMP message text, or null when the part tcpdump needs is not captured. */
function icmpText(bytes: Uint8Array, insp: FrameInspector): string | null {
  const info = insp.info;
  switch (info.icmpType) {
    case IcmpType.EchoRequest:
      return `echo request, id ${info.icmpId}, seq ${info.icmpSeq}`;
    case IcmpType.EchoReply:
      return `echo reply, id ${info.icmpId}, seq ${info.icmpSeq}`;
    case IcmpType.DestUnreachable:
      return unreachableText(bytes, insp);
    case IcmpType.TimeExceeded:
      return info.icmpCode === 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
  }
  return `type ${info.icmpType}, code ${info.icmpCode}`;
}

/** `127.0.0.1 udp port 47003 unreachable` from the quoted datagram, or null if it is cut. */
function unreachableText(bytes: Uint8Array, insp: FrameInspector): string | null {
  const info = insp.info;
  const inner = info.l4 + 8;
  const end = info.end;
  if (inner + 20 > end) return null;
  const innerDst = formatIpv4(
    (((bytes[inner + 16] ?? 0) << 24) | ((bytes[inner + 17] ?? 0) << 16) |
      ((bytes[inner + 18] ?? 0) << 8) | (bytes[inner + 19] ?? 0)) >>> 0,
  );
  const innerProto = bytes[inner + 9] ?? 0;
  switch (info.icmpCode) {
    case 0:
      return `net ${innerDst} unreachable`;
    case 1:
      return `${innerDst} unreachable`;
    case 2:
      return `${innerDst} protocol ${innerProto} unreachable`;
    case 3: {
      const innerL4 = inner + (((bytes[inner] ?? 0) & 15) << 2);
      if (innerL4 + 4 > end) return null;
      const port = ((bytes[innerL4 + 2] ?? 0) << 8) | (bytes[innerL4 + 3] ?? 0);
      if (innerProto === IpProto.Udp || innerProto === IpProto.Tcp) {
        return `${innerDst} ${innerProto === IpProto.Udp ? "udp" : "tcp"} port ${port} unreachable`;
      }
      return `${innerDst} protocol ${innerProto} port ${port} unreachable`;
    }
  }
  return `${innerDst} unreachable - code ${info.icmpCode}`;
}

function arpText(bytes: Uint8Array, insp: FrameInspector, l3Wire: number): string {
  const info = insp.info;
  if (info.arpOp === 1) {
    return `Request who-has ${formatIpv4(info.arpTargetIp)} tell ${
      formatIpv4(info.arpSenderIp)
    }, length ${l3Wire}`;
  }
  if (info.arpOp === 2) {
    return `Reply ${formatIpv4(info.arpSenderIp)} is-at ${
      formatMac(bytes, info.l3 + 8)
    }, length ${l3Wire}`;
  }
  return `length ${l3Wire}`;
}

function marks(insp: FrameInspector): string {
  let s = "";
  if (insp.ipChecksum !== Reason.Ok) s += " [bad ip cksum]";
  if (insp.l4Checksum === Reason.UdpBadChecksum) s += " [bad udp cksum]";
  else if (insp.l4Checksum === Reason.TcpBadChecksum) s += " [bad tcp cksum]";
  else if (insp.l4Checksum === Reason.IcmpBadChecksum) s += " [bad icmp cksum]";
  const bad = insp.malformed;
  if (bad !== Reason.Ok) s += ` [malformed: ${reasonName(bad)}]`;
  if (insp.truncated) s += ` [truncated: ${insp.capLen} of ${insp.origLen} bytes captured]`;
  return s;
}

function etherTypeName(t: number): string {
  switch (t) {
    case EtherType.Ipv4:
      return "IPv4";
    case EtherType.Arp:
      return "ARP";
    case EtherType.Ipv6:
      return "IPv6";
    case EtherType.Vlan:
      return "802.1Q";
  }
  return "Unknown";
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
