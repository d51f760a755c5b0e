/**
 * The 82599's NIC-specific settings (`NicConfig.settings`), their defaults and their checks.
 *
 * | key | type | default |
 * |---|---|---|
 * | `fdirMode` | "off" \| "perfect" \| "signature" | "signature" (Linux ixgbe, §2.5) |
 * | `fdirPballoc` | 1 \| 2 \| 3 | 1 (64 KB, §2.5) |
 * | `fdirMask` | {@link FdirMask} (fields the global mask compares) | all five compared |
 * | `synHighPriority` | boolean (SYNQFP: SYN filter before five-tuple) | false |
 * | `rxChecksum` | boolean (`ethtool -K rx`) | true |
 * | `maxFrame` | bytes, capabilities minFrame..maxJumboFrame | capabilities maxFrame |
 * | `unicastMacs` | MAC strings (RAR); empty = accept every unicast | [] |
 * | `vlanFilter` | VLAN ids accepted (VFTA); absent = no VLAN filtering | absent |
 * | `atr` | boolean: ATR installs signature filters from TX (signature mode only) | true |
 * | `atrSampleRate` | 1..1000 | capabilities fdir.atrSampleRate (20) |
 *
 * @module
 */
import type { JsonValue, NicConfig, ValidationIssue } from "../_shared/nic.ts";
import { INTEL_82599 } from "./capabilities.ts";

/** Setting names the 82599 model accepts. */
export const SETTINGS_82599 = [
  "fdirMode",
  "fdirPballoc",
  "fdirMask",
  "synHighPriority",
  "rxChecksum",
  "maxFrame",
  "unicastMacs",
  "atr",
  "atrSampleRate",
  "vlanFilter",
] as const;

/**
 * The Flow Director global mask: which fields every FDir rule compares. Addresses as a prefix
 * length (0 = ignored, 32 = compared), ports as a 16-bit mask of compared bits (0 = ignored),
 * `proto` true when the L4 type is compared.
 */
export interface FdirMask {
  /** Compare the L4 type. */
  readonly proto: boolean;
  /** Source address prefix length 0..32. */
  readonly srcIp: number;
  /** Destination address prefix length 0..32. */
  readonly dstIp: number;
  /** Compared bits of the source port. */
  readonly srcPort: number;
  /** Compared bits of the destination port. */
  readonly dstPort: number;
}

/** The 82599 settings with defaults filled in. */
export interface Settings82599 {
  /** Flow Director mode. */
  readonly fdirMode: "off" | "perfect" | "signature";
  /** Packet-buffer allocation for Flow Director, 1..3. */
  readonly fdirPballoc: number;
  /** Global mask. */
  readonly fdirMask: FdirMask;
  /** SYN filter ranks above the five-tuple filters. */
  readonly synHighPriority: boolean;
  /** Verify checksums on receive. */
  readonly rxChecksum: boolean;
  /** Largest accepted frame in bytes. */
  readonly maxFrame: number;
  /** Accepted unicast MACs (empty = all). */
  readonly unicastMacs: readonly string[];
  /** Accepted VLAN ids, or null when VLAN filtering is off. */
  readonly vlanFilter: readonly number[] | null;
  /** Application Targeted Routing on transmit (effective in signature mode only). */
  readonly atr: boolean;
  /** ATR sampling: every n-th TCP segment per TX ring. */
  readonly atrSampleRate: number;
}

/** A mask comparing all five fields exactly. */
export const FULL_FDIR_MASK: FdirMask = {
  proto: true,
  srcIp: 32,
  dstIp: 32,
  srcPort: 0xffff,
  dstPort: 0xffff,
};

const MAC_RE = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;

/** Reads settings with defaults; pushes a precise issue for every bad value. */
export function readSettings82599(
  config: NicConfig,
  issues: ValidationIssue[] = [],
): Settings82599 {
  const s = config.settings;
  const bad = (key: string, v: JsonValue | undefined, allowed: string) =>
    issues.push({
      path: `settings.${key}`,
      message: `${key} must be ${allowed}, got ${JSON.stringify(v)}`,
    });
  let fdirMode: Settings82599["fdirMode"] = INTEL_82599.fdir.defaultMode.value;
  if (s.fdirMode !== undefined) {
    if (s.fdirMode === "off" || s.fdirMode === "perfect" || s.fdirMode === "signature") {
      fdirMode = s.fdirMode;
    } else bad("fdirMode", s.fdirMode, `"off", "perfect" or "signature"`);
  }
  const nP = INTEL_82599.fdir.perfectByPballoc.value.length;
  let fdirPballoc = INTEL_82599.fdir.defaultPballoc.value;
  if (s.fdirPballoc !== undefined) {
    if (
      typeof s.fdirPballoc === "number" && Number.isInteger(s.fdirPballoc) && s.fdirPballoc >= 1 &&
      s.fdirPballoc <= nP
    ) {
      fdirPballoc = s.fdirPballoc;
    } else bad("fdirPballoc", s.fdirPballoc, `1..${nP}`);
  }
  let fdirMask = FULL_FDIR_MASK;
  if (s.fdirMask !== undefined) {
    const m = s.fdirMask as Record<string, JsonValue> | null;
    if (m === null || typeof m !== "object" || Array.isArray(m)) {
      bad("fdirMask", s.fdirMask, "an object {proto, srcIp, dstIp, srcPort, dstPort}");
    } else {
      const num = (k: string, max: number, def: number) => {
        const v = m[k];
        if (v === undefined) return def;
        if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max) return v;
        bad(`fdirMask.${k}`, v, `0..${max}`);
        return def;
      };
      const proto = m.proto === undefined ? true : m.proto;
      if (typeof proto !== "boolean") bad("fdirMask.proto", proto, "true or false");
      for (const k of Object.keys(m)) {
        if (!["proto", "srcIp", "dstIp", "srcPort", "dstPort"].includes(k)) {
          bad(
            `fdirMask.${k}`,
            m[k],
            "absent (allowed keys: proto, srcIp, dstIp, srcPort, dstPort)",
          );
        }
      }
      fdirMask = {
        proto: proto !== false,
        srcIp: num("srcIp", 32, 32),
        dstIp: num("dstIp", 32, 32),
        srcPort: num("srcPort", 0xffff, 0xffff),
        dstPort: num("dstPort", 0xffff, 0xffff),
      };
    }
  }
  const bool = (key: string, def: boolean) => {
    const v = s[key];
    if (v === undefined) return def;
    if (typeof v === "boolean") return v;
    bad(key, v, "true or false");
    return def;
  };
  let maxFrame = INTEL_82599.maxFrame.value;
  if (s.maxFrame !== undefined) {
    if (
      typeof s.maxFrame === "number" && Number.isInteger(s.maxFrame) &&
      s.maxFrame >= INTEL_82599.minFrame.value &&
      s.maxFrame <= INTEL_82599.maxJumboFrame.value
    ) {
      maxFrame = s.maxFrame;
    } else {bad(
        "maxFrame",
        s.maxFrame,
        `${INTEL_82599.minFrame.value}..${INTEL_82599.maxJumboFrame.value} bytes`,
      );}
  }
  let unicastMacs: string[] = [];
  if (s.unicastMacs !== undefined) {
    const v = s.unicastMacs;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || !MAC_RE.test(x))) {
      bad("unicastMacs", v, "a list of MACs like 02:00:00:00:00:01");
    } else if (v.length > INTEL_82599.unicastMacs.value) {
      issues.push({
        path: "settings.unicastMacs",
        message:
          `The unicast MAC table holds ${INTEL_82599.unicastMacs.value} entries, ${v.length} requested`,
      });
    } else unicastMacs = v as string[];
  }
  let atrSampleRate = INTEL_82599.fdir.atrSampleRate.value;
  if (s.atrSampleRate !== undefined) {
    const v = s.atrSampleRate;
    if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1000) atrSampleRate = v;
    else bad("atrSampleRate", v, "1..1000");
  }
  let vlanFilter: number[] | null = null;
  if (s.vlanFilter !== undefined) {
    const v = s.vlanFilter;
    const max = INTEL_82599.vlanFilterBits.value - 1;
    if (
      !Array.isArray(v) ||
      v.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max)
    ) {
      bad("vlanFilter", v, `a list of VLAN ids 0..${max}`);
    } else vlanFilter = v as number[];
  }
  return {
    vlanFilter,
    atr: bool("atr", true),
    atrSampleRate,
    fdirMode,
    fdirPballoc,
    fdirMask,
    synHighPriority: bool("synHighPriority", false),
    rxChecksum: bool("rxChecksum", true),
    maxFrame,
    unicastMacs,
  };
}
