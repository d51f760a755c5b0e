/**
 * RX queue and Ethernet nodes of the LPG (reference `dragonet-model.md` §6.1-§6.2, Dragonet
 * `lpgConfImpl.unicorn` / `impl_ethernet.c`): the queue source, length, unicast / multicast /
 * broadcast, local MAC, type check and L3 classification.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import {
  atomExpr,
  EFFECTS_ATTRIBUTE,
  EthTypeValue,
  noneOfExpr,
  PredKey,
} from "../graph/predicate/vocabulary.ts";
import { BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { Priority, Spawn } from "../exec/types.ts";
import { templateWork } from "../exec/compiler.ts";

/** `RxQueue`: takes the next buffer from the pipeline's input and re-polls itself (low priority). */
export const rxQueue: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.queue",
      kind: "fnode",
      ports: ["out", "idle"],
      attributes: { source: true, unproductive: true },
      counters: [{ name: "poll-empty", description: "Polls that found no packet" }],
      doc: "Takes a packet from the queue; `idle` when there is none; re-spawns itself (poll)",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      if (x.buf < 0) {
        const b = x.input.shift();
        x.spawn(${s.node}, ${Spawn.poll}, -1, ${Priority.Low});
        if (b < 0) ${s.ret("1")}
        x.buf = b;
      }
      ${s.ret("0")}`,
  }),
  dropPorts: {},
};

/** `RxL2EtherClassified`: always true; the frame starts with Ethernet. */
export const etherClassified: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.classified",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Always true: L2 is Ethernet at the start of the data",
    } as const,
  ),
  constantPort: "true",
  work: () => 1,
};

/**
 * `RxL2EtherValidLength`: the frame holds the 14-byte header and is no longer than the MTU plus
 * Ethernet overhead (`LpgEnv.maxFrameLength`, 1522 at the default MTU 1500). A NIC never hands an
 * oversize frame to its driver unless jumbo frames are configured; the LPG stands for the stack
 * without NIC help, so it makes the same check itself (the reference's node checked only the
 * minimum).
 *
 * Ports: `true` valid; `false` shorter than 14 bytes (`eth-truncated`); `oversize` longer than
 * the limit (`eth-oversize`).
 */
export const etherValidLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-length",
      kind: "fnode",
      ports: ["false", "true", "oversize"],
      counters: [
        { name: "eth-truncated", description: "Frame shorter than 14 bytes", drop: true },
        {
          name: "eth-oversize",
          description: "Frame longer than the MTU plus Ethernet header, VLAN tag and FCS",
          drop: true,
        },
      ],
      doc: "14 <= frame length <= MTU + 22",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const len = L[x.buf] ?? 0;
      ${s.ret("len < 14 ? 0 : len > E.maxFrameLength ? 2 : 1")}`,
  }),
  dropPorts: { false: "eth-truncated", oversize: "eth-oversize" },
};

/** `RxL2EtherValidUnicast`: destination group bit clear. */
export const etherValidUnicast: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-unicast",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Destination MAC group bit clear",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("(V.getUint8(S[x.buf] ?? 0) & 1) === 0 ? 1 : 0"),
  }),
};

/** `RxL2EtherValidMulticast`: group bit set and not broadcast. */
export const etherValidMulticast: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-multicast",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Destination MAC group bit set and not ff:ff:ff:ff:ff:ff",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const o = S[x.buf] ?? 0;
      ${
      s.ret(`(V.getUint8(o) & 1) === 1 &&
        !(V.getUint32(o) === 0xffffffff && V.getUint16(o + 4) === 0xffff) ? 1 : 0`)
    }`,
  }),
};

/** `RxL2EtherValidBroadcast`: destination is ff:ff:ff:ff:ff:ff. */
export const etherValidBroadcast: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-broadcast",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Destination MAC is ff:ff:ff:ff:ff:ff",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const o = S[x.buf] ?? 0;
      ${s.ret("V.getUint32(o) === 0xffffffff && V.getUint16(o + 4) === 0xffff ? 1 : 0")}`,
  }),
};

/** `RxL2EtherValidSrc`: always true (reference §6.2). */
export const etherValidSrc: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-src",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Always true (source MAC not checked)",
    } as const,
  ),
  constantPort: "true",
  work: () => 1,
};

/** `RxL2EtherValidLocalMAC`: destination is the local MAC or broadcast. */
export const etherValidLocalMac: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-local-mac",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{
        name: "eth-not-local",
        description: "Destination MAC neither local nor broadcast",
        drop: true,
      }],
      doc: "Destination MAC is the local MAC or broadcast",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const o = S[x.buf] ?? 0;
      const hi = V.getUint16(o);
      const lo = V.getUint32(o + 2);
      ${
      s.ret(`(hi === E.localMacHi && lo === E.localMacLo) ||
        (hi === 0xffff && lo === 0xffffffff) ? 1 : 0`)
    }`,
  }),
  dropPorts: { false: "eth-not-local" },
};

/** `RxL2EtherValidType`: ethertype >= 0x0800 (smaller values are 802.3 lengths). */
export const etherValidType: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.valid-type",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "eth-bad-type", description: "EtherType below 0x0800", drop: true }],
      doc: "EtherType >= 0x0800",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("V.getUint16((S[x.buf] ?? 0) + 12) >= 0x0800 ? 1 : 0"),
  }),
  dropPorts: { false: "eth-bad-type" },
};

/** `RxL2EtherClassifyL3`: L3 offset := 14; classify by ethertype. */
export const etherClassifyL3: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.l2.classify-l3",
      kind: "fnode",
      ports: ["ipv4", "ipv6", "arp", "drop"],
      // Port predicates (reference dragonet-model.md §4.1-§4.2, §6): the ports partition packets
      // by EthType, so the embedding prunes ports the NIC's steering rules out.
      predicates: {
        ipv4: atomExpr(PredKey.EthType, EthTypeValue.IPv4),
        ipv6: atomExpr(PredKey.EthType, EthTypeValue.IPv6),
        arp: atomExpr(PredKey.EthType, EthTypeValue.ARP),
        drop: noneOfExpr(PredKey.EthType, [EthTypeValue.IPv4, EthTypeValue.IPv6, EthTypeValue.ARP]),
      },
      // What later nodes read: the embedding never drops this node (vocabulary.ts).
      attributes: { values: { [EFFECTS_ATTRIBUTE]: "l3-offset" } },
      counters: [
        {
          name: "unknown-ethertype",
          description: "EtherType neither IPv4, IPv6 nor ARP",
          drop: true,
        },
        { name: "ipv6-unsupported", description: "IPv6 frames (no IPv6 path)", drop: true },
      ],
      doc: "Sets the L3 offset to 14 and classifies by EtherType",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = S[b] ?? 0;
      E.l3[b] = o + 14;
      E.ipEnd[b] = o + (L[b] ?? 0);
      const t = V.getUint16(o + 12);
      ${s.ret("t === 0x0800 ? 0 : t === 0x86dd ? 1 : t === 0x0806 ? 2 : 3")}`,
  }),
  dropPorts: { drop: "unknown-ethertype", ipv6: "ipv6-unsupported" },
};
