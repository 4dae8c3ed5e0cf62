import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { classificationMetrics, confusionMatrix, prepareClassification } from '../../../shared/metrics/classification.js';
import { defaultPositiveClass, sortLabels } from '../../../shared/metrics/labels.js';
import { gentooRows, guessSpecies, loadPenguins } from './penguins.js';

// Expected values are those of scikit-learn's own documentation examples.
describe('classificationMetrics on scikit-learn documentation examples', () => {
  it('per-class and macro precision, recall and F1 with zero_division=0', () => {
    const values = classificationMetrics({
      labels: ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'],
      predictions: ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'],
    });
    expect(values['precision[class=cat]']).toBeCloseTo(2 / 3, 12);
    expect(values['recall[class=cat]']).toBe(1);
    expect(values['f1[class=cat]']).toBeCloseTo(0.8, 12);
    expect(values['precision[class=pig]']).toBe(0);
    expect(values['f1[class=dog]']).toBe(0);
    expect(values.precision_macro).toBeCloseTo(0.2222222222, 9);
    expect(values.recall_macro).toBeCloseTo(0.3333333333, 9);
    expect(values.f1_macro).toBeCloseTo(0.2666666667, 9);
    expect(values.precision_weighted).toBeCloseTo(0.2222222222, 9);
    expect(values.accuracy).toBeCloseTo(1 / 3, 12);
    // Three classes: no binary precision/recall/f1 and no positive class.
    expect(values).not.toHaveProperty('f1');
  });

  it('balanced accuracy', () => {
    const values = classificationMetrics({ labels: ['0', '1', '0', '0', '1', '0'], predictions: ['0', '1', '0', '0', '0', '1'] });
    expect(values.balanced_accuracy).toBe(0.625);
  });

  it('a class only ever predicted counts in the macro average but not in balanced accuracy', () => {
    const values = classificationMetrics({ labels: ['a', 'a', 'b', 'b'], predictions: ['a', 'c', 'b', 'b'] });
    expect(values['precision[class=c]']).toBe(0);
    expect(values['recall[class=c]']).toBe(0);
    expect(values.recall_macro).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
    expect(values.balanced_accuracy).toBeCloseTo((0.5 + 1) / 2, 12);
  });

  it('log loss of a binary problem with text labels (positive class: the greater label)', () => {
    const values = classificationMetrics({
      labels: ['spam', 'ham', 'ham', 'spam'],
      predictions: ['spam', 'ham', 'ham', 'spam'],
      scores: [0.9, 0.1, 0.2, 0.65],
    });
    expect(values.log_loss).toBeCloseTo(0.21616187468057912, 12);
  });

  it('multiclass log loss renormalises rows and clips to float64 epsilon', () => {
    const values = classificationMetrics({
      labels: ['a', 'b', 'c'],
      predictions: ['a', 'b', 'b'],
      probabilities: [
        [0.55, 0.3, 0.25], // sums to 1.1: p(a) = 0.5 after renormalising
        [0, 1, 0],
        [0, 1, 0], // p(c) = 0 → clipped to 2^-52
      ],
    });
    const eps = 2 ** -52;
    const expected = (-Math.log(0.55 / 1.1) - Math.log((1 - eps) / (1 + eps)) - Math.log(eps / (1 + eps))) / 3;
    expect(values.log_loss).toBeCloseTo(expected, 12);
  });

  it('ROC AUC, average precision and Brier score', () => {
    const values = classificationMetrics({
      labels: ['0', '0', '1', '1'],
      predictions: ['0', '0', '0', '1'],
      scores: [0.1, 0.4, 0.35, 0.8],
    });
    expect(values.roc_auc).toBe(0.75);
    expect(values.average_precision).toBeCloseTo(0.8333333333333333, 12);
    const brier = classificationMetrics({ labels: ['0', '1', '1', '0'], predictions: ['0', '1', '1', '0'], scores: [0.1, 0.9, 0.8, 0.3] });
    expect(brier.brier_score).toBeCloseTo(0.0375, 12);
  });

  it('tied scores form one threshold', () => {
    const values = classificationMetrics({ labels: ['0', '1', '0', '1'], predictions: ['1', '1', '1', '1'], scores: [0.5, 0.5, 0.5, 0.5] });
    expect(values.roc_auc).toBe(0.5);
    expect(values.average_precision).toBe(0.5);
    const partly = classificationMetrics({ labels: ['1', '0', '1', '0'], predictions: ['1', '1', '1', '0'], scores: [0.9, 0.6, 0.6, 0.1] });
    // Thresholds 0.9 → (fp 0, tp 1), 0.6 → (1, 2), 0.1 → (2, 2): the tie is one diagonal step; area 7/8.
    expect(partly.roc_auc).toBe(0.875);
  });

  it('multiclass ROC AUC is the macro mean of one-vs-rest AUCs', () => {
    const values = classificationMetrics({
      labels: ['a', 'b', 'c', 'a'],
      predictions: ['a', 'b', 'c', 'b'],
      probabilities: [
        [0.8, 0.1, 0.1],
        [0.2, 0.7, 0.1],
        [0.1, 0.2, 0.7],
        [0.15, 0.75, 0.1],
      ],
    });
    // a vs rest: {0.8, 0.15} over {0.2, 0.1} → 3/4; b: {0.7} over {0.1, 0.2, 0.75} → 2/3; c: 1.
    expect(values.roc_auc).toBeCloseTo((3 / 4 + 2 / 3 + 1) / 3, 12);
    expect(values).not.toHaveProperty('average_precision');
  });

  it('confusion matrix in sklearn order, rows true and columns predicted', () => {
    expect(
      confusionMatrix({ labels: ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'], predictions: ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'] }),
    ).toEqual({
      classes: ['ant', 'bird', 'cat'],
      counts: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    });
  });
});

describe('positive class and label order', () => {
  it('sorts numbers numerically and text by code point, as sklearn would read the column', () => {
    expect(sortLabels(['10', '9', '-1', '9'])).toEqual(['-1', '9', '10']);
    expect(sortLabels(['adelie', 'Gentoo', 'Adelie', 'Élan'])).toEqual(['Adelie', 'Gentoo', 'adelie', 'Élan']);
  });

  it('defaults to the greater label: 1, true, yes, positive', () => {
    expect(defaultPositiveClass(sortLabels(['0', '1']))).toBe('1');
    expect(defaultPositiveClass(sortLabels(['true', 'false']))).toBe('true');
    expect(defaultPositiveClass(sortLabels(['yes', 'no']))).toBe('yes');
    expect(defaultPositiveClass(sortLabels(['negative', 'positive']))).toBe('positive');
    expect(prepareClassification({ labels: ['-1', '1'], predictions: ['1', '1'] }).positiveClass).toBe('1');
  });

  it('takes the positive class given, and scores as that class’s scores', () => {
    const rows = { labels: ['no', 'yes', 'yes', 'no'], predictions: ['no', 'yes', 'no', 'no'] };
    const asYes = classificationMetrics({ ...rows, scores: [0.1, 0.9, 0.4, 0.3] });
    const asNo = classificationMetrics({ ...rows, scores: [0.9, 0.1, 0.6, 0.7] }, { positiveClass: 'no' });
    expect(asYes.recall).toBe(0.5);
    expect(asNo.recall).toBe(1);
    expect(asNo.roc_auc).toBe(asYes.roc_auc);
    expect(asNo.log_loss).toBeCloseTo(asYes.log_loss, 12);
  });

  it('a positive class that never occurs still makes the problem binary', () => {
    const values = classificationMetrics({ labels: ['no', 'no'], predictions: ['no', 'no'] }, { positiveClass: 'yes' });
    expect(values.recall).toBe(0);
    expect(values.accuracy).toBe(1);
  });
});

describe('weights are multiplicities', () => {
  const penguins = loadPenguins();
  const rows = { labels: penguins.map((p) => p.Species), predictions: penguins.map(guessSpecies) };

  it('weighting a row by 3 equals repeating it three times, 0 equals dropping it (penguins)', () => {
    const weights = Float64Array.from(penguins, (_, i) => i % 5);
    const repeated = { labels: [] as string[], predictions: [] as string[] };
    penguins.forEach((_, i) => {
      for (let r = 0; r < i % 5; r++) {
        repeated.labels.push(rows.labels[i]);
        repeated.predictions.push(rows.predictions[i]);
      }
    });
    const weighted = classificationMetrics(rows, { weights });
    const copied = classificationMetrics(repeated);
    expect(Object.keys(weighted)).toEqual(Object.keys(copied));
    for (const name of Object.keys(copied)) expect(weighted[name]).toBeCloseTo(copied[name], 12);
    expect(weighted.accuracy).not.toBeCloseTo(classificationMetrics(rows).accuracy, 6);
  });

  it('weighted ROC AUC and average precision equal those of repeated rows (penguins, is it a Gentoo)', () => {
    const binary = gentooRows();
    const weights = Float64Array.from(binary.labels, (_, i) => (i * 7) % 4);
    const repeated = { labels: [] as string[], predictions: [] as string[], scores: [] as number[] };
    binary.labels.forEach((_, i) => {
      for (let r = 0; r < weights[i]; r++) {
        repeated.labels.push(binary.labels[i]);
        repeated.predictions.push(binary.predictions[i]);
        repeated.scores.push(binary.scores[i]);
      }
    });
    const weighted = classificationMetrics(binary, { weights });
    const copied = classificationMetrics(repeated);
    for (const name of ['roc_auc', 'average_precision', 'log_loss', 'brier_score', 'f1', 'balanced_accuracy']) {
      expect(weighted[name]).toBeCloseTo(copied[name], 12);
    }
    expect(weighted.roc_auc).toBeGreaterThan(0.9);
  });

  it('the evaluator gives the same values on every call, with or without weights in between', () => {
    const evaluator = prepareClassification(gentooRows());
    const first = evaluator.evaluate();
    evaluator.evaluate(new Float64Array(evaluator.rowCount).fill(2));
    expect(evaluator.evaluate()).toEqual(first);
    expect(evaluator.positiveClass).toBe('yes');
  });
});

describe('mistakes in the rows', () => {
  it('rejects predictions and labels of different lengths', () => {
    expect(() => classificationMetrics({ labels: ['a', 'b'], predictions: ['a'] })).toThrow(InputError);
    expect(() => classificationMetrics({ labels: ['a', 'b'], predictions: ['a'] })).toThrow(
      'expected one prediction per label (2), found 1',
    );
  });

  it('rejects one score per row for more than two classes', () => {
    expect(() => classificationMetrics({ labels: ['a', 'b', 'c'], predictions: ['a', 'b', 'c'], scores: [0.1, 0.2, 0.3] })).toThrow(
      /scores: one score per row fits a binary problem, but the rows have 3 classes \(a, b, c\)/,
    );
  });

  it('rejects a non-finite score, naming the row', () => {
    expect(() => classificationMetrics({ labels: ['a', 'b'], predictions: ['a', 'b'], scores: [0.1, NaN] })).toThrow(
      'scores: row 2 is NaN',
    );
  });

  it('rejects probabilities without a column for a class', () => {
    expect(() =>
      classificationMetrics({
        labels: ['a', 'b', 'c'],
        predictions: ['a', 'b', 'c'],
        probabilities: [
          [1, 0],
          [0, 1],
          [0.5, 0.5],
        ],
        probabilityClasses: ['a', 'b'],
      }),
    ).toThrow('class "c" occurs in the labels or predictions but has no probability column');
  });
});
