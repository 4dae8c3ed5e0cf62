// ROC AUC and average precision for any row weights in one O(n) pass: rows are sorted by score
// once, and each weight vector (a bootstrap resample) only re-accumulates counts in that order.

/** Rows sorted by descending score, with what each pass needs laid out in that order. */
export interface RankedScores {
  /** Row index at each sorted position. */
  readonly order: Int32Array;
  /** 1 where the row at that sorted position belongs to the positive class. */
  readonly positive: Uint8Array;
  /** 1 where the next sorted position has a different score (or none): a threshold of the curve. */
  readonly thresholdEnd: Uint8Array;
}

/** Sorts rows by descending score once; `isPositive[i]` is 1 for rows of the positive class. */
export function rankScores(scores: ArrayLike<number>, isPositive: ArrayLike<number>): RankedScores {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Sorting a copy of the scores alongside the indices is much faster than a comparator on indices.
  const keyed = new Float64Array(n);
  for (let i = 0; i < n; i++) keyed[i] = scores[i];
  order.sort((a, b) => keyed[b] - keyed[a]);
  const positive = new Uint8Array(n);
  const thresholdEnd = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const i = order[j];
    positive[j] = isPositive[i] ? 1 : 0;
    // Ties form one threshold, as in scikit-learn's _binary_clf_curve (np.diff(y_score) != 0).
    thresholdEnd[j] = j === n - 1 || keyed[order[j + 1]] !== keyed[i] ? 1 : 0;
  }
  return { order, positive, thresholdEnd };
}

/** The area under the ROC curve and average precision of ranked rows under the given weights. */
export interface RankingValues {
  rocAuc: number;
  averagePrecision: number;
}

/**
 * Returns ROC AUC (trapezoids between thresholds, as sklearn's roc_curve + auc) and average precision
 * (sklearn's step sum Σ (Rₖ − Rₖ₋₁)·Pₖ); NaN when the weighted rows lack positives (both) or negatives (AUC).
 * Zero-weight rows change neither, which is why sklearn may drop them first.
 */
export function rankingValues(ranked: RankedScores, weights: ArrayLike<number> | undefined): RankingValues {
  const { order, positive, thresholdEnd } = ranked;
  const n = order.length;
  let tp = 0;
  let fp = 0;
  let tpBefore = 0;
  let fpBefore = 0;
  let doubleArea = 0;
  let precisionSum = 0;
  if (weights === undefined) weights = new Float64Array(n).fill(1);
  for (let j = 0; j < n; j++) {
    const w = weights[order[j]];
    const p = positive[j];
    tp += p * w;
    fp += (1 - p) * w;
    if (thresholdEnd[j] === 1) {
      if (fp !== fpBefore) doubleArea += (fp - fpBefore) * (tp + tpBefore);
      if (tp !== tpBefore) precisionSum += ((tp - tpBefore) * tp) / (tp + fp);
      tpBefore = tp;
      fpBefore = fp;
    }
  }
  return {
    rocAuc: tp > 0 && fp > 0 ? doubleArea / (2 * tp * fp) : NaN,
    averagePrecision: tp > 0 ? precisionSum / tp : NaN,
  };
}
