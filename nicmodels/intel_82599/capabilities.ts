/**
 * Intel 82599 (ixgbe) capabilities: every resource and limit, once, with its source.
 *
 * Sources are sections of the lab's reference `nic-models.md` and, after the semicolon, the
 * original they cite (ixgbe = Linux `drivers/net/ethernet/intel/ixgbe/`, DPDK = `drivers/net/
 * ixgbe/`, Intel-CSDN = an Intel engineer's article on ixgbe filters). "unverified" marks a
 * value the reference could not check in a source; such values are parameters or documented
 * choices, never hidden rules.
 *
 * @module
 */
import type { NicCapabilities, Sourced } from "../_shared/nic.ts";

/** Indices into {@link INTEL_82599.filterTables} (and RxResult.table). */
export const Table82599 = {
  EtherType: 0,
  Syn: 1,
  FiveTuple: 2,
  FdirPerfect: 3,
  FdirSignature: 4,
} as const;

/** Filter table ids of the 82599 (rule `table` values). */
export const TableId82599 = {
  EtherType: "ethertype",
  Syn: "syn",
  FiveTuple: "five-tuple",
  FdirPerfect: "fdir-perfect",
  FdirSignature: "fdir-signature",
} as const;

/** Flow Director resources that depend on the packet-buffer allocation (PBALLOC 1, 2, 3). */
export interface FdirCapability {
  /** Perfect-match filters per PBALLOC value 1, 2, 3 (index 0 = PBALLOC 1). */
  readonly perfectByPballoc: Sourced<readonly number[]>;
  /** Signature filters per PBALLOC value 1, 2, 3. */
  readonly signatureByPballoc: Sourced<readonly number[]>;
  /** Default PBALLOC. */
  readonly defaultPballoc: Sourced<number>;
  /** Default mode of the Linux driver. */
  readonly defaultMode: Sourced<"perfect" | "signature">;
  /** Bucket hash width in bits (15-bit bucket index). */
  readonly bucketBits: Sourced<number>;
  /** Signature width in bits. */
  readonly signatureBits: Sourced<number>;
  /** Most filters one bucket chain holds (insert fails beyond). */
  readonly bucketChainLimit: Sourced<number>;
  /** Bucket hash key (FDIRHKEY) used to seed the model's stand-in hash. */
  readonly bucketHashKey: Sourced<number>;
  /** Signature hash key (FDIRSKEY) used to seed the model's stand-in hash. */
  readonly signatureHashKey: Sourced<number>;
  /** ATR: the driver samples every n-th transmitted TCP segment per TX ring (plus every SYN). */
  readonly atrSampleRate: Sourced<number>;
}

/** Other 82599 resources the lab's model reads. */
export interface Extra82599 {
  /** Flow Director resources. */
  readonly fdir: FdirCapability;
  /** Unicast MAC address (RAR) entries. */
  readonly unicastMacs: Sourced<number>;
  /** VLAN ids the VLAN filter table (VFTA) can hold (one bit each). */
  readonly vlanFilterBits: Sourced<number>;
  /** Largest frame accepted by default (1518 + one VLAN tag). */
  readonly maxFrame: Sourced<number>;
  /** Largest frame the maxFrame setting may allow (jumbo). */
  readonly maxJumboFrame: Sourced<number>;
  /** Smallest frame the maxFrame setting may allow. */
  readonly minFrame: Sourced<number>;
  /** Five-tuple protocols the hardware can match (others only by leaving proto out). */
  readonly fiveTupleProtocols: Sourced<readonly number[]>;
  /** Whether five-tuple and Flow Director filters match IPv6 in this model. */
  readonly ipv6Filters: Sourced<boolean>;
}

const IXGBE = "ixgbe";

/** The 82599's capabilities. */
export const INTEL_82599: NicCapabilities & Extra82599 = {
  id: "intel-82599",
  name: "Intel 82599",
  rxQueues: { value: 128, source: `nic-models.md §2.1; ${IXGBE} IXGBE_82599_MAX_RX_QUEUES` },
  txQueues: { value: 128, source: `nic-models.md §2.1; ${IXGBE} IXGBE_82599_MAX_TX_QUEUES` },
  defaultQueue: { value: 0, source: "nic-models.md §2.7; Intel-CSDN, Dragonet default queue" },
  rings: {
    min: { value: 64, source: `nic-models.md §2.2; ${IXGBE} IXGBE_MIN_RXD` },
    max: { value: 4096, source: `nic-models.md §2.2; ${IXGBE} IXGBE_MAX_RXD` },
    default: { value: 512, source: `nic-models.md §2.2; ${IXGBE} IXGBE_DEFAULT_RXD` },
    multipleOf: { value: 8, source: "nic-models.md §2.2 (128-byte multiple, unverified)" },
  },
  rss: {
    hash: { value: "toeplitz", source: "nic-models.md §2.3, §4" },
    keyBytes: { value: 40, source: `nic-models.md §2.3; ${IXGBE} IXGBE_RSS_KEY_SIZE` },
    tableEntries: { value: 128, source: `nic-models.md §2.3; ${IXGBE} RETA, ixgbe_store_reta` },
    queueBits: { value: 4, source: "nic-models.md §2.3; 4-bit RETA entries" },
    maxQueues: { value: 16, source: `nic-models.md §2.3; ${IXGBE} IXGBE_MAX_RSS_INDICES` },
    hashTypes: [
      { type: "ipv4", defaultFields: "2-tuple", allowed: ["2-tuple"], source: "§2.3 MRQC" },
      { type: "ipv4-tcp", defaultFields: "4-tuple", allowed: ["4-tuple"], source: "§2.3 MRQC" },
      {
        type: "ipv4-udp",
        defaultFields: "2-tuple",
        allowed: ["2-tuple", "4-tuple"],
        source: "nic-models.md §2.3; ixgbe_ethtool.c rx-flow-hash udp4 (default 2-tuple)",
      },
      { type: "ipv6", defaultFields: "2-tuple", allowed: ["2-tuple"], source: "§2.3 MRQC" },
      { type: "ipv6-tcp", defaultFields: "4-tuple", allowed: ["4-tuple"], source: "§2.3 MRQC" },
      {
        type: "ipv6-udp",
        defaultFields: "2-tuple",
        allowed: ["2-tuple", "4-tuple"],
        source: "nic-models.md §2.3; ixgbe_ethtool.c rx-flow-hash udp6 (default 2-tuple)",
      },
    ],
  },
  filterTables: [
    {
      id: TableId82599.EtherType,
      description: "EtherType filters (ETQF): steer one EtherType to a queue",
      kind: "register array, exact EtherType",
      capacity: { value: 8, source: `nic-models.md §2.6; ${IXGBE} IXGBE_MAX_ETQF_FILTERS` },
      fields: ["etherType"],
      masks: { value: "exact", source: "nic-models.md §2.6" },
      priorities: null,
      canDrop: { value: false, source: "nic-models.md §2.6 (queue action only)" },
      source: "nic-models.md §2.6",
    },
    {
      id: TableId82599.Syn,
      description: "SYN filter (SYNQF): TCP segments with SYN set go to one queue",
      kind: "single register",
      capacity: { value: 1, source: "nic-models.md §2.6; DPDK IXGBE_SYN_FILTER_*" },
      fields: ["tcpSyn"],
      masks: { value: "exact", source: "nic-models.md §2.6" },
      priorities: null,
      canDrop: { value: false, source: "nic-models.md §2.6" },
      source: "nic-models.md §2.6; priority bit SYNQFP is settings.synHighPriority",
    },
    {
      id: TableId82599.FiveTuple,
      description: "Five-tuple filters (FTQF/SAQF/DAQF/SDPQF + L34TIMIR)",
      kind: "128-entry list, one ignore bit per field",
      capacity: { value: 128, source: `nic-models.md §2.4; ${IXGBE} IXGBE_MAX_FTQF_FILTERS` },
      fields: ["proto", "srcIp", "dstIp", "srcPort", "dstPort"],
      masks: { value: "per-field", source: "nic-models.md §2.4; DPDK ixgbe_5tuple_filter_info" },
      priorities: {
        min: 1,
        max: 7,
        higherWins: true,
        tieBreak: "lowest slot index wins (unverified; nic-models.md §2.4)",
        source: "nic-models.md §2.4; DPDK '111b is highest'",
      },
      canDrop: { value: false, source: "nic-models.md §2.4 (action: RX queue)" },
      source: "nic-models.md §2.4",
    },
    {
      id: TableId82599.FdirPerfect,
      description: "Flow Director perfect-match filters (one global mask)",
      kind: "hash table in packet-buffer memory, exact compare under the global mask",
      capacity: { value: 8190, source: "nic-models.md §2.5; largest PBALLOC (3): 8K - 2" },
      fields: ["proto", "srcIp", "dstIp", "srcPort", "dstPort"],
      masks: { value: "global", source: "nic-models.md §2.5; ixgbe.rst, DPDK ixgbe_hw_fdir_mask" },
      priorities: null,
      canDrop: { value: true, source: "nic-models.md §2.5 (drop queue, ethtool action -1)" },
      source: "nic-models.md §2.5",
    },
    {
      id: TableId82599.FdirSignature,
      description: "Flow Director signature filters (hash signature compare, one global mask)",
      kind: "hash table, 16-bit signature compare only (collisions steer flows together)",
      capacity: { value: 32767, source: "nic-models.md §2.5; largest PBALLOC (3): 32K - 1" },
      fields: ["proto", "srcIp", "dstIp", "srcPort", "dstPort"],
      masks: { value: "global", source: "nic-models.md §2.5" },
      priorities: null,
      canDrop: {
        value: false,
        source: "nic-models.md §2.5 (drop queue named for perfect filters)",
      },
      source: "nic-models.md §2.5",
    },
  ],
  precedence: {
    value: ["ethertype", "syn-high", "five-tuple", "syn", "fdir", "rss", "default"],
    source: "nic-models.md §2.7; Intel-CSDN, DTS (syn-high = SYN with settings.synHighPriority)",
  },
  offloads: {
    rxIpv4Checksum: { value: true, source: "nic-models.md §2.8; DPDK IXGBE_RXDADV_ERR_CKSUM_*" },
    rxL4Checksum: { value: true, source: "nic-models.md §2.8 (TCP/UDP, IPv4 and IPv6)" },
    txChecksum: { value: true, source: "nic-models.md §2.8 (2 context descriptors per queue)" },
    tso: { value: true, source: "nic-models.md §2.8 (unverified detail)" },
    other: [
      { value: "RSC (hardware LRO), VLAN strip/insert, SCTP CRC", source: "nic-models.md §2.8" },
    ],
  },
  interrupts: {
    timerUnitNs: { value: 2048, source: "nic-models.md §2.9; DPDK IXGBE_EITR_INTERVAL_UNIT_NS" },
    defaultMode: { value: "dynamic", source: "nic-models.md §2.9; ixgbe_param.c ITR default 1" },
    vectors: { value: 64, source: `nic-models.md §2.1; ${IXGBE} IXGBE_MAX_MSIX_Q_VECTORS_82599` },
  },
  fdir: {
    perfectByPballoc: {
      value: [2046, 4094, 8190],
      source: "nic-models.md §2.5; ethtool rule count (1024 << pballoc) - 2",
    },
    signatureByPballoc: {
      value: [8191, 16383, 32767],
      source: "nic-models.md §2.5; ixgbe_init_fdir_signature_82599 comments",
    },
    defaultPballoc: { value: 1, source: "nic-models.md §2.5; ixgbe_param.c (64 KB)" },
    defaultMode: { value: "signature", source: "nic-models.md §2.5; ixgbe_param.c FdirMode 1" },
    bucketBits: { value: 15, source: "nic-models.md §2.5; bucket mask 0x7fff" },
    signatureBits: { value: 16, source: "nic-models.md §2.5" },
    bucketChainLimit: { value: 10, source: "nic-models.md §2.5; ixgbe driver chain limit" },
    bucketHashKey: { value: 0x3dad14e2, source: "nic-models.md §2.5; FDIRHKEY" },
    signatureHashKey: { value: 0x174d3614, source: "nic-models.md §2.5; FDIRSKEY" },
    atrSampleRate: { value: 20, source: "nic-models.md §2.5; ixgbe AtrSampleRate default 20" },
  },
  unicastMacs: { value: 128, source: "nic-models.md §2.1; ixgbe RAR entries" },
  vlanFilterBits: { value: 4096, source: "nic-models.md §2.1; VFTA 128 x 32 bits" },
  maxFrame: { value: 1522, source: "1518-byte Ethernet frame + 802.1Q tag (IEEE 802.3)" },
  maxJumboFrame: {
    value: 9728,
    source: "ixgbe.h IXGBE_MAX_JUMBO_FRAME_SIZE (not in the reference; unverified)",
  },
  minFrame: { value: 64, source: "IEEE 802.3 minimum frame" },
  fiveTupleProtocols: {
    value: [6, 17, 132],
    source: "nic-models.md §2.4; DPDK ixgbe_5tuple_filter_info (TCP, UDP, SCTP, other)",
  },
  ipv6Filters: {
    value: false,
    source: "nic-models.md §2.4 (five-tuple IPv4 only, unverified); FDir IPv6 not modelled",
  },
};
