/**
 * The start time recorded in a result's context. Results are byte-identical for the same seed,
 * inputs, git commit and start time; to pin the start time (reproducible result files, CI
 * comparisons) set `SOURCE_DATE_EPOCH` to whole seconds since 1970, as reproducible builds do.
 *
 * @example
 * ```ts
 * import { runStartTime } from "./start_time.ts";
 * runStartTime("0").toISOString(); // "1970-01-01T00:00:00.000Z"
 * ```
 *
 * @module
 */

/**
 * The run's start time: `sourceDateEpoch` (seconds, from the `SOURCE_DATE_EPOCH` environment
 * variable by default) when set, else now.
 *
 * @throws {Error} when `SOURCE_DATE_EPOCH` is set but not a whole number of seconds >= 0.
 */
export function runStartTime(
  sourceDateEpoch: string | undefined = Deno.env.get("SOURCE_DATE_EPOCH"),
): Date {
  if (sourceDateEpoch === undefined || sourceDateEpoch === "") return new Date();
  const s = Number(sourceDateEpoch);
  if (!/^\d+$/.test(sourceDateEpoch.trim()) || !Number.isSafeInteger(s)) {
    throw new Error(
      `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got "${sourceDateEpoch}"`,
    );
  }
  return new Date(s * 1000);
}
