/** Nearest-rank percentile of a list of values (ms); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Largest value (NaN for none); unlike Math.max(...values), safe for any number of samples. */
export function maxOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}
