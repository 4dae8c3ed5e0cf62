// Every metric of one model's predictions, overall and per slice, as one weighted evaluation: a
// bootstrap resample weights all rows at once, and each slice's metrics come from the same resample.
//
// Slices. Regression: the metrics of the slice's rows (as scikit-learn on those rows). Classification:
// the rows outside the slice get weight 0, which gives scikit-learn's values on the slice's rows, with
// two exceptions: macro averages are re-taken over the classes occurring in the slice (as scikit-learn
// does on those rows), and a multiclass ROC AUC is undefined (NaN) when a class is missing from the
// slice. Per-class metrics are not repeated per slice (a gate names one selector: `recall[class=Gentoo]`
// or `accuracy[island=Dream]`).

import { InputError } from '../errors.js';
import { bootstrapIntervals, pairedBootstrapIntervals, type MetricIntervals, type WeightedEvaluation } from '../metrics/bootstrap.js';
import {
  type ClassificationEvaluator,
  type ConfusionCells,
  type MetricValues,
  prepareClassification,
  type ScoresOutsideUnitInterval,
} from '../metrics/classification.js';
import type { MetricEstimates } from '../metrics/metrics-file.js';
import { prepareRegression } from '../metrics/regression.js';
import type { PredictionSet } from './prediction-set.js';

/** The rows of one value of a slice column. */
export interface SliceGroup {
  column: string;
  value: string;
  rows: Int32Array;
}

export type { MetricEstimate, MetricEstimates } from '../metrics/metrics-file.js';

/** A model's predictions made ready for repeated evaluation. */
export interface ModelEvaluation {
  rowCount: number;
  evaluate: WeightedEvaluation;
  /** Classification: the classes in scikit-learn order, the positive class when binary, the confusion matrix's non-zero cells. */
  classes?: string[];
  positiveClass?: string;
  confusion?: ConfusionCells;
  /** Binary scores that are not probabilities: log_loss and brier_score were left out. */
  scoresOutsideUnitInterval?: ScoresOutsideUnitInterval;
}

/** Most distinct values a slice column may have: more is an identifier, not a slice. */
export const MAX_SLICE_VALUES = 100;

/** The metric name of `metric` on a slice: `accuracy[island=Dream]`. */
export function sliceMetricName(metric: string, group: Pick<SliceGroup, 'column' | 'value'>): string {
  return `${metric}[${group.column}=${group.value}]`;
}

/**
 * Groups the rows by the value of each slice column (values in first-seen order). Throws InputError
 * when a column has more than MAX_SLICE_VALUES distinct values.
 */
export function sliceGroups(set: PredictionSet): SliceGroup[] {
  const groups: SliceGroup[] = [];
  for (const [column, values] of set.slices) {
    const rows = new Map<string, number[]>();
    values.forEach((value, i) => {
      let list = rows.get(value);
      if (list === undefined) {
        if (rows.size === MAX_SLICE_VALUES) {
          throw new InputError(
            `Input 'slices': column ${column} of ${set.path} has more than ${MAX_SLICE_VALUES} distinct values; slice by a column with fewer (a category, not an identifier).`,
            { file: set.path, line: 1 },
          );
        }
        list = [];
        rows.set(value, list);
      }
      list.push(i);
    });
    for (const [value, list] of rows) groups.push({ column, value, rows: Int32Array.from(list) });
  }
  return groups;
}

/**
 * Prepares a model's predictions: every metric overall and on each slice group, under any row weights.
 * Throws InputError (from the metrics) when scores or probabilities do not fit the classes.
 */
export function prepareModelEvaluation(
  set: PredictionSet,
  groups: readonly SliceGroup[],
  options: { positiveClass?: string } = {},
): ModelEvaluation {
  const n = set.rowCount;
  if (n === 0) throw new InputError(`${set.path} has no rows: expected one row per prediction.`, { file: set.path });
  if (set.task === 'regression') {
    const overall = prepareRegression({ labels: set.numericLabels!, predictions: set.numericPredictions! });
    const slices = groups.map((group) => ({
      group,
      evaluator: prepareRegression({
        labels: Float64Array.from(group.rows, (i) => set.numericLabels![i]),
        predictions: Float64Array.from(group.rows, (i) => set.numericPredictions![i]),
      }),
      weights: new Float64Array(group.rows.length),
    }));
    return {
      rowCount: n,
      evaluate(weights) {
        const values = overall.evaluate(weights);
        for (const slice of slices) {
          let sliceValues: MetricValues;
          if (weights === undefined) sliceValues = slice.evaluator.evaluate();
          else {
            for (let j = 0; j < slice.group.rows.length; j++) slice.weights[j] = weights[slice.group.rows[j]];
            sliceValues = slice.evaluator.evaluate(slice.weights);
          }
          for (const [name, value] of Object.entries(sliceValues)) values[sliceMetricName(name, slice.group)] = value;
        }
        return values;
      },
    };
  }

  let evaluator: ClassificationEvaluator;
  try {
    evaluator = prepareClassification(
      {
        labels: set.labels,
        predictions: set.predictions,
        scores: set.scores,
        probabilities: set.probabilities,
        probabilityClasses: set.probabilityClasses,
      },
      { positiveClass: options.positiveClass },
    );
  } catch (error) {
    // The metrics know rows, not files: say which file, and which columns the scores came from.
    if (!(error instanceof InputError)) throw error;
    const columns = set.scoreColumns.length
      ? ` (score column${set.scoreColumns.length === 1 ? '' : 's'} ${set.scoreColumns.join(', ')})`
      : '';
    throw new InputError(`${set.path}${columns}: ${error.message}.`, { file: set.path });
  }
  if (options.positiveClass !== undefined && evaluator.positiveClass === undefined) {
    throw new InputError(
      `Input 'positive-class': ${JSON.stringify(options.positiveClass)} was given, but ${set.path} has ${evaluator.classes.length} classes (${evaluator.classes.join(', ')}), not 2.`,
    );
  }
  const masks = groups.map((group) => {
    const mask = new Float64Array(n);
    for (const i of group.rows) mask[i] = 1;
    return mask;
  });
  const classIndex = new Map(evaluator.classes.map((c, i) => [c, i]));
  const k = evaluator.classes.length;
  const classesOf = groups.map((group) => ({
    label: Int32Array.from(group.rows, (i) => classIndex.get(set.labels[i])!),
    prediction: Int32Array.from(group.rows, (i) => classIndex.get(set.predictions[i])!),
  }));
  const present = new Uint8Array(k);
  const masked = new Float64Array(n);
  const classMetricNames = ['precision', 'recall', 'f1'].map((metric) => ({
    metric,
    names: evaluator.classes.map((c) => `${metric}[class=${c}]`),
  }));
  return {
    rowCount: n,
    classes: [...evaluator.classes],
    positiveClass: evaluator.positiveClass,
    confusion: evaluator.confusionCells(),
    scoresOutsideUnitInterval: evaluator.scoresOutsideUnitInterval,
    evaluate(weights) {
      const values = evaluator.evaluate(weights);
      groups.forEach((group, g) => {
        const mask = masks[g];
        if (weights === undefined) masked.set(mask);
        else for (let i = 0; i < n; i++) masked[i] = mask[i] * weights[i];
        const sliceValues = evaluator.evaluate(masked);
        // Macro averages over the classes that occur in the slice's rows, as scikit-learn on those rows.
        present.fill(0);
        const { label, prediction } = classesOf[g];
        for (let j = 0; j < group.rows.length; j++) {
          if (weights === undefined || weights[group.rows[j]] > 0) {
            present[label[j]] = 1;
            present[prediction[j]] = 1;
          }
        }
        for (const { metric, names } of classMetricNames) {
          let sum = 0;
          let count = 0;
          for (let c = 0; c < k; c++) {
            if (present[c] === 0) continue;
            sum += sliceValues[names[c]];
            count++;
          }
          sliceValues[`${metric}_macro`] = count === 0 ? NaN : sum / count;
        }
        for (const [name, value] of Object.entries(sliceValues)) {
          if (!name.includes('[')) values[sliceMetricName(name, group)] = value;
        }
      });
      return values;
    },
  };
}

/** What the bootstrap produced: the candidate's metrics, and the baseline's and the paired deltas when there is a baseline. */
export interface ComparedMetrics {
  candidate: MetricEstimates;
  baseline?: MetricEstimates;
  delta?: MetricEstimates;
}

/**
 * Returns intervals for the candidate and, when given, the baseline and candidate − baseline. A
 * `baseline` evaluation must be on the candidate's rows in the same order (paired); `baselineMetrics`
 * are fixed values from a file. With `samples` 0 the values are points without intervals.
 */
export function compareModels(
  candidate: ModelEvaluation,
  baseline: { paired?: ModelEvaluation; unpaired?: ModelEvaluation; metrics?: MetricEstimates },
  options: { samples: number; confidence: number; seed: number },
): ComparedMetrics {
  const bootstrap = { samples: options.samples, confidence: options.confidence, seed: options.seed };
  const points = (evaluation: ModelEvaluation): MetricEstimates =>
    Object.fromEntries(Object.entries(evaluation.evaluate()).map(([name, value]) => [name, { value }]));
  const intervals = (evaluation: ModelEvaluation): MetricIntervals =>
    bootstrapIntervals(evaluation.rowCount, (weights) => evaluation.evaluate(weights), bootstrap);
  if (baseline.paired !== undefined) {
    if (options.samples === 0) {
      const c = points(candidate);
      const b = points(baseline.paired);
      const delta: MetricEstimates = {};
      for (const name of Object.keys(c)) if (name in b) delta[name] = { value: c[name].value - b[name].value };
      return { candidate: c, baseline: b, delta };
    }
    const paired = pairedBootstrapIntervals(
      candidate.rowCount,
      (w) => candidate.evaluate(w),
      (w) => baseline.paired!.evaluate(w),
      bootstrap,
    );
    return paired;
  }
  const candidateMetrics = options.samples === 0 ? points(candidate) : intervals(candidate);
  if (baseline.unpaired !== undefined) {
    return { candidate: candidateMetrics, baseline: options.samples === 0 ? points(baseline.unpaired) : intervals(baseline.unpaired) };
  }
  return { candidate: candidateMetrics, baseline: baseline.metrics };
}
