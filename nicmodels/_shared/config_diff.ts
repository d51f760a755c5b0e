/**
 * Configuration diffs: old -> new as a list of remove / set / add operations, and applying them.
 *
 * Rules are identified by content ({@link ruleKey}), so a rule whose queue changes is a remove
 * plus an add. Not a hot path (runs once per reconfiguration).
 *
 * @module
 */
import {
  type ConfigOp,
  type FilterRule,
  type JsonValue,
  type NicConfig,
  NicConfigError,
  type RssConfig,
} from "./nic.ts";

function canonical(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(",")}}`;
}

/** Returns a canonical string identifying a rule by its content (key order does not matter). */
export function ruleKey(rule: FilterRule): string {
  return canonical(rule);
}

/** True when two JSON-like values are equal by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Lists the operations that turn `from` into `to`: removes first (freeing capacity), then sets
 * (queues, ringSize, rss, each changed settings key), then adds.
 */
export function diffConfig(from: NicConfig, to: NicConfig): ConfigOp[] {
  const ops: ConfigOp[] = [];
  const toCount = new Map<string, number>();
  for (const r of to.filters) toCount.set(ruleKey(r), (toCount.get(ruleKey(r)) ?? 0) + 1);
  const fromCount = new Map<string, number>();
  for (const r of from.filters) {
    const k = ruleKey(r);
    const left = toCount.get(k) ?? 0;
    if (left > 0) {
      toCount.set(k, left - 1);
      fromCount.set(k, (fromCount.get(k) ?? 0) + 1);
    } else ops.push({ op: "remove", rule: r });
  }
  if (from.queues !== to.queues) ops.push({ op: "set", key: "queues", value: to.queues });
  if (from.ringSize !== to.ringSize) ops.push({ op: "set", key: "ringSize", value: to.ringSize });
  if (!sameValue(from.rss, to.rss)) {
    ops.push({ op: "set", key: "rss", value: to.rss as unknown as JsonValue });
  }
  const keys = new Set([...Object.keys(from.settings), ...Object.keys(to.settings)]);
  for (const k of [...keys].sort()) {
    if (!sameValue(from.settings[k], to.settings[k])) {
      ops.push({ op: "set", key: `settings.${k}`, value: to.settings[k] ?? null });
    }
  }
  for (const r of to.filters) {
    const k = ruleKey(r);
    const kept = fromCount.get(k) ?? 0;
    if (kept > 0) fromCount.set(k, kept - 1);
    else ops.push({ op: "add", rule: r });
  }
  return ops;
}

/**
 * Applies ops to a configuration and returns the new one (the input is not changed).
 * Does not check capabilities (the model's validator does); throws {@link NicConfigError} when an
 * op cannot be applied at all (removing a rule that is not installed, an unknown set key).
 */
export function applyOps(config: NicConfig, ops: readonly ConfigOp[]): NicConfig {
  let filters = [...config.filters];
  let queues = config.queues;
  let ringSize = config.ringSize;
  let rss = config.rss;
  const settings: Record<string, JsonValue> = { ...config.settings };
  ops.forEach((op, i) => {
    if (op.op === "add") {
      filters.push(op.rule);
    } else if (op.op === "remove") {
      const k = ruleKey(op.rule);
      const at = filters.findIndex((r) => ruleKey(r) === k);
      if (at < 0) {
        throw new NicConfigError([{
          path: `ops[${i}]`,
          message: `Cannot remove rule ${k}: it is not installed`,
        }]);
      }
      filters = [...filters.slice(0, at), ...filters.slice(at + 1)];
    } else if (op.key === "queues" || op.key === "ringSize") {
      if (typeof op.value !== "number") {
        throw new NicConfigError([{
          path: `ops[${i}].value`,
          message: `Setting "${op.key}" must be a number, got ${JSON.stringify(op.value)}`,
        }]);
      }
      if (op.key === "queues") queues = op.value;
      else ringSize = op.value;
    } else if (op.key === "rss") {
      rss = op.value as unknown as RssConfig | null;
    } else if (op.key.startsWith("settings.")) {
      const name = op.key.slice("settings.".length);
      if (op.value === null) delete settings[name];
      else settings[name] = op.value;
    } else {
      throw new NicConfigError([{
        path: `ops[${i}].key`,
        message:
          `Unknown setting key "${op.key}": allowed are "queues", "ringSize", "rss", "settings.<name>"`,
      }]);
    }
  });
  return { queues, ringSize, rss, filters, settings };
}
