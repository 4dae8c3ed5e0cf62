import { describe, expect, it } from '@jest/globals';
import {
  chiSquaredHomogeneity,
  equalWidthEdges,
  histogram,
  jensenShannonDistance,
  kolmogorovSmirnov,
  populationStabilityIndex,
  PSI_EPSILON,
} from '../../../../shared/data/sketch/drift.js';
import { QuantileSketch } from '../../../../shared/data/sketch/quantiles.js';
import { InputError } from '../../../../shared/errors.js';
import { exactRank, readCsvRows, readJsonRows } from './datasets.js';

/** PSI on the raw values: edges at exact reference quantiles (smallest x with F(x) ≥ q). */
function exactPsi(reference: Float64Array, current: Float64Array, bins = 10): number {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = reference[Math.ceil((i / bins) * reference.length) - 1]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  const cdf = (sorted: Float64Array): number[] => [...edges.map((e) => exactRank(sorted, e)), 1];
  const e = cdf(reference);
  const a = cdf(current);
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    const expected = Math.max(e[i]! - (i > 0 ? e[i - 1]! : 0), PSI_EPSILON);
    const actual = Math.max(a[i]! - (i > 0 ? a[i - 1]! : 0), PSI_EPSILON);
    psi += (actual - expected) * Math.log(actual / expected);
  }
  return psi;
}

function exactKs(a: Float64Array, b: Float64Array): number {
  let sup = 0;
  for (const x of [...a, ...b]) sup = Math.max(sup, Math.abs(exactRank(a, x) - exactRank(b, x)));
  return sup;
}

function sketchOf(values: number[]): QuantileSketch {
  const sketch = new QuantileSketch();
  values.forEach((v) => sketch.add(v));
  return sketch;
}

const sortedOf = (values: number[]): Float64Array => Float64Array.from(values).sort();

describe('drift statistics against exact computations on real data', () => {
  it('Seattle max temperature, 2012 vs 2015 (sketches still exact): PSI and KS equal the exact values', () => {
    const rows = readCsvRows('seattle-weather.csv');
    const year = (y: string): number[] => rows.filter((r) => r['date']!.startsWith(y)).map((r) => Number(r['temp_max']));
    const [y2012, y2015] = [year('2012'), year('2015')];
    const psi = populationStabilityIndex(sketchOf(y2012), sketchOf(y2015));
    expect(psi).toBeCloseTo(exactPsi(sortedOf(y2012), sortedOf(y2015)), 12);
    expect(psi).toBeGreaterThan(0.1); // 2015 was a hot year in Seattle
    expect(kolmogorovSmirnov(sketchOf(y2012), sketchOf(y2015))).toBeCloseTo(exactKs(sortedOf(y2012), sortedOf(y2015)), 12);
    expect(populationStabilityIndex(sketchOf(y2012), sketchOf(y2012))).toBe(0);
  });

  it('car horsepower, USA vs Europe: PSI and KS equal the exact values', () => {
    const cars = readJsonRows<{ Horsepower: number | null; Origin: string }>('cars.json');
    const hp = (origin: string): number[] => cars.filter((c) => c.Origin === origin && c.Horsepower !== null).map((c) => c.Horsepower!);
    const [usa, europe] = [hp('USA'), hp('Europe')];
    expect(populationStabilityIndex(sketchOf(usa), sketchOf(europe), 5)).toBeCloseTo(exactPsi(sortedOf(usa), sortedOf(europe), 5), 12);
    expect(kolmogorovSmirnov(sketchOf(usa), sketchOf(europe))).toBeCloseTo(exactKs(sortedOf(usa), sortedOf(europe)), 12);
  });

  it('flight distances, morning vs afternoon of 200k flights (sketches compacted): close to exact', () => {
    const flights = readJsonRows<{ distance: number; delay: number; time: number }>('flights-200k.json');
    for (const column of ['distance', 'delay'] as const) {
      const morning = flights.filter((f) => f.time < 12).map((f) => f[column]);
      const later = flights.filter((f) => f.time >= 12).map((f) => f[column]);
      const [a, b] = [sortedOf(morning), sortedOf(later)];
      const exactP = exactPsi(a, b);
      const sketchP = populationStabilityIndex(sketchOf(morning), sketchOf(later));
      expect(Math.abs(sketchP - exactP)).toBeLessThan(0.01 + 0.1 * exactP);
      const exactK = exactKs(a, b);
      expect(Math.abs(kolmogorovSmirnov(sketchOf(morning), sketchOf(later)) - exactK)).toBeLessThan(2 * QuantileSketch.rankError);
    }
  });

  it('PSI handles a constant reference column and empty sketches', () => {
    const constant = sketchOf(new Array(1000).fill(7));
    expect(populationStabilityIndex(constant, constant)).toBe(0);
    const shifted = sketchOf([...new Array(900).fill(7), ...new Array(100).fill(8)]);
    // bins: ≤ 7 (expected 1, actual 0.9) and > 7 (expected 0 → epsilon, actual 0.1)
    const expected = (0.9 - 1) * Math.log(0.9) + (0.1 - PSI_EPSILON) * Math.log(0.1 / PSI_EPSILON);
    expect(populationStabilityIndex(constant, shifted)).toBeCloseTo(expected, 9);
    expect(populationStabilityIndex(new QuantileSketch(), shifted)).toBeNaN();
    expect(() => populationStabilityIndex(constant, shifted, 1)).toThrow(InputError);
  });

  it('Jensen–Shannon distance matches scipy on Seattle weather kinds, 2012 vs 2015', () => {
    const rows = readCsvRows('seattle-weather.csv');
    const counts = (y: string): Map<string, number> => {
      const m = new Map<string, number>();
      rows.filter((r) => r['date']!.startsWith(y)).forEach((r) => m.set(r['weather']!, (m.get(r['weather']!) ?? 0) + 1));
      return m;
    };
    // scipy.spatial.distance.jensenshannon(p, q, base=2) on the same counts
    expect(jensenShannonDistance(counts('2012'), counts('2015'))).toBeCloseTo(0.320631641513391, 12);
    expect(jensenShannonDistance(counts('2012'), counts('2012'))).toBe(0);
    expect(jensenShannonDistance(new Map([['a', 1]]), new Map([['b', 5]]))).toBe(1);
    expect(jensenShannonDistance(new Map(), counts('2012'))).toBeNaN();
    expect(() => jensenShannonDistance(new Map([['a', -1]]), counts('2012'))).toThrow(InputError);
  });

  it('histogram estimates bin counts; equalWidthEdges spans min to max', () => {
    const distances = readJsonRows<{ distance: number }>('flights-200k.json').map((f) => f.distance);
    const sketch = sketchOf(distances);
    const edges = equalWidthEdges(sketch.min, sketch.max, 8);
    expect(edges).toHaveLength(9);
    expect(edges[0]).toBe(sketch.min);
    expect(edges[8]).toBe(sketch.max);
    const estimated = histogram(sketch, edges);
    const exact = edges
      .slice(1)
      .map((_, i) => distances.filter((d) => d >= edges[i]! && (i === 7 ? d <= edges[8]! : d < edges[i + 1]!)).length);
    expect(estimated.reduce((a, b) => a + b, 0)).toBeCloseTo(distances.length, 6);
    estimated.forEach((count, i) => expect(Math.abs(count - exact[i]!)).toBeLessThan(2 * QuantileSketch.rankError * distances.length));
    // small data is exact: 365 temperatures
    const temps = readCsvRows('seattle-weather.csv')
      .slice(0, 365)
      .map((r) => Number(r['temp_max']));
    const tempEdges = [-5, 0, 10, 20, 40];
    expect(histogram(sketchOf(temps), tempEdges)).toEqual(
      [0, 1, 2, 3].map((i) => temps.filter((t) => t >= tempEdges[i]! && t < tempEdges[i + 1]!).length),
    );
    expect(() => histogram(sketch, [3, 1])).toThrow(InputError);
  });
});

describe('chiSquaredHomogeneity', () => {
  const counts = (values: number[]) => new Map(values.map((n, i) => [`c${i}`, n]));

  it('is chi2_contingency(correction=False), rare categories pooled into one bucket', () => {
    // scipy on [[60, 50, 40, 5], [20, 15, 12, 1]]: the last two categories (3+2, 1+0) pooled.
    const chi = chiSquaredHomogeneity(counts([60, 50, 40, 3, 2]), counts([20, 15, 12, 1, 0]))!;
    expect([chi.degreesOfFreedom, chi.categories, chi.pooled]).toEqual([3, 4, 2]);
    expect(chi.statistic).toBeCloseTo(0.26410428728977103, 12);
    expect(chi.pValue).toBeCloseTo(0.9666317896611027, 12);
  });

  it('counts a category new in the current data even when it is rare', () => {
    // 1,000 "A" then 10 "B": scipy gives chi-squared 1010, p 1.2e-221.
    const chi = chiSquaredHomogeneity(new Map([['A', 1000]]), new Map([['B', 10]]))!;
    expect(chi.statistic).toBeCloseTo(1010, 9);
    expect(Math.abs(chi.pValue - 1.204029362400958e-221) / 1.204029362400958e-221).toBeLessThan(1e-9);
  });

  it('cannot decide when every category is rare; one same value on both sides agrees', () => {
    const ids = (from: number, n: number) => new Map(Array.from({ length: n }, (_, i) => [`id${from + i}`, 1]));
    expect(chiSquaredHomogeneity(ids(0, 40), ids(40, 30))).toBeNull();
    expect(chiSquaredHomogeneity(new Map([['USA', 127]]), new Map([['USA', 127]]))).toMatchObject({ pValue: 1, statistic: 0 });
  });
});
