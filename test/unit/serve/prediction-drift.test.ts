// Prediction drift in the serving runtime: the held-out predictions profiled as validate-data profiles
// a column, the live class (argmax mapped to the model's labels) compared with them by shared/data's
// drift code, the gauges exported, and the predicted class handed to the request log.
import { describe, expect, it } from '@jest/globals';
import { columnDrift, driftColumnOf } from '../../../shared/data/drift.js';
import { ColumnAccumulator } from '../../../shared/data/profile.js';
import { jensenShannonDistance } from '../../../shared/data/sketch/drift.js';
import type { FeatureLayout } from '../../../shared/serve/feature-layout.js';
import { referencePredictionColumn, type ReferencePredictions } from '../../../shared/serve/prediction-reference.js';
import { ServerMetrics } from '../../../shared/serve/server-metrics.js';
import { loggedPredictions, ServingProfiles } from '../../../shared/serve/serving-profiles.js';
import type { TensorData, TensorSpec } from '../../../shared/serve/tensor-types.js';

const THRESHOLDS = { psi: 0.2, js: 0.1, 'p-value': 0.05 };
const LABELS = ['Adelie', 'Chinstrap', 'Gentoo'];
const input: TensorSpec = { name: 'input', datatype: 'FP32', shape: [-1, 1] };
const layout: FeatureLayout = { kind: 'matrix', input, columns: ['x'], named: true };
const probabilities: TensorSpec = { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] };

/** `counts[k]` rows predicted as class k, in a fixed interleaved order. */
function classRows(counts: number[]): number[] {
  const rows: number[] = [];
  const left = [...counts];
  while (left.some((n) => n > 0))
    left.forEach((n, k) => {
      if (n > 0) {
        rows.push(k);
        left[k]--;
      }
    });
  return rows;
}

/** A request whose model answered these classes (probability 0.8 on the predicted one). */
function request(classes: number[]): { tensors: TensorData[]; outputs: TensorData[] } {
  const scores = new Float32Array(classes.length * 3).fill(0.1);
  classes.forEach((k, r) => (scores[r * 3 + k] = 0.8));
  return {
    tensors: [{ name: 'input', datatype: 'FP32', shape: [classes.length, 1], data: new Float32Array(classes.length) }],
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [classes.length, 3], data: scores }],
  };
}

function reference(values: (string | null)[]): ReferencePredictions {
  return { path: 'predictions.csv', column: 'prediction', values };
}

/** Held-out predictions: 30 % Adelie, 20 % Chinstrap, 50 % Gentoo... as 68 rows of a test split would give. */
const HELD_OUT = classRows([24, 14, 30]).map((k) => LABELS[k]!);

function profiles(values: (string | null)[] | undefined, labels: string[] | null = LABELS, outputs = [probabilities]) {
  return new ServingProfiles(layout, outputs, labels ?? undefined, undefined, {
    windowMs: 60_000,
    windows: 10,
    thresholds: THRESHOLDS,
    cacheMs: 0,
    now: () => 1_000_000,
    ...(values ? { predictionReference: reference(values) } : {}),
  });
}

describe('prediction drift in the serving runtime', () => {
  it('is stable for traffic predicted like the held-out rows and drifts for another population, by the same test as input drift', () => {
    const alike = profiles(HELD_OUT);
    const { tensors, outputs } = request(classRows([72, 42, 90]));
    expect(loggedPredictions(alike.record(tensors, outputs)!, 3)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const [stable] = alike.predictionDrift();
    expect(stable).toMatchObject({
      column: 'probabilities',
      method: 'chi-squared',
      status: 'stable',
      counts: { reference: 68, current: 204 },
    });

    const gentoo = profiles(HELD_OUT);
    const other = request(classRows([2, 0, 200]));
    gentoo.record(other.tensors, other.outputs);
    const [drifted] = gentoo.predictionDrift();
    expect(drifted).toMatchObject({ column: 'probabilities', method: 'chi-squared', status: 'drift' });
    expect(drifted!.pValue).toBeLessThan(1e-6);

    // The same figures as validate-data's drift on two profiles of those values.
    const ref = new ColumnAccumulator('probabilities', 'string', 'categorical');
    for (const v of HELD_OUT) {
      ref.top!.add(v);
      ref.distinct.addString(v);
    }
    const live = new ColumnAccumulator('probabilities', 'string', 'categorical');
    for (const k of classRows([2, 0, 200])) {
      live.top!.add(LABELS[k]!);
      live.distinct.addString(LABELS[k]!);
    }
    const expected = columnDrift(driftColumnOf(ref.toJSON()), driftColumnOf(live.toJSON()), THRESHOLDS);
    expect(drifted!.pValue).toBeCloseTo(expected.pValue!, 12);
    // The gauge is Jensen–Shannon's distance (0 to 1) while chi-squared decides: one scale for `prediction_drift < 0.1`.
    const js = jensenShannonDistance(driftColumnOf(ref.toJSON()).categories(), driftColumnOf(live.toJSON()).categories());
    expect(drifted!.score).toBeCloseTo(js, 12);
    expect(drifted!.score).toBeGreaterThan(0.3);
    expect(stable!.score).toBeLessThan(0.1);
  });

  it('decides by Jensen–Shannon distance once both sides hold 1,000 values or more', () => {
    const many = profiles(classRows([300, 200, 500]).map((k) => LABELS[k]!));
    const { tensors, outputs } = request(classRows([300, 200, 500]));
    many.record(tensors, outputs);
    expect(many.predictionDrift()[0]).toMatchObject({ method: 'js', status: 'stable', score: 0 });
  });

  it('exports mlops_prediction_drift, its p-value and drifted flag, and nothing without a reference', async () => {
    const gentoo = profiles(HELD_OUT);
    const other = request(classRows([2, 0, 200]));
    gentoo.record(other.tensors, other.outputs);
    const metrics = new ServerMetrics(
      { name: 'penguins', version: 'v1' },
      () => [],
      () => 202,
      () => gentoo.predictionDrift(),
    );
    const { body } = await metrics.exposition();
    expect(body).toMatch(
      /^mlops_prediction_drift\{model="penguins",version="v1",output="probabilities",method="chi-squared"\} \d+(\.\d+)?$/m,
    );
    expect(body).toMatch(/^mlops_prediction_drift_p_value\{model="penguins",version="v1",output="probabilities",method="chi-squared"\} /m);
    expect(body).toMatch(/^mlops_prediction_drifted\{model="penguins",version="v1",output="probabilities"\} 1$/m);

    const none = profiles(undefined);
    none.record(other.tensors, other.outputs);
    expect(none.predictionDrift()).toEqual([]);
    const bare = new ServerMetrics(
      { name: 'penguins', version: 'v1' },
      () => [],
      () => 0,
      () => none.predictionDrift(),
    );
    expect((await bare.exposition()).body).not.toMatch(/^mlops_prediction_drift(_p_value)?\{/m);
  });

  it('takes no reference it cannot compare: a class the model cannot give, text for a number, no predictions', () => {
    const unknown = profiles([...HELD_OUT, 'Emperor']);
    expect(unknown.predictionReferenceProblem).toMatch(
      /predicts "Emperor" \(row 69\), which output probabilities cannot give \(Adelie, Chinstrap, Gentoo\)/,
    );
    expect(unknown.predictionDrift()).toEqual([]);
    // Without class names the argmax is the class index: names in the reference cannot be compared.
    expect(profiles(HELD_OUT, null).predictionReferenceProblem).toMatch(/which output probabilities cannot give \(0, 1, 2\)/);
    const value: TensorSpec = { name: 'variable', datatype: 'FP32', shape: [-1, 1] };
    expect(profiles(['1.5', 'high'], null, [value]).predictionReferenceProblem).toMatch(/"high" \(row 2\), not a number/);
    expect(profiles([null, ''], null, [value]).predictionReferenceProblem).toMatch(/holds no predictions/);
  });

  it('compares a regressor’s values (one per row) by the KS test, and logs them as numbers', () => {
    const value: TensorSpec = { name: 'variable', datatype: 'FP32', shape: [-1, 1] };
    const held = Array.from({ length: 200 }, (_, i) => String(i / 10));
    const regressor = profiles(held, null, [value]);
    expect(regressor.predictionOutput).toEqual({ name: 'variable', kind: 'numeric' });
    const shifted = Float32Array.from({ length: 200 }, (_, i) => 50 + i / 10);
    const predicted = regressor.record(
      [{ name: 'input', datatype: 'FP32', shape: [200, 1], data: new Float32Array(200) }],
      [{ name: 'variable', datatype: 'FP32', shape: [200, 1], data: shifted }],
    );
    expect(loggedPredictions(predicted!, 2)).toEqual([50, 50.099998474121094]);
    expect(regressor.predictionDrift()[0]).toMatchObject({ column: 'variable', method: 'ks', status: 'drift', score: 1 });
    expect(loggedPredictions(BigInt64Array.from([3n, 4n]), 5)).toEqual([3, 4]);
  });

  it('profiles the reference with validate-data’s sketches, nulls apart', () => {
    const column = referencePredictionColumn(reference(['Adelie', null, 'Gentoo', '']), {
      name: 'probabilities',
      kind: 'categorical',
      classes: LABELS,
    });
    expect(column).toBeInstanceOf(ColumnAccumulator);
    const json = (column as ColumnAccumulator).toJSON();
    expect(json).toMatchObject({ name: 'probabilities', kind: 'categorical', count: 2, nulls: 2 });
  });
});
