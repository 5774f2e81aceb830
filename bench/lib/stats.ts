/**
 * Small numeric helpers shared by the benches.
 *
 * @module
 */

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The `p`-th percentile (0–100, nearest rank) of `values`; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** A count per second, rounded to a whole number. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round(count / (ms / 1000)) : 0;
}

/** A number for a table: thousands separators, `decimals` digits, `–` for NaN. */
export function fmt(n: number, decimals = 0): string {
  if (Number.isNaN(n)) return "–";
  return n.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
