/**
 * The Facebook ETC model as encoded in mutilate: key size, value size and inter-arrival gap.
 *
 * Source: workloads.md §4.2 (mutilate Generator.cc `createFacebookKey`, `createFacebookValue`,
 * `createFacebookIA`; Atikoglu et al., SIGMETRICS 2012).
 *
 * @module
 */

/** Key size: generalized extreme value. source: workloads.md §4.2 (mutilate Generator.cc). */
export const FB_KEY = { loc: 30.7984, scale: 8.20449, shape: 0.078688 } as const;

/**
 * Value size above 14 bytes: generalized Pareto. source: workloads.md §4.2 (mutilate
 * Generator.cc).
 */
export const FB_VALUE_TAIL = { loc: 15, scale: 214.476, shape: 0.348238 } as const;

/**
 * Value sizes 0..14 bytes: probability of each size (index = bytes); the remaining mass
 * (0.55845) comes from {@link FB_VALUE_TAIL}. source: workloads.md §4.2 (mutilate Generator.cc).
 */
export const FB_VALUE_TABLE: readonly number[] = [
  0.00536,
  0.00047,
  0.17820,
  0.09239,
  0.00018,
  0.02740,
  0.00065,
  0.00606,
  0.00023,
  0.00837,
  0.00837,
  0.08989,
  0.00092,
  0.00326,
  0.01980,
];

/**
 * Inter-arrival gap (µs before rescaling): generalized Pareto. source: workloads.md §4.2
 * (mutilate Generator.cc).
 */
export const FB_IA = { loc: 0, scale: 16.0292, shape: 0.154971 } as const;
