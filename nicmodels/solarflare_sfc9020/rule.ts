/**
 * Compiles a shared {@linkcode FilterRule} into an SFC filter entry (type code, data words, key,
 * queue, flags, priority), or explains precisely why the SFC9020 cannot express it.
 *
 * Shapes the hardware accepts (reference `nic-models.md` §3.2; farch.c
 * `efx_farch_filter_from_gen_spec`):
 * - table "ip", full: proto (6 or 17) + dstIp + dstPort + srcIp + srcPort, both ports non-zero;
 * - table "ip", wildcard: proto + dstIp + dstPort (non-zero), no source fields;
 * - table "mac", full: dstMac + vlan; wildcard: dstMac.
 * `etherType` may be given as 0x0800 on IP rules (implied). Addresses are exact (no prefixes),
 * ports exact (no port masks). Not a hot path.
 *
 * @module
 */
import { parseIpv4Address } from "../_shared/addr.ts";
import type { FilterRule, ValidationIssue } from "../_shared/nic.ts";
import { SFC_IP_TABLE, SFC_MAC_TABLE, type SfcCapabilities } from "./capabilities.ts";
import { fillIpFilterWords, fillMacFilterWords, SfcFilterType } from "./filter_key.ts";
import { SFC_FLAG_RSS } from "./filter_table.ts";

/** A rule compiled to the words the hashed table stores. */
export interface CompiledSfcRule {
  /** Index of the table in `capabilities.filterTables` (0 = ip, 1 = mac). */
  readonly table: number;
  /** An {@linkcode SfcFilterType} code. */
  readonly type: number;
  /** Data word 0. */
  readonly d0: number;
  /** Data word 1. */
  readonly d1: number;
  /** Data word 2. */
  readonly d2: number;
  /** The 32-bit key. */
  readonly key: number;
  /** Target queue. */
  readonly queue: number;
  /** Entry flags ({@linkcode SFC_FLAG_RSS}). */
  readonly flags: number;
  /** Software priority code. */
  readonly priority: number;
}

const IPV4 = 0x0800;
const TCP = 6;
const UDP = 17;

/** Parses "aa:bb:cc:dd:ee:ff" into [high 16 bits, low 32 bits], or null when malformed. */
export function parseMacWords(text: string): [number, number] | null {
  const parts = text.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return null;
  const b = parts.map((p) => parseInt(p, 16));
  const hi = ((b[0] ?? 0) << 8) | (b[1] ?? 0);
  const lo = (((b[2] ?? 0) << 24) | ((b[3] ?? 0) << 16) | ((b[4] ?? 0) << 8) | (b[5] ?? 0)) >>> 0;
  return [hi, lo];
}

function ipOf(text: string, path: string, issues: ValidationIssue[]): number {
  if (text.includes("/")) {
    issues.push({
      path,
      message: `Address "${text}" has a prefix: SFC9020 IP filters match exact addresses only`,
    });
    return 0;
  }
  try {
    return parseIpv4Address(text);
  } catch (e) {
    issues.push({ path, message: e instanceof Error ? e.message : String(e) });
    return 0;
  }
}

function portOf(value: number, path: string, issues: ValidationIssue[]): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    issues.push({
      path,
      message: `Port ${value} is not allowed: SFC9020 IP filters need a port 1..65535 ` +
        "(zero is refused by the driver)",
    });
    return 0;
  }
  return value;
}

/**
 * Compiles `rule` (at JSON path `path`) for a configuration with `queues` queues. Pushes every
 * problem into `issues` and returns null when there is any.
 */
export function compileSfcRule(
  caps: SfcCapabilities,
  rule: FilterRule,
  queues: number,
  path: string,
  issues: ValidationIssue[],
): CompiledSfcRule | null {
  const before = issues.length;
  const m = rule.match ?? {};
  const tableIndex = caps.filterTables.findIndex((t) => t.id === rule.table);
  if (tableIndex < 0) {
    issues.push({
      path: `${path}.table`,
      message: `Unknown filter table "${rule.table}": SFC9020 tables are ` +
        caps.filterTables.map((t) => `"${t.id}"`).join(", "),
    });
    return null;
  }
  const prios = caps.sfc.filterPriorities.value;
  const priority = rule.priority ?? caps.sfc.defaultPriority.value;
  if (!Number.isInteger(priority) || priority < 0 || priority >= prios.length) {
    issues.push({
      path: `${path}.priority`,
      message: `Priority ${priority} is not allowed: use 0..${prios.length - 1} (${
        prios.join(" < ")
      })`,
    });
  }
  const maxQueue = Math.min(queues, 1 << caps.sfc.filterQueueIdBits.value) - 1;
  if (!Number.isInteger(rule.queue) || rule.queue < 0 || rule.queue > maxQueue) {
    issues.push({
      path: `${path}.queue`,
      message: rule.queue === -1
        ? "Queue -1 (drop) is not allowed: SFC9020 filters cannot drop"
        : `Queue ${rule.queue} is not allowed: configured queues are 0..${maxQueue}`,
    });
  }
  if (rule.rss !== undefined && typeof rule.rss !== "boolean") {
    issues.push({ path: `${path}.rss`, message: `Field "rss" must be true or false` });
  }
  const words = new Uint32Array(4);
  let type = -1;
  const given = Object.keys(m).filter((k) => (m as Record<string, unknown>)[k] !== undefined);
  if (rule.table === SFC_IP_TABLE) {
    const allowed = new Set(["etherType", "proto", "srcIp", "dstIp", "srcPort", "dstPort"]);
    for (const k of given) {
      if (!allowed.has(k)) {
        issues.push({
          path: `${path}.match.${k}`,
          message: `Field "${k}" cannot be matched by the SFC9020 IP filter table: allowed are ` +
            "proto, srcIp, dstIp, srcPort, dstPort (and etherType 0x0800)",
        });
      }
    }
    if (m.etherType !== undefined && m.etherType !== IPV4) {
      issues.push({
        path: `${path}.match.etherType`,
        message: `EtherType 0x${m.etherType.toString(16)} is not allowed: IP filters are IPv4 ` +
          "only (0x0800)",
      });
    }
    if (m.proto !== TCP && m.proto !== UDP) {
      issues.push({
        path: `${path}.match.proto`,
        message: `Protocol ${m.proto ?? "(absent)"} is not allowed: SFC9020 IP filters need ` +
          "proto 6 (TCP) or 17 (UDP)",
      });
    }
    if (m.dstIp === undefined || m.dstPort === undefined) {
      issues.push({
        path: `${path}.match`,
        message: "IP filters need the local address and port (dstIp and dstPort)",
      });
    }
    const hasSrcIp = m.srcIp !== undefined;
    const hasSrcPort = m.srcPort !== undefined;
    if (hasSrcIp !== hasSrcPort) {
      issues.push({
        path: `${path}.match`,
        message: "Give both srcIp and srcPort (full filter) or neither (wildcard filter): " +
          "SFC9020 has no filter with only one remote field",
      });
    }
    if (issues.length > before) return null;
    const full = hasSrcIp && hasSrcPort;
    const udp = m.proto === UDP;
    type = full
      ? (udp ? SfcFilterType.UdpFull : SfcFilterType.TcpFull)
      : (udp ? SfcFilterType.UdpWild : SfcFilterType.TcpWild);
    const localIp = ipOf(m.dstIp ?? "", `${path}.match.dstIp`, issues);
    const localPort = portOf(m.dstPort ?? 0, `${path}.match.dstPort`, issues);
    const remoteIp = full ? ipOf(m.srcIp ?? "", `${path}.match.srcIp`, issues) : 0;
    const remotePort = full ? portOf(m.srcPort ?? 0, `${path}.match.srcPort`, issues) : 0;
    if (issues.length > before) return null;
    fillIpFilterWords(type, localIp, localPort, remoteIp, remotePort, words);
  } else if (rule.table === SFC_MAC_TABLE) {
    for (const k of given) {
      if (k !== "dstMac" && k !== "vlan") {
        issues.push({
          path: `${path}.match.${k}`,
          message: `Field "${k}" cannot be matched by the SFC9020 MAC filter table: allowed are ` +
            "dstMac and vlan",
        });
      }
    }
    const mac = m.dstMac === undefined ? null : parseMacWords(m.dstMac);
    if (mac === null) {
      issues.push({
        path: `${path}.match.dstMac`,
        message: `MAC filters need dstMac like "00:0f:53:01:02:03", got ${
          JSON.stringify(m.dstMac ?? null)
        }`,
      });
    }
    if (m.vlan !== undefined && (!Number.isInteger(m.vlan) || m.vlan < 0 || m.vlan > 4095)) {
      issues.push({
        path: `${path}.match.vlan`,
        message: `VLAN ${m.vlan} is not allowed: use 0..4095`,
      });
    }
    if (issues.length > before || mac === null) return null;
    type = m.vlan !== undefined ? SfcFilterType.MacFull : SfcFilterType.MacWild;
    fillMacFilterWords(type, mac[0], mac[1], m.vlan ?? 0, words);
  } else {
    issues.push({
      path: `${path}.table`,
      message: `Filter table "${rule.table}" has no SFC rule compiler`,
    });
    return null;
  }
  if (issues.length > before) return null;
  return {
    table: tableIndex,
    type,
    d0: words[0] ?? 0,
    d1: words[1] ?? 0,
    d2: words[2] ?? 0,
    key: words[3] ?? 0,
    queue: rule.queue,
    flags: rule.rss === true ? SFC_FLAG_RSS : 0,
    priority,
  };
}

/** Identity of the packets a compiled rule matches (equal filters share it). */
export function matchIdentity(r: CompiledSfcRule): string {
  return `${r.table}:${r.type}:${r.d0}:${r.d1}:${r.d2}`;
}
