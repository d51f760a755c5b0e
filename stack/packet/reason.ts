/**
 * Numeric drop-reason codes shared by every part of the lab that validates or drops packets.
 *
 * Each code is a uint8 so a node can keep per-reason counters in a `Uint32Array(REASON_COUNT)`
 * and the per-packet path never touches a string. Names are stable kebab-case strings for
 * reports and CSV columns.
 *
 * Adding a reason is a one-line change: append a row to `REASON_TABLE` with the next free code
 * (codes are dense and never reused or renumbered, so stored results keep their meaning).
 *
 * @module
 */

/** One row per reason: `Key: [code, "stable-kebab-name", "One-line description"]`. */
const REASON_TABLE = {
  Ok: [0, "ok", "Frame passed every check"],
  FrameBoundsInvalid: [1, "frame-bounds-invalid", "Frame offset or length lies outside the buffer"],
  EthTruncated: [2, "eth-truncated", "Frame shorter than the 14-byte Ethernet II header"],
  VlanTruncated: [3, "vlan-truncated", "Frame ends inside the 802.1Q tag"],
  UnknownEthertype: [4, "unknown-ethertype", "EtherType is neither IPv4 nor ARP"],
  ArpTruncated: [5, "arp-truncated", "Frame shorter than the 28-byte ARP payload"],
  ArpBadHardwareType: [6, "arp-bad-hardware-type", "ARP hardware type is not Ethernet (1)"],
  ArpBadProtocolType: [7, "arp-bad-protocol-type", "ARP protocol type is not IPv4 (0x0800)"],
  ArpBadAddressLength: [8, "arp-bad-address-length", "ARP address lengths are not 6 and 4"],
  ArpBadOpcode: [9, "arp-bad-opcode", "ARP opcode is neither request (1) nor reply (2)"],
  Ipv4Truncated: [10, "ipv4-truncated", "Fewer than 20 bytes after the L2 header"],
  Ipv4BadVersion: [11, "ipv4-bad-version", "IP version field is not 4"],
  Ipv4BadIhl: [12, "ipv4-bad-ihl", "IPv4 header length field (IHL) below 5"],
  Ipv4HeaderTruncated: [13, "ipv4-header-truncated", "Frame ends inside the IPv4 options"],
  Ipv4TotalLengthBeyondFrame: [
    14,
    "ipv4-total-length-beyond-frame",
    "IPv4 total length exceeds the frame",
  ],
  Ipv4TotalLengthBelowHeader: [
    15,
    "ipv4-total-length-below-header",
    "IPv4 total length below the header length",
  ],
  Ipv4BadOptions: [16, "ipv4-bad-options", "IPv4 option list is malformed"],
  Ipv4BadChecksum: [17, "ipv4-bad-checksum", "IPv4 header checksum does not verify"],
  Ipv4Fragment: [18, "ipv4-fragment", "IPv4 fragment (MF set or offset non-zero); no reassembly"],
  Ipv4TtlZero: [
    19,
    "ipv4-ttl-zero",
    "IPv4 TTL is zero (counted by forwarding nodes; not a parse error)",
  ],
  Ipv4UnknownProtocol: [20, "ipv4-unknown-protocol", "IPv4 protocol is not ICMP, TCP or UDP"],
  UdpTruncated: [21, "udp-truncated", "Fewer than 8 bytes of IPv4 payload for the UDP header"],
  UdpBadLength: [22, "udp-bad-length", "UDP length below 8 or beyond the IPv4 payload"],
  UdpBadChecksum: [23, "udp-bad-checksum", "UDP checksum (with pseudo-header) does not verify"],
  TcpTruncated: [24, "tcp-truncated", "Fewer than 20 bytes of IPv4 payload for the TCP header"],
  TcpBadDataOffset: [25, "tcp-bad-data-offset", "TCP data offset below 5 or beyond the segment"],
  TcpBadOptions: [26, "tcp-bad-options", "TCP option list is malformed"],
  TcpBadChecksum: [27, "tcp-bad-checksum", "TCP checksum (with pseudo-header) does not verify"],
  IcmpTruncated: [28, "icmp-truncated", "Fewer than 8 bytes of IPv4 payload for the ICMP header"],
  IcmpBadChecksum: [29, "icmp-bad-checksum", "ICMP checksum does not verify"],
} as const;

type ReasonTable = typeof REASON_TABLE;

/** Reason codes by name: `Reason.Ipv4BadChecksum` etc. `Reason.Ok` (0) means no failure. */
export const Reason: { readonly [K in keyof ReasonTable]: ReasonTable[K][0] } = Object.freeze(
  Object.fromEntries(
    Object.entries(REASON_TABLE).map(([key, row]) => [key, row[0]]),
  ) as { [K in keyof ReasonTable]: ReasonTable[K][0] },
);

/** A drop-reason code (a uint8); one of the values of `Reason`. */
export type ReasonCode = ReasonTable[keyof ReasonTable][0];

const NAMES: string[] = [];
const DESCRIPTIONS: string[] = [];
for (const [key, [code, name, description]] of Object.entries(REASON_TABLE)) {
  if (NAMES[code] !== undefined) {
    throw new Error(`Reason table reuses code ${code} for "${key}"`);
  }
  NAMES[code] = name;
  DESCRIPTIONS[code] = description;
}

/** Number of reason codes; codes are dense in `0..REASON_COUNT - 1` (size counter arrays by it). */
export const REASON_COUNT: number = NAMES.length;

for (let c = 0; c < REASON_COUNT; c++) {
  if (NAMES[c] === undefined) throw new Error(`Reason table skips code ${c}`);
}
if (REASON_COUNT > 256) {
  throw new Error(`Reason table holds ${REASON_COUNT} codes, at most 256 fit a uint8`);
}

/** Whether `code` is a defined reason code. */
export function isReasonCode(code: number): code is ReasonCode {
  return Number.isInteger(code) && code >= 0 && code < REASON_COUNT;
}

/** Stable kebab-case name of a reason code, e.g. `"ipv4-bad-checksum"`; throws for an unknown code. */
export function reasonName(code: number): string {
  const name = isReasonCode(code) ? NAMES[code] : undefined;
  if (name === undefined) {
    throw new RangeError(`Unknown reason code ${code}: codes are integers 0..${REASON_COUNT - 1}`);
  }
  return name;
}

/** One-line human description of a reason code; throws for an unknown code. */
export function reasonDescription(code: number): string {
  const text = isReasonCode(code) ? DESCRIPTIONS[code] : undefined;
  if (text === undefined) {
    throw new RangeError(`Unknown reason code ${code}: codes are integers 0..${REASON_COUNT - 1}`);
  }
  return text;
}

/** The reason code with the given stable name; throws naming the known names if there is none. */
export function reasonFromName(name: string): ReasonCode {
  const code = NAMES.indexOf(name);
  if (code < 0 || !isReasonCode(code)) {
    throw new RangeError(`Unknown reason name "${name}": expected one of ${NAMES.join(", ")}`);
  }
  return code;
}
