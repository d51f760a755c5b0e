/**
 * RX ICMP nodes of the LPG (reference `dragonet-model.md` §6.5, Dragonet `impl_icmp.c`): header
 * length, checksum and echo-request test.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { onesComplementSum } from "../packet/checksum.ts";
import { BOOL_PORTS, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";

/** `RxL3ICMPValidHeaderLength`: at least 8 bytes of IP payload. */
export const icmpValidHeaderLength: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.icmp.valid-header-length",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "icmp-truncated", description: "Fewer than 8 ICMP bytes", drop: true }],
      doc: "IP payload >= 8 bytes",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("(E.ipEnd[x.buf] ?? 0) - (E.l4[x.buf] ?? 0) >= 8 ? 1 : 0"),
  }),
  dropPorts: { false: "icmp-truncated" },
};

/** `RxL3ICMPValidChecksum`: the ICMP message sums to 0xffff. */
export const icmpValidChecksum: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.icmp.valid-checksum",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "icmp-bad-checksum", description: "ICMP checksum fails", drop: true }],
      doc: "ICMP checksum over the whole message verifies",
    } as const,
  ),
  work: templateWork({
    uses: { onesComplementSum },
    code: (s) => `
      const o = E.l4[x.buf] ?? 0;
      ${s.ret("onesComplementSum(B, o, (E.ipEnd[x.buf] ?? 0) - o) === 0xffff ? 1 : 0")}`,
  }),
  dropPorts: { false: "icmp-bad-checksum" },
};

/** `RxL3ICMPIsTypeRequest`: echo request (type 8, code 0). */
export const icmpIsTypeRequest: LpgImpl = {
  spec: defineSpec(
    {
      name: "rx.icmp.is-type-request",
      kind: "fnode",
      ports: BOOL_PORTS,
      counters: [{ name: "icmp-not-echo-request", description: "Other ICMP messages", drop: true }],
      doc: "Type 8 and code 0",
    } as const,
  ),
  work: templateWork({
    code: (s) => s.ret("V.getUint16(E.l4[x.buf] ?? 0) === 0x0800 ? 1 : 0"),
  }),
  dropPorts: { false: "icmp-not-echo-request" },
};
