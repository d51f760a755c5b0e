/**
 * The 82599 configuration validator: everything the hardware cannot do, each with a precise
 * message naming the value, the limit and what is allowed.
 *
 * Checks beyond the shared ones (`validateCommon`, `validateRss`): settings; five-tuple rules
 * (protocol TCP/UDP/SCTP or any, whole-field masks only); EtherType rules (one per EtherType);
 * the SYN rule's shape; Flow Director rules (mode, global mask field set, per-PBALLOC capacity,
 * 10-filter bucket chains, signature collisions); RSS over at most 16 queues.
 *
 * @module
 */
import { parseIpv4Prefix } from "../_shared/addr.ts";
import type { FilterRule, NicConfig, ValidationIssue } from "../_shared/nic.ts";
import { validateRss } from "../_shared/rss.ts";
import { validateCommon } from "../_shared/validate_common.ts";
import { compileFdir, fdirMaskBits } from "./_compile.ts";
import { INTEL_82599, TableId82599 } from "./capabilities.ts";
import { readSettings82599, type Settings82599, SETTINGS_82599 } from "./settings.ts";

function prefixOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  try {
    return parseIpv4Prefix(text).prefix;
  } catch {
    return null; // reported by validateCommon
  }
}

function checkFiveTuple(rule: FilterRule, path: string, issues: ValidationIssue[]): void {
  const m = rule.match;
  const protos = INTEL_82599.fiveTupleProtocols.value;
  if (m.proto !== undefined && !protos.includes(m.proto)) {
    issues.push({
      path: `${path}.match.proto`,
      message: `Five-tuple filters match protocol ${
        protos.join(", ")
      } or any (leave proto out), got ${m.proto}`,
    });
  }
  for (const f of ["srcIp", "dstIp"] as const) {
    const p = prefixOf(m[f]);
    if (p !== null && p !== 32) {
      issues.push({
        path: `${path}.match.${f}`,
        message: `The five-tuple table masks whole fields only: ${f} ${
          m[f]
        } needs a /${p} mask (allowed: a full address or leaving ${f} out)`,
      });
    }
  }
  for (const f of ["srcPortMask", "dstPortMask"] as const) {
    const v = m[f];
    if (v !== undefined && v !== 0xffff) {
      issues.push({
        path: `${path}.match.${f}`,
        message: `The five-tuple table masks whole fields only: ${f} 0x${
          v.toString(16)
        } is partial (allowed: 0xffff or leaving the port out)`,
      });
    }
  }
}

function checkFdir(
  rule: FilterRule,
  path: string,
  s: Settings82599,
  issues: ValidationIssue[],
): void {
  const want = rule.table === TableId82599.FdirPerfect ? "perfect" : "signature";
  if (s.fdirMode !== want) {
    issues.push({
      path: `${path}.table`,
      message: `Flow Director rule needs ${want} mode, but settings.fdirMode is ${s.fdirMode}`,
    });
    return;
  }
  const m = rule.match;
  const mask = s.fdirMask;
  const compared = {
    proto: mask.proto,
    srcIp: mask.srcIp > 0,
    dstIp: mask.dstIp > 0,
    srcPort: mask.srcPort !== 0,
    dstPort: mask.dstPort !== 0,
  };
  for (const [f, on] of Object.entries(compared)) {
    const given = m[f as keyof typeof compared] !== undefined;
    if (on && !given) {
      issues.push({
        path: `${path}.match.${f}`,
        message:
          `The Flow Director global mask compares ${f}, but this rule leaves it out (every rule must give the fields settings.fdirMask compares)`,
      });
    } else if (!on && given) {
      issues.push({
        path: `${path}.match.${f}`,
        message:
          `The Flow Director global mask ignores ${f}, but this rule gives it (change settings.fdirMask or leave ${f} out)`,
      });
    }
  }
  for (const f of ["srcIp", "dstIp"] as const) {
    const p = prefixOf(m[f]);
    if (p !== null && p !== 32 && p !== mask[f]) {
      issues.push({
        path: `${path}.match.${f}`,
        message: `Flow Director masks are global: ${f} ${
          m[f]
        } has a /${p} mask, the global mask is /${mask[f]} (set settings.fdirMask.${f})`,
      });
    }
  }
  for (const f of ["srcPortMask", "dstPortMask"] as const) {
    if (m[f] !== undefined) {
      issues.push({
        path: `${path}.match.${f}`,
        message: `Flow Director masks are global: remove ${f} and set settings.fdirMask.${
          f.slice(0, -4)
        } instead`,
      });
    }
  }
}

/** Every problem with `config` for the 82599; empty when the hardware can do it. */
export function validate82599(config: NicConfig): ValidationIssue[] {
  const issues = validateCommon(INTEL_82599, config, SETTINGS_82599);
  const s = readSettings82599(config, issues);
  issues.push(...validateRss(INTEL_82599.rss, config.rss, config.queues));
  const etherTypes = new Map<number, number>();
  const fdirRules: [FilterRule, number][] = [];
  config.filters.forEach((rule, i) => {
    const path = `filters[${i}]`;
    switch (rule.table) {
      case TableId82599.FiveTuple:
        checkFiveTuple(rule, path, issues);
        break;
      case TableId82599.EtherType: {
        const et = rule.match.etherType;
        if (et === undefined) {
          issues.push({
            path: `${path}.match.etherType`,
            message: "EtherType filter needs etherType",
          });
        } else if (etherTypes.has(et)) {
          issues.push({
            path: `${path}.match.etherType`,
            message: `EtherType 0x${et.toString(16)} already has a filter (filters[${
              etherTypes.get(et)
            }]); one filter per EtherType`,
          });
        } else etherTypes.set(et, i);
        break;
      }
      case TableId82599.Syn:
        if (rule.match.tcpSyn !== true) {
          issues.push({
            path: `${path}.match`,
            message: `The SYN filter matches exactly {"tcpSyn": true}, got ${
              JSON.stringify(rule.match)
            }`,
          });
        }
        break;
      case TableId82599.FdirPerfect:
      case TableId82599.FdirSignature: {
        const before = issues.length;
        checkFdir(rule, path, s, issues);
        if (issues.length === before) fdirRules.push([rule, i]);
        break;
      }
    }
  });
  if (s.fdirMode !== "off") {
    const perfect = s.fdirMode === "perfect";
    const caps = perfect ? INTEL_82599.fdir.perfectByPballoc : INTEL_82599.fdir.signatureByPballoc;
    const cap = caps.value[s.fdirPballoc - 1] ?? 0;
    const table = perfect ? TableId82599.FdirPerfect : TableId82599.FdirSignature;
    const n = config.filters.filter((r) => r.table === table).length;
    if (n > cap) {
      issues.push({
        path: "filters",
        message:
          `The ${table} table holds ${cap} entries at settings.fdirPballoc ${s.fdirPballoc}, ${n} requested` +
          (s.fdirPballoc < caps.value.length
            ? ` (fdirPballoc ${caps.value.length} holds ${caps.value.at(-1)})`
            : ""),
      });
    }
    const bits = fdirMaskBits(s.fdirMask);
    const chain = new Map<number, number>();
    const limit = INTEL_82599.fdir.bucketChainLimit.value;
    const seen = new Map<string, number>();
    for (const [rule, i] of fdirRules) {
      const k = compileFdir(rule, bits);
      const c = (chain.get(k.bucket) ?? 0) + 1;
      chain.set(k.bucket, c);
      if (c === limit + 1) {
        issues.push({
          path: `filters[${i}]`,
          message:
            `Flow Director bucket ${k.bucket} already holds ${limit} filters (the bucket chain limit)`,
        });
      }
      const id = perfect ? `${k.proto}/${k.src}/${k.dst}/${k.ports}` : `${k.bucket}/${k.sig}`;
      const other = seen.get(id);
      if (other === undefined) seen.set(id, i);
      else if (perfect) {
        issues.push({
          path: `filters[${i}]`,
          message: `Flow Director rule filters[${i}] matches the same masked tuple as ` +
            `filters[${other}]: one perfect filter per tuple`,
        });
      } else {
        issues.push({
          path: `filters[${i}]`,
          message: `Flow Director signature of filters[${i}] equals that of filters[${other}] ` +
            `(bucket ${k.bucket}, signature 0x${
              k.sig.toString(16)
            }): the hardware cannot tell them apart`,
        });
      }
    }
  }
  return issues;
}
