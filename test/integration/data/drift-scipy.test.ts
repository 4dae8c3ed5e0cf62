// Drift p-values against scipy: KS (exact, as ks_2samp computes it for these sizes) on the profiles of
// the vega-datasets cars, US against Japan and two random halves of the US; chi-squared against
// chi2_contingency; the chi-squared and Kolmogorov tails against scipy.stats.chi2 and kstwobign.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDrift } from '../../../shared/data/drift.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { chiSquaredSurvival, kolmogorovSmirnovPValue, kolmogorovSurvival } from '../../../shared/data/sketch/distributions.js';
import { chiSquaredHomogeneity, kolmogorovSmirnov } from '../../../shared/data/sketch/drift.js';
import { QuantileSketch } from '../../../shared/data/sketch/quantiles.js';
import { profileOf } from '../../unit/data/profile-run.js';
import { vegaData } from '../../unit/data/real-data.js';

const PYTHON = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

type Car = Record<string, string | number | null>;
const cars = JSON.parse(readFileSync(`${vegaData}cars.json`, 'utf8')) as Car[];
const us = cars.filter((c) => c.Origin === 'USA');
const japan = cars.filter((c) => c.Origin === 'Japan');
const jsonl = (rows: Car[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const NUMERIC = ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];
const values = (rows: Car[], column: string) => rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number');

/** A seeded shuffle (xorshift32), so the halves are random but the same on every run. */
function shuffled<T>(items: T[], seed = 12345): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
const mixed = shuffled(us);
const halves = [mixed.slice(0, 127), mixed.slice(127)] as const;

// Synthetic samples of many sizes for the exact KS distribution, n ≠ m and n = m, ties included.
function sample(n: number, shift: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((state / 2147483648) * 50 + shift);
  });
}
const synthetic: [number[], number[]][] = [
  [sample(7, 0, 1), sample(5, 0, 2)],
  [sample(30, 0, 3), sample(40, 5, 4)],
  [sample(100, 0, 5), sample(100, 3, 6)],
  [sample(254, 0, 7), sample(79, 8, 8)],
  [sample(500, 0, 9), sample(480, 1, 10)],
];
const tables: [number[], number[]][] = [
  [
    [120, 90, 44],
    [40, 30, 9],
  ],
  [
    [72, 74, 103],
    [69, 6, 4],
  ],
  [
    [10, 20, 30, 40],
    [40, 30, 20, 10],
  ],
];
const tails = {
  chi2sf: [
    [3.84, 1],
    [0.5, 10],
    [100, 3],
    [333, 1],
    [250, 253],
    [1e-3, 2],
  ] as [number, number][],
  kolmogorov: [0.2, 0.5, 0.9, 1, 1.36, 2, 3, 5],
};

interface ScipyAnswer {
  scipy: string;
  ks: { statistic: number; pvalue: number }[];
  chi: { statistic: number; pvalue: number; dof: number }[];
  chi2sf: number[];
  kolmogorov: number[];
}

function scipy(cases: object): ScipyAnswer {
  try {
    execFileSync(PYTHON, ['-c', 'import scipy, numpy'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${PYTHON} cannot import scipy, which this test compares against (apt-get install python3-scipy): ${String(error)}`, {
      cause: error,
    });
  }
  const out = execFileSync(PYTHON, [join(here, 'scipy_drift_reference.py')], { input: JSON.stringify(cases), timeout: 120_000 });
  return JSON.parse(out.toString()) as ScipyAnswer;
}

const closeTo = (ours: number, theirs: number, relative = 1e-9) =>
  expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(relative * Math.max(Math.abs(theirs), 1e-300));

describe('drift p-values agree with scipy', () => {
  const pairs: [Car[], Car[]][] = [
    [us, japan],
    [halves[0], halves[1]],
  ];
  let profiles: [ProfileJSON, ProfileJSON][];
  let answer: ScipyAnswer;
  beforeAll(async () => {
    profiles = await Promise.all(
      pairs.map(
        async ([a, b]) => [await profileOf(jsonl(a), 'a.jsonl'), await profileOf(jsonl(b), 'b.jsonl')] as [ProfileJSON, ProfileJSON],
      ),
    );
    const ksCases = [...pairs.flatMap(([a, b]) => NUMERIC.map((c) => [values(a, c), values(b, c)])), ...synthetic];
    answer = scipy({ ks: ksCases, chi: tables, ...tails });
  });

  it('KS on the cars profiles: the statistic and the p-value of ks_2samp, column by column', () => {
    let compared = 0;
    pairs.forEach((_, p) => {
      const drift = measureDrift(profiles[p]![0], profiles[p]![1], { psi: 0.2, js: 0.1, 'p-value': 0.05 });
      NUMERIC.forEach((column, c) => {
        const d = drift.find((x) => x.column === column)!;
        const expected = answer.ks[p * NUMERIC.length + c]!;
        expect([column, d.method]).toEqual([column, 'ks']);
        closeTo(d.score!, expected.statistic, 1e-12);
        closeTo(d.pValue!, expected.pvalue);
        compared++;
      });
    });
    expect(compared).toBe(12);
    // What the comparison covers: tiny p-values (US vs Japan) and large ones (the halves).
    expect(Math.min(...answer.ks.slice(0, 6).map((k) => k.pvalue))).toBeLessThan(1e-30);
    expect(Math.min(...answer.ks.slice(6, 12).map((k) => k.pvalue))).toBeGreaterThan(0.05);
  });

  it('the exact two-sample KS distribution on samples of 5 to 500 values, ties included', () => {
    synthetic.forEach(([a, b], i) => {
      const expected = answer.ks[12 + i]!;
      const sa = new QuantileSketch();
      const sb = new QuantileSketch();
      a.forEach((v) => sa.add(v));
      b.forEach((v) => sb.add(v));
      const d = kolmogorovSmirnov(sa, sb);
      closeTo(d, expected.statistic, 1e-12);
      closeTo(kolmogorovSmirnovPValue(d, a.length, b.length), expected.pvalue);
    });
  });

  it('chi-squared of homogeneity: the statistic, degrees of freedom and p-value of chi2_contingency', () => {
    tables.forEach(([ref, cur], i) => {
      const toMap = (counts: number[]) => new Map(counts.map((n, k) => [`c${k}`, n]));
      const ours = chiSquaredHomogeneity(toMap(ref), toMap(cur))!;
      const expected = answer.chi[i]!;
      expect([ours.degreesOfFreedom, ours.pooled]).toEqual([expected.dof, 0]);
      closeTo(ours.statistic, expected.statistic);
      closeTo(ours.pValue, expected.pvalue);
    });
  });

  it('the chi-squared and Kolmogorov tails', () => {
    tails.chi2sf.forEach(([x, df], i) => closeTo(chiSquaredSurvival(x, df), answer.chi2sf[i]!, 1e-10));
    tails.kolmogorov.forEach((z, i) => closeTo(kolmogorovSurvival(z), answer.kolmogorov[i]!, 1e-10));
  });
});
