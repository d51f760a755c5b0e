/**
 * `PcapStats`: counts frames, bytes, protocols, flows, checksum failures, malformed and
 * truncated frames of a capture, one frame at a time without allocation (flows live in a
 * typed-array `FlowTable`).
 *
 * @module
 */
import { formatIpv4 } from "../addr.ts";
import { Reason, REASON_COUNT, reasonName } from "../reason.ts";
import { EtherType } from "../ethernet.ts";
import { IpProto } from "../ipv4.ts";
import { FlowTable } from "./flow_table.ts";
import type { FrameInspector } from "./inspect.ts";

/** Protocol counter slots of `PcapStats.protocols`, with their report names. */
export const ProtoSlot = {
  Arp: 0,
  Ipv4: 1,
  Ipv6: 2,
  OtherEthertype: 3,
  Vlan: 4,
  Udp: 5,
  Tcp: 6,
  Icmp: 7,
  Fragment: 8,
  OtherIp: 9,
} as const;

const PROTO_NAMES = [
  "arp",
  "ipv4",
  "ipv6",
  "otherEthertype",
  "vlanTagged",
  "udp",
  "tcp",
  "icmp",
  "ipv4Fragment",
  "otherIp",
] as const;

/** One flow in a `StatsReport`. */
export interface FlowReport {
  /** `udp`, `tcp`, `icmp` or `ip-proto-N`. */
  readonly proto: string;
  /** Lower endpoint, `a.b.c.d:port` (no port for ICMP). */
  readonly a: string;
  /** Higher endpoint. */
  readonly b: string;
  /** Packets in both directions. */
  readonly packets: number;
  /** Wire bytes in both directions. */
  readonly bytes: number;
}

/** The JSON form of `lab pcap stats` (`schemaVersion` 1). */
export interface StatsReport {
  /** Version of this shape. */
  readonly schemaVersion: 1;
  /** Frames read. */
  readonly frames: number;
  /** Bytes captured (sum of captured lengths). */
  readonly capturedBytes: number;
  /** Bytes on the wire (sum of original lengths). */
  readonly wireBytes: number;
  /** First timestamp, ISO 8601 UTC with the file's resolution, or null for no frames. */
  readonly first: string | null;
  /** Last timestamp, or null. */
  readonly last: string | null;
  /** Seconds from the first to the last frame (in file order). */
  readonly durationSeconds: number;
  /** Frames per protocol (`arp`, `ipv4`, `ipv6`, `otherEthertype`, `vlanTagged`, `udp`, ...). */
  readonly protocols: Readonly<Record<(typeof PROTO_NAMES)[number], number>>;
  /** Distinct IPv4 flows (5-tuples, both directions as one). */
  readonly flows: number;
  /** The flows with the most bytes, at most `topFlows` of them. */
  readonly topFlows: readonly FlowReport[];
  /** Frames whose checksum fails, by layer. */
  readonly badChecksums: {
    readonly ipv4: number;
    readonly udp: number;
    readonly tcp: number;
    readonly icmp: number;
  };
  /** Frames cut short by the capture's snap length. */
  readonly truncated: number;
  /** Malformed frames by drop-reason name (see `stack/packet/reason.ts`). */
  readonly malformed: Readonly<Record<string, number>>;
}

/** Accumulates statistics over inspected frames; feed it with `add`, read it with `report`. */
export class PcapStats {
  /** Frames counted. */
  frames = 0;
  /** Sum of captured lengths. */
  capturedBytes = 0;
  /** Sum of original lengths. */
  wireBytes = 0;
  /** Frames per `ProtoSlot`. */
  readonly protocols: Float64Array = new Float64Array(PROTO_NAMES.length);
  /** Frames per malformation reason code. */
  readonly malformed: Float64Array = new Float64Array(REASON_COUNT);
  /** Bad checksums: IPv4, UDP, TCP, ICMP. */
  readonly badChecksums: Float64Array = new Float64Array(4);
  /** Frames cut by the snap length. */
  truncated = 0;
  /** Flows seen. */
  readonly flows: FlowTable = new FlowTable();
  #firstSec = -1;
  #firstNsec = 0;
  #lastSec = 0;
  #lastNsec = 0;

  /** Counts one frame stamped `tsSec.tsNsec` that `insp` has just inspected. */
  add(tsSec: number, tsNsec: number, insp: FrameInspector): void {
    const info = insp.info;
    if (this.#firstSec < 0) {
      this.#firstSec = tsSec;
      this.#firstNsec = tsNsec;
    }
    this.#lastSec = tsSec;
    this.#lastNsec = tsNsec;
    this.frames++;
    this.capturedBytes += insp.capLen;
    this.wireBytes += insp.origLen;
    const p = this.protocols;
    if (info.vlanId >= 0) p[ProtoSlot.Vlan] = (p[ProtoSlot.Vlan] ?? 0) + 1;
    let slot = -1;
    if (info.etherType === EtherType.Arp) slot = ProtoSlot.Arp;
    else if (info.etherType === EtherType.Ipv6) slot = ProtoSlot.Ipv6;
    else if (info.etherType >= 0 && info.etherType !== EtherType.Ipv4) {
      slot = ProtoSlot.OtherEthertype;
    }
    if (slot >= 0) p[slot] = (p[slot] ?? 0) + 1;
    if (info.etherType === EtherType.Ipv4) p[ProtoSlot.Ipv4] = (p[ProtoSlot.Ipv4] ?? 0) + 1;
    if (info.etherType === EtherType.Ipv4 && info.ipHeaderLen > 0) {
      const l4 = info.l4Proto === IpProto.Udp
        ? ProtoSlot.Udp
        : info.l4Proto === IpProto.Tcp
        ? ProtoSlot.Tcp
        : info.l4Proto === IpProto.Icmp
        ? ProtoSlot.Icmp
        : insp.parse === Reason.Ipv4Fragment
        ? ProtoSlot.Fragment
        : ProtoSlot.OtherIp;
      p[l4] = (p[l4] ?? 0) + 1;
      const ports = info.l4Proto === IpProto.Udp || info.l4Proto === IpProto.Tcp;
      this.flows.add(
        info.ipProto,
        info.ipSrc,
        ports ? info.srcPort : 0,
        info.ipDst,
        ports ? info.dstPort : 0,
        insp.origLen,
      );
    }
    const c = this.badChecksums;
    if (insp.ipChecksum !== Reason.Ok) c[0] = (c[0] ?? 0) + 1;
    if (insp.l4Checksum === Reason.UdpBadChecksum) c[1] = (c[1] ?? 0) + 1;
    else if (insp.l4Checksum === Reason.TcpBadChecksum) c[2] = (c[2] ?? 0) + 1;
    else if (insp.l4Checksum === Reason.IcmpBadChecksum) c[3] = (c[3] ?? 0) + 1;
    const bad = insp.malformed;
    if (bad !== Reason.Ok) this.malformed[bad] = (this.malformed[bad] ?? 0) + 1;
    if (insp.truncated) this.truncated++;
  }

  /** The statistics as a JSON-ready report listing the `topFlows` largest flows. */
  report(nanosecond: boolean, topFlows = 10): StatsReport {
    const protocols = Object.fromEntries(
      PROTO_NAMES.map((n, i) => [n, this.protocols[i] ?? 0]),
    ) as Record<
      (typeof PROTO_NAMES)[number],
      number
    >;
    const malformed: Record<string, number> = {};
    for (let r = 0; r < this.malformed.length; r++) {
      const n = this.malformed[r] ?? 0;
      if (n > 0) malformed[reasonName(r)] = n;
    }
    const c = this.badChecksums;
    const has = this.#firstSec >= 0;
    return {
      schemaVersion: 1,
      frames: this.frames,
      capturedBytes: this.capturedBytes,
      wireBytes: this.wireBytes,
      first: has ? isoTime(this.#firstSec, this.#firstNsec, nanosecond) : null,
      last: has ? isoTime(this.#lastSec, this.#lastNsec, nanosecond) : null,
      durationSeconds: has
        ? (this.#lastSec - this.#firstSec) + (this.#lastNsec - this.#firstNsec) / 1e9
        : 0,
      protocols,
      flows: this.flows.size,
      topFlows: this.flows.top(topFlows).map((f) => {
        const ports = f.proto === IpProto.Udp || f.proto === IpProto.Tcp;
        return {
          proto: f.proto === IpProto.Udp
            ? "udp"
            : f.proto === IpProto.Tcp
            ? "tcp"
            : f.proto === IpProto.Icmp
            ? "icmp"
            : `ip-proto-${f.proto}`,
          a: formatIpv4(f.addrA) + (ports ? `:${f.portA}` : ""),
          b: formatIpv4(f.addrB) + (ports ? `:${f.portB}` : ""),
          packets: f.packets,
          bytes: f.bytes,
        };
      }),
      badChecksums: { ipv4: c[0] ?? 0, udp: c[1] ?? 0, tcp: c[2] ?? 0, icmp: c[3] ?? 0 },
      truncated: this.truncated,
      malformed,
    };
  }
}

/** Renders a `StatsReport` as aligned text lines, as `lab pcap stats` prints it. */
export function formatStatsReport(r: StatsReport, file: string): string {
  const lines = [
    `file:           ${file}`,
    `frames:         ${r.frames}`,
    `bytes:          ${r.wireBytes} on the wire, ${r.capturedBytes} captured`,
    `first:          ${r.first ?? "-"}`,
    `last:           ${r.last ?? "-"}`,
    `duration:       ${r.durationSeconds.toFixed(6)} s`,
    `protocols:      ${
      Object.entries(r.protocols).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(
        ", ",
      ) || "-"
    }`,
    `flows:          ${r.flows}`,
  ];
  for (const f of r.topFlows) {
    lines.push(
      `  ${f.proto} ${f.a} <-> ${f.b}: ${plural(f.packets, "packet")}, ${plural(f.bytes, "byte")}`,
    );
  }
  const c = r.badChecksums;
  lines.push(`bad checksums:  ipv4 ${c.ipv4}, udp ${c.udp}, tcp ${c.tcp}, icmp ${c.icmp}`);
  lines.push(`truncated:      ${r.truncated}`);
  const m = Object.entries(r.malformed);
  lines.push(`malformed:      ${m.length === 0 ? "0" : m.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  return lines.join("\n");
}

function isoTime(sec: number, nsec: number, nanosecond: boolean): string {
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  const frac = nanosecond
    ? String(nsec).padStart(9, "0")
    : String(Math.floor(nsec / 1000)).padStart(6, "0");
  return `${base}.${frac}Z`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
