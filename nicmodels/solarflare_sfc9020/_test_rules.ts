/**
 * Rule generators shared by the SFC tests and benchmark (not part of the public surface).
 *
 * @module
 */
import { formatIpv4Address } from "../_shared/addr.ts";
import type { FilterRule } from "../_shared/nic.ts";
import { SFC_IP_TABLE } from "./capabilities.ts";
import { farchHash, ipData0, ipData1 } from "./filter_key.ts";

/** xorshift32 with a fixed seed: deterministic pseudo-random numbers for fixtures. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * The i-th UDP full rule whose 32-bit key is exactly `key` (so all such rules walk the same probe
 * sequence): remote 10.x.y.z:port varies with i, the local address absorbs the difference.
 */
export function collidingUdpRule(
  key: number,
  i: number,
  queue: number,
  localPort = 7777,
): FilterRule {
  const remote = (0x0a000001 + i) >>> 0;
  const remotePort = 1000 + (i % 60000);
  const d0 = ipData0(remote, remotePort);
  const d1 = ipData1(localPort, remote);
  const local = (key ^ d0 ^ d1 ^ 1) >>> 0;
  return {
    table: SFC_IP_TABLE,
    match: {
      proto: 17,
      srcIp: formatIpv4Address(remote),
      srcPort: remotePort,
      dstIp: formatIpv4Address(local),
      dstPort: localPort,
    },
    queue,
  };
}

/** A UDP full rule for client `srcIp:srcPort` to server `dstIp:dstPort`. */
export function udpFullRule(
  srcIp: number,
  srcPort: number,
  dstIp: number,
  dstPort: number,
  queue: number,
): FilterRule {
  return {
    table: SFC_IP_TABLE,
    match: {
      proto: 17,
      srcIp: formatIpv4Address(srcIp),
      srcPort,
      dstIp: formatIpv4Address(dstIp),
      dstPort,
    },
    queue,
  };
}

/**
 * `n` UDP full rules; the first min(n, size) have pairwise different first probe slots, so each
 * inserts at depth 1 and the table can be filled to capacity (rules beyond `size` are other
 * pseudo-random flows). Greedy pick among
 * pseudo-random client flows to server 10.0.0.1:11211.
 */
export function distinctSlotRules(n: number, size: number, queue: number): FilterRule[] {
  const next = xorshift(42);
  const taken = new Uint8Array(size);
  const out: FilterRule[] = [];
  const server = 0x0a000001;
  while (out.length < n) {
    const client = next();
    const port = 1024 + (next() % 60000);
    const d0 = ipData0(client, port);
    const d1 = ipData1(11211, client);
    const key = (d0 ^ d1 ^ server ^ 1) >>> 0;
    const slot = farchHash(key) & (size - 1);
    if (out.length < size) {
      if (taken[slot] === 1) continue;
      taken[slot] = 1;
    }
    out.push(udpFullRule(client, port, server, 11211, queue));
  }
  return out;
}
