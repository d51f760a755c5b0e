/**
 * RX IPv4 nodes of the LPG (reference `dragonet-model.md` §6.4, Dragonet `impl_ipv4.c`): header
 * length (IHL >= 5, quirk Q3 fixed), no fragments (counted with their own reason), version,
 * total length, TTL (not checked, R3), header checksum, local destination, and protocol
 * classification (TCP selected for protocol 6, quirk Q4 fixed).
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import {
  atomExpr,
  EFFECTS_ATTRIBUTE,
  IpProtValue,
  noneOfExpr,
  PredKey,
} from "../graph/predicate/vocabulary.ts";
import { onesComplementSum } from "../packet/checksum.ts";
import { BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";

/** `RxL3IPv4ValidHeaderLength`: >= 20 bytes, IHL >= 5, header present; records IPs and end. */
export const ipv4ValidHeaderLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-header-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{
        name: "ipv4-bad-header-length",
        description: "Under 20 bytes, IHL below 5, or the frame ends inside the header",
        drop: true,
      }],
      doc: "Bytes after L3 >= 20, IHL >= 5 (quirk Q3 fixed) and >= the header length",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l3[b] ?? 0;
      const end = (S[b] ?? 0) + (L[b] ?? 0);
      if (end - o < 20) ${s.ret("0")}
      const ihl = (V.getUint8(o) & 15) * 4;
      if (ihl < 20 || end - o < ihl) ${s.ret("0")}
      const total = o + V.getUint16(o + 2);
      E.ipEnd[b] = total < end ? total : end;
      E.rxSrcIp[b] = V.getUint32(o + 12);
      E.rxDstIp[b] = V.getUint32(o + 16);
      ${s.ret("1")}`,
  }),
  dropPorts: { false: "ipv4-bad-header-length" },
};

/** `RxL3IPv4ValidReassembly`: MF clear and fragment offset 0 (no reassembly). */
export const ipv4ValidReassembly: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-reassembly",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "ipv4-fragment", description: "Fragment (no reassembly)", drop: true }],
      doc: "MF flag clear and fragment offset 0",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("(V.getUint16((E.l3[x.buf] ?? 0) + 6) & 0x3fff) === 0 ? 1 : 0"),
  }),
  dropPorts: { false: "ipv4-fragment" },
};

/** `RxL3IPv4ValidVersion`: version 4. */
export const ipv4ValidVersion: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-version",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "ipv4-bad-version", description: "Version is not 4", drop: true }],
      doc: "Version = 4",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("V.getUint8(E.l3[x.buf] ?? 0) >> 4 === 4 ? 1 : 0"),
  }),
  dropPorts: { false: "ipv4-bad-version" },
};

/** `RxL3IPv4ValidLength`: total length within the frame and at least the header. */
export const ipv4ValidLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{
        name: "ipv4-bad-total-length",
        description: "Total length beyond the frame or below the header",
        drop: true,
      }],
      doc: "Header length <= total length <= bytes after L3",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l3[b] ?? 0;
      const total = V.getUint16(o + 2);
      ${
      s.ret(`total <= (S[b] ?? 0) + (L[b] ?? 0) - o &&
        total >= (V.getUint8(o) & 15) * 4 ? 1 : 0`)
    }`,
  }),
  dropPorts: { false: "ipv4-bad-total-length" },
};

/** `RxL3IPv4ValidTTL`: always true (TTL not checked by a host, R3). */
export const ipv4ValidTtl: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-ttl",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Always true (TTL is not checked on receive)",
    } as const,
  ),
  constantPort: "true",
  work: () => 1,
};

/** `RxL3IPv4ValidChecksum`: the header sums to 0xffff. */
export const ipv4ValidChecksum: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-checksum",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "ipv4-bad-checksum", description: "Header checksum fails", drop: true }],
      doc: "IPv4 header one's-complement sum verifies",
    } as const,
  ),
  work: templateWork({
    uses: { onesComplementSum },
    code: (s) => `
      const o = E.l3[x.buf] ?? 0;
      ${s.ret("onesComplementSum(B, o, (V.getUint8(o) & 15) * 4) === 0xffff ? 1 : 0")}`,
  }),
  dropPorts: { false: "ipv4-bad-checksum" },
};

/** `RxL3IPv4ValidLocalIP`: destination is the local IP. */
export const ipv4ValidLocalIp: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.valid-local-ip",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "ipv4-not-local", description: "Destination is not ours", drop: true }],
      doc: "Destination IP = local IP",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("E.rxDstIp[x.buf] === E.localIp ? 1 : 0"),
  }),
  dropPorts: { false: "ipv4-not-local" },
};

/** `RxL3IPv4Classify`: L4 offset := L3 + IHL x 4; by protocol. */
export const ipv4Classify: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.ipv4.classify",
      kind: "fnode",
      ports: ["tcp", "udp", "icmp", "drop"],
      // Port predicates (reference dragonet-model.md §4.1-§4.2, §6): the ports partition packets
      // by IpProt, so the embedding prunes ports the NIC's steering rules out.
      predicates: {
        tcp: atomExpr(PredKey.IpProt, IpProtValue.TCP),
        udp: atomExpr(PredKey.IpProt, IpProtValue.UDP),
        icmp: atomExpr(PredKey.IpProt, IpProtValue.ICMP),
        drop: noneOfExpr(PredKey.IpProt, [IpProtValue.TCP, IpProtValue.UDP, IpProtValue.ICMP]),
      },
      // What later nodes read: the embedding never drops this node (vocabulary.ts).
      attributes: { values: { [EFFECTS_ATTRIBUTE]: "l4-offset" } },
      counters: [
        { name: "ipv4-unknown-protocol", description: "Protocol not ICMP, TCP or UDP", drop: true },
        {
          name: "tcp-unsupported",
          description: "TCP segments (no TCP path in the LPG)",
          drop: true,
        },
      ],
      doc: "Sets the L4 offset; classifies protocol 6 / 17 / 1 (quirk Q4 fixed)",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l3[b] ?? 0;
      E.l4[b] = o + (V.getUint8(o) & 15) * 4;
      const proto = V.getUint8(o + 9);
      ${s.ret("proto === 17 ? 1 : proto === 1 ? 2 : proto === 6 ? 0 : 3")}`,
  }),
  dropPorts: { drop: "ipv4-unknown-protocol", tcp: "tcp-unsupported" },
};
