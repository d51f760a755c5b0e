/**
 * Distribution specifications in mutilate's mini-language, as data.
 *
 * Source: workloads.md §8 (mutilate's distribution syntax) and §4.2 (the Facebook presets).
 *
 * @module
 */

/** A parsed distribution: the kind and its parameters, as written. */
export type DistSpec =
  | { readonly kind: "fixed"; readonly value: number }
  | { readonly kind: "uniform"; readonly max: number }
  | { readonly kind: "normal"; readonly mean: number; readonly sd: number }
  | { readonly kind: "exponential"; readonly lambda: number }
  | {
    readonly kind: "pareto";
    readonly loc: number;
    readonly scale: number;
    readonly shape: number;
  }
  | { readonly kind: "gev"; readonly loc: number; readonly scale: number; readonly shape: number }
  | { readonly kind: "fb_key" }
  | { readonly kind: "fb_value" }
  | { readonly kind: "fb_ia" };

/** Kind of a distribution. */
export type DistKind = DistSpec["kind"];

/** Parameter names of each kind, in the order they are written. */
export const DIST_PARAMS = {
  fixed: ["value"],
  uniform: ["max"],
  normal: ["mean", "sd"],
  exponential: ["lambda"],
  pareto: ["loc", "scale", "shape"],
  gev: ["loc", "scale", "shape"],
  fb_key: [],
  fb_value: [],
  fb_ia: [],
} as const satisfies Record<DistKind, readonly string[]>;

/** Every kind name, as accepted by the parser. */
export const DIST_KINDS: readonly DistKind[] = Object.keys(DIST_PARAMS) as DistKind[];

/**
 * Writes `spec` in mutilate's syntax (`name[:p1[,p2[,p3]]]`); parsing the result gives `spec`
 * back.
 *
 * @example
 * ```ts
 * import { formatDistribution } from "./spec.ts";
 * const s = formatDistribution({ kind: "gev", loc: 30.7984, scale: 8.20449, shape: 0.078688 });
 * if (s !== "gev:30.7984,8.20449,0.078688") throw new Error(s);
 * ```
 */
export function formatDistribution(spec: DistSpec): string {
  const names: readonly string[] = DIST_PARAMS[spec.kind];
  if (names.length === 0) return spec.kind;
  const values = names.map((n) => String((spec as unknown as Record<string, number>)[n]));
  return `${spec.kind}:${values.join(",")}`;
}
