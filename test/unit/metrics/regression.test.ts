import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { prepareRegression, regressionMetrics } from '../../../shared/metrics/regression.js';
import { loadPenguins } from './penguins.js';

describe('regressionMetrics', () => {
  // scikit-learn's documentation example: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8].
  const example = { labels: [3, -0.5, 2, 7], predictions: [2.5, 0.0, 2, 8] };

  it('matches scikit-learn on its documentation example', () => {
    const values = regressionMetrics(example);
    expect(values.mae).toBe(0.5);
    expect(values.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(values.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(values.mape).toBeCloseTo(0.3273809523809524, 12);
    expect(values.median_absolute_error).toBe(0.5);
  });

  it('mape divides by machine epsilon where the label is 0, as sklearn does', () => {
    expect(regressionMetrics({ labels: [0, 1], predictions: [1e-16, 1] }).mape).toBeCloseTo(1e-16 / 2 ** -52 / 2, 12);
  });

  it('r2 of constant labels: 1 when predictions are perfect, 0 otherwise', () => {
    expect(regressionMetrics({ labels: [2, 2], predictions: [2, 2] }).r2).toBe(1);
    expect(regressionMetrics({ labels: [2, 2], predictions: [2, 3] }).r2).toBe(0);
  });

  it('weighted median is the lower median (sklearn _weighted_percentile), unweighted the mean of the middle two', () => {
    const rows = { labels: [0, 0, 0, 0], predictions: [1, 2, 3, 4] };
    expect(regressionMetrics(rows).median_absolute_error).toBe(2.5);
    expect(regressionMetrics(rows, { weights: Float64Array.from([1, 1, 1, 1]) }).median_absolute_error).toBe(2);
    expect(regressionMetrics(rows, { weights: Float64Array.from([0, 0, 1, 1]) }).median_absolute_error).toBe(3);
  });

  it('weights act as multiplicities (penguin body mass predicted from flipper length)', () => {
    const penguins = loadPenguins();
    const labels = penguins.map((p) => p['Body Mass (g)']!);
    const predictions = penguins.map((p) => 50 * p['Flipper Length (mm)']! - 5800);
    const weights = Float64Array.from(penguins, (_, i) => (i * 3) % 4);
    const repeated = { labels: [] as number[], predictions: [] as number[] };
    penguins.forEach((_, i) => {
      for (let r = 0; r < weights[i]; r++) {
        repeated.labels.push(labels[i]);
        repeated.predictions.push(predictions[i]);
      }
    });
    const weighted = regressionMetrics({ labels, predictions }, { weights });
    const copied = regressionMetrics(repeated);
    for (const name of ['mae', 'rmse', 'r2', 'mape']) expect(weighted[name]).toBeCloseTo(copied[name], 9);
    expect(weighted.r2).toBeGreaterThan(0.6);
    expect(prepareRegression({ labels, predictions }).rowCount).toBe(penguins.length);
  });

  it('rejects rows of different lengths and non-finite values', () => {
    expect(() => regressionMetrics({ labels: [1, 2], predictions: [1] })).toThrow(InputError);
    expect(() => regressionMetrics({ labels: [1, NaN], predictions: [1, 2] })).toThrow('labels: row 2 is NaN, expected a finite number');
  });
});
