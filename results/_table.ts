/**
 * Plain-text table and number formatting shared by the terminal renderings (summary, compare).
 * Deterministic: no locale-dependent formatting.
 *
 * @module
 */

/** Column alignment. */
export type Align = "left" | "right";

/** A column: header text and alignment. */
export interface Column {
  /** Header text. */
  readonly header: string;
  /** Alignment of the cells (and header). */
  readonly align: Align;
}

/** Renders rows under a header with two spaces between columns and a dashed rule. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    columns.map((c, i) => {
      const text = cells[i] ?? "";
      const w = widths[i] ?? 0;
      return c.align === "left" ? text.padEnd(w) : text.padStart(w);
    }).join("  ").trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
  ].join("\n") + "\n";
}

/** Groups the integer part of `n` by thousands with commas after rounding to `decimals`. */
export function groupDigits(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n).toFixed(decimals);
  const [int = "0", frac] = fixed.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + grouped + (frac === undefined ? "" : `.${frac}`);
}

/** Nanoseconds as microseconds with two decimals (`12.35`). */
export function nsToUs(ns: number): string {
  return groupDigits(ns / 1000, 2);
}
