/**
 * Medians, ranges and percentiles.
 * @module
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** Percentile of the first `count` samples (sorted in place). */
export function percentile(sorted: Float64Array, count: number, p: number): number {
  if (count === 0) return NaN;
  const idx = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
  return sorted[idx]!;
}
