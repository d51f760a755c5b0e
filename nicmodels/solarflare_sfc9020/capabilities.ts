/**
 * Every resource and limit of the Solarflare SFC9020 (Siena) model, declared once with its source.
 *
 * The behavioural model, the validator, the oracle and the tests read their limits from here;
 * nothing else in `nicmodels/solarflare_sfc9020/` hard-codes a limit. Values are
 * `{ value, source }` pairs; "unverified" in a source marks a default parameter of the model,
 * not a checked fact about the hardware.
 *
 * The shared part follows {@linkcode NicCapabilities} (`nicmodels/_shared/nic.ts`); the
 * SFC-specific part (`sfc`) holds the hashed-table algorithm limits and everything the shared
 * shape has no field for.
 *
 * Reference: `/work/shared/reference/nic-models.md` §3 (SFC9020) and §4 (Toeplitz).
 *
 * @module
 */
import type { NicCapabilities, Sourced } from "../_shared/nic.ts";

/** Limits of one SFC hashed filter table (IP or MAC), as the farch algorithms use them. */
export interface SfcHashedTableCapability {
  /** Number of slots (a power of two). */
  readonly capacity: Sourced<number>;
  /** Depth the driver adds to a full type's search depth when programming the limit. */
  readonly searchFudgeFull: Sourced<number>;
  /** Depth the driver adds to a wildcard type's search depth when programming the limit. */
  readonly searchFudgeWild: Sourced<number>;
  /** Maximum probe depth of an insertion (priorities above "hint"). */
  readonly maxInsertDepth: Sourced<number>;
  /** Maximum probe depth of an insertion with priority "hint". */
  readonly maxInsertDepthHint: Sourced<number>;
}

/** SFC-specific capabilities beyond the shared shape. */
export interface SfcSpecificCapability {
  /** The RX IP filter table (TCP/UDP full and wildcard, IPv4 only). */
  readonly ipTable: SfcHashedTableCapability;
  /** The RX MAC filter table (MAC full = MAC + VLAN, MAC wild = MAC). */
  readonly macTable: SfcHashedTableCapability;
  /** Match priority of each filter kind when several match (lower value wins). */
  readonly matchPriority: Sourced<
    Readonly<{ ipFull: number; ipWild: number; macFull: number; macWild: number; def: number }>
  >;
  /** Software filter priorities, lowest first; a rule without one gets `defaultPriority`. */
  readonly filterPriorities: Sourced<readonly ["hint", "auto", "manual", "required"]>;
  /** Priority of a configured rule that names none (index into `filterPriorities`). */
  readonly defaultPriority: Sourced<number>;
  /** Width of the RX queue id field of a filter entry (bits). */
  readonly filterQueueIdBits: Sourced<number>;
  /** Ring lengths must be a power of two. */
  readonly ringPowerOfTwo: Sourced<boolean>;
  /** RSS applied to a filter (or default) with the RSS flag: queue = base queue + table entry. */
  readonly rssSpread: Sourced<"base-plus-entry">;
  /** IPv4 fragments skip the IP filter table (they carry ports in the first fragment only). */
  readonly fragmentsSkipIpFilters: Sourced<boolean>;
  /** Untagged frames look up MAC-full filters with VLAN id 0 (else only MAC-wild). */
  readonly untaggedMatchesMacFullVlan0: Sourced<boolean>;
  /** Event queues per port. */
  readonly eventQueues: Sourced<number>;
  /** Interrupt moderation defaults in microseconds. */
  readonly moderationUsec: Sourced<{ rx: number; tx: number }>;
  /** NAPI weight (packets per poll) of the Linux driver. */
  readonly napiWeight: Sourced<number>;
  /** Link rate in bits per second and per-frame wire overhead (preamble, SFD, gap) in bytes. */
  readonly link: Sourced<{ bitsPerSecond: number; overheadBytes: number }>;
}

/** The SFC9020 capability object type: the shared shape plus `sfc`. */
export interface SfcCapabilities extends NicCapabilities {
  /** SFC-specific limits. */
  readonly sfc: SfcSpecificCapability;
}

/** Table id of the IP filter table in rules and counters. */
export const SFC_IP_TABLE = "ip";
/** Table id of the MAC filter table in rules and counters. */
export const SFC_MAC_TABLE = "mac";

/** Settings keys of an SFC configuration (`NicConfig.settings`). */
export const SfcSetting = {
  /** Queue of unmatched unicast frames (UC_DEF), default 0. */
  UnicastQueue: "unicastDefaultQueue",
  /** RSS on unmatched unicast frames, default true (applies only when RSS is enabled). */
  UnicastRss: "unicastDefaultRss",
  /** Queue of unmatched multicast and broadcast frames (MC_DEF), default 0. */
  MulticastQueue: "multicastDefaultQueue",
  /** RSS on unmatched multicast frames, default true (applies only when RSS is enabled). */
  MulticastRss: "multicastDefaultRss",
} as const;

const FARCH = "nic-models.md §3.5 [S] Linux sfc farch.c";
const RSS_SRC = "nic-models.md §3.7 [S] falcon.c, siena.c, old sfc ethtool code";

/**
 * The SFC9020 capabilities. Every limit the SFC model uses is read from this object.
 *
 * @example
 * ```ts
 * import { SFC9020_CAPABILITIES as caps } from "./capabilities.ts";
 * caps.sfc.ipTable.capacity.value; // 8192
 * ```
 */
export const SFC9020_CAPABILITIES: SfcCapabilities = {
  id: "solarflare-sfc9020",
  name: "Solarflare SFC9020 (Siena)",
  rxQueues: { value: 1024, source: "nic-models.md §3.1 [S] Onload user guide UG1586" },
  txQueues: { value: 1024, source: "nic-models.md §3.1 [S] Onload user guide UG1586" },
  defaultQueue: {
    value: 0,
    source: "farch.c efx_farch_filter_init_rx_auto (UC/MC default dmaq_id 0); " +
      "settable per configuration (nic-models.md §3.2 UC_DEF/MC_DEF)",
  },
  rings: {
    min: { value: 512, source: "not in the reference: Linux sfc efx.h EFX_MIN_DMAQ_SIZE" },
    max: { value: 4096, source: "not in the reference: Linux sfc efx.h EFX_MAX_DMAQ_SIZE" },
    default: {
      value: 1024,
      source: "not in the reference: Linux sfc efx.h EFX_DEFAULT_DMAQ_SIZE",
    },
    multipleOf: { value: 512, source: "implied by the power-of-two rule over 512..4096" },
  },
  rss: {
    hash: { value: "toeplitz", source: RSS_SRC },
    keyBytes: { value: 40, source: "nic-models.md §3.7 [S] (Toeplitz, 40-byte key)" },
    tableEntries: {
      value: 128,
      source: "nic-models.md §3.1 [S] farch_regs.h FR_BZ_RX_INDIRECTION_TBL_ROWS",
    },
    queueBits: { value: 6, source: "nic-models.md §3.1 [S] (6-bit queue ids)" },
    maxQueues: { value: 64, source: "nic-models.md §3.1 [S] (6-bit queue ids, <= 64 RSS queues)" },
    hashTypes: [
      { type: "ipv4", defaultFields: "2-tuple", allowed: ["2-tuple"], source: RSS_SRC },
      { type: "ipv4-tcp", defaultFields: "4-tuple", allowed: ["4-tuple"], source: RSS_SRC },
      {
        type: "ipv4-udp",
        defaultFields: "2-tuple",
        allowed: ["2-tuple"],
        source: RSS_SRC + " (UDP hashed on addresses only on Falcon/Siena)",
      },
      { type: "ipv6", defaultFields: "2-tuple", allowed: ["2-tuple"], source: RSS_SRC },
      { type: "ipv6-tcp", defaultFields: "4-tuple", allowed: ["4-tuple"], source: RSS_SRC },
      { type: "ipv6-udp", defaultFields: "2-tuple", allowed: ["2-tuple"], source: RSS_SRC },
    ],
  },
  filterTables: [
    {
      id: SFC_IP_TABLE,
      description: "RX IP filter table: TCP/UDP IPv4 full (5-tuple) and wildcard (local IP + port)",
      kind: "hash table (LFSR hash, odd-stride probing, per-type search limits)",
      capacity: {
        value: 8192,
        source: "nic-models.md §3.1 [S] farch_regs.h FR_BZ_RX_FILTER_TBL0_ROWS",
      },
      fields: ["proto", "srcIp", "dstIp", "srcPort", "dstPort"],
      masks: {
        value: "type-set",
        source: "nic-models.md §3.2 [S] farch.c: full = proto + dstIp + dstPort + srcIp + " +
          "srcPort (ports non-zero); wild = proto + dstIp + dstPort; proto TCP or UDP",
      },
      priorities: {
        min: 0,
        max: 3,
        higherWins: true,
        tieBreak: "equal filters cannot coexist: inserting an equal filter replaces a lower " +
          "priority, fails on an equal (EEXIST) or higher one (EPERM); priority never orders " +
          "different filters (match order is full > wildcard)",
        source: "nic-models.md §3.5 [S] farch.c (hint 0 < auto 1 < manual 2 < required 3)",
      },
      canDrop: {
        value: false,
        source: "nic-models.md §3.2 [S]: an entry holds RSS/scatter flags and a queue id only",
      },
      source: "nic-models.md §3.2-§3.5 [S] farch.c",
    },
    {
      id: SFC_MAC_TABLE,
      description: "RX MAC filter table: destination MAC + VLAN (full) or MAC (wildcard)",
      kind: "hash table (LFSR hash, odd-stride probing, per-type search limits)",
      capacity: { value: 512, source: "nic-models.md §3.1 [S] farch_regs.h (RX MAC filter table)" },
      fields: ["dstMac", "vlan"],
      masks: {
        value: "type-set",
        source: "nic-models.md §3.2 [S] farch.c: full = dstMac + vlan; wild = dstMac",
      },
      priorities: {
        min: 0,
        max: 3,
        higherWins: true,
        tieBreak: "as the IP table: equal filters replace by priority, never coexist",
        source: "nic-models.md §3.5 [S] farch.c",
      },
      canDrop: { value: false, source: "nic-models.md §3.2 [S]: entries carry a queue id" },
      source: "nic-models.md §3.2 [S] farch.c; key words read in farch.c efx_farch_filter_build",
    },
  ],
  precedence: {
    value: [SFC_IP_TABLE, SFC_MAC_TABLE, "default"],
    source: "nic-models.md §3.6 [S] farch.c efx_farch_filter_type_match_pri: IP full (0) > " +
      "IP wild (1) > MAC full (2) > MAC wild (3) > default UC/MC (4); a filter or default with " +
      "RSS enabled picks its queue through the indirection table",
  },
  offloads: {
    rxIpv4Checksum: {
      value: true,
      source: "nic-models.md §3.8 [S] farch_regs.h RX_EV IP header checksum error bit",
    },
    rxL4Checksum: {
      value: true,
      source: "nic-models.md §3.8 [S] farch_regs.h RX_EV TCP/UDP checksum error bit",
    },
    txChecksum: {
      value: true,
      source: "nic-models.md §3.8 [S] falcon/siena feature lists (IPv4; Siena also IPv6)",
    },
    tso: {
      value: false,
      source: "not modelled: the reference does not describe TSO on the SFC9020 (unverified)",
    },
    other: [],
  },
  interrupts: {
    timerUnitNs: { value: 6144, source: "nic-models.md §3.8 [S] siena.c (3072 ns in turbo mode)" },
    defaultMode: { value: "60 us RX, 150 us TX", source: "nic-models.md §3.8 [S] efx.c" },
    vectors: {
      value: 1024,
      source: "nic-models.md §3.1 [S]: 1024 event queues per port, each may interrupt; " +
        "MSI-X vector count unverified",
    },
  },
  sfc: {
    ipTable: {
      capacity: {
        value: 8192,
        source: "nic-models.md §3.1 [S] farch_regs.h FR_BZ_RX_FILTER_TBL0_ROWS",
      },
      searchFudgeFull: { value: 1, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_FUDGE_FULL" },
      searchFudgeWild: { value: 3, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_FUDGE_WILD" },
      maxInsertDepth: { value: 200, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_MAX" },
      maxInsertDepthHint: { value: 5, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_HINT_MAX" },
    },
    macTable: {
      capacity: { value: 512, source: "nic-models.md §3.1 [S] farch_regs.h (RX MAC filter table)" },
      searchFudgeFull: { value: 1, source: FARCH + " (ETHERNET_FULL_SEARCH_LIMIT)" },
      searchFudgeWild: { value: 3, source: FARCH + " (ETHERNET_WILDCARD_SEARCH_LIMIT)" },
      maxInsertDepth: { value: 200, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_MAX" },
      maxInsertDepthHint: { value: 5, source: FARCH + " EFX_FARCH_FILTER_CTL_SRCH_HINT_MAX" },
    },
    matchPriority: {
      value: { ipFull: 0, ipWild: 1, macFull: 2, macWild: 3, def: 4 },
      source: "nic-models.md §3.6 [S] farch.c efx_farch_filter_type_match_pri",
    },
    filterPriorities: {
      value: ["hint", "auto", "manual", "required"],
      source: "nic-models.md §3.5 [S] farch.c / efx_filter_priority",
    },
    defaultPriority: {
      value: 2,
      source: "model choice: configured rules are 'manual' (ethtool-inserted rules are manual)",
    },
    filterQueueIdBits: {
      value: 12,
      source: "nic-models.md §3.2 [S] farch.c (RX queue id 12 bits)",
    },
    ringPowerOfTwo: {
      value: true,
      source: "unverified: the sfc driver rounds ring sizes up to a power of two",
    },
    rssSpread: {
      value: "base-plus-entry",
      source: "nic-models.md §3.6 [S] says an RSS filter spreads over an RSS range; " +
        "'base queue + table entry' is unverified (ethtool FLOW_RSS semantics)",
    },
    fragmentsSkipIpFilters: {
      value: true,
      source: "unverified model choice: IPv4 fragments fall through to MAC/default filters",
    },
    untaggedMatchesMacFullVlan0: {
      value: false,
      source: "unverified model choice: untagged frames look up MAC-wild filters only",
    },
    eventQueues: { value: 1024, source: "nic-models.md §3.1 [S] Onload user guide UG1586" },
    moderationUsec: { value: { rx: 60, tx: 150 }, source: "nic-models.md §3.8 [S] efx.c" },
    napiWeight: { value: 64, source: "nic-models.md §3.8 [S] efx.c" },
    link: {
      value: { bitsPerSecond: 10e9, overheadBytes: 20 },
      source: "nic-models.md §1 and §6 [C] (10 Gb/s, +20 B per frame)",
    },
  },
};
