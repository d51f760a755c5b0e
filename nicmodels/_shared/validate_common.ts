/**
 * Capability checks every NIC model shares: queue count, ring size, known settings, and per
 * rule: table exists, fields the table can match, queue in range, priority in range, drop
 * allowed, table capacity. Messages name the value, the limit and what is allowed.
 *
 * @module
 */
import { parseIpv4Prefix } from "./addr.ts";
import type { FilterRule, MatchField, NicCapabilities, NicConfig, ValidationIssue } from "./nic.ts";

const FIELD_OF: Readonly<Record<string, MatchField>> = {
  etherType: "etherType",
  vlan: "vlan",
  dstMac: "dstMac",
  proto: "proto",
  srcIp: "srcIp",
  dstIp: "dstIp",
  srcPort: "srcPort",
  dstPort: "dstPort",
  srcPortMask: "srcPort",
  dstPortMask: "dstPort",
  tcpSyn: "tcpSyn",
};

function checkRuleValues(rule: FilterRule, path: string, issues: ValidationIssue[]): void {
  const m = rule.match;
  const int = (v: number | undefined, name: string, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > max)) {
      issues.push({
        path: `${path}.match.${name}`,
        message: `${name} must be 0..${max}, got ${v}`,
      });
    }
  };
  int(m.etherType, "etherType", 0xffff);
  int(m.vlan, "vlan", 4095);
  int(m.proto, "proto", 255);
  int(m.srcPort, "srcPort", 0xffff);
  int(m.dstPort, "dstPort", 0xffff);
  int(m.srcPortMask, "srcPortMask", 0xffff);
  int(m.dstPortMask, "dstPortMask", 0xffff);
  for (const name of ["srcIp", "dstIp"] as const) {
    const v = m[name];
    if (v === undefined) continue;
    try {
      parseIpv4Prefix(v);
    } catch (e) {
      issues.push({ path: `${path}.match.${name}`, message: (e as Error).message });
    }
  }
  if (m.dstMac !== undefined && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(m.dstMac)) {
    issues.push({
      path: `${path}.match.dstMac`,
      message: `Cannot parse MAC "${m.dstMac}": expected six hex pairs like 02:00:00:00:00:01`,
    });
  }
}

/**
 * Checks what every NIC shares. `settings` lists the setting names the model accepts.
 * Returns the issues (the caller appends its NIC-specific ones).
 */
export function validateCommon(
  caps: NicCapabilities,
  config: NicConfig,
  settings: readonly string[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const maxQ = Math.min(caps.rxQueues.value, caps.txQueues.value);
  if (!Number.isInteger(config.queues) || config.queues < 1 || config.queues > maxQ) {
    issues.push({
      path: "queues",
      message: `${caps.name} has ${maxQ} queues, ${config.queues} requested (allowed 1..${maxQ})`,
    });
  }
  const r = caps.rings;
  if (
    !Number.isInteger(config.ringSize) || config.ringSize < r.min.value ||
    config.ringSize > r.max.value || config.ringSize % r.multipleOf.value !== 0
  ) {
    issues.push({
      path: "ringSize",
      message:
        `Ring size must be ${r.min.value}..${r.max.value} descriptors in multiples of ${r.multipleOf.value}, got ${config.ringSize}`,
    });
  }
  for (const k of Object.keys(config.settings)) {
    if (!settings.includes(k)) {
      issues.push({
        path: `settings.${k}`,
        message: `Unknown setting "${k}" for ${caps.name}: allowed are ${
          settings.length > 0 ? settings.join(", ") : "none"
        }`,
      });
    }
  }
  const counts = new Map<string, number>();
  config.filters.forEach((rule, i) => {
    const path = `filters[${i}]`;
    const t = caps.filterTables.find((x) => x.id === rule.table);
    if (t === undefined) {
      const ids = caps.filterTables.map((x) => x.id);
      issues.push({
        path: `${path}.table`,
        message: `${caps.name} has no filter table "${rule.table}": allowed are ${
          ids.length > 0 ? ids.join(", ") : "none (RSS only)"
        }`,
      });
      return;
    }
    counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
    checkRuleValues(rule, path, issues);
    for (const [k, v] of Object.entries(rule.match)) {
      const field = FIELD_OF[k];
      if (v === undefined) continue;
      if (field === undefined) {
        issues.push({ path: `${path}.match.${k}`, message: `Unknown match field "${k}"` });
      } else if (!t.fields.includes(field)) {
        issues.push({
          path: `${path}.match.${k}`,
          message: `The ${t.id} table cannot match on ${field}: it matches ${t.fields.join(", ")}`,
        });
      }
    }
    if (rule.queue === -1) {
      if (!t.canDrop.value) {
        issues.push({
          path: `${path}.queue`,
          message: `The ${t.id} table cannot drop (queue -1); give a queue 0..${config.queues - 1}`,
        });
      }
    } else if (!Number.isInteger(rule.queue) || rule.queue < 0 || rule.queue >= config.queues) {
      issues.push({
        path: `${path}.queue`,
        message: `Queue ${rule.queue} is not configured: allowed are 0..${config.queues - 1}${
          t.canDrop.value ? " or -1 (drop)" : ""
        }`,
      });
    }
    const p = t.priorities;
    if (p === null) {
      if (rule.priority !== undefined) {
        issues.push({
          path: `${path}.priority`,
          message: `The ${t.id} table has no priorities, got priority ${rule.priority}`,
        });
      }
    } else if (
      rule.priority === undefined || !Number.isInteger(rule.priority) || rule.priority < p.min ||
      rule.priority > p.max
    ) {
      issues.push({
        path: `${path}.priority`,
        message: `The ${t.id} table takes priority ${p.min}..${p.max}, got ${rule.priority}`,
      });
    }
    if (rule.rss !== undefined) {
      issues.push({
        path: `${path}.rss`,
        message: `${caps.name} filters cannot spread over RSS; remove "rss"`,
      });
    }
  });
  for (const t of caps.filterTables) {
    const n = counts.get(t.id) ?? 0;
    if (n > t.capacity.value) {
      issues.push({
        path: "filters",
        message: `The ${t.id} table holds ${t.capacity.value} entries, ${n} requested`,
      });
    }
  }
  return issues;
}
