/**
 * The Intel 82599 behavioural model: classifies real frames to a queue in the documented
 * precedence and sets checksum-status flags (nic-models.md §2).
 *
 * Per frame (no allocation, numbers only): L2 length and unicast-MAC checks; EtherType filters
 * (8, linear); SYN filter (high or low priority); five-tuple filters (128; one hash index per
 * active field pattern, highest priority then lowest slot wins); Flow Director perfect (exact
 * compare of the masked tuple in its 15-bit bucket chain) or signature (16-bit signature compare
 * only, so colliding flows share a rule); RSS (Toeplitz LUT, 128-entry table); default queue 0.
 * Filters match IPv4 only (see capabilities `ipv6Filters`); RSS hashes IPv4 and IPv6.
 *
 * Counters (from {@link NicBase}): per queue packets/bytes/no_dma_resources, drops by reason,
 * `<table>_hits` and `<table>[slot]_hits` per filter.
 *
 * @module
 */
import { applyOps, ruleKey } from "../_shared/config_diff.ts";
import { formatIpv4Address } from "../_shared/addr.ts";
import { NicBase } from "../_shared/nic_base.ts";
import {
  type ConfigOp,
  type CounterEntry,
  type FilterRule,
  type NicConfig,
  NicDrop,
  RxFlag,
  type RxResult,
  RxStage,
  type ValidationIssue,
} from "../_shared/nic.ts";
import { rxPrologue } from "../_shared/rx_common.ts";
import { IpProto, parseRxFrame, RxKey, TcpFlag } from "../_shared/rx_parse.ts";
import { RssEngine } from "../_shared/rss.ts";
import {
  compileFdir,
  compileFiveTuple,
  type FdirMaskBits,
  fdirMaskBits,
  fiveTupleBucket,
  Pat,
} from "./_compile.ts";
import { fdirBucket, fdirSignature } from "./fdir_hash.ts";
import { INTEL_82599, Table82599, TableId82599 } from "./capabilities.ts";
import { readSettings82599, type Settings82599 } from "./settings.ts";
import { validate82599 } from "./validate.ts";
import { defaultIntel82599Config } from "./default_config.ts";

/** Slot bookkeeping for one table: rule content -> slots, lowest free slot first. */
class Slots {
  readonly used: Uint8Array;
  private readonly byKey = new Map<string, number[]>();
  private low = 0;
  count = 0;
  constructor(capacity: number) {
    this.used = new Uint8Array(capacity);
  }
  alloc(key: string): number {
    let s = this.low;
    while (s < this.used.length && this.used[s] === 1) s++;
    if (s >= this.used.length) return -1;
    this.used[s] = 1;
    this.low = s + 1;
    this.count++;
    const list = this.byKey.get(key);
    if (list) list.push(s);
    else this.byKey.set(key, [s]);
    return s;
  }
  free(key: string): number {
    const list = this.byKey.get(key);
    const s = list?.pop();
    if (s === undefined) return -1;
    if (list?.length === 0) this.byKey.delete(key);
    this.used[s] = 0;
    if (s < this.low) this.low = s;
    this.count--;
    return s;
  }
  clear(): void {
    this.used.fill(0);
    this.byKey.clear();
    this.low = 0;
    this.count = 0;
  }
}

const FT_CAP = INTEL_82599.filterTables[Table82599.FiveTuple]?.capacity.value ?? 0;
const ET_CAP = INTEL_82599.filterTables[Table82599.EtherType]?.capacity.value ?? 0;
const FD_CAP = Math.max(
  INTEL_82599.filterTables[Table82599.FdirPerfect]?.capacity.value ?? 0,
  INTEL_82599.filterTables[Table82599.FdirSignature]?.capacity.value ?? 0,
);
const FD_BUCKETS = 1 << INTEL_82599.fdir.bucketBits.value;

/** The Intel 82599 NIC model. */
export class Intel82599 extends NicBase {
  private readonly key = new RxKey();
  private readonly rssEngine: RssEngine;
  private s: Settings82599;
  private macHi = new Int32Array(0);
  private macLo = new Uint32Array(0);
  private readonly vfta = new Uint8Array(INTEL_82599.vlanFilterBits.value);
  private vlanFiltering = false;

  // EtherType filters
  private readonly etSlots = new Slots(ET_CAP);
  private readonly etType = new Int32Array(ET_CAP);
  private readonly etQueue = new Int32Array(ET_CAP);

  // SYN filter
  private synQueue = -1;

  // Five-tuple filters
  private readonly ftSlots = new Slots(FT_CAP);
  private readonly ftPattern = new Uint8Array(FT_CAP);
  private readonly ftProto = new Int32Array(FT_CAP);
  private readonly ftSrc = new Uint32Array(FT_CAP);
  private readonly ftDst = new Uint32Array(FT_CAP);
  private readonly ftPorts = new Uint32Array(FT_CAP);
  private readonly ftPrio = new Int32Array(FT_CAP);
  private readonly ftQueue = new Int32Array(FT_CAP);
  private readonly ftBucket = new Int32Array(FT_CAP);
  private readonly ftNext = new Int32Array(FT_CAP).fill(-1);
  private readonly ftHead = new Int32Array(1024).fill(-1);
  private readonly ftPatternCount = new Int32Array(32);
  private readonly ftActive = new Int32Array(32);
  private ftActiveN = 0;

  // Flow Director
  private fdSlots = new Slots(FD_CAP);
  private readonly fdProto = new Int32Array(FD_CAP);
  private readonly fdSrc = new Uint32Array(FD_CAP);
  private readonly fdDst = new Uint32Array(FD_CAP);
  private readonly fdPorts = new Uint32Array(FD_CAP);
  private readonly fdSig = new Int32Array(FD_CAP);
  private readonly fdBucket = new Int32Array(FD_CAP);
  private readonly fdQueue = new Int32Array(FD_CAP);
  private readonly fdNext = new Int32Array(FD_CAP).fill(-1);
  private readonly fdHead = new Int32Array(FD_BUCKETS).fill(-1);
  private readonly fdRule: (FilterRule | null)[] = new Array(FD_CAP).fill(null);
  private fdMode = 0; // 0 off, 1 perfect, 2 signature

  // ATR (Application Targeted Routing)
  private readonly txKey = new RxKey();
  private readonly atrCount = new Uint32Array(INTEL_82599.txQueues.value);
  private readonly atrStats = new Float64Array(4); // sampled, added, updated, skipped
  private fdMask: FdirMaskBits = fdirMaskBits({
    proto: true,
    srcIp: 32,
    dstIp: 32,
    srcPort: 0xffff,
    dstPort: 0xffff,
  });

  /** Builds the NIC in `config` (default: the Linux ixgbe bring-up, see default_config.ts). */
  constructor(config: NicConfig = defaultIntel82599Config()) {
    super(INTEL_82599, config);
    if (INTEL_82599.rss === null) throw new Error("Intel 82599 capabilities lack RSS");
    this.rssEngine = new RssEngine(INTEL_82599.rss);
    this.s = readSettings82599(config);
    this.start(config);
  }

  /** Every problem with `config` for the 82599. */
  validate(config: NicConfig): readonly ValidationIssue[] {
    return validate82599(config);
  }

  /** Updates filters, RSS and settings by the ops (slots reused lowest first). */
  protected install(next: NicConfig, ops: readonly ConfigOp[]): void {
    const s = readSettings82599(next);
    const old = this.s;
    const fdirChanged = this.fdSlots.count === 0 || s.fdirMode !== old.fdirMode ||
      s.fdirPballoc !== old.fdirPballoc ||
      JSON.stringify(s.fdirMask) !== JSON.stringify(old.fdirMask);
    this.s = s;
    this.rssEngine.configure(next.rss);
    this.macHi = Int32Array.from(
      s.unicastMacs,
      (m) => parseInt(m.replaceAll(":", "").slice(0, 4), 16),
    );
    this.macLo = Uint32Array.from(
      s.unicastMacs,
      (m) => parseInt(m.replaceAll(":", "").slice(4), 16),
    );
    this.vfta.fill(0);
    this.vlanFiltering = s.vlanFilter !== null;
    for (const id of s.vlanFilter ?? []) this.vfta[id] = 1;
    if (fdirChanged) {
      this.fdMode = s.fdirMode === "off" ? 0 : s.fdirMode === "perfect" ? 1 : 2;
      this.fdMask = fdirMaskBits(s.fdirMask);
      this.fdSlots.clear();
      this.fdHead.fill(-1);
      for (const r of next.filters) {
        if (r.table === TableId82599.FdirPerfect || r.table === TableId82599.FdirSignature) {
          this.addFdir(r);
        }
      }
    }
    for (const op of ops) {
      if (op.op === "set") continue;
      const r = op.rule;
      const isFdir = r.table === TableId82599.FdirPerfect || r.table === TableId82599.FdirSignature;
      if (isFdir && fdirChanged) continue;
      if (op.op === "remove") this.removeRule(r);
      else this.addRule(r);
    }
  }

  /** Installs one rule in the lowest free slot of its table. */
  private addRule(r: FilterRule): void {
    switch (r.table) {
      case TableId82599.EtherType: {
        const slot = this.etSlots.alloc(ruleKey(r));
        this.etType[slot] = r.match.etherType ?? -1;
        this.etQueue[slot] = r.queue;
        this.clearHits(Table82599.EtherType, slot);
        break;
      }
      case TableId82599.Syn:
        this.synQueue = r.queue;
        this.clearHits(Table82599.Syn, 0);
        break;
      case TableId82599.FiveTuple:
        this.addFiveTuple(r);
        break;
      default:
        this.addFdir(r);
    }
  }

  /** Frees the slot of one installed rule. */
  private removeRule(r: FilterRule): void {
    switch (r.table) {
      case TableId82599.EtherType: {
        const slot = this.etSlots.free(ruleKey(r));
        if (slot >= 0) this.etType[slot] = -1;
        break;
      }
      case TableId82599.Syn:
        this.synQueue = -1;
        break;
      case TableId82599.FiveTuple: {
        const slot = this.ftSlots.free(ruleKey(r));
        if (slot < 0) return;
        this.unlink(this.ftHead, this.ftNext, this.ftBucket[slot] ?? 0, slot);
        const p = this.ftPattern[slot] ?? 0;
        this.ftPatternCount[p] = (this.ftPatternCount[p] ?? 0) - 1;
        this.refreshPatterns();
        break;
      }
      default: {
        const slot = this.fdSlots.free(ruleKey(r));
        if (slot >= 0) {
          this.unlink(this.fdHead, this.fdNext, this.fdBucket[slot] ?? 0, slot);
          this.fdRule[slot] = null;
        }
      }
    }
  }

  /** Removes `slot` from the hash chain of `bucket`. */
  private unlink(head: Int32Array, next: Int32Array, bucket: number, slot: number): void {
    let prev = -1;
    let cur = head[bucket] ?? -1;
    while (cur !== -1 && cur !== slot) {
      prev = cur;
      cur = next[cur] ?? -1;
    }
    if (cur === -1) return;
    if (prev === -1) head[bucket] = next[slot] ?? -1;
    else next[prev] = next[slot] ?? -1;
    next[slot] = -1;
  }

  /** Installs a five-tuple rule and indexes it under its field pattern. */
  private addFiveTuple(r: FilterRule): void {
    const slot = this.ftSlots.alloc(ruleKey(r));
    const k = compileFiveTuple(r);
    this.ftPattern[slot] = k.pattern;
    this.ftProto[slot] = k.proto;
    this.ftSrc[slot] = k.src;
    this.ftDst[slot] = k.dst;
    this.ftPorts[slot] = k.ports;
    this.ftPrio[slot] = r.priority ?? 1;
    this.ftQueue[slot] = r.queue;
    const b = fiveTupleBucket(k.pattern, k.proto, k.src, k.dst, k.ports);
    this.ftBucket[slot] = b;
    this.ftNext[slot] = this.ftHead[b] ?? -1;
    this.ftHead[b] = slot;
    this.ftPatternCount[k.pattern] = (this.ftPatternCount[k.pattern] ?? 0) + 1;
    this.refreshPatterns();
    this.clearHits(Table82599.FiveTuple, slot);
  }

  /** Recomputes the list of field patterns that have rules. */
  private refreshPatterns(): void {
    this.ftActiveN = 0;
    for (let p = 0; p < 32; p++) {
      if ((this.ftPatternCount[p] ?? 0) > 0) this.ftActive[this.ftActiveN++] = p;
    }
  }

  /** Installs a Flow Director rule in its bucket chain. */
  private addFdir(r: FilterRule): void {
    const slot = this.fdSlots.alloc(ruleKey(r));
    const k = compileFdir(r, this.fdMask);
    this.fdProto[slot] = k.proto;
    this.fdSrc[slot] = k.src;
    this.fdDst[slot] = k.dst;
    this.fdPorts[slot] = k.ports;
    this.fdSig[slot] = k.sig;
    this.fdBucket[slot] = k.bucket;
    this.fdQueue[slot] = r.queue;
    this.fdRule[slot] = r;
    this.fdNext[slot] = this.fdHead[k.bucket] ?? -1;
    this.fdHead[k.bucket] = slot;
    this.clearHits(
      r.table === TableId82599.FdirPerfect ? Table82599.FdirPerfect : Table82599.FdirSignature,
      slot,
    );
  }

  /** Decides the queue of one frame in the 82599's precedence order. */
  classify(bytes: Uint8Array, off: number, len: number, out: RxResult): number {
    const k = this.key;
    if (!rxPrologue(bytes, off, len, k, out, this.s.rxChecksum, this.s.maxFrame)) return -1;
    // L2: unicast destination must be one of the RAR entries when any are configured.
    const nMac = this.macHi.length;
    if (nMac > 0 && (k.dstMacHi & 0x0100) === 0) {
      let ok = false;
      for (let i = 0; i < nMac; i++) {
        if (this.macHi[i] === k.dstMacHi && this.macLo[i] === k.dstMacLo) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        out.drop = NicDrop.L2Address;
        out.stage = RxStage.Dropped;
        return -1;
      }
    }
    // L2: a tagged frame's VLAN id must be in the VLAN filter table when filtering is on.
    if (this.vlanFiltering && k.vlan >= 0 && this.vfta[k.vlan] !== 1) {
      out.drop = NicDrop.VlanFiltered;
      out.stage = RxStage.Dropped;
      return -1;
    }
    // 1. EtherType filters.
    if (this.etSlots.count > 0) {
      const used = this.etSlots.used;
      for (let i = 0; i < ET_CAP; i++) {
        if (used[i] === 1 && this.etType[i] === k.etherType) {
          return this.hit(out, Table82599.EtherType, i, this.etQueue[i] ?? 0);
        }
      }
    }
    const isSyn = this.synQueue >= 0 && k.proto === IpProto.Tcp && k.hasPorts &&
      (k.tcpFlags & TcpFlag.Syn) !== 0;
    // 2. SYN filter with the priority bit set.
    if (isSyn && this.s.synHighPriority) return this.hit(out, Table82599.Syn, 0, this.synQueue);
    const v4 = k.ipVersion === 4;
    // 3. Five-tuple filters: highest priority among matches, then lowest slot.
    if (v4 && this.ftActiveN > 0) {
      let best = -1;
      let bestPrio = -1;
      const ports = k.hasPorts ? ((k.srcPort << 16) | k.dstPort) >>> 0 : 0;
      for (let a = 0; a < this.ftActiveN; a++) {
        const p = this.ftActive[a] ?? 0;
        const proto = p & Pat.Proto ? k.proto : 0;
        const src = p & Pat.Src ? k.srcIp : 0;
        const dst = p & Pat.Dst ? k.dstIp : 0;
        const mp = (((p & Pat.SrcPort ? 0xffff0000 : 0) | (p & Pat.DstPort ? 0xffff : 0)) &
          ports) >>> 0;
        if ((p & (Pat.SrcPort | Pat.DstPort)) !== 0 && !k.hasPorts) continue;
        let s = this.ftHead[fiveTupleBucket(p, proto, src, dst, mp)] ?? -1;
        while (s !== -1) {
          if (
            this.ftPattern[s] === p && this.ftProto[s] === proto && this.ftSrc[s] === src &&
            this.ftDst[s] === dst && this.ftPorts[s] === mp
          ) {
            const pr = this.ftPrio[s] ?? 0;
            if (pr > bestPrio || (pr === bestPrio && s < best)) {
              best = s;
              bestPrio = pr;
            }
          }
          s = this.ftNext[s] ?? -1;
        }
      }
      if (best >= 0) return this.hit(out, Table82599.FiveTuple, best, this.ftQueue[best] ?? 0);
    }
    // 4. SYN filter without the priority bit.
    if (isSyn) return this.hit(out, Table82599.Syn, 0, this.synQueue);
    // 5. Flow Director.
    if (v4 && this.fdMode !== 0 && this.fdSlots.count > 0) {
      const m = this.fdMask;
      const proto = k.proto & m.proto;
      const src = (k.srcIp & m.src) >>> 0;
      const dst = (k.dstIp & m.dst) >>> 0;
      const ports = ((k.hasPorts ? ((k.srcPort << 16) | k.dstPort) : 0) & m.ports) >>> 0;
      let s = this.fdHead[fdirBucket(proto, src, dst, ports)] ?? -1;
      if (this.fdMode === 1) {
        while (s !== -1) {
          if (
            this.fdPorts[s] === ports && this.fdSrc[s] === src && this.fdDst[s] === dst &&
            this.fdProto[s] === proto
          ) {
            const q = this.fdQueue[s] ?? 0;
            if (q < 0) {
              out.table = Table82599.FdirPerfect;
              out.slot = s;
              out.drop = NicDrop.FilterDrop;
              out.stage = RxStage.Dropped;
              return -1;
            }
            return this.hit(out, Table82599.FdirPerfect, s, q);
          }
          s = this.fdNext[s] ?? -1;
        }
      } else if (s !== -1) {
        const sig = fdirSignature(proto, src, dst, ports);
        while (s !== -1) {
          if (this.fdSig[s] === sig) {
            return this.hit(out, Table82599.FdirSignature, s, this.fdQueue[s] ?? 0);
          }
          s = this.fdNext[s] ?? -1;
        }
      }
    }
    // 6. RSS, 7. default queue.
    const q = this.rssEngine.select(bytes, k, out);
    if (q >= 0) {
      out.stage = RxStage.Rss;
      out.queue = q;
      return q;
    }
    out.stage = RxStage.Default;
    out.queue = INTEL_82599.defaultQueue.value;
    return out.queue;
  }

  /**
   * ATR, the ixgbe driver's Application Targeted Routing (nic-models.md §2.5), for one frame the
   * host transmits on TX queue `txQueue`. Effective only in signature mode with `atr` on. Samples
   * IPv4 TCP only: every SYN and every `atrSampleRate`-th segment of the ring, never a FIN; for a
   * sampled segment installs a signature filter for the reverse direction (as the receiver sees
   * it) pointing at `txQueue`, or re-points an existing one (flows follow migrating threads).
   * Returns true when the configuration changed. Skips (and counts) when the table or the bucket
   * chain is full or the global mask does not compare all five fields.
   */
  atrTransmit(bytes: Uint8Array, off: number, len: number, txQueue: number): boolean {
    if (!Number.isInteger(txQueue) || txQueue < 0 || txQueue >= this.cfg.queues) {
      throw new RangeError(
        `TX queue ${txQueue} does not exist: configured queues are 0..${this.cfg.queues - 1}`,
      );
    }
    const s = this.s;
    if (!s.atr || this.fdMode !== 2) return false;
    const k = this.txKey;
    parseRxFrame(bytes, off, len, k, false);
    if (k.ipVersion !== 4 || k.proto !== IpProto.Tcp || !k.hasPorts) return false;
    if ((k.tcpFlags & TcpFlag.Fin) !== 0) return false;
    const n = (this.atrCount[txQueue] ?? 0) + 1;
    this.atrCount[txQueue] = n;
    if ((k.tcpFlags & TcpFlag.Syn) === 0 && n % s.atrSampleRate !== 0) return false;
    this.atrStats[0] = (this.atrStats[0] ?? 0) + 1;
    const skip = () => {
      this.atrStats[3] = (this.atrStats[3] ?? 0) + 1;
      return false;
    };
    const m = s.fdirMask;
    if (
      !m.proto || m.srcIp !== 32 || m.dstIp !== 32 || m.srcPort !== 0xffff || m.dstPort !== 0xffff
    ) {
      return skip();
    }
    const rule: FilterRule = {
      table: TableId82599.FdirSignature,
      match: {
        proto: IpProto.Tcp,
        srcIp: formatIpv4Address(k.dstIp),
        dstIp: formatIpv4Address(k.srcIp),
        srcPort: k.dstPort,
        dstPort: k.srcPort,
      },
      queue: txQueue,
    };
    const key = compileFdir(rule, this.fdMask);
    let chain = 0;
    let old: FilterRule | null = null;
    for (let slot = this.fdHead[key.bucket] ?? -1; slot !== -1; slot = this.fdNext[slot] ?? -1) {
      chain++;
      if (this.fdSig[slot] === key.sig) old = this.fdRule[slot] ?? null;
    }
    let ops: ConfigOp[];
    if (old !== null) {
      if (old.queue === txQueue) return false;
      ops = [{ op: "remove", rule: old }, { op: "add", rule }];
      this.atrStats[2] = (this.atrStats[2] ?? 0) + 1;
    } else {
      const cap = INTEL_82599.fdir.signatureByPballoc.value[s.fdirPballoc - 1] ?? 0;
      if (this.fdSlots.count >= cap || chain >= INTEL_82599.fdir.bucketChainLimit.value) {
        return skip();
      }
      ops = [{ op: "add", rule }];
      this.atrStats[1] = (this.atrStats[1] ?? 0) + 1;
    }
    const next = applyOps(this.cfg, ops);
    this.install(next, ops);
    this.cfg = next;
    return true;
  }

  /** ATR counters (`fdir_atr_*`), after the shared ones. */
  protected override extraCounters(): CounterEntry[] {
    const names = ["sampled", "added", "updated", "skipped"];
    return names.map((n, i) => ({ name: `fdir_atr_${n}`, value: this.atrStats[i] ?? 0 }));
  }

  /** Sets every counter, ATR's included, to zero. */
  override resetCounters(): void {
    super.resetCounters();
    this.atrStats.fill(0);
  }

  /** Records a filter decision in `out` and returns the queue. */
  private hit(out: RxResult, table: number, slot: number, queue: number): number {
    out.stage = RxStage.Filter;
    out.flags |= RxFlag.FilterMatch;
    out.table = table;
    out.slot = slot;
    out.queue = queue;
    return queue;
  }
}
