/**
 * The NIC model interface every behavioural NIC model in `nicmodels/` implements.
 *
 * Three layers, kept apart (STYLE.md §6, §8):
 * - {@link NicCapabilities}: what the hardware *is*, every limit declared once with a `source`;
 * - {@link NicConfig}: what the driver asked for, plain JSON-serialisable data, validated against
 *   the capabilities, changed only through a diff of {@link ConfigOp}s;
 * - {@link NicModel}: what the hardware *does*: classify real frame bytes to a queue, set
 *   checksum-status flags, keep rings and `ethtool -S`-like counters.
 *
 * Hot-path rule: {@link NicModel.receive} and {@link NicModel.classify} fill a caller-owned
 * {@link RxResult} in place and allocate nothing.
 *
 * @module
 */

/** A declared value together with where it comes from (reference section and original source). */
export interface Sourced<T> {
  /** The value. */
  readonly value: T;
  /** Where the value comes from, e.g. "nic-models.md §2.4; ixgbe_type.h IXGBE_MAX_FTQF_FILTERS". */
  readonly source: string;
}

/** Packet fields a filter table may match on (names used in {@link FlowMatch}). */
export type MatchField =
  | "etherType"
  | "vlan"
  | "dstMac"
  | "proto"
  | "srcIp"
  | "dstIp"
  | "srcPort"
  | "dstPort"
  | "tcpSyn";

/**
 * How a filter table lets rules leave fields out.
 * - `exact`: every listed field of a rule must be given (no wildcards);
 * - `per-field`: each rule may wildcard whole fields (one "ignore" bit per field, no partial masks);
 * - `global`: one mask for the whole table (set in the NIC settings); every rule must give exactly
 *   the fields the mask compares;
 * - `type-set`: a fixed set of rule shapes (e.g. SFC full / wildcard), described in the table text.
 */
export type MaskStyle = "exact" | "per-field" | "global" | "type-set";

/** Priorities a filter table accepts, and which wins when several rules match. */
export interface PriorityCapability {
  /** Lowest accepted priority value. */
  readonly min: number;
  /** Highest accepted priority value. */
  readonly max: number;
  /** True when the numerically highest priority wins among matching rules. */
  readonly higherWins: boolean;
  /** How equal priorities are ordered, in words (e.g. "lowest slot index wins"). */
  readonly tieBreak: string;
  /** Where this comes from. */
  readonly source: string;
}

/** One filter table of a NIC: its kind, capacity, fields, masks and priorities. */
export interface FilterTableCapability {
  /** Table id used in {@link FilterRule.table} and in counters, e.g. "five-tuple". */
  readonly id: string;
  /** One line: what the table is. */
  readonly description: string;
  /** Hardware table kind, e.g. "tcam-like list", "hash table", "single register". */
  readonly kind: string;
  /** Number of rules the table can hold. */
  readonly capacity: Sourced<number>;
  /** Fields a rule may match on. */
  readonly fields: readonly MatchField[];
  /** How rules leave fields out. */
  readonly masks: Sourced<MaskStyle>;
  /** Priority range, or null when the table has no priorities. */
  readonly priorities: PriorityCapability | null;
  /** Whether a rule of this table can drop (queue -1). */
  readonly canDrop: Sourced<boolean>;
  /** Where the table as a whole is described. */
  readonly source: string;
}

/** Every RSS hash type, in the order per-type tables index them. */
export const RSS_HASH_TYPES = [
  "ipv4",
  "ipv4-tcp",
  "ipv4-udp",
  "ipv6",
  "ipv6-tcp",
  "ipv6-udp",
] as const;

/** RSS hash types (which packets a hashed-field setting applies to). */
export type RssHashType = typeof RSS_HASH_TYPES[number];

/** Fields hashed for one RSS hash type: addresses only, addresses and ports, or not hashed. */
export type RssFields = "2-tuple" | "4-tuple" | "none";

/** One hash type's hashed fields: the default and what the hardware can be set to. */
export interface RssHashTypeCapability {
  /** Which packets. */
  readonly type: RssHashType;
  /** Hashed fields after a default (Linux driver) bring-up. */
  readonly defaultFields: RssFields;
  /** Settings the hardware accepts for this type. */
  readonly allowed: readonly RssFields[];
  /** Where this comes from. */
  readonly source: string;
}

/** Receive-side scaling resources: hash function, key, indirection table, queue reach. */
export interface RssCapability {
  /** Hash function; only Toeplitz is modelled. */
  readonly hash: Sourced<"toeplitz">;
  /** Key length in bytes. */
  readonly keyBytes: Sourced<number>;
  /** Indirection (redirection) table entries; the hash's low bits index it. */
  readonly tableEntries: Sourced<number>;
  /** Bits per table entry (queue index width). */
  readonly queueBits: Sourced<number>;
  /** Most queues RSS can spread over. */
  readonly maxQueues: Sourced<number>;
  /** Per hash type: default and allowed hashed fields. */
  readonly hashTypes: readonly RssHashTypeCapability[];
}

/** Descriptor ring limits (per queue, RX and TX alike). */
export interface RingCapability {
  /** Smallest ring, descriptors. */
  readonly min: Sourced<number>;
  /** Largest ring, descriptors. */
  readonly max: Sourced<number>;
  /** Driver default, descriptors. */
  readonly default: Sourced<number>;
  /** The ring length must be a multiple of this. */
  readonly multipleOf: Sourced<number>;
}

/** Checksum and other offloads. */
export interface OffloadCapability {
  /** RX IPv4 header checksum validation reported in descriptor flags. */
  readonly rxIpv4Checksum: Sourced<boolean>;
  /** RX TCP/UDP checksum validation reported in descriptor flags. */
  readonly rxL4Checksum: Sourced<boolean>;
  /** TX checksum insertion. */
  readonly txChecksum: Sourced<boolean>;
  /** TCP segmentation offload. */
  readonly tso: Sourced<boolean>;
  /** Further offloads, free text each with its source. */
  readonly other: readonly Sourced<string>[];
}

/** Interrupt moderation: timer granularity and driver defaults. */
export interface InterruptCapability {
  /** Moderation timer unit in nanoseconds. */
  readonly timerUnitNs: Sourced<number>;
  /** Driver default, in words (e.g. "dynamic" or "60 us RX"). */
  readonly defaultMode: Sourced<string>;
  /** Interrupt vectors available. */
  readonly vectors: Sourced<number>;
}

/** Everything a NIC has, each limit once, each with a source. Models and PRGs derive from this. */
export interface NicCapabilities {
  /** Short model id, e.g. "intel-82599". */
  readonly id: string;
  /** Human name. */
  readonly name: string;
  /** RX queues. */
  readonly rxQueues: Sourced<number>;
  /** TX queues. */
  readonly txQueues: Sourced<number>;
  /** Queue that gets what no filter and no RSS claimed. */
  readonly defaultQueue: Sourced<number>;
  /** Descriptor ring limits. */
  readonly rings: RingCapability;
  /** RSS, or null when the NIC has none. */
  readonly rss: RssCapability | null;
  /** Filter tables, any order (precedence is separate). */
  readonly filterTables: readonly FilterTableCapability[];
  /**
   * Receive precedence: stage ids in the order the NIC tries them. Stage ids are filter table ids
   * plus "rss" and "default"; a NIC may list pseudo-stages (e.g. "syn-high") documented in text.
   */
  readonly precedence: Sourced<readonly string[]>;
  /** Offloads. */
  readonly offloads: OffloadCapability;
  /** Interrupt moderation. */
  readonly interrupts: InterruptCapability;
}

/** A JSON value (configuration is data and must round-trip through JSON). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Which packets a rule matches. An absent field is a wildcard.
 * Addresses are IPv4 dotted quads, optionally with a prefix length ("10.0.0.0/24"); whether a
 * table can express a prefix is checked by the model's validator.
 */
export interface FlowMatch {
  /** EtherType, e.g. 0x0800 (IPv4), 0x88f7 (PTP). */
  readonly etherType?: number;
  /** 802.1Q VLAN id 0..4095. */
  readonly vlan?: number;
  /** Destination MAC "aa:bb:cc:dd:ee:ff". */
  readonly dstMac?: string;
  /** IP protocol number (6 TCP, 17 UDP, 132 SCTP). */
  readonly proto?: number;
  /** IPv4 source address, optional "/prefix". */
  readonly srcIp?: string;
  /** IPv4 destination address, optional "/prefix". */
  readonly dstIp?: string;
  /** L4 source port 0..65535. */
  readonly srcPort?: number;
  /** L4 destination port 0..65535. */
  readonly dstPort?: number;
  /** Compared bits of the source port (default 0xffff = all). */
  readonly srcPortMask?: number;
  /** Compared bits of the destination port (default 0xffff = all). */
  readonly dstPortMask?: number;
  /** Match only TCP segments with SYN set. */
  readonly tcpSyn?: boolean;
}

/** One filter rule: which table, what it matches, where matching packets go. */
export interface FilterRule {
  /** A {@link FilterTableCapability.id} of the NIC. */
  readonly table: string;
  /** What the rule matches. */
  readonly match: FlowMatch;
  /** Target RX queue, or -1 to drop (only where the table's `canDrop` is true). */
  readonly queue: number;
  /** Priority, when the table has priorities (see {@link PriorityCapability}). */
  readonly priority?: number;
  /** Spread matches over RSS starting at `queue` (only NICs that support it, e.g. SFC). */
  readonly rss?: boolean;
}

/** RSS settings. */
export interface RssConfig {
  /** Whether RSS spreads unclaimed packets; when false they go to the default queue. */
  readonly enabled: boolean;
  /** Toeplitz key as hex, length = capability `keyBytes`. */
  readonly key: string;
  /** Indirection table, length = capability `tableEntries`, each entry a queue index. */
  readonly table: readonly number[];
  /** Hashed fields per hash type; absent types take the capability default. */
  readonly fields?: Partial<Readonly<Record<RssHashType, RssFields>>>;
}

/** A NIC configuration: plain data, validated against capabilities, changed by diff. */
export interface NicConfig {
  /** RX/TX queue pairs in use (queues 0..queues-1). */
  readonly queues: number;
  /** Descriptors per RX and per TX ring. */
  readonly ringSize: number;
  /** RSS settings, or null for none. */
  readonly rss: RssConfig | null;
  /** Installed filter rules (order is irrelevant; identity is the rule's content). */
  readonly filters: readonly FilterRule[];
  /** NIC-specific settings (e.g. Flow Director mode), documented by each model. */
  readonly settings: { readonly [key: string]: JsonValue };
}

/**
 * One configuration change. `set` keys are "queues", "ringSize", "rss" or "settings.<name>".
 * A diff lists removes first, then sets, then adds.
 */
export type ConfigOp =
  | { readonly op: "remove"; readonly rule: FilterRule }
  | { readonly op: "set"; readonly key: string; readonly value: JsonValue }
  | { readonly op: "add"; readonly rule: FilterRule };

/** One validation finding: where (a JSON path like "filters[3].priority") and what. */
export interface ValidationIssue {
  /** JSON path into the configuration. */
  readonly path: string;
  /** Sentence-case message naming the value, the limit and what is allowed. */
  readonly message: string;
}

/** Thrown when a configuration or a change cannot be applied; lists every issue found. */
export class NicConfigError extends Error {
  /** Every issue found (at least one). */
  readonly issues: readonly ValidationIssue[];
  /** Builds the error from its issues; the message joins them. */
  constructor(issues: readonly ValidationIssue[]) {
    super(
      issues.length === 1
        ? `${issues[0]?.path}: ${issues[0]?.message}`
        : `Invalid NIC configuration (${issues.length} issues): ` +
          issues.map((i) => `${i.path}: ${i.message}`).join("; "),
    );
    this.name = "NicConfigError";
    this.issues = issues;
  }
}

/** RX descriptor status flags (bit values of {@link RxResult.flags}). */
export const RxFlag = {
  /** The NIC checked the IPv4 header checksum. */
  Ipv4ChecksumChecked: 1,
  /** The IPv4 header checksum was wrong (only with Ipv4ChecksumChecked). */
  Ipv4ChecksumBad: 2,
  /** The NIC checked the TCP/UDP checksum. */
  L4ChecksumChecked: 4,
  /** The TCP/UDP checksum was wrong (only with L4ChecksumChecked). */
  L4ChecksumBad: 8,
  /** {@link RxResult.hash} holds a valid RSS hash. */
  RssHash: 16,
  /** A filter (not RSS, not the default) chose the queue. */
  FilterMatch: 32,
} as const;

/** Where the queue decision came from ({@link RxResult.stage}). */
export const RxStage = {
  /** Nothing claimed the packet: default queue. */
  Default: 0,
  /** RSS indirection table. */
  Rss: 1,
  /** A filter table; {@link RxResult.table} says which. */
  Filter: 2,
  /** Dropped before classification (bad L2) or by a drop rule or a full ring. */
  Dropped: 3,
} as const;

/** Why the NIC dropped a frame ({@link RxResult.drop}); 0 = not dropped. */
export const NicDrop = {
  /** Not dropped. */
  None: 0,
  /** Frame shorter than the Ethernet minimum header or runt. */
  L2Length: 1,
  /** Destination MAC not accepted by the L2 filter. */
  L2Address: 2,
  /** A filter rule with queue -1 matched. */
  FilterDrop: 3,
  /** The target RX ring had no free descriptor. */
  RxRingFull: 4,
  /** The frame exceeds the receive buffer / MTU. */
  L2Oversize: 5,
  /** The frame's VLAN id is not in the VLAN filter table. */
  VlanFiltered: 6,
} as const;

/** Stable names of {@link NicDrop} codes, used in counters. */
export const NIC_DROP_NAMES: readonly string[] = [
  "none",
  "rx_length_errors",
  "rx_address_filtered",
  "rx_filter_drop",
  "rx_no_dma_resources",
  "rx_oversize",
  "rx_vlan_filtered",
];

/**
 * The outcome of receiving one frame, filled in place (allocate one, reuse it per frame).
 * Numbers only: queue, flags (bits of {@link RxFlag}), RSS hash, stage, table index and slot.
 */
export class RxResult {
  /** Chosen RX queue, or -1 when dropped. */
  queue: number = -1;
  /** Bits of {@link RxFlag}. */
  flags = 0;
  /** RSS hash (32-bit unsigned) when flags has RxFlag.RssHash. */
  hash = 0;
  /** A {@link RxStage} code. */
  stage = 0;
  /** Index into capabilities.filterTables of the deciding table, or -1. */
  table: number = -1;
  /** Slot of the deciding rule in its table, or -1. */
  slot: number = -1;
  /** A {@link NicDrop} code. */
  drop = 0;
  /** Clears every field to "nothing decided". */
  reset(): void {
    this.queue = -1;
    this.flags = 0;
    this.hash = 0;
    this.stage = 0;
    this.table = -1;
    this.slot = -1;
    this.drop = 0;
  }
}

/** One named counter value, like a line of `ethtool -S`. */
export interface CounterEntry {
  /** Counter name, e.g. "rx_queue_3_packets" or "five-tuple[12]_hits". */
  readonly name: string;
  /** Current value. */
  readonly value: number;
}

/** A frame waiting in an RX ring, as the driver sees it when polling. */
export interface RxDescriptorView {
  /** Caller's cookie passed to receive (e.g. a buffer-pool id). */
  readonly cookie: number;
  /** Frame length in bytes. */
  readonly length: number;
  /** RX flags. */
  readonly flags: number;
  /** RSS hash. */
  readonly hash: number;
}

/**
 * A behavioural NIC model.
 *
 * Lifecycle: construct with a valid {@link NicConfig} (or the model's default), then
 * `configure(next)` or `apply(ops)` to change it; `receive` per frame; `pollRx` to consume.
 */
export interface NicModel {
  /** The NIC's capabilities (every limit, with sources). */
  readonly capabilities: NicCapabilities;
  /** The configuration in force. */
  config(): NicConfig;
  /** Every problem with `config` for this NIC; empty when it can be applied. */
  validate(config: NicConfig): readonly ValidationIssue[];
  /** Moves to `next` by diff; returns the ops applied. Throws {@link NicConfigError} if invalid. */
  configure(next: NicConfig): readonly ConfigOp[];
  /** Applies ops to the configuration in force. Throws {@link NicConfigError} if the result is invalid. */
  apply(ops: readonly ConfigOp[]): void;
  /**
   * Decides queue and flags for one frame without side effects (no counters, no rings).
   * Returns the queue (or -1 when it would be dropped) and fills `out`.
   */
  classify(bytes: Uint8Array, off: number, len: number, out: RxResult): number;
  /**
   * Receives one frame: classify, count, and put a descriptor in the chosen RX ring (dropping
   * with a counted reason when the ring is full). Returns the queue or -1.
   */
  receive(bytes: Uint8Array, off: number, len: number, out: RxResult, cookie?: number): number;
  /** Frames waiting in RX queue `q`. */
  rxPending(q: number): number;
  /**
   * Consumes up to `max` descriptors of RX queue `q`, writing their cookies into `cookies`
   * (from index 0); returns how many. Frees the descriptors for new frames.
   */
  pollRx(q: number, max: number, cookies: Int32Array): number;
  /** Queues a frame of `len` bytes on TX queue `q`; false (and counted) when the ring is full. */
  transmit(q: number, len: number, cookie?: number): boolean;
  /** Completes up to `max` queued TX descriptors of queue `q` (sent on the wire); returns how many. */
  completeTx(q: number, max: number): number;
  /** All counters, `ethtool -S` style (per queue, per filter hits, drops by reason). */
  counters(): readonly CounterEntry[];
  /** Sets every counter to zero. */
  resetCounters(): void;
}

/** A change an oracle proposes for one flow, with the queue it steers the flow to. */
export interface ProposedChange {
  /** Ops to apply to the current configuration. */
  readonly ops: readonly ConfigOp[];
  /** Queue the flow lands on after the ops. */
  readonly queue: number;
  /** Queues whose flow sets this change may alter (for incremental cost evaluation). */
  readonly affectedQueues: readonly number[];
}

/** A UDP/TCP IPv4 flow for oracles; absent fields are wildcards (dragonet-model.md §8.1). */
export interface FlowSpec {
  /** IP protocol number, default 17 (UDP). */
  readonly proto?: number;
  /** Remote endpoint address (packet source), dotted quad. */
  readonly srcIp?: string;
  /** Local address (packet destination), dotted quad. */
  readonly dstIp?: string;
  /** Remote port. */
  readonly srcPort?: number;
  /** Local port. */
  readonly dstPort?: number;
}

/** Proposes configuration changes that steer a flow to a queue (dragonet-model.md §8.3). */
export interface NicOracle {
  /** Candidate changes for `flow` given the current `config`; empty when nothing fits. */
  propose(config: NicConfig, flow: FlowSpec): readonly ProposedChange[];
}
