// Regression metrics that agree with scikit-learn 1.2 to 1e-9, with per-row weights (bootstrap
// multiplicities). Names returned: mae, rmse, r2, mape, median_absolute_error.
//   mape: sklearn's mean_absolute_percentage_error, |ŷ − y| / max(|y|, eps) with eps the float64 machine
//         epsilon, as a fraction (0.05 is 5 %), not a percentage.
//   r2: 1 when predictions are perfect, 0 when the labels are constant but predictions are not (force_finite).
//   median_absolute_error: np.median without weights; with weights, sklearn's _weighted_percentile
//         (the first sorted error whose cumulative weight reaches half the total: the lower median).

import { InputError } from '../errors.js';
import type { MetricValues } from './classification.js';

/** True values and predictions of a regression model, one per row. */
export interface RegressionRows {
  labels: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

/** Computes every regression metric for any row weights, reusing the work done once in `prepareRegression`. */
export interface RegressionEvaluator {
  readonly rowCount: number;
  /** Returns all metrics under `weights` (one multiplicity per row; unweighted when absent). Does not keep `weights`. */
  evaluate(weights?: ArrayLike<number>): MetricValues;
}

const FLOAT64_EPSILON = 2 ** -52;

/** Prepares rows for repeated evaluation; throws InputError when lengths differ or a value is not finite. */
export function prepareRegression(rows: RegressionRows): RegressionEvaluator {
  const n = rows.labels.length;
  if (rows.predictions.length !== n) {
    throw new InputError(`predictions: expected one prediction per label (${n}), found ${rows.predictions.length}`);
  }
  const labels = finite(rows.labels, 'labels');
  const predictions = finite(rows.predictions, 'predictions');
  const absoluteError = new Float64Array(n);
  const percentageError = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    absoluteError[i] = Math.abs(predictions[i] - labels[i]);
    percentageError[i] = absoluteError[i] / Math.max(Math.abs(labels[i]), FLOAT64_EPSILON);
  }
  // Sorted once so that a weighted median is one pass per weight vector.
  const errorOrder = new Int32Array(n);
  for (let i = 0; i < n; i++) errorOrder[i] = i;
  errorOrder.sort((a, b) => absoluteError[a] - absoluteError[b]);

  return {
    rowCount: n,
    evaluate(weights) {
      if (weights !== undefined && weights.length !== n) {
        throw new InputError(`weights: expected one weight per row (${n}), found ${weights.length}`);
      }
      let total = 0;
      let labelSum = 0;
      for (let i = 0; i < n; i++) {
        const w = weights === undefined ? 1 : weights[i];
        total += w;
        labelSum += w * labels[i];
      }
      const labelMean = labelSum / total;
      let absoluteSum = 0;
      let squaredSum = 0;
      let percentageSum = 0;
      let spread = 0;
      for (let i = 0; i < n; i++) {
        const w = weights === undefined ? 1 : weights[i];
        const error = labels[i] - predictions[i];
        absoluteSum += w * absoluteError[i];
        squaredSum += w * error * error;
        percentageSum += w * percentageError[i];
        const deviation = labels[i] - labelMean;
        spread += w * deviation * deviation;
      }
      return {
        mae: absoluteSum / total,
        rmse: Math.sqrt(squaredSum / total),
        r2: spread === 0 ? (squaredSum === 0 ? 1 : 0) : 1 - squaredSum / spread,
        mape: percentageSum / total,
        median_absolute_error:
          weights === undefined ? median(absoluteError, errorOrder) : weightedMedian(absoluteError, errorOrder, weights),
      };
    },
  };
}

/** Returns mae, rmse, r2, mape and median_absolute_error of the rows (weighted when `weights` is given). */
export function regressionMetrics(rows: RegressionRows, options: { weights?: ArrayLike<number> } = {}): MetricValues {
  return prepareRegression(rows).evaluate(options.weights);
}

function median(values: Float64Array, order: Int32Array): number {
  const n = order.length;
  if (n === 0) return NaN;
  const middle = n >> 1;
  return n % 2 === 1 ? values[order[middle]] : (values[order[middle - 1]] + values[order[middle]]) / 2;
}

function weightedMedian(values: Float64Array, order: Int32Array, weights: ArrayLike<number>): number {
  const n = order.length;
  if (n === 0) return NaN;
  let total = 0;
  for (let j = 0; j < n; j++) total += weights[order[j]];
  let half = total / 2;
  // sklearn nudges a zero target up so that leading zero-weight rows are skipped (GH20528).
  if (half === 0) half = Number.MIN_VALUE;
  let cumulative = 0;
  for (let j = 0; j < n; j++) {
    cumulative += weights[order[j]];
    if (cumulative >= half) return values[order[j]];
  }
  return values[order[n - 1]];
}

function finite(values: ArrayLike<number>, name: string): Float64Array {
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`${name}: row ${i + 1} is ${values[i]}, expected a finite number`);
    copy[i] = values[i];
  }
  return copy;
}
