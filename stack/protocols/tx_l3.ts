/**
 * TX IPv4 and ARP nodes of the LPG (reference `dragonet-model.md` §6.8): the IPv4 header (IHL
 * 5, DF, TTL 17, id 0, R3), routing, ARP lookup with packets parked while ARP resolves and
 * restarted after the reply, ARP requests, replies and the gratuitous ARP at start.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import { internetChecksum } from "../packet/checksum.ts";
import { Priority, Spawn } from "../exec/types.ts";
import { BOOL_PORTS, type LpgCtx, type LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";
import { allocateHeaderNode } from "./_allocate_header.ts";

/** TTL of transmitted IPv4 packets (the original's value, reference §6.8 and R3). */
export const TX_TTL = 17;

/** `TxL3IPv4AllocateHeader`: prepends 20 bytes. */
export const ipv4AllocateHeader: LpgImpl = allocateHeaderNode(
  "tx.ipv4.allocate-header",
  20,
  "Prepends the 20-byte IPv4 header",
);

/** `TxL3IPv4FillHeader`: version 4, IHL 5, total length, id 0, DF, TTL 17, checksum. */
export const ipv4FillHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.ipv4.fill-header",
      kind: "fnode",
      ports: ["out"],
      doc: "Fills the IPv4 header and sets the ethertype to IPv4",
    } as const,
  ),
  work: templateWork({
    uses: { internetChecksum },
    code: (s) => `
      const b = x.buf;
      const o = S[b] ?? 0;
      V.setUint16(o, 0x4500);
      V.setUint16(o + 2, L[b] ?? 0);
      V.setUint32(o + 4, 0x4000);
      V.setUint8(o + 8, ${TX_TTL});
      V.setUint8(o + 9, E.txProto[b] ?? 0);
      V.setUint16(o + 10, 0);
      V.setUint32(o + 12, E.localIp);
      V.setUint32(o + 16, E.txDstIp[b] ?? 0);
      V.setUint16(o + 10, internetChecksum(B, o, 20));
      E.txEtherType[b] = 0x0800;
      ${s.ret("0")}`,
  }),
};

/** `TxL3IPv4Routing`: always true (one link; the next hop is the destination). */
export const ipv4Routing: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.ipv4.routing",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Always true: the destination is on the link",
    } as const,
  ),
  constantPort: "true",
  work: () => 1,
};

/** `TxL3ARPLookupRequestIn`: entry of restarted packets (spawn `restart`); always true. */
export const arpLookupRequestIn: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.lookup-request-in",
      kind: "fnode",
      ports: BOOL_PORTS,
      attributes: { source: true },
      doc: "A parked packet restarting its ARP lookup",
    } as const,
  ),
  constantPort: "true",
  work: () => 1,
};

/**
 * `TxL3ARPLookup_`: cache hit sets the destination MAC (`true`); a miss parks the packet, and,
 * unless a request for that IP is already out, spawns `request` at high priority with a fresh
 * buffer (`miss`); `drop` when the pending list is full.
 */
export const arpResolve: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.resolve",
      kind: "fnode",
      ports: ["true", "miss", "drop"],
      counters: [
        { name: "parked", description: "Packets parked while ARP resolves" },
        { name: "request-failed", description: "No buffer or task slot for an ARP request" },
        { name: "pending-full", description: "Pending list full", drop: true },
      ],
      doc: "ARP cache lookup; parks on a miss",
    } as const,
  ),
  extraCounters: ["parked", "request-failed"],
  dropPorts: { drop: "pending-full" },
  work: templateWork({
    uses: { arpMiss },
    code: (s) => `
      const b = x.buf;
      const ip = E.txDstIp[b] ?? 0;
      const i = E.arpFind(ip);
      if (i < 0) ${s.ret(`arpMiss(x, ${s.node}, b, ip)`)}
      E.txDstMacHi[b] = E.arpMacHi[i] ?? 0;
      E.txDstMacLo[b] = E.arpMacLo[i] ?? 0;
      ${s.ret("0")}`,
  }),
};

/**
 * The miss path of `tx.arp.resolve` for buffer `b` waiting for `ip`: parks it (port `miss`, 1)
 * and requests the address unless a request is out; port `drop` (2) when the list is full.
 */
function arpMiss(x: LpgCtx, n: number, b: number, ip: number): number {
  const e = x.env;
  const outstanding = e.isPending(ip);
  if (!e.park(b, ip)) return 2;
  x.taken = true;
  const base = x.extraBase[n] ?? 0;
  x.extra[base] = (x.extra[base] ?? 0) + 1;
  if (!outstanding) {
    const nb = x.pool.alloc(x.owner);
    if (nb < 0) {
      x.extra[base + 1] = (x.extra[base + 1] ?? 0) + 1;
    } else {
      e.txArpTargetIp[nb] = ip;
      if (!x.spawn(n, Spawn.request, nb, Priority.High)) {
        x.pool.free(nb, x.owner);
        x.extra[base + 1] = (x.extra[base + 1] ?? 0) + 1;
      }
    }
  }
  return 1;
}

function arpRequestFields(x: LpgCtx, b: number): void {
  const e = x.env;
  e.txArpOp[b] = 1;
  e.txDstMacHi[b] = 0xffff;
  e.txDstMacLo[b] = 0xffffffff;
  e.txEtherType[b] = 0x0806;
}

/** `TxL3ARPSendRequest`: a broadcast request for the target IP (spawned by a miss). */
export const arpSendRequest: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.send-request",
      kind: "fnode",
      ports: ["true"],
      attributes: { source: true },
      doc: "Builds the fields of an ARP request for the buffer's target IP",
    } as const,
  ),
  work: (x) => {
    arpRequestFields(x, x.buf);
    return 0;
  },
};

/** `TxL3ARPSendGratuitous`: at pipeline start, a request for the own IP (announces the MAC). */
export const arpSendGratuitous: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.send-gratuitous",
      kind: "fnode",
      ports: ["true", "drop"],
      attributes: { source: true, init: true },
      counters: [{ name: "no-buffer", description: "Pool empty at start", drop: true }],
      doc: "Allocates a buffer for a gratuitous ARP request",
    } as const,
  ),
  dropPorts: { drop: "no-buffer" },
  work: (x) => {
    if (x.buf < 0) {
      const b = x.pool.alloc(x.owner);
      if (b < 0) return 1;
      x.buf = b;
    }
    x.env.txArpTargetIp[x.buf] = x.env.localIp;
    arpRequestFields(x, x.buf);
    return 0;
  },
};

/** `TxL3ARPInitiateResponse`: a reply to the requester, reusing the request's buffer. */
export const arpInitiateResponse: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.initiate-response",
      kind: "fnode",
      ports: ["true"],
      doc: "Records the reply's fields from the request",
    } as const,
  ),
  work: (x) => {
    const b = x.buf;
    const e = x.env;
    const o = e.l3[b] ?? 0;
    const v = x.view;
    e.txArpOp[b] = 2;
    e.txArpTargetIp[b] = v.getUint32(o + 14);
    e.txDstMacHi[b] = v.getUint16(o + 8);
    e.txDstMacLo[b] = v.getUint32(o + 10);
    e.txEtherType[b] = 0x0806;
    return 0;
  },
};

/** `TxL3ARPAllocateHeader`: empties the buffer and prepends the 28-byte ARP payload. */
export const arpAllocateHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.allocate-header",
      kind: "fnode",
      ports: ["out"],
      doc: "Resets the data and prepends 28 bytes",
    } as const,
  ),
  work: (x) => {
    x.pool.resetData(x.buf);
    x.pool.prepend(x.buf, 28);
    return 0;
  },
};

/** `TxL3ARPFillHeader`: Ethernet/IPv4 ARP with the local addresses as sender. */
export const arpFillHeader: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.fill-header",
      kind: "fnode",
      ports: BOOL_PORTS,
      doc: "Fills htype, ptype, lengths, opcode and addresses",
    } as const,
  ),
  work: (x) => {
    const b = x.buf;
    const e = x.env;
    const o = x.pool.start[b] ?? 0;
    const v = x.view;
    const op = e.txArpOp[b] ?? 1;
    v.setUint32(o, 0x00010800);
    v.setUint16(o + 4, 0x0604);
    v.setUint16(o + 6, op);
    v.setUint16(o + 8, e.localMacHi);
    v.setUint32(o + 10, e.localMacLo);
    v.setUint32(o + 14, e.localIp);
    if (op === 2) {
      v.setUint16(o + 18, e.txDstMacHi[b] ?? 0);
      v.setUint32(o + 20, e.txDstMacLo[b] ?? 0);
    } else {
      v.setUint16(o + 18, 0);
      v.setUint32(o + 20, 0);
    }
    v.setUint32(o + 24, e.txArpTargetIp[b] ?? 0);
    return 1;
  },
};

/**
 * `TxL3ARPProcessPendingResponse`: caches the sender and restarts every packet parked for it
 * (spawn `restart`, high priority).
 */
export const arpProcessPendingResponse: LpgImpl = {
  spec: defineSpec(
    {
      name: "tx.arp.process-pending-response",
      kind: "fnode",
      ports: ["out"],
      counters: [
        { name: "restarted", description: "Parked packets restarted" },
        { name: "restart-failed", description: "Parked packets dropped: task queue full" },
      ],
      doc: "Inserts the cache entry and restarts the parked packets",
    } as const,
  ),
  extraCounters: ["restarted", "restart-failed"],
  work: (x, n) => {
    const e = x.env;
    const o = e.l3[x.buf] ?? 0;
    const v = x.view;
    const ip = v.getUint32(o + 14);
    e.arpInsert(ip, v.getUint16(o + 8), v.getUint32(o + 10));
    const base = x.extraBase[n] ?? 0;
    // High-priority spawns go to the front of the task queue, so spawning in reverse parking
    // order restarts the parked packets first-parked first.
    const order = e.restartScratch;
    let k = 0;
    for (let p = e.unpark(ip); p >= 0; p = e.unpark(ip)) order[k++] = p;
    while (k > 0) {
      const p = order[--k] ?? -1;
      if (x.spawn(n, Spawn.restart, p, Priority.High)) {
        x.extra[base] = (x.extra[base] ?? 0) + 1;
      } else {
        x.pool.free(p, x.owner);
        x.extra[base + 1] = (x.extra[base + 1] ?? 0) + 1;
      }
    }
    return 0;
  },
};
