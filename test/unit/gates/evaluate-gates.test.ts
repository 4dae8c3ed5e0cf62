import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { editDistance, evaluateGates, nearestNames, settleGates, formatNumber } from '../../../shared/gates/evaluate-gates.js';
import { parseGateRules } from '../../../shared/gates/grammar.js';

const decide = (rule: string, metrics: Parameters<typeof evaluateGates>[1]) => evaluateGates(parseGateRules(rule), metrics).gates[0];

describe('evaluateGates against a number', () => {
  const candidate = { accuracy: { value: 0.91, low: 0.89, high: 0.93 } };

  it.each([
    ['accuracy >= 0.88', 'pass'],
    ['accuracy >= 0.89', 'pass'],
    ['accuracy >= 0.9', 'inconclusive'],
    ['accuracy >= 0.94', 'fail'],
    ['accuracy > 0.89', 'inconclusive'],
    ['accuracy > 0.93', 'fail'],
    ['accuracy <= 0.93', 'pass'],
    ['accuracy <= 0.92', 'inconclusive'],
    ['accuracy <= 0.88', 'fail'],
    ['accuracy < 0.93', 'inconclusive'],
    ['accuracy < 0.89', 'fail'],
    ['accuracy < 0.95', 'pass'],
    ['accuracy == 0.91', 'inconclusive'],
    ['accuracy == 0.95', 'fail'],
  ])('%s → %s when the interval is 0.89 … 0.93', (rule, verdict) => {
    expect(decide(rule, { candidate }).verdict).toBe(verdict);
  });

  it('== passes only on an exact point value', () => {
    expect(decide('accuracy == 1', { candidate: { accuracy: 1 } }).verdict).toBe('pass');
  });

  it('explains with the value, the threshold and the interval', () => {
    expect(decide('accuracy >= 0.94', { candidate }).explanation).toBe('accuracy 0.910 is below 0.940 (95 % CI 0.890 … 0.930)');
    expect(decide('accuracy >= 0.88', { candidate, confidence: 0.9 }).explanation).toBe(
      'accuracy 0.910 is at least 0.880 (90 % CI 0.890 … 0.930)',
    );
    expect(decide('accuracy >= 0.9', { candidate }).explanation).toBe(
      'accuracy 0.910 may or may not be at least 0.900 (95 % CI 0.890 … 0.930)',
    );
  });

  it('a metric undefined on the rows is an error naming the gate: it fails closed (was inconclusive, and passed)', () => {
    expect(() => decide('roc_auc >= 0.8', { candidate: { roc_auc: { value: NaN, low: NaN, high: NaN } } })).toThrow(InputError);
    expect(() => decide('roc_auc >= 0.8', { candidate: { roc_auc: NaN } })).toThrow(
      'gate 1 "roc_auc >= 0.8" cannot be evaluated: roc_auc is undefined (null or NaN; for example, a class never occurs in these rows). Evaluate on rows where it is defined, or remove the rule.',
    );
  });
});

describe('evaluateGates against the baseline', () => {
  const candidate = { f1_macro: { value: 0.871, low: 0.86, high: 0.882 } };
  const baseline = { f1_macro: { value: 0.884, low: 0.87, high: 0.897 } };

  it('uses the paired delta interval when there is one', () => {
    const gate = decide('f1_macro >= baseline - 0.005', {
      candidate,
      baseline,
      delta: { f1_macro: { value: -0.013, low: -0.021, high: -0.006 } },
    });
    expect(gate.verdict).toBe('fail');
    expect(gate.explanation).toBe('f1_macro 0.871 is below baseline 0.884 − 0.005 (delta −0.013, 95 % CI −0.021 … −0.006)');
  });

  it('passes and is inconclusive on the delta interval too', () => {
    const passing = decide('f1_macro >= baseline - 0.005', {
      candidate,
      baseline,
      delta: { f1_macro: { value: -0.001, low: -0.004, high: 0.002 } },
    });
    expect(passing.verdict).toBe('pass');
    expect(passing.explanation).toBe('f1_macro 0.871 is at least baseline 0.884 − 0.005 (delta −0.001, 95 % CI −0.004 … +0.002)');
    const unsure = decide('f1_macro > baseline', { candidate, baseline, delta: { f1_macro: { value: 0.001, low: -0.004, high: 0.006 } } });
    expect(unsure.verdict).toBe('inconclusive');
  });

  it('an exact margin: "baseline - 0.005" compares the delta with exactly −0.005', () => {
    const gate = decide('f1_macro >= baseline - 0.005', {
      candidate,
      baseline,
      delta: { f1_macro: { value: 0, low: -0.005, high: 0.01 } },
    });
    expect(gate.verdict).toBe('pass');
  });

  it('scales the baseline with *: log_loss <= baseline * 1.05', () => {
    const metrics = {
      candidate: { log_loss: { value: 0.3, low: 0.28, high: 0.33 } },
      baseline: { log_loss: { value: 0.3, low: 0.28, high: 0.32 } },
      delta: { log_loss: { value: 0.004, low: 0.001, high: 0.012 } },
    };
    // threshold 0.315: candidate − baseline must stay ≤ 0.015.
    expect(decide('log_loss <= baseline * 1.05', metrics).verdict).toBe('pass');
    expect(decide('log_loss <= baseline * 1.02', metrics).verdict).toBe('inconclusive');
    expect(decide('log_loss <= baseline * 1.02', metrics).explanation).toBe(
      'log_loss 0.300 may or may not be at most baseline 0.300 × 1.020 (delta +0.004, 95 % CI +0.001 … +0.012)',
    );
  });

  it('without a delta, compares the candidate interval with the baseline point value', () => {
    const gate = decide('f1_macro >= baseline + 0.02', { candidate, baseline });
    expect(gate.verdict).toBe('fail');
    expect(gate.explanation).toBe('f1_macro 0.871 is below baseline 0.884 + 0.020 (95 % CI 0.860 … 0.882)');
    expect(decide('f1_macro >= baseline - 0.03', { candidate, baseline }).verdict).toBe('pass');
  });

  it('without a baseline model the gate is an error saying to give one or remove the rule (was inconclusive, and passed)', () => {
    expect(() => decide('f1_macro >= baseline', { candidate })).toThrow(InputError);
    expect(() => decide('f1_macro >= baseline', { candidate })).toThrow(
      `gate 1 "f1_macro >= baseline" cannot be evaluated: no baseline was given: give 'baseline' (a baseline model's predictions or metrics file), or remove the rule.`,
    );
    expect(() => decide('f1_macro >= baseline', { candidate, baseline: { f1_macro: NaN } })).toThrow(
      'the baseline has no value of f1_macro (it is undefined: null or NaN): give a baseline that has it, or remove the rule.',
    );
    expect(() => decide('f1_macro >= baseline', { candidate, baseline: { accuracy: 0.9 } })).toThrow(
      'the baseline has no value of f1_macro: give a baseline that has it, or remove the rule.',
    );
  });
});

describe('overall verdict and mistakes', () => {
  const candidate = { accuracy: { value: 0.9, low: 0.88, high: 0.92 }, 'recall[class=Gentoo]': { value: 0.95, low: 0.9, high: 1 } };

  it('fails if any gate fails, else inconclusive if any is, else passes', () => {
    expect(evaluateGates(parseGateRules('accuracy >= 0.8\nrecall[class=Gentoo] > 0.85'), { candidate }).verdict).toBe('pass');
    expect(evaluateGates(parseGateRules('accuracy >= 0.9\nrecall[class=Gentoo] > 0.85'), { candidate }).verdict).toBe('inconclusive');
    const report = evaluateGates(parseGateRules('accuracy >= 0.9\nrecall[class=Gentoo] >= 0.85\naccuracy > 0.95'), { candidate });
    expect(report.verdict).toBe('fail');
    expect(report.gates.map((g) => g.verdict)).toEqual(['inconclusive', 'pass', 'fail']);
    expect(evaluateGates(parseGateRules('accuracy >= 0.95\naccuracy >= 0.9'), { candidate }).verdict).toBe('fail');
    expect(evaluateGates([], { candidate }).verdict).toBe('pass');
  });

  it('an unknown metric is an InputError naming the gate and listing the metrics there are, nearest first', () => {
    const rules = parseGateRules('accuracy >= 0.8\n\nrecall[class=gentoo] > 0.8');
    expect(() => evaluateGates(rules, { candidate })).toThrow(InputError);
    // Was "available: accuracy, recall[class=Gentoo]" (the measured order): now nearest first (issue 8).
    expect(() => evaluateGates(rules, { candidate })).toThrow(
      'gate 2 "recall[class=gentoo] > 0.8": no metric "recall[class=gentoo]" was measured; available: recall[class=Gentoo], accuracy',
    );
  });

  it('lists at most 8 metric names, nearest first, however many there are (a regression read as 200 classes)', () => {
    const many: Record<string, number> = { accuracy: 0.1, balanced_accuracy: 0.1, f1_macro: 0.1 };
    for (let c = 0; c < 200; c++) for (const m of ['precision', 'recall', 'f1']) many[`${m}[class=${c + 25}]`] = 0.5;
    let message = '';
    try {
      evaluateGates(parseGateRules('rmse <= 60'), { candidate: many });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'gate 1 "rmse <= 60": no metric "rmse" was measured; available: f1[class=…] (200 names), recall[class=…] (200 names), accuracy, f1_macro, precision[class=…] (200 names), balanced_accuracy (the nearest of 603 metrics; the report lists them all)',
    );
    // A name of a large family is suggested from within it.
    let inFamily = '';
    try {
      evaluateGates(parseGateRules('recall[class=2500] >= 0.5'), { candidate: many });
    } catch (error) {
      inFamily = (error as Error).message;
    }
    expect(inFamily).toMatch(/available: recall\[class=200\], recall\[class=25\], /);
    expect(nearestNames('rmsee', ['mae', 'r2', 'rmse', 'mape', 'median_absolute_error'], 3)).toEqual(['rmse', 'mae', 'mape']);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('decides an inconclusive gate on its point estimate under on-inconclusive: point, and only then', () => {
    // rmse 55.6 vs baseline 53.9 on 111 rows: worse, but the paired interval straddles 0.
    const metrics = {
      candidate: { rmse: { value: 55.62, low: 47.8, high: 62.8 }, r2: { value: 0.407, low: 0.24, high: 0.55 } },
      baseline: { rmse: { value: 53.88 }, r2: { value: 0.444 } },
      delta: { rmse: { value: 1.74, low: -0.41, high: 3.94 }, r2: { value: -0.036, low: -0.089, high: 0.009 } },
    };
    const report = evaluateGates(parseGateRules('rmse <= baseline\nr2 >= baseline\nr2 >= 0.2'), metrics);
    expect(report.verdict).toBe('inconclusive');
    expect(report.gates.map((g) => [g.verdict, g.point])).toEqual([
      ['inconclusive', 'fail'],
      ['inconclusive', 'fail'],
      ['pass', undefined],
    ]);
    const point = settleGates(report, 'point');
    expect(point.passed).toBe(false);
    expect(point.gates.map((g) => [g.passes, g.settledBy])).toEqual([
      [false, 'point estimate'],
      [false, 'point estimate'],
      [true, undefined],
    ]);
    expect(settleGates(report, 'pass').passed).toBe(true);
    expect(settleGates(report, 'fail').gates.map((g) => g.passes)).toEqual([false, false, true]);
    // An inconclusive gate with no point estimate (not made by evaluateGates) fails closed under `point`.
    const pointless = { verdict: 'inconclusive' as const, gates: [{ ...report.gates[0], point: undefined }] };
    expect(settleGates(pointless, 'point').passed).toBe(false);
    const better = evaluateGates(parseGateRules('rmse >= baseline'), metrics);
    expect(better.gates[0].point).toBe('pass');
    expect(settleGates(better, 'point').passed).toBe(true);
  });

  it('prints no interval for point values (bootstrap-samples: 0), never a degenerate one', () => {
    const points = {
      candidate: { accuracy: { value: 0.91 } },
      baseline: { accuracy: { value: 0.9 } },
      delta: { accuracy: { value: 0.01 } },
    };
    expect(evaluateGates(parseGateRules('accuracy >= 0.9'), points).gates[0].explanation).toBe('accuracy 0.910 is at least 0.900');
    expect(evaluateGates(parseGateRules('accuracy >= baseline'), points).gates[0].explanation).toBe(
      'accuracy 0.910 is at least baseline 0.900 (delta +0.010)',
    );
  });

  it('formats numbers with three decimals, tiny ones with two significant digits, and a true minus sign', () => {
    expect(formatNumber(0.8714)).toBe('0.871');
    expect(formatNumber(-0.0134)).toBe('−0.013');
    expect(formatNumber(0.00042)).toBe('0.00042');
    expect(formatNumber(0)).toBe('0.000');
    expect(formatNumber(5321.25)).toBe('5321.250');
  });
});
