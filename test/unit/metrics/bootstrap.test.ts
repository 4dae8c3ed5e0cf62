import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import {
  bootstrapIntervals,
  createRng,
  drawResampleCounts,
  pairedBootstrapIntervals,
  percentile,
} from '../../../shared/metrics/bootstrap.js';
import { classificationMetrics, prepareClassification } from '../../../shared/metrics/classification.js';
import { gentooRows, guessSpecies, loadPenguins } from './penguins.js';

describe('seeded generator and resamples', () => {
  it('is deterministic given the seed, and differs between seeds', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (rng) => () =>
            rng.nextUint32()
        )(createRng(seed)),
      );
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const value of draw(1)) expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
  });

  it('draws n rows with replacement: counts sum to n, about 1 − 1/e of rows drawn', () => {
    const counts = drawResampleCounts(createRng(3), 10_000, new Float64Array(10_000));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    const drawn = counts.filter((c) => c > 0).length / 10_000;
    expect(drawn).toBeGreaterThan(0.62);
    expect(drawn).toBeLessThan(0.645);
  });

  it('percentile interpolates linearly, like NumPy', () => {
    expect(percentile([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(percentile([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
    expect(percentile([5], 0.5)).toBe(5);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('bootstrapIntervals', () => {
  const rows = gentooRows();
  const evaluator = prepareClassification(rows);
  const evaluate = (weights?: Float64Array) => evaluator.evaluate(weights);

  it('gives each metric its value on all rows and an interval around it', () => {
    const intervals = bootstrapIntervals(evaluator.rowCount, evaluate, { samples: 200, seed: 1 });
    expect(intervals.f1.value).toBe(classificationMetrics(rows).f1);
    for (const name of ['accuracy', 'f1', 'roc_auc', 'average_precision', 'log_loss']) {
      const { value, low, high } = intervals[name];
      expect(low).toBeLessThanOrEqual(value);
      expect(high).toBeGreaterThanOrEqual(value);
      expect(high - low).toBeGreaterThan(0);
      expect(high - low).toBeLessThan(0.2);
    }
  });

  it('is reproducible given the seed, and a wider confidence gives a wider interval', () => {
    const a = bootstrapIntervals(evaluator.rowCount, evaluate, { samples: 100, seed: 5 });
    expect(bootstrapIntervals(evaluator.rowCount, evaluate, { samples: 100, seed: 5 })).toEqual(a);
    expect(bootstrapIntervals(evaluator.rowCount, evaluate, { samples: 100, seed: 6 }).f1).not.toEqual(a.f1);
    const wide = bootstrapIntervals(evaluator.rowCount, evaluate, { samples: 100, seed: 5, confidence: 0.99 });
    expect(wide.f1.high - wide.f1.low).toBeGreaterThan(a.f1.high - a.f1.low);
  });

  it('equals the textbook bootstrap that copies the resampled rows', () => {
    const samples = 50;
    const fast = bootstrapIntervals(evaluator.rowCount, evaluate, { samples, seed: 11 });
    // Same draws, expanded into copied rows and evaluated without weights.
    const rng = createRng(11);
    const counts = new Float64Array(evaluator.rowCount);
    const f1s: number[] = [];
    const aucs: number[] = [];
    for (let s = 0; s < samples; s++) {
      drawResampleCounts(rng, evaluator.rowCount, counts);
      const copy = { labels: [] as string[], predictions: [] as string[], scores: [] as number[] };
      counts.forEach((count, i) => {
        for (let r = 0; r < count; r++) {
          copy.labels.push(rows.labels[i]);
          copy.predictions.push(rows.predictions[i]);
          copy.scores.push(rows.scores[i]);
        }
      });
      const values = classificationMetrics(copy, { positiveClass: 'yes' });
      f1s.push(values.f1);
      aucs.push(values.roc_auc);
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    expect(fast.f1.low).toBeCloseTo(percentile(sorted(f1s), 0.025), 12);
    expect(fast.f1.high).toBeCloseTo(percentile(sorted(f1s), 0.975), 12);
    expect(fast.roc_auc.low).toBeCloseTo(percentile(sorted(aucs), 0.025), 12);
  });

  it('leaves resamples where a metric is undefined out of its interval', () => {
    // 1 positive in 40 rows: many resamples draw no positive, where ROC AUC is NaN.
    const few = {
      labels: Array.from({ length: 40 }, (_, i) => (i === 0 ? 'yes' : 'no')),
      predictions: Array(40).fill('no'),
      scores: Array.from({ length: 40 }, (_, i) => 1 - i / 40),
    };
    const sparse = prepareClassification(few);
    const intervals = bootstrapIntervals(40, (w) => sparse.evaluate(w), { samples: 100, seed: 2 });
    expect(intervals.roc_auc.low).toBe(1);
    expect(intervals.roc_auc.high).toBe(1);
  });

  it('rejects bad options with InputError', () => {
    expect(() => bootstrapIntervals(10, evaluate, { samples: 0 })).toThrow(InputError);
    expect(() => bootstrapIntervals(10, evaluate, { samples: 2.5 })).toThrow(
      'bootstrap samples: expected a whole number of at least 1, found 2.5',
    );
    expect(() => bootstrapIntervals(evaluator.rowCount, evaluate, { confidence: 95 })).toThrow(
      'bootstrap confidence: expected a number between 0 and 1',
    );
    expect(() => bootstrapIntervals(0, evaluate)).toThrow('expected at least one row to resample');
  });
});

describe('pairedBootstrapIntervals', () => {
  const penguins = loadPenguins();
  const labels = penguins.map((p) => p.Species);
  const candidate = prepareClassification({ labels, predictions: penguins.map(guessSpecies) });
  // A worse baseline: every penguin on Biscoe is a Gentoo, the rest Adelie.
  const baseline = prepareClassification({ labels, predictions: penguins.map((p) => (p.Island === 'Biscoe' ? 'Gentoo' : 'Adelie')) });

  it('gives candidate, baseline and the interval of their difference on the same resamples', () => {
    const paired = pairedBootstrapIntervals(
      labels.length,
      (w) => candidate.evaluate(w),
      (w) => baseline.evaluate(w),
      { samples: 300, seed: 9 },
    );
    const delta = paired.delta.accuracy;
    expect(delta.value).toBeCloseTo(paired.candidate.accuracy.value - paired.baseline.accuracy.value, 12);
    expect(delta.low).toBeLessThanOrEqual(delta.value);
    expect(delta.high).toBeGreaterThanOrEqual(delta.value);
    // Pairing cancels shared noise: the difference's interval is narrower than the two intervals would suggest.
    const unpairedWidth =
      paired.candidate.accuracy.high - paired.candidate.accuracy.low + (paired.baseline.accuracy.high - paired.baseline.accuracy.low);
    expect(delta.high - delta.low).toBeLessThan(unpairedWidth);
    expect(paired.candidate).toEqual(bootstrapIntervals(labels.length, (w) => candidate.evaluate(w), { samples: 300, seed: 9 }));
  });

  it('a model compared with itself differs by exactly 0 in every resample', () => {
    const paired = pairedBootstrapIntervals(
      labels.length,
      (w) => candidate.evaluate(w),
      (w) => candidate.evaluate(w),
      { samples: 50, seed: 1 },
    );
    for (const interval of Object.values(paired.delta)) expect(interval).toEqual({ value: 0, low: 0, high: 0 });
  });
});
