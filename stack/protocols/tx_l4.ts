/**
 * TX UDP and ICMP nodes of the LPG (reference `dragonet-model.md` §6.8): strip the request to
 * its payload, prepend the L4 header, fill it with a full checksum.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { internetChecksum, ipv4PseudoHeaderSum } from "../packet/checksum.ts";
import { BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";
import { allocateHeaderNode } from "./_allocate_header.ts";

const NO_HEADROOM = "Not enough headroom to prepend the header";

/**
 * `TxL4UDPInitiateResponse`: the buffer's data is the payload to send; the send path set the
 * destination IP and ports; drops a send without destination.
 */
export const udpInitiateResponse: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.udp.initiate-response",
      kind: "fnode",
      ports: ["out", "drop"],
      counters: [{ name: "no-destination", description: "Send without IP or port", drop: true }],
      doc: "Starts a UDP send of the buffer's data (payload) to the attribute block's address",
    } as const,
  ),
  dropPorts: { drop: "no-destination" },
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      if (E.txDstIp[b] === 0 || E.txDstPort[b] === 0) ${s.ret("1")}
      E.txProto[b] = 17;
      ${s.ret("0")}`,
  }),
};

/** `TxL4UDPAllocateHeader`: prepends 8 bytes. */
export const udpAllocateHeader: LpgImpl = allocateHeaderNode(
  "tx.udp.allocate-header",
  8,
  "Prepends the 8-byte UDP header",
  NO_HEADROOM,
);

/** `TxL4UDPFillHeader`: ports, length and the full pseudo-header checksum. */
export const udpFillHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.udp.fill-header",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "udp-too-long", description: "Datagram over 65535 bytes", drop: true }],
      doc: "Fills ports, length and checksum (0 sent as 0xffff)",
    } as const,
  ),
  dropPorts: { false: "udp-too-long" },
  work: templateWork({
    uses: { internetChecksum, ipv4PseudoHeaderSum },
    code: (s) => `
      const b = x.buf;
      const o = S[b] ?? 0;
      const len = L[b] ?? 0;
      if (len > 65515) ${s.ret("0")}
      V.setUint16(o, E.txSrcPort[b] ?? 0);
      V.setUint16(o + 2, E.txDstPort[b] ?? 0);
      V.setUint16(o + 4, len);
      V.setUint16(o + 6, 0);
      const pseudo = ipv4PseudoHeaderSum(E.localIp, E.txDstIp[b] ?? 0, 17, len);
      const sum = internetChecksum(B, o, len, pseudo);
      V.setUint16(o + 6, sum === 0 ? 0xffff : sum);
      ${s.ret("1")}`,
  }),
};

/** `TxL3ICMPInitiateResponse`: echo reply to the sender, same id, sequence and payload. */
export const icmpInitiateResponse: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.icmp.initiate-response",
      kind: "fnode",
      ports: ["out"],
      doc: "Strips the echo request to its payload and records the reply's fields",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l4[b] ?? 0;
      E.txIcmpType[b] = 0;
      E.txIcmpCode[b] = 0;
      E.txIcmpRest[b] = V.getUint32(o + 4);
      E.txDstIp[b] = E.rxSrcIp[b] ?? 0;
      E.txProto[b] = 1;
      S[b] = o + 8;
      L[b] = (E.ipEnd[b] ?? 0) - o - 8;
      ${s.ret("0")}`,
  }),
};

/** `TxL3ICMPAllocateHeader`: prepends 8 bytes. */
export const icmpAllocateHeader: LpgImpl = allocateHeaderNode(
  "tx.icmp.allocate-header",
  8,
  "Prepends the 8-byte ICMP header",
  NO_HEADROOM,
);

/** `TxL3ICMPFillHeader`: type, code, rest of header, checksum. */
export const icmpFillHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.icmp.fill-header",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Fills type, code, bytes 4..8 and the checksum",
    } as const,
  ),
  work: templateWork({
    uses: { internetChecksum },
    code: (s) => `
      const b = x.buf;
      const o = S[b] ?? 0;
      V.setUint8(o, E.txIcmpType[b] ?? 0);
      V.setUint8(o + 1, E.txIcmpCode[b] ?? 0);
      V.setUint16(o + 2, 0);
      V.setUint32(o + 4, E.txIcmpRest[b] ?? 0);
      V.setUint16(o + 2, internetChecksum(B, o, L[b] ?? 0));
      ${s.ret("1")}`,
  }),
};
