/**
 * RSS as the NICs do it: choose hashed fields by packet type, Toeplitz-hash them, index the
 * indirection table with the hash's low bits (nic-models.md §2.3, §3.7, §4).
 *
 * {@link RssEngine.select} is the per-frame path (no allocation); {@link validateRss} checks an
 * {@link RssConfig} against a NIC's {@link RssCapability} with precise messages;
 * {@link defaultRssConfig} builds the Linux driver bring-up (round-robin table, default fields).
 *
 * @module
 */
import type {
  RssCapability,
  RssConfig,
  RssFields,
  RssHashType,
  RxResult,
  ValidationIssue,
} from "./nic.ts";
import { RSS_HASH_TYPES, RxFlag } from "./nic.ts";
import { IpProto, type RxKey } from "./rx_parse.ts";
import { parseKeyHex, ToeplitzHasher } from "./toeplitz.ts";

/** Field codes per hash type, indexed by {@link hashTypeIndex}. */
const FIELDS_NONE = 0;
const FIELDS_2 = 2;
const FIELDS_4 = 4;

function fieldsCode(f: RssFields): number {
  return f === "4-tuple" ? FIELDS_4 : f === "2-tuple" ? FIELDS_2 : FIELDS_NONE;
}

/** Resolves the hashed fields of every hash type: the config's value or the capability default. */
export function effectiveRssFields(
  cap: RssCapability,
  rss: RssConfig,
): Record<RssHashType, RssFields> {
  const out = {} as Record<RssHashType, RssFields>;
  for (const t of RSS_HASH_TYPES) {
    const c = cap.hashTypes.find((h) => h.type === t);
    out[t] = rss.fields?.[t] ?? c?.defaultFields ?? "none";
  }
  return out;
}

/**
 * The Linux driver bring-up: RSS enabled over `queues` queues (capped at the capability's
 * maximum), table entry i = i mod queues, default hashed fields, the given key.
 */
export function defaultRssConfig(cap: RssCapability, queues: number, keyHex: string): RssConfig {
  const n = Math.max(1, Math.min(queues, cap.maxQueues.value));
  return {
    enabled: true,
    key: keyHex,
    table: Array.from({ length: cap.tableEntries.value }, (_, i) => i % n),
  };
}

/** Every problem with `rss` for a NIC with capability `cap` and `queues` configured queues. */
export function validateRss(
  cap: RssCapability | null,
  rss: RssConfig | null,
  queues: number,
  path = "rss",
): ValidationIssue[] {
  if (rss === null || !rss.enabled) return [];
  if (cap === null) return [{ path, message: "This NIC has no RSS: set rss to null" }];
  const issues: ValidationIssue[] = [];
  let keyBytes = -1;
  try {
    keyBytes = parseKeyHex(rss.key).length;
  } catch (e) {
    issues.push({ path: `${path}.key`, message: (e as Error).message });
  }
  if (keyBytes >= 0 && keyBytes !== cap.keyBytes.value) {
    issues.push({
      path: `${path}.key`,
      message: `RSS key must be ${cap.keyBytes.value} bytes, got ${keyBytes}`,
    });
  }
  if (rss.table.length !== cap.tableEntries.value) {
    issues.push({
      path: `${path}.table`,
      message:
        `RSS indirection table has ${cap.tableEntries.value} entries, ${rss.table.length} given`,
    });
  }
  const bits = cap.queueBits.value;
  const maxQ = cap.maxQueues.value;
  const distinct = new Set<number>();
  let wide = -1;
  let wideCount = 0;
  let beyond = -1;
  let beyondCount = 0;
  rss.table.forEach((q, i) => {
    distinct.add(q);
    if (!Number.isInteger(q) || q < 0 || q >= (1 << bits)) {
      if (wideCount++ === 0) wide = i;
    } else if (q >= queues) {
      if (beyondCount++ === 0) beyond = i;
    }
  });
  if (wideCount > 0) {
    issues.push({
      path: `${path}.table[${wide}]`,
      message: `RSS table entry ${rss.table[wide]} does not fit the ${bits}-bit queue index ` +
        `(0..${(1 << bits) - 1}); ${wideCount} entries affected`,
    });
  }
  if (beyondCount > 0) {
    issues.push({
      path: `${path}.table[${beyond}]`,
      message:
        `RSS table entry ${rss.table[beyond]} names a queue beyond the ${queues} configured ` +
        `(0..${queues - 1}); ${beyondCount} entries affected`,
    });
  }
  const high = [...distinct].filter((q) => q >= maxQ).sort((a, b) => a - b);
  if (distinct.size > maxQ || high.length > 0) {
    issues.push({
      path: `${path}.table`,
      message: `RSS spreads over at most ${maxQ} queues (0..${maxQ - 1}) on this NIC, the table ` +
        `uses ${distinct.size} queue(s)${high.length > 0 ? ` including ${high[0]}` : ""}`,
    });
  }
  for (const [t, f] of Object.entries(rss.fields ?? {})) {
    const c = cap.hashTypes.find((h) => h.type === t);
    if (c === undefined) {
      issues.push({
        path: `${path}.fields.${t}`,
        message: `Unknown RSS hash type "${t}": allowed are ${RSS_HASH_TYPES.join(", ")}`,
      });
    } else if (!c.allowed.includes(f as RssFields)) {
      issues.push({
        path: `${path}.fields.${t}`,
        message: `RSS hash type ${t} cannot hash "${f}" on this NIC: allowed are ${
          c.allowed.join(", ")
        }`,
      });
    }
  }
  return issues;
}

/** Per-frame RSS: hashed-field selection, Toeplitz, table lookup. */
export class RssEngine {
  private hasher: ToeplitzHasher | null = null;
  private readonly cap: RssCapability;
  private readonly table: Uint8Array;
  private readonly mask: number;
  private readonly fields = new Uint8Array(RSS_HASH_TYPES.length);
  private enabled = false;
  private keyHex = "";

  /** Prepares an engine for the given capability (RSS disabled until configured). */
  constructor(cap: RssCapability) {
    this.table = new Uint8Array(cap.tableEntries.value);
    this.mask = cap.tableEntries.value - 1;
    this.cap = cap;
  }

  /** Loads a validated RSS configuration (or null to disable RSS). */
  configure(rss: RssConfig | null): void {
    this.enabled = rss !== null && rss.enabled;
    if (rss === null || !rss.enabled) return;
    if (this.hasher === null || rss.key !== this.keyHex) {
      this.hasher = new ToeplitzHasher(parseKeyHex(rss.key));
      this.keyHex = rss.key;
    }
    rss.table.forEach((q, i) => {
      this.table[i] = q;
    });
    const f = effectiveRssFields(this.cap, rss);
    RSS_HASH_TYPES.forEach((t, i) => {
      this.fields[i] = fieldsCode(f[t]);
    });
  }

  /** True when RSS is enabled. */
  get active(): boolean {
    return this.enabled;
  }

  /**
   * Picks the queue for a parsed frame: sets out.hash and the RssHash flag and returns the
   * queue, or returns -1 when RSS is off or no hash type applies (non-IP, or type set to none).
   */
  select(bytes: Uint8Array, k: RxKey, out: RxResult): number {
    const hasher = this.hasher;
    if (!this.enabled || hasher === null || k.ipVersion === 0) return -1;
    const v6 = k.ipVersion === 6;
    const p = k.proto;
    let ti = v6 ? 3 : 0;
    if (k.hasPorts && !k.fragment) {
      if (p === IpProto.Tcp) ti += 1;
      else if (p === IpProto.Udp) ti += 2;
    }
    const f = this.fields[ti] ?? FIELDS_NONE;
    if (f === FIELDS_NONE) return -1;
    let h: number;
    if (v6) {
      h = hasher.hashIpv6(bytes, k.l3Off + 8, f === FIELDS_4, k.l4Off);
    } else if (f === FIELDS_4) {
      h = hasher.hashIpv4Ports(k.srcIp, k.dstIp, k.srcPort, k.dstPort);
    } else {
      h = hasher.hashIpv4(k.srcIp, k.dstIp);
    }
    out.hash = h;
    out.flags |= RxFlag.RssHash;
    return this.table[h & this.mask] ?? 0;
  }
}
