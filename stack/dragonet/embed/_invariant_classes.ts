/**
 * Drop-reason classes of the central invariant test: which drop reason names count as the same
 * outcome between the software-only LPG and the NIC model plus embedded graph.
 *
 * Why classes and not names: a NIC may drop a frame before software sees it, under its own
 * `ethtool -S` name (`rx_length_errors` for a 10-byte runt the LPG calls `eth-truncated`), and a
 * frame failing several checks of one AND node (bad IPv4 checksum *and* not for us) makes the
 * LPG count every failed check, while a queue copy pruned by the NIC's steering may no longer run
 * some of them. So a frame's outcome is reduced to one class: the first class, in
 * {@link DROP_CLASS_ORDER} (lowest layer first), of any reason it was dropped with. Reasons of
 * one class are equivalent; a reason missing from {@link DROP_CLASS_OF} throws, so a new drop
 * reason in the LPG or a NIC model must be classified here before the test passes again.
 *
 * Sources: LPG reason names are the `dropPorts` of `stack/protocols/rx_*.ts`, `sockets.ts` and
 * `tx_*.ts` (reference `dragonet-model.md` §6); NIC reason names are `NIC_DROP_NAMES` of
 * `nicmodels/_shared/nic.ts` (reference `nic-models.md` §1, Linux `ethtool -S` names).
 *
 * @module
 */
import { NIC_DROP_NAMES } from "../../../nicmodels/_shared/nic.ts";

/** Drop classes, lowest layer first (the order that picks a frame's class). */
export const DROP_CLASS_ORDER = [
  "link",
  "unsupported",
  "arp",
  "ipv4-header",
  "ipv4-fragment",
  "ipv4-not-local",
  "icmp",
  "udp",
  "resource",
] as const;

/** One drop class. */
export type DropClass = (typeof DROP_CLASS_ORDER)[number];

/** Every known drop reason name (LPG and NIC) and its class. */
export const DROP_CLASS_OF: Readonly<Record<string, DropClass>> = {
  // Link: too short / too long for the MAC, not addressed to us, not Ethernet II.
  [NIC_DROP_NAMES[1] ?? "rx_length_errors"]: "link",
  [NIC_DROP_NAMES[2] ?? "rx_address_filtered"]: "link",
  [NIC_DROP_NAMES[5] ?? "rx_oversize"]: "link",
  [NIC_DROP_NAMES[6] ?? "rx_vlan_filtered"]: "link",
  "eth-truncated": "link",
  // The LPG's own MTU check (rx.l2.valid-length) matches the NIC's `rx_oversize`.
  "eth-oversize": "link",
  "eth-not-local": "link",
  "eth-bad-type": "link",
  // A protocol the stack does not implement.
  "unknown-ethertype": "unsupported",
  "ipv6-unsupported": "unsupported",
  "ipv4-unknown-protocol": "unsupported",
  "tcp-unsupported": "unsupported",
  // ARP.
  "arp-truncated": "arp",
  "arp-bad-opcode": "arp",
  "arp-not-local": "arp",
  "arp-bad-format": "arp",
  "arp-unsolicited": "arp",
  // A malformed IPv4 header.
  "ipv4-bad-header-length": "ipv4-header",
  "ipv4-bad-version": "ipv4-header",
  "ipv4-bad-total-length": "ipv4-header",
  "ipv4-bad-checksum": "ipv4-header",
  // Fragments (no reassembly).
  "ipv4-fragment": "ipv4-fragment",
  // Well-formed IPv4 for another host.
  "ipv4-not-local": "ipv4-not-local",
  // ICMP.
  "icmp-truncated": "icmp",
  "icmp-bad-checksum": "icmp",
  "icmp-not-echo-request": "icmp",
  // A malformed UDP header or checksum.
  "udp-truncated": "udp",
  "udp-bad-length": "udp",
  "udp-bad-checksum": "udp",
  // Out of some resource (rings, buffers, rate limits), NIC filter drops included.
  [NIC_DROP_NAMES[3] ?? "rx_filter_drop"]: "resource",
  [NIC_DROP_NAMES[4] ?? "rx_no_dma_resources"]: "resource",
  "socket-full": "resource",
  "rate-limited": "resource",
  "no-headroom": "resource",
  "tx-full": "resource",
  "pending-full": "resource",
  "no-buffer": "resource",
  "no-destination": "resource",
  "udp-too-long": "resource",
};

/**
 * The class of a frame dropped with `reasons` (lowest layer wins), or `"none"` when `reasons` is
 * empty; throws naming a reason that has no class.
 */
export function dropClassOf(reasons: Iterable<string>): DropClass | "none" {
  let best: number = DROP_CLASS_ORDER.length;
  for (const r of reasons) {
    const c = DROP_CLASS_OF[r];
    if (c === undefined) {
      throw new Error(
        `Drop reason "${r}" has no class: add it to DROP_CLASS_OF in _invariant_classes.ts`,
      );
    }
    best = Math.min(best, DROP_CLASS_ORDER.indexOf(c));
  }
  return (DROP_CLASS_ORDER as readonly DropClass[])[best] ?? "none";
}
