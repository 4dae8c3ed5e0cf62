import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { compareModels, MAX_SLICE_VALUES, prepareModelEvaluation, sliceGroups } from '../../../shared/evaluate/model-metrics.js';
import { pairBaseline } from '../../../shared/evaluate/pairing.js';
import { type PredictionSet, readPredictionSet } from '../../../shared/evaluate/prediction-set.js';
import { readPredictionTable } from '../../../shared/evaluate/prediction-table.js';
import { classificationMetrics } from '../../../shared/metrics/classification.js';
import { regressionMetrics } from '../../../shared/metrics/regression.js';

const fixtures = new URL('../../fixtures/evaluate/', import.meta.url).pathname;
const columns = { task: 'classification' as const, label: 'label', prediction: 'prediction', id: 'id', slices: ['island'] };

async function penguins(file = 'penguins-predictions.csv'): Promise<PredictionSet> {
  return readPredictionSet(await readPredictionTable(file, fixtures, 'predictions'), columns);
}

/** Cars (vega-datasets) with a one-variable model of fuel economy from weight: real data, a plausible regressor. */
function cars(): PredictionSet {
  const rows = (
    JSON.parse(readFileSync(new URL('../../../node_modules/vega-datasets/data/cars.json', import.meta.url), 'utf8')) as Record<
      string,
      number | string | null
    >[]
  ).filter((car) => car.Miles_per_Gallon !== null);
  const labels = Float64Array.from(rows, (car) => car.Miles_per_Gallon as number);
  const predictions = Float64Array.from(rows, (car) => 46.3 - 0.00767 * (car.Weight_in_lbs as number));
  return {
    path: 'cars.json',
    task: 'regression',
    rowCount: rows.length,
    labels: Array.from(labels, String),
    predictions: Array.from(predictions, String),
    numericLabels: labels,
    numericPredictions: predictions,
    scoreColumns: [],
    slices: new Map([['origin', rows.map((car) => String(car.Origin))]]),
    lines: rows.map((_, i) => i + 1),
  };
}

describe('slices', () => {
  it('gives each penguin island the metrics of its own rows (classification)', async () => {
    const set = await penguins();
    const groups = sliceGroups(set);
    expect(groups.map((g) => [g.value, g.rows.length])).toEqual([
      ['Torgersen', 14],
      ['Biscoe', 45],
      ['Dream', 27],
    ]);
    const values = prepareModelEvaluation(set, groups).evaluate();
    for (const group of groups) {
      const rows = Array.from(group.rows);
      const subset = classificationMetrics({
        labels: rows.map((i) => set.labels[i]!),
        predictions: rows.map((i) => set.predictions[i]!),
        probabilities: rows.map((i) => set.probabilities![i]!),
        probabilityClasses: set.probabilityClasses,
      });
      // (log loss keeps all three probability columns, as sklearn's log_loss(labels=…); the integration test checks it against sklearn.)
      for (const name of ['accuracy', 'balanced_accuracy', 'f1_weighted', 'precision_weighted', 'f1_macro', 'recall_macro']) {
        expect({ name, value: values[`${name}[island=${group.value}]`] }).toEqual({ name, value: expect.closeTo(subset[name]!, 12) });
      }
    }
    // Torgersen has only Adelie penguins: its macro averages are over that one class, as scikit-learn on those rows.
    expect(values['f1_macro[island=Torgersen]']).toBe(1);
    expect(Number.isNaN(values['roc_auc[island=Torgersen]'])).toBe(true);
    expect(Object.keys(values).filter((name) => name.includes('[class=') && name.includes('island'))).toEqual([]);
  });

  it('gives each origin the metrics of its own rows (regression, cars)', () => {
    const set = cars();
    const groups = sliceGroups(set);
    const values = prepareModelEvaluation(set, groups).evaluate();
    for (const group of groups) {
      const rows = Array.from(group.rows);
      const subset = regressionMetrics({
        labels: rows.map((i) => set.numericLabels![i]!),
        predictions: rows.map((i) => set.numericPredictions![i]!),
      });
      for (const [name, value] of Object.entries(subset)) expect(values[`${name}[origin=${group.value}]`]).toBe(value);
    }
    expect(groups.map((g) => g.value).sort()).toEqual(['Europe', 'Japan', 'USA']);
  });

  it('refuses a slice column with more distinct values than a slice should have', () => {
    const set = cars();
    set.slices = new Map([['name', set.labels.map((_, i) => `car ${i}`)]]);
    expect(() => sliceGroups(set)).toThrow(`Input 'slices': column name of cars.json has more than ${MAX_SLICE_VALUES} distinct values`);
  });
});

describe('compareModels', () => {
  it('gives paired intervals of candidate − baseline, deterministic for a seed', async () => {
    const candidate = await penguins();
    const { baseline } = pairBaseline(candidate, await penguins('penguins-baseline-predictions.csv'));
    const groups = sliceGroups(candidate);
    const run = (seed: number) =>
      compareModels(
        prepareModelEvaluation(candidate, groups),
        { paired: prepareModelEvaluation(baseline, groups) },
        { samples: 300, confidence: 0.9, seed },
      );
    const first = run(3);
    expect(run(3)).toEqual(first);
    const delta = first.delta!.accuracy!;
    expect(delta.value).toBeCloseTo(first.candidate.accuracy!.value - first.baseline!.accuracy!.value, 12);
    expect(delta.low!).toBeGreaterThan(0); // the 300-epoch model beats the 3-epoch one on these rows
    expect(delta.low!).toBeLessThanOrEqual(delta.value);
    expect(first.delta!['accuracy[island=Dream]']).toBeDefined();
    const points = compareModels(
      prepareModelEvaluation(candidate, []),
      { paired: prepareModelEvaluation(baseline, []) },
      { samples: 0, confidence: 0.9, seed: 0 },
    );
    expect(points.delta!.accuracy).toEqual({ value: delta.value });
  });
});
