/**
 * Workload distributions in mutilate's syntax: parsing with precise errors, sampling from
 * pure-rand streams, rate rescaling, and the Facebook ETC presets (workloads.md §4.2, §8).
 *
 * @module
 */
export {
  DIST_KINDS,
  DIST_PARAMS,
  type DistKind,
  type DistSpec,
  formatDistribution,
} from "./spec.ts";
export { DistributionParseError, parseDistribution } from "./parse.ts";
export { createSampler, type Sampler } from "./sampler.ts";
export { FB_IA, FB_KEY, FB_VALUE_TABLE, FB_VALUE_TAIL } from "./facebook.ts";
export { openUnit } from "./unit.ts";
export {
  fnv1a64,
  fnv1a64OfIndex,
  keyLengths,
  MAX_KEY_BYTES,
  MAX_RECORDS,
  writeKey,
} from "./keys.ts";
