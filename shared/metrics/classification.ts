// Classification metrics that agree with scikit-learn 1.2 to 1e-9 (checked against it on real data in
// test/integration/metrics/sklearn-agreement.test.ts). Every metric accepts per-row weights: a bootstrap
// resample is a vector of multiplicities, so rows are never copied and the evaluator below does the
// expensive work (label lookup, sorting by score, per-row losses) once for all resamples.
//
// Names of the values returned (the names gates use):
//   accuracy, balanced_accuracy,
//   precision, recall, f1                       binary only: of the positive class
//   precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, f1_weighted
//   precision[class=X], recall[class=X], f1[class=X]   for each class X
//   roc_auc, average_precision, log_loss, brier_score  when scores are given (see ClassificationRows);
//                                               log_loss and brier_score only when binary scores lie in [0, 1]
// A class absent from a row set scores 0 where sklearn's zero_division=0 gives 0; metrics that are
// undefined for the rows (ROC AUC without both classes, any metric with zero total weight) are NaN,
// where sklearn would raise.

import { InputError } from '../errors.js';
import { defaultPositiveClass, sortLabels } from './labels.js';
import { rankScores, rankingValues, type RankedScores } from './ranking.js';

/** Metric name → value. */
export type MetricValues = Record<string, number>;

/** What a classifier produced for a set of rows, with the true labels. */
export interface ClassificationRows {
  labels: readonly string[];
  predictions: readonly string[];
  /** Binary: the score (probability) of the positive class for each row. */
  scores?: ArrayLike<number>;
  /** Multiclass (or binary): one probability per class for each row, columns in `probabilityClasses` order. */
  probabilities?: readonly ArrayLike<number>[];
  /** Column order of `probabilities`; default: the classes in sklearn order (as `predict_proba` gives them). */
  probabilityClasses?: readonly string[];
}

export interface ClassificationOptions {
  /** Binary: the positive class; default the greater label in sklearn order ("1", "true", "yes"). */
  positiveClass?: string;
}

/** Confusion matrix: `counts[t][p]` is the (weighted) number of rows of class `classes[t]` predicted as `classes[p]`. */
export interface ConfusionMatrix {
  classes: string[];
  counts: number[][];
}

/**
 * The non-zero cells of a confusion matrix, `[t, p, count]` in row-major order: at most one per row,
 * where the dense matrix of 10,000 classes would hold 10^8 numbers (800 MB).
 */
export interface ConfusionCells {
  classes: string[];
  cells: [number, number, number][];
}

/** The dense matrix of `cells` (k × k numbers: for few classes only). */
export function denseConfusion({ classes, cells }: ConfusionCells): ConfusionMatrix {
  const counts = classes.map(() => new Array<number>(classes.length).fill(0));
  for (const [t, p, count] of cells) counts[t][p] = count;
  return { classes: [...classes], counts };
}

/** Computes every classification metric for any row weights, reusing the work done once in `prepareClassification`. */
export interface ClassificationEvaluator {
  readonly rowCount: number;
  /** All classes in sklearn order (labels ∪ predictions, plus the positive class when one is given). */
  readonly classes: readonly string[];
  /** The positive class when the problem is binary. */
  readonly positiveClass: string | undefined;
  /**
   * Set when binary scores fall outside [0, 1]: they are decision values, not probabilities, so
   * log_loss and brier_score are not computed (scikit-learn's brier_score_loss refuses them; clipping
   * would give a number that means nothing), while roc_auc and average_precision, which use only the
   * order of the scores, are.
   */
  readonly scoresOutsideUnitInterval: ScoresOutsideUnitInterval | undefined;
  /** Returns all metrics under `weights` (one multiplicity per row; default 1 each). Does not keep `weights`. */
  evaluate(weights?: ArrayLike<number>): MetricValues;
  /** Returns the confusion matrix under `weights` (k × k numbers: for few classes only). */
  confusionMatrix(weights?: ArrayLike<number>): ConfusionMatrix;
  /** Returns the non-zero cells of the confusion matrix under `weights`. */
  confusionCells(weights?: ArrayLike<number>): ConfusionCells;
}

/** Machine epsilon of float64: sklearn 1.2's log_loss clips probabilities to [eps, 1 − eps] with it (eps="auto"). */
const FLOAT64_EPSILON = 2 ** -52;

/**
 * Prepares rows for repeated evaluation (e.g. 1000 bootstrap resamples).
 * Throws InputError when lengths differ, scores are not finite, or probability columns do not fit.
 */
export function prepareClassification(rows: ClassificationRows, options: ClassificationOptions = {}): ClassificationEvaluator {
  const { labels, predictions } = rows;
  const n = labels.length;
  if (predictions.length !== n) {
    throw new InputError(`predictions: expected one prediction per label (${n}), found ${predictions.length}`);
  }
  const labelSet = new Set<string>(labels);
  for (const prediction of predictions) labelSet.add(prediction);
  if (options.positiveClass !== undefined) labelSet.add(options.positiveClass);
  const classes = sortLabels(labelSet);
  const k = classes.length;
  const classIndex = new Map(classes.map((label, index) => [label, index]));
  const labelIndex = new Int32Array(n);
  const predictionIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labelIndex[i] = classIndex.get(labels[i])!;
    predictionIndex[i] = classIndex.get(predictions[i])!;
  }

  const binary = k === 2;
  const positiveClass = binary ? (options.positiveClass ?? defaultPositiveClass(classes)) : undefined;
  const positiveIndex = positiveClass === undefined ? -1 : classIndex.get(positiveClass)!;

  const scoring = prepareScoring(rows, classes, labelIndex, positiveIndex);
  // Per-class sums instead of the k × k matrix: evaluating is O(rows + classes), not O(classes²).
  const truePositives = new Float64Array(k);
  const trueSums = new Float64Array(k);
  const predictedSums = new Float64Array(k);
  const correct = new Float64Array(n);
  for (let i = 0; i < n; i++) correct[i] = labelIndex[i] === predictionIndex[i] ? 1 : 0;
  const ones = new Float64Array(n).fill(1);
  const noLoss = new Float64Array(n);
  const rowLoss = scoring?.rowLogLoss ?? noLoss;
  const rowBrier = scoring?.rowBrier ?? noLoss;
  const names = classMetricNames(classes);

  // One branch-free pass: resamples leave about a third of the rows at weight 0, and skipping them
  // with an `if` costs more in mispredictions than adding zeros.
  function accumulate(weights: ArrayLike<number>): { total: number; logLoss: number; brier: number } {
    checkWeights(weights);
    truePositives.fill(0);
    trueSums.fill(0);
    predictedSums.fill(0);
    let total = 0;
    let logLoss = 0;
    let brier = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      trueSums[labelIndex[i]] += w;
      predictedSums[predictionIndex[i]] += w;
      truePositives[labelIndex[i]] += w * correct[i];
      total += w;
      logLoss += w * rowLoss[i];
      brier += w * rowBrier[i];
    }
    return { total, logLoss, brier };
  }

  function checkWeights(weights: ArrayLike<number>): void {
    if (weights.length !== n) {
      throw new InputError(`weights: expected one weight per row (${n}), found ${weights.length}`);
    }
  }

  function confusionCells(weights: ArrayLike<number> = ones): ConfusionCells {
    checkWeights(weights);
    const byCell = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (w === 0) continue;
      const cell = labelIndex[i] * k + predictionIndex[i];
      byCell.set(cell, (byCell.get(cell) ?? 0) + w);
    }
    const cells = [...byCell]
      .sort((a, b) => a[0] - b[0])
      .map(([cell, count]): [number, number, number] => [Math.floor(cell / k), cell % k, count]);
    return { classes: [...classes], cells };
  }

  return {
    rowCount: n,
    classes,
    positiveClass,
    scoresOutsideUnitInterval: scoring?.outsideUnitInterval,
    evaluate(weights = ones) {
      const { total, logLoss, brier } = accumulate(weights);
      const values = confusionMetrics({ truePositives, trueSums, predictedSums }, names, positiveIndex, total);
      if (scoring !== undefined) {
        if (binary) {
          const ranking = rankingValues(scoring.ranked[0], weights);
          values.roc_auc = ranking.rocAuc;
          values.average_precision = ranking.averagePrecision;
        } else {
          let sum = 0;
          for (const ranked of scoring.ranked) sum += rankingValues(ranked, weights).rocAuc;
          values.roc_auc = sum / scoring.ranked.length;
        }
        if (scoring.rowLogLoss !== undefined) values.log_loss = logLoss / total;
        if (scoring.rowBrier !== undefined) values.brier_score = brier / total;
      }
      return values;
    },
    confusionMatrix(weights = ones) {
      return denseConfusion(confusionCells(weights));
    },
    confusionCells,
  };
}

/** Returns every classification metric of the rows (weighted when `weights` is given); see the file header for names. */
export function classificationMetrics(
  rows: ClassificationRows,
  options: ClassificationOptions & { weights?: ArrayLike<number> } = {},
): MetricValues {
  return prepareClassification(rows, options).evaluate(options.weights);
}

/** Returns the confusion matrix with classes in sklearn order (rows: true class, columns: predicted). */
export function confusionMatrix(
  rows: ClassificationRows,
  options: ClassificationOptions & { weights?: ArrayLike<number> } = {},
): ConfusionMatrix {
  return prepareClassification(rows, options).confusionMatrix(options.weights);
}

interface Scoring {
  /** Binary: one ranking (positive class). Multiclass: one per class, for one-vs-rest AUC. */
  ranked: RankedScores[];
  /** Absent when the scores are not probabilities (see `outsideUnitInterval`). */
  rowLogLoss?: Float64Array;
  rowBrier?: Float64Array;
  outsideUnitInterval?: ScoresOutsideUnitInterval;
}

/** Binary scores outside [0, 1] (logits, margins): how many, and the first (0-based row) with its value. */
export interface ScoresOutsideUnitInterval {
  count: number;
  row: number;
  value: number;
}

function prepareScoring(
  rows: ClassificationRows,
  classes: readonly string[],
  labelIndex: Int32Array,
  positiveIndex: number,
): Scoring | undefined {
  const n = labelIndex.length;
  const k = classes.length;
  if (rows.scores !== undefined) {
    if (positiveIndex < 0) {
      if (k === 1) {
        throw new InputError(
          `scores: one score per row needs two classes (a binary problem), but labels and predictions hold only ${JSON.stringify(classes[0])}; ` +
            "evaluate rows of both classes, or name the class the score is for with 'positive-class' when it is the one missing",
        );
      }
      throw new InputError(
        `scores: one score per row fits a binary problem, but the rows have ${k} classes (${classes.slice(0, 10).join(', ')}${k > 10 ? ', …' : ''}); give probabilities per class instead`,
      );
    }
    return binaryScoring(checkedScores(rows.scores, n), labelIndex, positiveIndex);
  }
  if (rows.probabilities === undefined) return undefined;
  const probabilities = rows.probabilities;
  if (probabilities.length !== n) {
    throw new InputError(`probabilities: expected one row of probabilities per label (${n}), found ${probabilities.length}`);
  }
  const columns = rows.probabilityClasses ?? classes;
  const columnOf = new Map(columns.map((label, column) => [label, column]));
  for (const label of classes) {
    if (!columnOf.has(label)) {
      throw new InputError(
        `probabilities: class "${label}" occurs in the labels or predictions but has no probability column (columns: ${columns.join(', ')})`,
      );
    }
  }
  const m = columns.length;
  for (let i = 0; i < n; i++) {
    const row = probabilities[i];
    if (row.length !== m)
      throw new InputError(`probabilities: row ${i + 1} has ${row.length} values, expected ${m} (${columns.join(', ')})`);
    for (let c = 0; c < m; c++) {
      if (!Number.isFinite(row[c]))
        throw new InputError(`probabilities: row ${i + 1} column "${columns[c]}" is ${row[c]}, expected a finite number`);
    }
  }
  if (positiveIndex >= 0) {
    const column = columnOf.get(classes[positiveIndex])!;
    return binaryScoring(
      Float64Array.from(probabilities, (row) => row[column]),
      labelIndex,
      positiveIndex,
    );
  }

  // sklearn's multiclass log_loss: clip each probability, renormalise the row, take −log of the true class.
  const rowLogLoss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = probabilities[i];
    let sum = 0;
    for (let c = 0; c < m; c++) sum += clip(row[c]);
    rowLogLoss[i] = -Math.log(clip(row[columnOf.get(classes[labelIndex[i]])!]) / sum);
  }
  const ranked: RankedScores[] = [];
  const isClass = new Uint8Array(n);
  const column = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    const p = columnOf.get(classes[c])!;
    for (let i = 0; i < n; i++) {
      isClass[i] = labelIndex[i] === c ? 1 : 0;
      column[i] = probabilities[i][p];
    }
    ranked.push(rankScores(column, isClass));
  }
  return { ranked, rowLogLoss };
}

function binaryScoring(scores: Float64Array, labelIndex: Int32Array, positiveIndex: number): Scoring {
  const n = scores.length;
  const isPositive = new Uint8Array(n);
  let outside: ScoresOutsideUnitInterval | undefined;
  for (let i = 0; i < n; i++) {
    isPositive[i] = labelIndex[i] === positiveIndex ? 1 : 0;
    if (scores[i] >= 0 && scores[i] <= 1) continue;
    if (outside === undefined) outside = { count: 0, row: i, value: scores[i] };
    outside.count++;
  }
  const ranked = [rankScores(scores, isPositive)];
  if (outside !== undefined) return { ranked, outsideUnitInterval: outside };
  const rowLogLoss = new Float64Array(n);
  const rowBrier = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const positive = isPositive[i] === 1;
    // sklearn appends 1 − p after clipping and renormalises by the (not always exactly 1) row sum.
    const p = clip(scores[i]);
    const q = 1 - p;
    rowLogLoss[i] = -Math.log((positive ? p : q) / (q + p));
    const error = (positive ? 1 : 0) - scores[i];
    rowBrier[i] = error * error;
  }
  return { ranked, rowLogLoss, rowBrier };
}

function clip(p: number): number {
  return p < FLOAT64_EPSILON ? FLOAT64_EPSILON : p > 1 - FLOAT64_EPSILON ? 1 - FLOAT64_EPSILON : p;
}

function checkedScores(scores: ArrayLike<number>, n: number): Float64Array {
  if (scores.length !== n) throw new InputError(`scores: expected one score per label (${n}), found ${scores.length}`);
  const copy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const score = scores[i];
    if (!Number.isFinite(score)) throw new InputError(`scores: row ${i + 1} is ${score}, expected a finite number`);
    copy[i] = score;
  }
  return copy;
}

/** The names of the per-class metrics, built once: a bootstrap evaluates thousands of times. */
interface ClassMetricNames {
  precision: string[];
  recall: string[];
  f1: string[];
}

function classMetricNames(classes: readonly string[]): ClassMetricNames {
  return {
    precision: classes.map((c) => `precision[class=${c}]`),
    recall: classes.map((c) => `recall[class=${c}]`),
    f1: classes.map((c) => `f1[class=${c}]`),
  };
}

/** Per class: the weighted rows predicted right, of that true class, and predicted as it. */
interface ClassSums {
  truePositives: Float64Array;
  trueSums: Float64Array;
  predictedSums: Float64Array;
}

/** Accuracy, balanced accuracy and precision/recall/F1 (per class, macro, weighted, binary) from per-class sums. */
function confusionMetrics(sums: ClassSums, names: ClassMetricNames, positiveIndex: number, total: number): MetricValues {
  const k = names.f1.length;
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  const support = sums.trueSums;
  let correct = 0;
  let recallOfPresent = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const tp = sums.truePositives[c];
    const trueSum = sums.trueSums[c];
    const predictedSum = sums.predictedSums[c];
    correct += tp;
    // zero_division=0: a class never predicted has precision 0, a class never true has recall 0.
    precision[c] = predictedSum === 0 ? 0 : tp / predictedSum;
    recall[c] = trueSum === 0 ? 0 : tp / trueSum;
    const denominator = precision[c] + recall[c];
    f1[c] = denominator === 0 ? 0 : (2 * precision[c] * recall[c]) / denominator;
    // balanced_accuracy leaves out classes that never occur in the labels (sklearn drops their NaN).
    if (trueSum !== 0) {
      recallOfPresent += tp / trueSum;
      present++;
    }
  }
  const values: MetricValues = {
    accuracy: correct / total,
    balanced_accuracy: present === 0 ? NaN : recallOfPresent / present,
  };
  if (positiveIndex >= 0) {
    values.precision = precision[positiveIndex];
    values.recall = recall[positiveIndex];
    values.f1 = f1[positiveIndex];
  }
  values.precision_macro = mean(precision);
  values.recall_macro = mean(recall);
  values.f1_macro = mean(f1);
  values.precision_weighted = weightedMean(precision, support);
  values.recall_weighted = weightedMean(recall, support);
  values.f1_weighted = weightedMean(f1, support);
  for (let c = 0; c < k; c++) {
    values[names.precision[c]] = precision[c];
    values[names.recall[c]] = recall[c];
    values[names.f1[c]] = f1[c];
  }
  return values;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? NaN : sum / values.length;
}

function weightedMean(values: Float64Array, weights: Float64Array): number {
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] * weights[i];
    weightSum += weights[i];
  }
  // sklearn returns zero_division (0) when no class has any support.
  return weightSum === 0 ? 0 : sum / weightSum;
}
