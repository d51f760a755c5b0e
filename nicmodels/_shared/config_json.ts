/**
 * Reads a NIC configuration from JSON text: checks the shape (types of every field) with a clear
 * error naming the file and the field, and fills absent top-level fields from a base
 * configuration. Capability checks are the model's validator's job.
 *
 * @module
 */
import type { NicConfig } from "./nic.ts";

function fail(name: string, path: string, want: string, got: unknown): never {
  throw new Error(
    `Cannot read NIC config "${name}": field "${path}" must be ${want}, got ${JSON.stringify(got)}`,
  );
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses `text` as a {@link NicConfig}; absent top-level fields come from `base`. */
export function parseNicConfigJson(text: string, name: string, base: NicConfig): NicConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot parse NIC config "${name}": ${(e as Error).message}`);
  }
  if (!isObj(raw)) fail(name, "(top level)", "an object", raw);
  const known = ["queues", "ringSize", "rss", "filters", "settings"];
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) fail(name, k, `absent (allowed: ${known.join(", ")})`, raw[k]);
  }
  const num = (v: unknown, path: string) => {
    if (typeof v !== "number") fail(name, path, "a number", v);
    return v;
  };
  const queues = raw.queues === undefined ? base.queues : num(raw.queues, "queues");
  const ringSize = raw.ringSize === undefined ? base.ringSize : num(raw.ringSize, "ringSize");
  let rss = base.rss;
  if (raw.rss !== undefined) {
    const r = raw.rss;
    if (r === null) rss = null;
    else {
      if (!isObj(r)) fail(name, "rss", "null or an object", r);
      if (typeof r.enabled !== "boolean") fail(name, "rss.enabled", "true or false", r.enabled);
      if (typeof r.key !== "string") fail(name, "rss.key", "a hex string", r.key);
      if (!Array.isArray(r.table) || r.table.some((x) => typeof x !== "number")) {
        fail(name, "rss.table", "an array of queue numbers", r.table);
      }
      if (r.fields !== undefined && !isObj(r.fields)) {
        fail(name, "rss.fields", "an object", r.fields);
      }
      rss = r as unknown as NicConfig["rss"];
    }
  }
  let filters = base.filters;
  if (raw.filters !== undefined) {
    if (!Array.isArray(raw.filters)) fail(name, "filters", "an array", raw.filters);
    raw.filters.forEach((f: unknown, i: number) => {
      if (!isObj(f)) fail(name, `filters[${i}]`, "an object", f);
      if (typeof f.table !== "string") fail(name, `filters[${i}].table`, "a table id", f.table);
      if (!isObj(f.match)) fail(name, `filters[${i}].match`, "an object", f.match);
      if (typeof f.queue !== "number") fail(name, `filters[${i}].queue`, "a number", f.queue);
    });
    filters = raw.filters as NicConfig["filters"];
  }
  let settings = base.settings;
  if (raw.settings !== undefined) {
    if (!isObj(raw.settings)) fail(name, "settings", "an object", raw.settings);
    settings = raw.settings as NicConfig["settings"];
  }
  return { queues, ringSize, rss, filters, settings };
}
