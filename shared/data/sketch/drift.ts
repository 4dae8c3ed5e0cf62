import { InputError } from '../../errors.js';
import { chiSquaredSurvival } from './distributions.js';
import type { QuantileSketch } from './quantiles.js';

/** Smallest bin fraction used by PSI, so an empty bin gives a large but finite term. */
export const PSI_EPSILON = 1e-4;

/**
 * Population Stability Index of `current` against `reference`: bins cut at the reference's
 * quantiles 1/bins … (bins−1)/bins (duplicates dropped, so a constant column gives two bins:
 * ≤ the constant and above it), fractions from each sketch's rank(), fractions below 1e-4 raised
 * to 1e-4; PSI = Σ (actual − expected) · ln(actual / expected). NaN when either sketch is empty;
 * throws InputError when bins is not an integer ≥ 2.
 */
export function populationStabilityIndex(reference: QuantileSketch, current: QuantileSketch, bins = 10): number {
  if (!Number.isInteger(bins) || bins < 2) throw new InputError(`PSI bins must be an integer ≥ 2, got ${bins}`);
  if (reference.count === 0 || current.count === 0) return NaN;
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = reference.quantile(i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  let psi = 0;
  let previousExpected = 0;
  let previousActual = 0;
  for (let i = 0; i <= edges.length; i++) {
    const expectedCdf = i < edges.length ? reference.rank(edges[i]!) : 1;
    const actualCdf = i < edges.length ? current.rank(edges[i]!) : 1;
    const expected = Math.max(expectedCdf - previousExpected, PSI_EPSILON);
    const actual = Math.max(actualCdf - previousActual, PSI_EPSILON);
    psi += (actual - expected) * Math.log(actual / expected);
    previousExpected = expectedCdf;
    previousActual = actualCdf;
  }
  return psi;
}

/**
 * Two-sample Kolmogorov–Smirnov statistic: sup over x of |F_ref(x) − F_cur(x)|, evaluated at every
 * item either sketch retains (where the step functions change). NaN when either sketch is empty.
 */
export function kolmogorovSmirnov(reference: QuantileSketch, current: QuantileSketch): number {
  if (reference.count === 0 || current.count === 0) return NaN;
  // One walk through both sorted views: at each retained value v, F(v) = weight of the values ≤ v over
  // the count, exactly as rank(v) gives it.
  const a = reference.sorted();
  const b = current.sorted();
  const na = a.values.length;
  const nb = b.values.length;
  let i = 0;
  let j = 0;
  let sup = 0;
  while (i < na || j < nb) {
    const v = j >= nb || (i < na && a.values[i]! <= b.values[j]!) ? a.values[i]! : b.values[j]!;
    while (i < na && a.values[i]! <= v) i++;
    while (j < nb && b.values[j]! <= v) j++;
    const gap = Math.abs((i === 0 ? 0 : a.cumulative[i - 1]! / reference.count) - (j === 0 ? 0 : b.cumulative[j - 1]! / current.count));
    if (gap > sup) sup = gap;
  }
  return sup;
}

/**
 * Jensen–Shannon distance (square root of the JS divergence, log base 2, so in [0, 1]) between
 * the distributions given by two maps of counts over the union of their keys. NaN when either map
 * counts nothing; throws InputError on a negative or non-finite count.
 */
export function jensenShannonDistance(reference: Map<string, number>, current: Map<string, number>): number {
  const referenceTotal = totalOf(reference, 'reference');
  const currentTotal = totalOf(current, 'current');
  if (referenceTotal === 0 || currentTotal === 0) return NaN;
  let divergence = 0;
  for (const key of new Set([...reference.keys(), ...current.keys()])) {
    const p = (reference.get(key) ?? 0) / referenceTotal;
    const q = (current.get(key) ?? 0) / currentTotal;
    const m = (p + q) / 2;
    if (p > 0) divergence += 0.5 * p * Math.log2(p / m);
    if (q > 0) divergence += 0.5 * q * Math.log2(q / m);
  }
  // Rounding can leave a tiny negative divergence for identical distributions.
  return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}

function totalOf(counts: Map<string, number>, name: string): number {
  let total = 0;
  for (const [key, count] of counts) {
    if (!(count >= 0 && count < Infinity)) {
      throw new InputError(`${name} count of ${JSON.stringify(key)} must be a non-negative number, got ${count}`);
    }
    total += count;
  }
  return total;
}

/**
 * Estimated number of values in each bin [edges[i], edges[i+1]) (the last bin closed), from the
 * sketch's rank (whole numbers: sums of retained items' weights). Throws InputError when there are
 * fewer than two edges or they decrease.
 */
export function histogram(sketch: QuantileSketch, edges: number[]): number[] {
  if (edges.length < 2) throw new InputError(`histogram needs at least two edges, got ${edges.length}`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! >= edges[i - 1]!)) {
      throw new InputError(`histogram edges must not decrease, got ${edges[i - 1]} then ${edges[i]} at index ${i}`);
    }
  }
  if (sketch.count === 0) return new Array<number>(edges.length - 1).fill(0);
  // Ranks are sums of integer item weights over count, so rounding recovers those sums exactly.
  const below = edges.map((edge) => Math.round(sketch.rank(edge, false) * sketch.count));
  below[below.length - 1] = Math.round(sketch.rank(edges[edges.length - 1]!, true) * sketch.count);
  return below.slice(1).map((weight, i) => Math.max(0, weight - below[i]!));
}

/**
 * bins+1 equally spaced edges from min to max (the last exactly max). Throws InputError when bins
 * is not a positive integer or the bounds are not finite with min ≤ max.
 */
export function equalWidthEdges(min: number, max: number, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new InputError(`histogram bins must be a positive integer, got ${bins}`);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new InputError(`histogram range must be finite with min ≤ max, got [${min}, ${max}]`);
  }
  const width = (max - min) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
}

/** Smallest expected count a chi-squared cell may have (Cochran's rule); rarer categories are pooled. */
export const MIN_EXPECTED_COUNT = 5;

export interface ChiSquaredResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Categories compared after pooling. */
  categories: number;
  /** Categories pooled into one bucket because their expected counts were below 5. */
  pooled: number;
}

/**
 * Chi-squared test of homogeneity of two samples of categories (the 2×k contingency table of their
 * counts, no continuity correction, as scipy's chi2_contingency with correction=False). Categories
 * whose smaller expected count is below {@link MIN_EXPECTED_COUNT} are pooled into one bucket (kept
 * even when it stays that small: a category new in the current data must still count). Null when
 * fewer than two buckets remain after pooling, i.e. every category is rare (an identifier-like
 * column), where the test cannot decide; p = 1 when both samples hold one and the same value; throws InputError on a negative or non-finite count.
 */
export function chiSquaredHomogeneity(reference: Map<string, number>, current: Map<string, number>): ChiSquaredResult | null {
  const referenceTotal = totalOf(reference, 'reference');
  const currentTotal = totalOf(current, 'current');
  const total = referenceTotal + currentTotal;
  if (referenceTotal === 0 || currentTotal === 0) return null;
  // The smaller row has the smaller expected counts: min(row) · column / total ≥ 5.
  const enough = (MIN_EXPECTED_COUNT * total) / Math.min(referenceTotal, currentTotal);
  const buckets = [...new Set([...reference.keys(), ...current.keys()])]
    .map((key) => ({ ref: reference.get(key) ?? 0, cur: current.get(key) ?? 0 }))
    .filter((b) => b.ref + b.cur > 0)
    .sort((a, b) => a.ref + a.cur - (b.ref + b.cur));
  // One value on both sides: nothing to compare, the two samples agree.
  if (buckets.length === 1) return { statistic: 0, degreesOfFreedom: 0, pValue: 1, categories: 1, pooled: 0 };
  const pool = { ref: 0, cur: 0 };
  let pooled = 0;
  while (buckets.length && buckets[0]!.ref + buckets[0]!.cur < enough) {
    const rare = buckets.shift()!;
    pool.ref += rare.ref;
    pool.cur += rare.cur;
    pooled++;
  }
  if (pooled > 0) buckets.push(pool);
  if (buckets.length < 2) return null;
  let statistic = 0;
  for (const { ref, cur } of buckets) {
    const expectedRef = (referenceTotal * (ref + cur)) / total;
    const expectedCur = (currentTotal * (ref + cur)) / total;
    statistic += (ref - expectedRef) ** 2 / expectedRef + (cur - expectedCur) ** 2 / expectedCur;
  }
  const degreesOfFreedom = buckets.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquaredSurvival(statistic, degreesOfFreedom), categories: buckets.length, pooled };
}
