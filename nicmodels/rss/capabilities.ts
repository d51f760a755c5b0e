/**
 * Capabilities of the plain RSS-only NIC: N queues, a Toeplitz key and an indirection table, no
 * filter tables. It is what a stock Linux deployment assumes of "a multi-queue NIC"; each value
 * is a parameter with a default taken from the 82599/SFC9020 figures in the reference.
 *
 * @module
 */
import type { NicCapabilities } from "../_shared/nic.ts";

/** Knobs of the plain RSS NIC (all optional; defaults as documented). */
export interface RssNicOptions {
  /** Queues (RX = TX), default 16 (ixgbe RSS indices limit, nic-models.md §2.1). */
  readonly queues?: number;
  /** Indirection table entries (power of two), default 128 (nic-models.md §2.3, §3.1). */
  readonly tableEntries?: number;
  /** Toeplitz key bytes, default 40 (nic-models.md §2.3 IXGBE_RSS_KEY_SIZE). */
  readonly keyBytes?: number;
  /** UDP hashed fields after bring-up, default 2-tuple (Linux ixgbe default, §2.3). */
  readonly udpFields?: "2-tuple" | "4-tuple";
}

const PARAM = "plain RSS NIC parameter";

/** Frame size limits of the plain RSS NIC (the maxFrame setting's default and range). */
export const RSS_NIC_FRAMES = {
  /** Default largest frame: 1518 + one VLAN tag. */
  default: { value: 1522, source: "IEEE 802.3 frame + 802.1Q tag" },
  /** Smallest allowed maxFrame. */
  min: { value: 64, source: "IEEE 802.3 minimum frame" },
  /** Largest allowed maxFrame (jumbo). */
  max: { value: 9728, source: "assumed like ixgbe IXGBE_MAX_JUMBO_FRAME_SIZE (unverified)" },
} as const;

/** Builds the capabilities of a plain RSS NIC; throws a clear error on impossible knobs. */
export function rssNicCapabilities(opts: RssNicOptions = {}): NicCapabilities {
  const queues = opts.queues ?? 16;
  const entries = opts.tableEntries ?? 128;
  const keyBytes = opts.keyBytes ?? 40;
  const udp = opts.udpFields ?? "2-tuple";
  if (!Number.isInteger(queues) || queues < 1 || queues > 1024) {
    throw new RangeError(`RSS NIC queues must be 1..1024, got ${queues}`);
  }
  if (!Number.isInteger(entries) || entries < 1 || entries > 4096 || (entries & (entries - 1))) {
    throw new RangeError(`RSS NIC table entries must be a power of two 1..4096, got ${entries}`);
  }
  if (!Number.isInteger(keyBytes) || keyBytes < 16 || keyBytes > 64) {
    throw new RangeError(`RSS NIC key must be 16..64 bytes, got ${keyBytes}`);
  }
  const queueBits = Math.max(1, Math.ceil(Math.log2(queues)));
  const both = ["2-tuple", "4-tuple"] as const;
  return {
    id: "rss",
    name: `Plain RSS NIC (${queues} queues)`,
    rxQueues: { value: queues, source: `${PARAM} queues; default 16 = ixgbe RSS limit (§2.1)` },
    txQueues: { value: queues, source: `${PARAM} queues` },
    defaultQueue: { value: 0, source: "nic-models.md §2.7: no match and no RSS -> queue 0" },
    rings: {
      min: { value: 64, source: "nic-models.md §2.2 (Linux ixgbe minimum)" },
      max: { value: 4096, source: "nic-models.md §2.2 (Linux ixgbe maximum)" },
      default: { value: 512, source: "nic-models.md §2.2 (Linux default)" },
      multipleOf: { value: 8, source: "nic-models.md §2.2 (unverified granularity)" },
    },
    rss: {
      hash: { value: "toeplitz", source: "nic-models.md §4" },
      keyBytes: { value: keyBytes, source: `${PARAM} keyBytes; default 40 (§2.3)` },
      tableEntries: { value: entries, source: `${PARAM} tableEntries; default 128 (§2.3)` },
      queueBits: { value: queueBits, source: "derived: enough bits for every queue" },
      maxQueues: { value: queues, source: "derived: RSS may use every queue" },
      hashTypes: [
        { type: "ipv4", defaultFields: "2-tuple", allowed: ["2-tuple"], source: "§2.3" },
        { type: "ipv4-tcp", defaultFields: "4-tuple", allowed: both, source: "§2.3" },
        { type: "ipv4-udp", defaultFields: udp, allowed: both, source: `${PARAM} udpFields; §2.3` },
        { type: "ipv6", defaultFields: "2-tuple", allowed: ["2-tuple"], source: "§2.3" },
        { type: "ipv6-tcp", defaultFields: "4-tuple", allowed: both, source: "§2.3" },
        { type: "ipv6-udp", defaultFields: udp, allowed: both, source: `${PARAM} udpFields; §2.3` },
      ],
    },
    filterTables: [],
    precedence: { value: ["rss", "default"], source: "nic-models.md §1 steps 5-6" },
    offloads: {
      rxIpv4Checksum: { value: true, source: "assumed like 82599 (§2.8)" },
      rxL4Checksum: { value: true, source: "assumed like 82599 (§2.8)" },
      txChecksum: { value: true, source: "assumed like 82599 (§2.8)" },
      tso: { value: false, source: "not modelled" },
      other: [],
    },
    interrupts: {
      timerUnitNs: { value: 2048, source: "assumed like 82599 EITR (§2.9)" },
      defaultMode: { value: "dynamic", source: "assumed like Linux ixgbe (§2.9)" },
      vectors: { value: queues, source: "one vector per queue (assumption)" },
    },
  };
}
