// Pairs a baseline's predictions with the candidate's row by row, so that both models can be
// resampled on the same rows and the noise they share cancels in candidate − baseline.

import { InputError } from '../errors.js';
import type { PredictionSet } from './prediction-set.js';

/** How the rows were matched, for the report. */
export type PairingMethod = 'id' | 'row order';

/**
 * Returns the baseline's rows reordered to the candidate's order: matched by id when both have ids,
 * else by position. Throws InputError when a candidate row has no baseline row, or when a matched
 * pair of rows disagrees on the true label (naming the first such row in both files).
 */
export function pairBaseline(candidate: PredictionSet, baseline: PredictionSet): { baseline: PredictionSet; method: PairingMethod } {
  let order: Int32Array;
  let method: PairingMethod;
  if (candidate.ids !== undefined && baseline.ids !== undefined) {
    method = 'id';
    const position = new Map(baseline.ids.map((id, i) => [id, i]));
    order = new Int32Array(candidate.rowCount);
    candidate.ids.forEach((id, i) => {
      const found = position.get(id);
      if (found === undefined) {
        throw new InputError(
          `Input 'baseline': ${baseline.path} has no row with id ${JSON.stringify(id)} (${candidate.path} line ${candidate.lines[i]}); candidate and baseline must be predictions on the same rows.`,
          { file: baseline.path },
        );
      }
      order[i] = found;
    });
    if (baseline.rowCount !== candidate.rowCount) {
      const extra = baseline.ids.find((id) => !candidate.ids!.includes(id));
      throw new InputError(
        `Input 'baseline': ${baseline.path} has ${baseline.rowCount} rows but ${candidate.path} has ${candidate.rowCount}` +
          `${extra === undefined ? '' : ` (id ${JSON.stringify(extra)} is only in the baseline)`}; candidate and baseline must be predictions on the same rows.`,
        { file: baseline.path },
      );
    }
  } else {
    method = 'row order';
    if (baseline.rowCount !== candidate.rowCount) {
      throw new InputError(
        `Input 'baseline': ${baseline.path} has ${baseline.rowCount} rows but ${candidate.path} has ${candidate.rowCount}; without an id-column, rows are matched by position, so both need the same rows in the same order.`,
        { file: baseline.path },
      );
    }
    order = Int32Array.from({ length: candidate.rowCount }, (_, i) => i);
  }
  for (let i = 0; i < candidate.rowCount; i++) {
    const j = order[i];
    if (candidate.labels[i] !== baseline.labels[j]) {
      const which = method === 'id' ? `the row with id ${JSON.stringify(candidate.ids![i])}` : `row ${i + 1}`;
      throw new InputError(
        `Input 'baseline': the true labels differ on ${which}: ${JSON.stringify(candidate.labels[i])} in ${candidate.path} (line ${candidate.lines[i]}) but ` +
          `${JSON.stringify(baseline.labels[j])} in ${baseline.path} (line ${baseline.lines[j]}); the two files are not predictions on the same rows` +
          `${method === 'row order' ? ' in the same order (set id-column to match rows by id)' : ''}.`,
        { file: baseline.path, line: baseline.lines[j] },
      );
    }
  }
  return { baseline: selectRows(baseline, order), method };
}

/** The rows of `set` at `order`, in that order. */
export function selectRows(set: PredictionSet, order: Int32Array): PredictionSet {
  const pick = <T>(values: readonly T[]): T[] => Array.from(order, (i) => values[i]);
  const pickNumbers = (values: Float64Array): Float64Array => Float64Array.from(order, (i) => values[i]);
  return {
    ...set,
    rowCount: order.length,
    labels: pick(set.labels),
    predictions: pick(set.predictions),
    numericLabels: set.numericLabels && pickNumbers(set.numericLabels),
    numericPredictions: set.numericPredictions && pickNumbers(set.numericPredictions),
    scores: set.scores && pickNumbers(set.scores),
    probabilities: set.probabilities && pick(set.probabilities),
    ids: set.ids && pick(set.ids),
    slices: new Map([...set.slices].map(([name, values]) => [name, pick(values)])),
    lines: pick(set.lines),
  };
}
