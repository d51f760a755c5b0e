/**
 * TX Ethernet nodes and the TX queue of the LPG (reference `dragonet-model.md` §6.8): prepend
 * and fill the 14-byte header, then hand the frame to the TX ring.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { ABORT } from "../exec/types.ts";
import type { LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";
import { allocateHeaderNode } from "./_allocate_header.ts";

/** `TxL2EtherAllocateHeader`: prepends 14 bytes. */
export const etherAllocateHeader: LpgImpl = allocateHeaderNode(
  "tx.l2.allocate-header",
  14,
  "Prepends the 14-byte Ethernet header",
);

/** `TxL2EtherFillHeader`: destination from the attribute block, local source, ethertype. */
export const etherFillHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.l2.fill-header",
      kind: "fnode",
      ports: ["out"],
      doc: "Fills destination MAC, local source MAC and ethertype",
    } as const,
  ),
  work: templateWork({
    code: (s) => `
      const b = x.buf;
      const o = S[b] ?? 0;
      V.setUint16(o, E.txDstMacHi[b] ?? 0);
      V.setUint32(o + 2, E.txDstMacLo[b] ?? 0);
      V.setUint16(o + 6, E.localMacHi);
      V.setUint32(o + 8, E.localMacLo);
      V.setUint16(o + 12, E.txEtherType[b] ?? 0);
      ${s.ret("0")}`,
  }),
};

/** `TxQueue`: moves the frame to the TX ring (the NIC) and aborts; `drop` when the ring is full. */
export const txQueue: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.queue",
      kind: "fnode",
      ports: ["drop"],
      attributes: { sink: true },
      counters: [
        { name: "sent", description: "Frames handed to the TX ring" },
        { name: "tx-full", description: "TX ring full", drop: true },
      ],
      doc: "Enqueues the frame for transmission",
    } as const,
  ),
  extraCounters: ["sent"],
  dropPorts: { drop: "tx-full" },
  work: templateWork({
    code: (s) => `
      if (!E.tx.push(x.buf)) ${s.ret("0")}
      x.taken = true;
      XC[${s.extraBase}]++;
      ${s.ret(String(ABORT))}`,
  }),
};
