// Percentile bootstrap intervals. A resample is a vector of multiplicities (how often each row was
// drawn), handed to an evaluator that already did the per-row work once: no rows are copied, and one
// buffer serves every resample. Deterministic given the seed: same seed, same resamples, same intervals.

import { InputError } from '../errors.js';
import type { MetricValues } from './classification.js';

/** A metric's value on all rows and its bootstrap percentile interval. */
export interface MetricInterval {
  value: number;
  low: number;
  high: number;
}

/** Metric name → value and interval. */
export type MetricIntervals = Record<string, MetricInterval>;

/** Evaluates all metrics under row weights (undefined: every row once). Must not keep `weights`: it is reused. */
export type WeightedEvaluation = (weights?: Float64Array) => MetricValues;

export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  samples?: number;
  /** Coverage of the interval; default 0.95 (the 2.5th to 97.5th percentile). */
  confidence?: number;
  /** Seed of the resampling generator; default 0. */
  seed?: number;
}

/** A source of uniformly distributed unsigned 32-bit integers. */
export interface Rng {
  nextUint32(): number;
}

/** Returns a xoshiro128** generator whose state is expanded from `seed` (any number; used as a uint32) by splitmix32. */
export function createRng(seed: number): Rng {
  let x = seed >>> 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  };
  return new Xoshiro128StarStar(splitmix32(), splitmix32(), splitmix32(), splitmix32());
}

// A class with plain int32 fields: V8 keeps them unboxed, which a closure over `let`s does not manage as well.
class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl(s3, 11);
    return result;
  }
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * Draws one bootstrap resample of `rowCount` (at most 2^31) rows with replacement into `counts`
 * (multiplicity per row), returning it. Uniform by rejection (no modulo bias).
 */
export function drawResampleCounts(rng: Rng, rowCount: number, counts: Float64Array): Float64Array {
  counts.fill(0);
  // 31-bit draws keep the modulo in int32 arithmetic (a uint32 above 2^31 is a double, and % on doubles is slow).
  const limit = 0x80000000 - (0x80000000 % rowCount);
  for (let drawn = 0; drawn < rowCount; drawn++) {
    let r = rng.nextUint32() >>> 1;
    while (r >= limit) r = rng.nextUint32() >>> 1;
    counts[r % rowCount]++;
  }
  return counts;
}

/**
 * Returns, for each metric `evaluate` produces, its value on all rows and its percentile interval over
 * `samples` resamples. Resamples where a metric is NaN (say, ROC AUC drawn without a positive) are left
 * out of that metric's interval; a metric NaN in every resample gets NaN bounds.
 * Throws InputError on a bad option or no rows.
 */
export function bootstrapIntervals(rowCount: number, evaluate: WeightedEvaluation, options: BootstrapOptions = {}): MetricIntervals {
  const point = evaluate();
  const draws = resampleDraws(rowCount, options, (weights) => [evaluate(weights)]);
  return intervalsOf(point, draws[0], confidenceOf(options));
}

/** Intervals of a candidate model, its baseline, and of candidate − baseline, each drawn on the same resamples. */
export interface PairedIntervals {
  candidate: MetricIntervals;
  baseline: MetricIntervals;
  /** For each metric both produce: candidate − baseline per resample (paired, so shared noise cancels). */
  delta: MetricIntervals;
}

/**
 * Evaluates a candidate and a baseline model on the SAME rows and resamples, and returns both sets of
 * intervals and the interval of their difference. Throws InputError on a bad option or no rows.
 */
export function pairedBootstrapIntervals(
  rowCount: number,
  candidate: WeightedEvaluation,
  baseline: WeightedEvaluation,
  options: BootstrapOptions = {},
): PairedIntervals {
  const candidatePoint = candidate();
  const baselinePoint = baseline();
  const [candidateDraws, baselineDraws] = resampleDraws(rowCount, options, (weights) => [candidate(weights), baseline(weights)]);
  const deltaPoint: MetricValues = {};
  const deltaDraws = new Map<string, Float64Array>();
  for (const name of Object.keys(candidatePoint)) {
    if (!(name in baselinePoint)) continue;
    deltaPoint[name] = candidatePoint[name] - baselinePoint[name];
    const c = candidateDraws.get(name)!;
    const b = baselineDraws.get(name)!;
    deltaDraws.set(
      name,
      c.map((value, s) => value - b[s]),
    );
  }
  const confidence = confidenceOf(options);
  return {
    candidate: intervalsOf(candidatePoint, candidateDraws, confidence),
    baseline: intervalsOf(baselinePoint, baselineDraws, confidence),
    delta: intervalsOf(deltaPoint, deltaDraws, confidence),
  };
}

/**
 * Linear-interpolation percentile (NumPy's default method) of ascending `sorted` values at fraction `q`
 * in [0, 1]; NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const position = (m - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, m - 1);
  const t = position - below;
  return sorted[below] + t * (sorted[above] - sorted[below]);
}

/** Runs the resamples and collects each evaluation's values per metric (one Float64Array of `samples` per name). */
function resampleDraws(
  rowCount: number,
  options: BootstrapOptions,
  evaluateAll: (weights: Float64Array) => MetricValues[],
): Map<string, Float64Array>[] {
  const samples = options.samples ?? 1000;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InputError(`bootstrap samples: expected a whole number of at least 1, found ${samples}`);
  }
  if (!Number.isInteger(rowCount) || rowCount < 1) {
    throw new InputError(`bootstrap: expected at least one row to resample, found ${rowCount}`);
  }
  if (rowCount > 0x80000000) throw new InputError(`bootstrap: at most 2^31 rows can be resampled, found ${rowCount}`);
  const rng = createRng(options.seed ?? 0);
  const counts = new Float64Array(rowCount);
  let draws: Map<string, Float64Array>[] | undefined;
  for (let s = 0; s < samples; s++) {
    const results = evaluateAll(drawResampleCounts(rng, rowCount, counts));
    draws ??= results.map((values) => new Map(Object.keys(values).map((name) => [name, new Float64Array(samples)])));
    results.forEach((values, r) => {
      for (const [name, column] of draws![r]) column[s] = values[name] ?? NaN;
    });
  }
  return draws!;
}

function confidenceOf(options: BootstrapOptions): number {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new InputError(`bootstrap confidence: expected a number between 0 and 1 (exclusive), found ${confidence}`);
  }
  return confidence;
}

function intervalsOf(point: MetricValues, draws: Map<string, Float64Array>, confidence: number): MetricIntervals {
  const tail = (1 - confidence) / 2;
  const intervals: MetricIntervals = {};
  for (const [name, value] of Object.entries(point)) {
    const column = draws.get(name);
    const finite = column === undefined ? new Float64Array(0) : column.filter((v) => !Number.isNaN(v)).sort();
    intervals[name] = { value, low: percentile(finite, tail), high: percentile(finite, 1 - tail) };
  }
  return intervals;
}
