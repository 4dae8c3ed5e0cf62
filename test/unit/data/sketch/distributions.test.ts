// The tails the drift tests use, against values scipy 1.10 gives (test/integration/data/drift-scipy.test.ts
// compares many more against scipy itself when /usr/bin/python3 has it).
import { describe, expect, it } from '@jest/globals';
import {
  chiSquaredSurvival,
  EXACT_KS_MAX_CELLS,
  kolmogorovSmirnovPValue,
  kolmogorovSurvival,
  logGamma,
  regularizedGammaQ,
} from '../../../../shared/data/sketch/distributions.js';
import { InputError } from '../../../../shared/errors.js';

const relative = (ours: number, theirs: number) => Math.abs(ours - theirs) / theirs;

describe('chi-squared tail (regularized incomplete gamma)', () => {
  it('matches scipy.stats.chi2.sf from the body to tails of 1e-74', () => {
    const cases: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [100, 3, 1.5541594313896026e-21],
      [0.5, 10, 0.999993388289439],
      [333, 1, 2.134971929826898e-74],
    ];
    for (const [x, df, scipy] of cases) expect(relative(chiSquaredSurvival(x, df), scipy)).toBeLessThan(1e-10);
    expect(chiSquaredSurvival(0, 3)).toBe(1);
  });

  it('ln Γ and Q(a, x) at known points; bad arguments are InputErrors', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // Q(1, x) = e^−x.
    expect(relative(regularizedGammaQ(1, 30), Math.exp(-30))).toBeLessThan(1e-12);
    expect(() => regularizedGammaQ(0, 1)).toThrow(InputError);
    expect(() => chiSquaredSurvival(1, 0)).toThrow(InputError);
  });
});

describe('Kolmogorov–Smirnov p-values', () => {
  it("Kolmogorov's limit matches scipy.stats.kstwobign.sf on both sides of z = 1", () => {
    const cases: [number, number][] = [
      [0.5, 0.9639452436648751],
      [1.36, 0.049485876755377876],
      [3, 3.045995948942526e-8],
    ];
    for (const [z, scipy] of cases) expect(relative(kolmogorovSurvival(z), scipy)).toBeLessThan(1e-10);
    expect(kolmogorovSurvival(0)).toBe(1);
  });

  it('exact for small samples, as scipy.stats.ks_2samp(method="exact")', () => {
    // [1..7] against [8..12]: D = 1, p = 2 / C(12, 5).
    expect(relative(kolmogorovSmirnovPValue(1, 7, 5), 0.0025252525252525255)).toBeLessThan(1e-12);
    // 0..299 against 40..339: D = 40/300.
    expect(relative(kolmogorovSmirnovPValue(40 / 300, 300, 300), 0.00958895491281293)).toBeLessThan(1e-9);
    expect(kolmogorovSmirnovPValue(0, 10, 10)).toBe(1);
  });

  it('asymptotic above n·m = 1e7, with the effective n = n·m/(n+m)', () => {
    const n = 200_000;
    const m = 100;
    expect(n * m).toBeGreaterThan(EXACT_KS_MAX_CELLS);
    expect(kolmogorovSmirnovPValue(0.15, n, m)).toBe(kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * 0.15));
    expect(() => kolmogorovSmirnovPValue(0.1, 0, 5)).toThrow(InputError);
  });
});
