/**
 * RX UDP nodes of the LPG (reference `dragonet-model.md` §6.6, Dragonet `impl_udp.c`): header
 * length (records ports and the payload offset), length, and the checksum verified for real
 * (quirk Q5 fixed; zero means "no checksum").
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { ipv4PseudoHeaderSum, onesComplementSum } from "../packet/checksum.ts";
import { BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";

/** `RxL4UDPValidHeaderLength`: 8 bytes of IP payload; records ports and the L5 offset. */
export const udpValidHeaderLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.udp.valid-header-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "udp-truncated", description: "Fewer than 8 UDP bytes", drop: true }],
      doc: "IP payload >= 8 bytes; records source/destination port and the L5 offset",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l4[b] ?? 0;
      if ((E.ipEnd[b] ?? 0) - o < 8) ${s.ret("0")}
      E.l5[b] = o + 8;
      E.rxSrcPort[b] = V.getUint16(o);
      E.rxDstPort[b] = V.getUint16(o + 2);
      ${s.ret("1")}`,
  }),
  dropPorts: { false: "udp-truncated" },
};

/** `RxL4UDPValidLength`: 8 <= UDP length <= IP payload. */
export const udpValidLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.udp.valid-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{
        name: "udp-bad-length",
        description: "Length below 8 or beyond IP",
        drop: true,
      }],
      doc: "UDP length field >= 8 and within the IP payload",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = E.l4[b] ?? 0;
      const len = V.getUint16(o + 4);
      ${s.ret("len >= 8 && o + len <= (E.ipEnd[b] ?? 0) ? 1 : 0")}`,
  }),
  dropPorts: { false: "udp-bad-length" },
};

/**
 * `RxL4UDPValidChecksum`: 0 means none (true); else the pseudo-header sum must verify. A length
 * that `valid-length` rejects is not judged here (true), so each bad frame counts one reason.
 * With `verifyUdpChecksum: false` the node always says true (the original, quirk Q5).
 */
export const udpValidChecksum: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.udp.valid-checksum",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "udp-bad-checksum", description: "UDP checksum fails", drop: true }],
      doc: "UDP checksum with pseudo-header verifies (0 = no checksum)",
    } as const,
  ),
  work: templateWork({
    uses: { ipv4PseudoHeaderSum, onesComplementSum },
    code: (s) => `
      const b = x.buf;
      const o = E.l4[b] ?? 0;
      if (!E.verifyUdpChecksum || V.getUint16(o + 6) === 0) ${s.ret("1")}
      const len = V.getUint16(o + 4);
      if (len < 8 || o + len > (E.ipEnd[b] ?? 0)) ${s.ret("1")}
      const pseudo = ipv4PseudoHeaderSum(E.rxSrcIp[b] ?? 0, E.rxDstIp[b] ?? 0, 17, len);
      ${s.ret("onesComplementSum(B, o, len, pseudo) === 0xffff ? 1 : 0")}`,
  }),
  dropPorts: { false: "udp-bad-checksum" },
};
