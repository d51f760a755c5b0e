/**
 * A hand-fused UDP echo: every check the LPG makes on an echo request and every header the LPG
 * writes on the reply, in one straight-line function with no graph. Written only as the ceiling
 * the benchmark compares the executors with; not used by the stack.
 *
 * @module
 */
import { internetChecksum, ipv4PseudoHeaderSum, onesComplementSum } from "../../packet/checksum.ts";

/** State the fused echo needs. */
export interface FusedEcho {
  /** Local IPv4 (u32). */
  readonly ip: number;
  /** Local MAC high 16 bits. */
  readonly macHi: number;
  /** Local MAC low 32 bits. */
  readonly macLo: number;
  /** Echo port. */
  readonly port: number;
  /** Longest frame accepted (the LPG's `rx.l2.valid-length` limit from the MTU). */
  readonly maxFrameLength: number;
  /** ARP cache: IPv4 addresses, searched like the LPG's `tx.arp.resolve` does. */
  readonly arpIp: Uint32Array;
  /** ARP cache: MAC high 16 bits per entry. */
  readonly arpMacHi: Uint32Array;
  /** ARP cache: MAC low 32 bits per entry. */
  readonly arpMacLo: Uint32Array;
  /** Entries in use. */
  readonly arpCount: number;
}

/**
 * Echoes the frame at `[start, start + len)` in place; returns the reply's start (length in
 * `out[0]`), or -1 when the frame is not a valid echo request.
 */
export function fusedEcho(
  s: FusedEcho,
  bytes: Uint8Array,
  v: DataView,
  start: number,
  len: number,
  out: Int32Array,
): number {
  if (len < 14 || len > s.maxFrameLength) return -1;
  const dHi = v.getUint16(start);
  const dLo = v.getUint32(start + 2);
  if (!((dHi === s.macHi && dLo === s.macLo) || (dHi === 0xffff && dLo === 0xffffffff))) return -1;
  if (v.getUint16(start + 12) !== 0x0800) return -1;
  const l3 = start + 14;
  const end = start + len;
  if (end - l3 < 20) return -1;
  const vihl = v.getUint8(l3);
  const ihl = (vihl & 15) * 4;
  if (vihl >> 4 !== 4 || ihl < 20 || end - l3 < ihl) return -1;
  const total = v.getUint16(l3 + 2);
  if (total > end - l3 || total < ihl) return -1;
  if ((v.getUint16(l3 + 6) & 0x3fff) !== 0) return -1;
  if (onesComplementSum(bytes, l3, ihl) !== 0xffff) return -1;
  const src = v.getUint32(l3 + 12);
  const dst = v.getUint32(l3 + 16);
  if (dst !== s.ip || v.getUint8(l3 + 9) !== 17) return -1;
  const l4 = l3 + ihl;
  const ipEnd = l3 + total;
  if (ipEnd - l4 < 8) return -1;
  const sport = v.getUint16(l4);
  const dport = v.getUint16(l4 + 2);
  const ulen = v.getUint16(l4 + 4);
  if (ulen < 8 || l4 + ulen > ipEnd) return -1;
  if (v.getUint16(l4 + 6) !== 0) {
    const pseudo = ipv4PseudoHeaderSum(src, dst, 17, ulen);
    if (onesComplementSum(bytes, l4, ulen, pseudo) !== 0xffff) return -1;
  }
  if (dport !== s.port) return -1;
  // ARP: the reply's destination MAC from the cache (a miss would park the packet in the LPG;
  // the ceiling simply refuses it).
  let a = -1;
  for (let k = 0; k < s.arpCount; k++) {
    if (s.arpIp[k] === src) {
      a = k;
      break;
    }
  }
  if (a < 0) return -1;
  // Reply: payload stays; headers rebuilt in front of it (as the LPG's TX chain does).
  const u = l4 + 8 - 8;
  v.setUint16(u, dport);
  v.setUint16(u + 2, sport);
  v.setUint16(u + 4, ulen);
  v.setUint16(u + 6, 0);
  const sum = internetChecksum(bytes, u, ulen, ipv4PseudoHeaderSum(s.ip, src, 17, ulen));
  v.setUint16(u + 6, sum === 0 ? 0xffff : sum);
  const i = u - 20;
  v.setUint16(i, 0x4500);
  v.setUint16(i + 2, ulen + 20);
  v.setUint32(i + 4, 0x4000);
  v.setUint8(i + 8, 17);
  v.setUint8(i + 9, 17);
  v.setUint16(i + 10, 0);
  v.setUint32(i + 12, s.ip);
  v.setUint32(i + 16, src);
  v.setUint16(i + 10, internetChecksum(bytes, i, 20));
  const e = i - 14;
  v.setUint16(e, s.arpMacHi[a] ?? 0);
  v.setUint32(e + 2, s.arpMacLo[a] ?? 0);
  v.setUint16(e + 6, s.macHi);
  v.setUint32(e + 8, s.macLo);
  v.setUint16(e + 12, 0x0800);
  out[0] = ulen + 34;
  return e;
}
