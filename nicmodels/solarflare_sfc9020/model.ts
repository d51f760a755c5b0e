/**
 * Behavioural model of the Solarflare SFC9020 receive path: classifies real frame bytes to a
 * queue and sets checksum-status flags, with the hashed IP and MAC filter tables, RSS and the
 * unicast/multicast default destinations (reference `nic-models.md` §1, §3).
 *
 * Receive order (§3.6, match priority full > wildcard > MAC full > MAC wild > default):
 * 1. parse (shared NIC parser) and check IPv4/TCP/UDP checksums (§3.8 RX event flags);
 * 2. IPv4 TCP/UDP, not a fragment: look up the full key, then the wildcard key, each walking at
 *    most its type's search depth;
 * 3. MAC full (tagged frames: destination MAC + VLAN), then MAC wild (destination MAC);
 * 4. default: multicast (group bit set) or unicast destination queue;
 * a matching filter or default with RSS enabled picks `base queue + indirection entry` (§3.6).
 *
 * Config (`NicConfig`): `queues`, `ringSize` (512..4096, power of two), `rss` (40-byte key,
 * 128 six-bit entries), `filters` (tables "ip" and "mac", see `rule.ts`), `settings`
 * (`unicastDefaultQueue`, `unicastDefaultRss`, `multicastDefaultQueue`, `multicastDefaultRss`;
 * defaults 0 / true). Changes apply as a diff; an insertion the hashed table refuses (EBUSY
 * after 200 probes) rejects the whole change and leaves the old state in force.
 *
 * Counters (beyond the shared `ethtool -S` set): `rx_ip_hdr_chksum_err`,
 * `rx_tcp_udp_chksum_err`, `ip_filter_lookups`, `ip_filter_probes`, `mac_filter_lookups`,
 * `mac_filter_probes`, `ip_filter_search_depth_<type>`, `mac_filter_search_depth_<type>`,
 * `<table>_insert_busy`.
 *
 * @module
 */
import { NicBase } from "../_shared/nic_base.ts";
import {
  type ConfigOp,
  type CounterEntry,
  type FilterRule,
  type NicConfig,
  NicConfigError,
  NicDrop,
  RxFlag,
  type RxResult,
  RxStage,
  type ValidationIssue,
} from "../_shared/nic.ts";
import { ruleKey } from "../_shared/config_diff.ts";
import { RssEngine } from "../_shared/rss.ts";
import { CsumStatus, IpProto, parseRxFrame, RxKey } from "../_shared/rx_parse.ts";
import { SFC9020_CAPABILITIES, type SfcCapabilities, SfcSetting } from "./capabilities.ts";
import {
  fillIpFilterWords,
  fillMacFilterWords,
  SFC_FILTER_TYPE_NAMES,
  SfcFilterType,
} from "./filter_key.ts";
import {
  insertErrorText,
  SFC_FLAG_RSS,
  SfcFilterTable,
  type SfcFilterTableSnapshot,
} from "./filter_table.ts";
import { compileSfcRule } from "./rule.ts";
import { validateSfcConfig } from "./validate.ts";

/** Index of the IP table in `capabilities.filterTables` (and in `RxResult.table`). */
export const SFC_IP_TABLE_INDEX = 0;
/** Index of the MAC table in `capabilities.filterTables` (and in `RxResult.table`). */
export const SFC_MAC_TABLE_INDEX = 1;

const IP_TYPES = [
  SfcFilterType.TcpFull,
  SfcFilterType.TcpWild,
  SfcFilterType.UdpFull,
  SfcFilterType.UdpWild,
] as const;
const MAC_TYPES = [SfcFilterType.MacFull, SfcFilterType.MacWild] as const;

/** Where an installed rule lives. */
interface Placement {
  readonly table: number;
  readonly slot: number;
}

/** The SFC9020 behavioural model. */
export class Sfc9020Nic extends NicBase {
  /** The SFC capabilities (same object as `capabilities`, with the SFC-specific part). */
  readonly sfcCapabilities: SfcCapabilities;
  /** The RX IP filter table (read-only use outside the model: inspect slots and depths). */
  readonly ipTable: SfcFilterTable;
  /** The RX MAC filter table. */
  readonly macTable: SfcFilterTable;
  readonly #rss: RssEngine;
  readonly #key = new RxKey();
  readonly #words = new Uint32Array(4);
  readonly #placement = new Map<string, Placement>();
  readonly #ruleAt: readonly Map<number, FilterRule>[] = [new Map(), new Map()];
  #ucQueue = 0;
  #ucRss = true;
  #mcQueue = 0;
  #mcRss = true;
  #fragSkip: boolean;
  #untaggedVlan0: boolean;
  // Scratch of the last classify, folded into counters by receive.
  #lastIpLookups = 0;
  #lastIpProbes = 0;
  #lastMacLookups = 0;
  #lastMacProbes = 0;
  // SFC counters.
  #ipLookups = 0;
  #ipProbes = 0;
  #macLookups = 0;
  #macProbes = 0;
  #ipHdrErr = 0;
  #l4Err = 0;

  /**
   * Builds the model in `config` (see {@link sfcDefaultConfig}).
   *
   * @throws {NicConfigError} when the configuration is invalid or the hashed table refuses a rule.
   */
  constructor(config: NicConfig, capabilities: SfcCapabilities = SFC9020_CAPABILITIES) {
    super(capabilities, config);
    this.sfcCapabilities = capabilities;
    this.ipTable = new SfcFilterTable(capabilities.sfc.ipTable);
    this.macTable = new SfcFilterTable(capabilities.sfc.macTable);
    if (capabilities.rss === null) {
      throw new RangeError("Cannot build the SFC9020 model: its capabilities must declare RSS");
    }
    this.#rss = new RssEngine(capabilities.rss);
    this.#fragSkip = capabilities.sfc.fragmentsSkipIpFilters.value;
    this.#untaggedVlan0 = capabilities.sfc.untaggedMatchesMacFullVlan0.value;
    this.start(config);
  }

  /** Every problem with `config` (static checks; see `validate.ts`). */
  validate(config: NicConfig): readonly ValidationIssue[] {
    return validateSfcConfig(this.sfcCapabilities, config);
  }

  /**
   * Applies the filter ops to the hashed tables (removes, then adds), all or nothing, then loads
   * RSS and the default destinations of `next`.
   */
  protected install(next: NicConfig, ops: readonly ConfigOp[]): void {
    const caps = this.sfcCapabilities;
    const snaps: [SfcFilterTableSnapshot, SfcFilterTableSnapshot] = [
      this.ipTable.snapshot(),
      this.macTable.snapshot(),
    ];
    const issues: ValidationIssue[] = [];
    const removed: string[] = [];
    const added: [string, Placement, FilterRule][] = [];
    for (const op of ops) {
      if (op.op !== "remove") continue;
      const k = ruleKey(op.rule);
      const p = this.#placement.get(k);
      if (p === undefined) continue;
      this.#tableAt(p.table).remove(p.slot);
      removed.push(k);
    }
    for (const op of ops) {
      if (op.op !== "add") continue;
      const path = () => {
        const k = ruleKey(op.rule);
        return `filters[${next.filters.findIndex((r) => ruleKey(r) === k)}]`;
      };
      const c = compileSfcRule(caps, op.rule, next.queues, "filters[?]", issues);
      if (c === null) continue;
      const table = this.#tableAt(c.table);
      const r = table.insert(c.type, c.d0, c.d1, c.d2, c.key, c.queue, c.flags, c.priority);
      if (r < 0) {
        const cap = c.table === SFC_IP_TABLE_INDEX ? caps.sfc.ipTable : caps.sfc.macTable;
        issues.push({
          path: path(),
          message: `The ${caps.filterTables[c.table]?.id} filter table refused this ` +
            `${SFC_FILTER_TYPE_NAMES[c.type]} rule: ${insertErrorText(r)}; the table holds ` +
            `${table.count} of ${cap.capacity.value} entries and an insert probes at most ` +
            `${cap.maxInsertDepth.value} slots`,
        });
        continue;
      }
      added.push([ruleKey(op.rule), { table: c.table, slot: r }, op.rule]);
    }
    if (issues.length > 0) {
      this.ipTable.restore(snaps[0]);
      this.macTable.restore(snaps[1]);
      throw new NicConfigError(issues);
    }
    for (const k of removed) {
      const p = this.#placement.get(k);
      if (p === undefined) continue;
      this.clearHits(p.table, p.slot);
      this.#ruleAt[p.table]?.delete(p.slot);
      this.#placement.delete(k);
    }
    for (const [k, p, rule] of added) {
      this.clearHits(p.table, p.slot);
      this.#ruleAt[p.table]?.set(p.slot, rule);
      this.#placement.set(k, p);
    }
    this.#rss.configure(next.rss);
    const s = next.settings;
    const dq = caps.defaultQueue.value;
    this.#ucQueue = typeof s[SfcSetting.UnicastQueue] === "number"
      ? s[SfcSetting.UnicastQueue] as number
      : dq;
    this.#mcQueue = typeof s[SfcSetting.MulticastQueue] === "number"
      ? s[SfcSetting.MulticastQueue] as number
      : dq;
    this.#ucRss = s[SfcSetting.UnicastRss] !== false;
    this.#mcRss = s[SfcSetting.MulticastRss] !== false;
  }

  /** The installed rule in slot `slot` of table `table` (0 = ip, 1 = mac), if any. */
  ruleAt(table: number, slot: number): FilterRule | undefined {
    return this.#ruleAt[table]?.get(slot);
  }

  /** Table slot of an installed rule (by content), or undefined when it is not installed. */
  placementOf(rule: FilterRule): { table: number; slot: number } | undefined {
    return this.#placement.get(ruleKey(rule));
  }

  #tableAt(index: number): SfcFilterTable {
    return index === SFC_IP_TABLE_INDEX ? this.ipTable : this.macTable;
  }

  /** Decides queue and flags for one frame; no counters, no rings (see `NicModel.classify`). */
  classify(bytes: Uint8Array, off: number, len: number, out: RxResult): number {
    out.reset();
    this.#lastIpLookups = 0;
    this.#lastIpProbes = 0;
    this.#lastMacLookups = 0;
    this.#lastMacProbes = 0;
    const k = this.#key;
    parseRxFrame(bytes, off, len, k, true);
    if (k.etherType < 0) {
      out.stage = RxStage.Dropped;
      out.drop = NicDrop.L2Length;
      return -1;
    }
    if (k.ipv4Csum !== CsumStatus.NotChecked) {
      out.flags |= RxFlag.Ipv4ChecksumChecked;
      if (k.ipv4Csum === CsumStatus.Bad) out.flags |= RxFlag.Ipv4ChecksumBad;
    }
    if (k.l4Csum !== CsumStatus.NotChecked) {
      out.flags |= RxFlag.L4ChecksumChecked;
      if (k.l4Csum === CsumStatus.Bad) out.flags |= RxFlag.L4ChecksumBad;
    }
    let table: SfcFilterTable | null = null;
    let tableIndex = -1;
    let slot = -1;
    const w = this.#words;
    // IP filters: full key first, then the wildcard key.
    const ip = this.ipTable;
    if (
      ip.count > 0 && k.ipVersion === 4 && k.hasPorts &&
      (k.proto === IpProto.Tcp || k.proto === IpProto.Udp) && !(k.fragment && this.#fragSkip)
    ) {
      const udp = k.proto === IpProto.Udp;
      const full = udp ? SfcFilterType.UdpFull : SfcFilterType.TcpFull;
      const wild = udp ? SfcFilterType.UdpWild : SfcFilterType.TcpWild;
      if ((ip.searchDepth[full] ?? 0) > 0) {
        fillIpFilterWords(full, k.dstIp, k.dstPort, k.srcIp, k.srcPort, w);
        slot = ip.lookup(full, w[0] ?? 0, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0);
        this.#lastIpLookups++;
        this.#lastIpProbes += ip.lastProbes;
      }
      if (slot < 0 && (ip.searchDepth[wild] ?? 0) > 0) {
        fillIpFilterWords(wild, k.dstIp, k.dstPort, 0, 0, w);
        slot = ip.lookup(wild, w[0] ?? 0, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0);
        this.#lastIpLookups++;
        this.#lastIpProbes += ip.lastProbes;
      }
      if (slot >= 0) {
        table = ip;
        tableIndex = SFC_IP_TABLE_INDEX;
      }
    }
    // MAC filters: MAC + VLAN, then MAC only.
    const mac = this.macTable;
    if (slot < 0 && mac.count > 0) {
      const tagged = k.vlan >= 0;
      if ((tagged || this.#untaggedVlan0) && (mac.searchDepth[SfcFilterType.MacFull] ?? 0) > 0) {
        fillMacFilterWords(SfcFilterType.MacFull, k.dstMacHi, k.dstMacLo, tagged ? k.vlan : 0, w);
        slot = mac.lookup(SfcFilterType.MacFull, w[0] ?? 0, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0);
        this.#lastMacLookups++;
        this.#lastMacProbes += mac.lastProbes;
      }
      if (slot < 0 && (mac.searchDepth[SfcFilterType.MacWild] ?? 0) > 0) {
        fillMacFilterWords(SfcFilterType.MacWild, k.dstMacHi, k.dstMacLo, 0, w);
        slot = mac.lookup(SfcFilterType.MacWild, w[0] ?? 0, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0);
        this.#lastMacLookups++;
        this.#lastMacProbes += mac.lastProbes;
      }
      if (slot >= 0) {
        table = mac;
        tableIndex = SFC_MAC_TABLE_INDEX;
      }
    }
    let base: number;
    let useRss: boolean;
    if (table !== null) {
      base = table.queue[slot] ?? 0;
      useRss = ((table.flags[slot] ?? 0) & SFC_FLAG_RSS) !== 0;
      out.stage = RxStage.Filter;
      out.table = tableIndex;
      out.slot = slot;
      out.flags |= RxFlag.FilterMatch;
    } else {
      const multicast = (k.dstMacHi & 0x0100) !== 0;
      base = multicast ? this.#mcQueue : this.#ucQueue;
      useRss = multicast ? this.#mcRss : this.#ucRss;
      out.stage = RxStage.Default;
    }
    let q = base;
    if (useRss && this.#rss.active) {
      const e = this.#rss.select(bytes, k, out);
      if (e >= 0) {
        q = base + e;
        if (table === null) out.stage = RxStage.Rss;
      }
    }
    out.queue = q;
    return q;
  }

  /** Receives one frame (see `NicModel.receive`) and updates the SFC lookup counters. */
  override receive(
    bytes: Uint8Array,
    off: number,
    len: number,
    out: RxResult,
    cookie = -1,
  ): number {
    const q = super.receive(bytes, off, len, out, cookie);
    this.#ipLookups += this.#lastIpLookups;
    this.#ipProbes += this.#lastIpProbes;
    this.#macLookups += this.#lastMacLookups;
    this.#macProbes += this.#lastMacProbes;
    if ((out.flags & RxFlag.Ipv4ChecksumBad) !== 0) this.#ipHdrErr++;
    if ((out.flags & RxFlag.L4ChecksumBad) !== 0) this.#l4Err++;
    return q;
  }

  /** The shared counters plus the SFC lookup, search-depth and checksum-error counters. */
  override counters(): readonly CounterEntry[] {
    const out = [...super.counters()];
    out.push({ name: "rx_ip_hdr_chksum_err", value: this.#ipHdrErr });
    out.push({ name: "rx_tcp_udp_chksum_err", value: this.#l4Err });
    out.push({ name: "ip_filter_lookups", value: this.#ipLookups });
    out.push({ name: "ip_filter_probes", value: this.#ipProbes });
    out.push({ name: "mac_filter_lookups", value: this.#macLookups });
    out.push({ name: "mac_filter_probes", value: this.#macProbes });
    for (
      const [name, t, types] of [
        ["ip", this.ipTable, IP_TYPES],
        ["mac", this.macTable, MAC_TYPES],
      ] as const
    ) {
      for (const ty of types) {
        out.push({
          name: `${name}_filter_search_depth_${SFC_FILTER_TYPE_NAMES[ty]}`,
          value: t.searchDepth[ty] ?? 0,
        });
      }
      out.push({ name: `${name}_filter_entries`, value: t.count });
      out.push({ name: `${name}_insert_busy`, value: t.insertBusy });
    }
    return out;
  }

  /** Zeroes every counter, the SFC ones included (search depths are state, not counters). */
  override resetCounters(): void {
    super.resetCounters();
    this.#ipLookups = 0;
    this.#ipProbes = 0;
    this.#macLookups = 0;
    this.#macProbes = 0;
    this.#ipHdrErr = 0;
    this.#l4Err = 0;
    this.ipTable.insertBusy = 0;
    this.macTable.insertBusy = 0;
  }
}
