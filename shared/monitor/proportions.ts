// Intervals for rates counted from requests, so that rules on them are decided like evaluate's gates:
// pass only when the whole interval satisfies the rule, fail only when none of it does.

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** Wilson's score interval of a proportion `k` of `n` (good near 0 and with few requests, unlike the Wald interval). */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (n <= 0) return { value: NaN, low: NaN, high: NaN };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (method 10) of the difference of two proportions, k1/n1 − k2/n2:
 * built from each side's Wilson interval; it keeps its coverage with few events, where Wald's does not.
 */
export function differenceInterval(k1: number, n1: number, k2: number, n2: number, z = Z95): Interval {
  const a = wilsonInterval(k1, n1, z);
  const b = wilsonInterval(k2, n2, z);
  const d = a.value - b.value;
  return {
    value: d,
    low: d - Math.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2),
    high: d + Math.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2),
  };
}

/**
 * The q-quantile of a cumulative histogram (`le` upper bounds, ascending, +Inf last), interpolated in
 * its bucket as PromQL's histogram_quantile does; the interval is that bucket's bounds, where the true
 * quantile lies whatever the shape inside the bucket. NaN with no observations.
 */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[]): Interval {
  const sorted = [...buckets].sort((x, y) => x.le - y.le);
  const total = sorted[sorted.length - 1]?.count ?? 0;
  if (!(total > 0)) return { value: NaN, low: NaN, high: NaN };
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return { value: lowerBound, low: lowerBound, high: Infinity };
      const width = bucket.count - lowerCount;
      const value = width > 0 ? lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / width : bucket.le;
      return { value, low: lowerBound, high: bucket.le };
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return { value: lowerBound, low: lowerBound, high: Infinity };
}
