/**
 * Key construction, LFSR hash and probe increment of the SFC9020 ("farch") hashed filter tables.
 *
 * Everything here is a pure function of numbers, safe for the per-packet path (no allocation).
 *
 * Sources: `/work/shared/reference/nic-models.md` §3.2-§3.4 ([S] Linux
 * `drivers/net/ethernet/sfc/farch.c`: `efx_farch_filter_from_gen_spec`, `efx_farch_filter_build`,
 * `efx_farch_filter_hash`, `efx_farch_filter_increment`). The MAC filter words are not in the
 * reference; they were read for this module in the same `farch.c` (`efx_farch_filter_from_gen_spec`,
 * case `EFX_FILTER_MATCH_LOC_MAC`): d0 = VLAN id (0 for a wildcard), d1 = MAC bytes 2..5,
 * d2 = MAC bytes 0..1, data3 = 1 for a wildcard MAC filter.
 *
 * @module
 */

/**
 * Numeric codes of the SFC9020 RX filter types (reference §3.2).
 *
 * IP types live in the 8192-entry IP filter table, MAC types in the 512-entry MAC table.
 */
export const SfcFilterType = {
  /** TCP, local IP + port and remote IP + port. */
  TcpFull: 0,
  /** TCP, local IP + port only. */
  TcpWild: 1,
  /** UDP, local IP + port and remote IP + port. */
  UdpFull: 2,
  /** UDP, local IP + port only (ports swapped in the key, reference §3.3). */
  UdpWild: 3,
  /** Destination MAC + VLAN id. */
  MacFull: 4,
  /** Destination MAC only. */
  MacWild: 5,
} as const;

/** One of the {@linkcode SfcFilterType} codes. */
export type SfcFilterTypeCode = (typeof SfcFilterType)[keyof typeof SfcFilterType];

/** Number of filter type codes (size of per-type arrays). */
export const SFC_FILTER_TYPE_COUNT = 6;

/** Stable names of the filter types, indexed by code (for reports and messages, not hot paths). */
export const SFC_FILTER_TYPE_NAMES: readonly string[] = [
  "tcp-full",
  "tcp-wild",
  "udp-full",
  "udp-wild",
  "mac-full",
  "mac-wild",
];

/** Returns true when the type is a UDP IP filter type (reference §3.3: u = 1). */
export function isUdpType(type: number): boolean {
  return type === SfcFilterType.UdpFull || type === SfcFilterType.UdpWild;
}

/** Returns true when the type is a full (not wildcard) type; search fudge +1 rather than +3. */
export function isFullType(type: number): boolean {
  return type === SfcFilterType.TcpFull || type === SfcFilterType.UdpFull ||
    type === SfcFilterType.MacFull;
}

/** Returns true when the type belongs to the IP filter table (TCP/UDP full or wildcard). */
export function isIpType(type: number): boolean {
  return type >= SfcFilterType.TcpFull && type <= SfcFilterType.UdpWild;
}

/**
 * Computes data word 0 of an IP filter: `(host1 << 16 | port1)` truncated to 32 bits (§3.3).
 *
 * @example
 * ```ts
 * import { ipData0 } from "./filter_key.ts";
 * ipData0(0x0a71041a, 8000); // 0x041a1f40
 * ```
 */
export function ipData0(host1: number, port1: number): number {
  return ((host1 << 16) | (port1 & 0xffff)) >>> 0;
}

/** Computes data word 1 of an IP filter: `(port2 << 16) | (host1 >> 16)` (§3.3). */
export function ipData1(port2: number, host1: number): number {
  return (((port2 & 0xffff) << 16) | (host1 >>> 16)) >>> 0;
}

/** Computes the 32-bit key from the three data words and data3 (`d0 ^ d1 ^ d2 ^ data3`, §3.3). */
export function filterKey(d0: number, d1: number, d2: number, data3: number): number {
  return (d0 ^ d1 ^ d2 ^ data3) >>> 0;
}

/**
 * Fills `out[0..3]` with d0, d1, d2 and the key of an IP filter of `type` (reference §3.3).
 *
 * FULL: host1 = remote IP, port1 = remote port, host2 = local IP, port2 = local port.
 * TCP_WILD: host1 = 0, port1 = 0, host2 = local IP, port2 = local port.
 * UDP_WILD: host1 = 0, port1 = local port, host2 = local IP, port2 = 0 (the hardware port swap).
 * Remote fields are ignored for the wildcard types. Addresses are unsigned 32-bit host-order
 * numbers, ports 16-bit numbers.
 */
export function fillIpFilterWords(
  type: number,
  localIp: number,
  localPort: number,
  remoteIp: number,
  remotePort: number,
  out: Uint32Array,
): void {
  let host1 = 0;
  let port1 = 0;
  let port2 = 0;
  if (type === SfcFilterType.TcpFull || type === SfcFilterType.UdpFull) {
    host1 = remoteIp;
    port1 = remotePort;
    port2 = localPort;
  } else if (type === SfcFilterType.UdpWild) {
    port1 = localPort;
  } else {
    port2 = localPort;
  }
  const d0 = ipData0(host1, port1);
  const d1 = ipData1(port2, host1);
  const d2 = localIp >>> 0;
  out[0] = d0;
  out[1] = d1;
  out[2] = d2;
  out[3] = filterKey(d0, d1, d2, isUdpType(type) ? 1 : 0);
}

/**
 * Fills `out[0..3]` with d0, d1, d2 and the key of a MAC filter (farch.c, see the module note).
 *
 * `macHi` holds MAC bytes 0..1 (16 bits), `macLo` bytes 2..5 (32 bits); `vlan` is ignored for
 * {@linkcode SfcFilterType.MacWild}.
 */
export function fillMacFilterWords(
  type: number,
  macHi: number,
  macLo: number,
  vlan: number,
  out: Uint32Array,
): void {
  const wild = type === SfcFilterType.MacWild;
  const d0 = wild ? 0 : vlan & 0xfff;
  const d1 = macLo >>> 0;
  const d2 = macHi & 0xffff;
  out[0] = d0;
  out[1] = d1;
  out[2] = d2;
  out[3] = filterKey(d0, d1, d2, wild ? 1 : 0);
}

/**
 * The 16-bit LFSR hash (x^16 + x^3 + 1, initial state 0xffff) of a 32-bit key, in the closed
 * form of reference §3.4 (every intermediate truncated to 16 bits).
 *
 * @example
 * ```ts
 * import { farchHash } from "./filter_key.ts";
 * farchHash(0x100a116f); // 0x7172
 * ```
 */
export function farchHash(key: number): number {
  let t = (0x1fff ^ (key >>> 16)) & 0xffff;
  t = (t ^ (t >>> 3) ^ (t >>> 6)) & 0xffff;
  t = (t ^ (t >>> 9)) & 0xffff;
  t = (t ^ (t << 13) ^ key) & 0xffff;
  t = (t ^ (t >>> 3) ^ (t >>> 6)) & 0xffff;
  return (t ^ (t >>> 9)) & 0xffff;
}

/** The probe increment `(2 * key - 1)` truncated to 16 bits; always odd (reference §3.4). */
export function farchIncrement(key: number): number {
  return ((key << 1) - 1) & 0xffff;
}
