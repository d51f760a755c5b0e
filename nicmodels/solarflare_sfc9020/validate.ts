/**
 * Validates an SFC9020 configuration against the capabilities, reporting every problem at once
 * with its JSON path and a message naming the value, the limit and what is allowed.
 *
 * Static checks only: whether the hashed table accepts every rule depends on the table's
 * history (probe sequences and search depths), so insertion refusals are reported when the
 * model applies the configuration (see `model.ts`).
 *
 * @module
 */
import { parseKeyHex } from "../_shared/toeplitz.ts";
import type { NicConfig, ValidationIssue } from "../_shared/nic.ts";
import { type SfcCapabilities, SfcSetting } from "./capabilities.ts";
import { compileSfcRule, matchIdentity } from "./rule.ts";

const SETTING_KEYS: readonly string[] = Object.values(SfcSetting);

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

/** Returns every problem with `config` for the SFC9020 (empty when it can be applied). */
export function validateSfcConfig(
  caps: SfcCapabilities,
  config: NicConfig,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const maxQ = caps.rxQueues.value;
  const queues = config.queues;
  const queuesOk = isInt(queues) && queues >= 1 && queues <= maxQ;
  if (!queuesOk) {
    issues.push({
      path: "queues",
      message: `Queue count ${JSON.stringify(queues)} is not allowed: SFC9020 has 1..${maxQ} ` +
        "RX queues",
    });
  }
  const q = queuesOk ? queues : maxQ;
  const ring = config.ringSize;
  const rmin = caps.rings.min.value;
  const rmax = caps.rings.max.value;
  const pow2 = caps.sfc.ringPowerOfTwo.value;
  if (
    !isInt(ring) || ring < rmin || ring > rmax || (pow2 && (ring & (ring - 1)) !== 0)
  ) {
    issues.push({
      path: "ringSize",
      message: `Ring size ${JSON.stringify(ring)} is not allowed: use ${rmin}..${rmax}` +
        (pow2 ? " descriptors, a power of two" : " descriptors"),
    });
  }

  // RSS.
  let maxEntry = 0;
  const rss = config.rss;
  const rcap = caps.rss;
  if (rss !== null && rcap !== null) {
    if (typeof rss.enabled !== "boolean") {
      issues.push({ path: "rss.enabled", message: 'Field "enabled" must be true or false' });
    }
    try {
      const key = parseKeyHex(rss.key);
      if (key.length !== rcap.keyBytes.value) {
        issues.push({
          path: "rss.key",
          message: `RSS key has ${key.length} bytes: SFC9020 needs exactly ${rcap.keyBytes.value}`,
        });
      }
    } catch (e) {
      issues.push({ path: "rss.key", message: e instanceof Error ? e.message : String(e) });
    }
    const entries = rcap.tableEntries.value;
    const bits = rcap.queueBits.value;
    if (!Array.isArray(rss.table) || rss.table.length !== entries) {
      issues.push({
        path: "rss.table",
        message: `Indirection table has ${
          Array.isArray(rss.table) ? rss.table.length : "no"
        } entries: SFC9020 needs exactly ${entries}`,
      });
    } else {
      rss.table.forEach((v, i) => {
        if (!isInt(v) || v < 0 || v >= 1 << bits) {
          issues.push({
            path: `rss.table[${i}]`,
            message: `Indirection entry ${JSON.stringify(v)} is not allowed: entries are ` +
              `${bits}-bit queue ids 0..${(1 << bits) - 1}`,
          });
        } else if (v > maxEntry) maxEntry = v;
      });
    }
    for (const [type, fields] of Object.entries(rss.fields ?? {})) {
      const t = rcap.hashTypes.find((h) => h.type === type);
      if (t === undefined) {
        issues.push({ path: `rss.fields.${type}`, message: `Unknown RSS hash type "${type}"` });
      } else if (!t.allowed.includes(fields)) {
        issues.push({
          path: `rss.fields.${type}`,
          message: `Hashed fields "${fields}" for ${type} are not allowed: SFC9020 hashes ` +
            `${type} on ${t.allowed.join(" or ")} only`,
        });
      }
    }
  } else if (rss !== null && rcap === null) {
    issues.push({ path: "rss", message: "RSS is not available on this NIC" });
  }
  const rssOn = rss !== null && rss.enabled === true;

  // Settings (default destinations).
  for (const k of Object.keys(config.settings)) {
    if (!SETTING_KEYS.includes(k)) {
      issues.push({
        path: `settings.${k}`,
        message: `Unknown SFC9020 setting "${k}": allowed are ${SETTING_KEYS.join(", ")}`,
      });
    }
  }
  const checkDefault = (queueKey: string, rssKey: string) => {
    const dq = config.settings[queueKey] ?? caps.defaultQueue.value;
    if (!isInt(dq) || dq < 0 || dq >= q) {
      issues.push({
        path: `settings.${queueKey}`,
        message: `Default queue ${JSON.stringify(dq)} is not allowed: configured queues are ` +
          `0..${q - 1}`,
      });
      return;
    }
    const drss = config.settings[rssKey] ?? true;
    if (typeof drss !== "boolean") {
      issues.push({ path: `settings.${rssKey}`, message: `Setting "${rssKey}" must be boolean` });
    } else if (drss && rssOn && dq + maxEntry >= q) {
      issues.push({
        path: `settings.${queueKey}`,
        message: `Default queue ${dq} plus indirection entry ${maxEntry} reaches queue ` +
          `${dq + maxEntry}: configured queues are 0..${q - 1}`,
      });
    }
  };
  checkDefault(SfcSetting.UnicastQueue, SfcSetting.UnicastRss);
  checkDefault(SfcSetting.MulticastQueue, SfcSetting.MulticastRss);

  // Filters.
  const perTable = caps.filterTables.map(() => 0);
  const seen = new Map<string, number>();
  if (!Array.isArray(config.filters)) {
    issues.push({ path: "filters", message: 'Field "filters" must be a list of rules' });
    return issues;
  }
  config.filters.forEach((rule, i) => {
    const path = `filters[${i}]`;
    const c = compileSfcRule(caps, rule, q, path, issues);
    if (c === null) return;
    perTable[c.table] = (perTable[c.table] ?? 0) + 1;
    const id = matchIdentity(c);
    const other = seen.get(id);
    if (other !== undefined) {
      issues.push({
        path,
        message: `Rule matches exactly the packets of filters[${other}]: the SFC9020 table ` +
          "holds one filter per match (a second insert is refused with EEXIST or replaces it)",
      });
    } else seen.set(id, i);
    if (c.flags !== 0 && rssOn && c.queue + maxEntry >= q) {
      issues.push({
        path: `${path}.queue`,
        message: `RSS filter base queue ${c.queue} plus indirection entry ${maxEntry} reaches ` +
          `queue ${c.queue + maxEntry}: configured queues are 0..${q - 1}`,
      });
    }
  });
  caps.filterTables.forEach((t, ti) => {
    const n = perTable[ti] ?? 0;
    if (n > t.capacity.value) {
      issues.push({
        path: "filters",
        message: `The ${t.id} filter table holds ${t.capacity.value} entries, ${n} requested`,
      });
    }
  });
  return issues;
}
