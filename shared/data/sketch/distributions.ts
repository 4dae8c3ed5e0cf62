// Tail probabilities of the distributions the drift tests need: chi-squared (through the regularized
// incomplete gamma function), Kolmogorov's limit distribution, and the exact two-sample
// Kolmogorov–Smirnov distribution for small samples.
import { InputError } from '../../errors.js';

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new InputError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x ≥ 0: a
 * series for x < a + 1, else a continued fraction (modified Lentz), which keeps tiny tails exact
 * instead of computing 1 − P. Throws InputError outside that domain.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new InputError(`regularizedGammaQ needs a > 0 and x ≥ 0, got a=${a}, x=${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(logPrefix) * h;
}

/** P(X > x) for X chi-squared with `df` degrees of freedom (df > 0). */
export function chiSquaredSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new InputError(`chi-squared degrees of freedom must be > 0, got ${df}`);
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/**
 * P(K > z) for Kolmogorov's limit distribution K (the supremum of a Brownian bridge):
 * 2 Σ (−1)^(k−1) e^(−2k²z²) for z ≥ 1, and 1 − √(2π)/z Σ e^(−(2k−1)²π²/(8z²)) below, where that
 * alternating series converges slowly.
 */
export function kolmogorovSurvival(z: number): number {
  if (!(z > 0)) return 1;
  if (z < 1) {
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * z * z));
      sum += term;
      if (term < EPSILON * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / z) * sum));
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * z * z);
    sum += k % 2 === 1 ? term : -term;
    if (term < EPSILON * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Above this n·m the exact two-sample distribution (O(n·m)) gives way to the asymptotic one. */
export const EXACT_KS_MAX_CELLS = 10_000_000;

/**
 * P(D ≥ d) for the two-sided two-sample Kolmogorov–Smirnov statistic D of samples of sizes n and m
 * drawn from one continuous distribution. Exact when n·m ≤ {@link EXACT_KS_MAX_CELLS}: the share of
 * the C(n+m, n) lattice paths from (0, 0) to (n, m) that touch |i/n − j/m| ≥ d, counted as
 * probabilities so nothing overflows and tiny p-values keep their digits. Otherwise Kolmogorov's limit
 * at √(n·m/(n+m))·d. Throws InputError when n or m is not a positive integer.
 */
export function kolmogorovSmirnovPValue(d: number, n: number, m: number): number {
  for (const [name, size] of [
    ['n', n],
    ['m', m],
  ] as const) {
    if (!Number.isInteger(size) || size < 1) throw new InputError(`KS sample size ${name} must be a positive integer, got ${size}`);
  }
  if (!(d > 0)) return 1;
  if (d > 1) return 0;
  if (n * m > EXACT_KS_MAX_CELLS) return kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * d);
  // |i/n − j/m| ≥ d ⇔ |i·m − j·n| ≥ d·n·m; for exact ranks D·n·m is a whole number, so round away float noise.
  const bound = Math.max(1, Math.round(d * n * m));
  // row[j] after processing i: share of the paths to (i, j) that have touched the boundary; 1 at every
  // point outside it. The points inside, |i·m − j·n| < bound, form one band per row, from
  // floor((i·m − bound) / n) + 1 to ceil((i·m + bound) / n) − 1, moving right as i grows: only the band
  // is computed (about 2·d·m points a row instead of m + 1), with the very arithmetic of the full grid.
  const row = new Float64Array(m + 1).fill(1);
  let cleared = 0;
  for (let i = 0; i <= n; i++) {
    const from = Math.max(0, Math.floor((i * m - bound) / n) + 1);
    const to = Math.min(m, Math.ceil((i * m + bound) / n) - 1);
    // Points left of the band were inside it on earlier rows; on this row they are outside.
    for (; cleared < Math.min(from, m + 1); cleared++) row[cleared] = 1;
    let j = from;
    if (j === 0 && to >= 0) {
      row[0] = i === 0 ? 0 : (row[0]! * i + 0) / i;
      j = 1;
    }
    // (row[j]·i + row[j−1]·j) / (i + j), with row[j−1] carried in a local (the cell just computed, or
    // the one left of the band): the same operations in the same order as the full grid's.
    let left = row[j - 1]!;
    for (; j <= to; j++) {
      left = (row[j]! * i + left * j) / (i + j);
      row[j] = left;
    }
  }
  return Math.min(1, row[m]!);
}
