/**
 * RX ARP nodes of the LPG (reference `dragonet-model.md` §6.3, Dragonet `impl_arp.c`): header
 * length, opcode classification, local target IP, request/response format and pending lookups.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { bool, BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";

/** `RxL3ARPValidHeaderLength`: at least 28 bytes after the L3 offset. */
export const arpValidHeaderLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.valid-header-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "arp-truncated", description: "Fewer than 28 ARP bytes", drop: true }],
      doc: "Bytes after the L3 offset >= 28",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      ${s.ret("(S[b] ?? 0) + (L[b] ?? 0) - (E.l3[b] ?? 0) >= 28 ? 1 : 0")}`,
  }),
  dropPorts: { false: "arp-truncated" },
};

/** `RxL3ARPClassify`: by opcode. */
export const arpClassify: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.classify",
      kind: "fnode",
      ports: ["request", "response", "drop"],
      counters: [{ name: "arp-bad-opcode", description: "Opcode neither 1 nor 2", drop: true }],
      doc: "Classifies by ARP opcode",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const op = V.getUint16((E.l3[x.buf] ?? 0) + 6);
      ${s.ret("op === 1 ? 0 : op === 2 ? 1 : 2")}`,
  }),
  dropPorts: { drop: "arp-bad-opcode" },
};

/** `RxL3ARPLocalIPDest`: target protocol address is the local IP. */
export const arpLocalIpDest: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.local-ip-dest",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "arp-not-local", description: "Target IP is not ours", drop: true }],
      doc: "Target protocol address = local IP",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("V.getUint32((E.l3[x.buf] ?? 0) + 24) === E.localIp ? 1 : 0"),
  }),
  dropPorts: { false: "arp-not-local" },
};

const validFormat = templateWork({
  code: (s) => `
    const o = E.l3[x.buf] ?? 0;
    ${
    s.ret(`V.getUint16(o) === 1 && V.getUint16(o + 2) === 0x0800 && V.getUint8(o + 4) === 6 &&
      V.getUint8(o + 5) === 4 ? 1 : 0`)
  }`,
});

/** `RxL3ARPValidRequest`: htype Ethernet, ptype IPv4, lengths 6 and 4. */
export const arpValidRequest: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.valid-request",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "arp-bad-format", description: "Not Ethernet/IPv4 ARP", drop: true }],
      doc: "Request is Ethernet/IPv4 with address lengths 6 and 4",
    } as const,
  ),
  work: validFormat,
  dropPorts: { false: "arp-bad-format" },
};

/** `RxL3ARPValidResponse`: htype Ethernet, ptype IPv4, lengths 6 and 4. */
export const arpValidResponse: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.valid-response",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "arp-bad-format", description: "Not Ethernet/IPv4 ARP", drop: true }],
      doc: "Response is Ethernet/IPv4 with address lengths 6 and 4",
    } as const,
  ),
  work: validFormat,
  dropPorts: { false: "arp-bad-format" },
};

/** `RxL3ARPIsPending`: a lookup for the sender IP is outstanding. */
export const arpIsPending: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.arp.is-pending",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "arp-unsolicited", description: "Response nobody waits for", drop: true }],
      doc: "A packet waits for the sender IP",
    } as const,
  ),
  work: (x) => bool(x.env.isPending(x.view.getUint32((x.env.l3[x.buf] ?? 0) + 14))),
  dropPorts: { false: "arp-unsolicited" },
};
