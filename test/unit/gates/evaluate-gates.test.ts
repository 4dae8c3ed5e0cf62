import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { evaluateGates, formatNumber } from '../../../shared/gates/evaluate-gates.js';
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

  it('a metric undefined on the rows is inconclusive', () => {
    const gate = decide('roc_auc >= 0.8', { candidate: { roc_auc: { value: NaN, low: NaN, high: NaN } } });
    expect(gate.verdict).toBe('inconclusive');
    expect(gate.explanation).toContain('roc_auc is undefined');
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

  it('without a baseline model the gate is inconclusive and says why', () => {
    const gate = decide('f1_macro >= baseline', { candidate });
    expect(gate.verdict).toBe('inconclusive');
    expect(gate.explanation).toBe('f1_macro 0.871 cannot be compared with the baseline: there is no baseline model');
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

  it('an unknown metric is an InputError naming the gate and listing the metrics there are', () => {
    const rules = parseGateRules('accuracy >= 0.8\n\nrecall[class=gentoo] > 0.8');
    expect(() => evaluateGates(rules, { candidate })).toThrow(InputError);
    expect(() => evaluateGates(rules, { candidate })).toThrow(
      'gate 2 "recall[class=gentoo] > 0.8": no metric "recall[class=gentoo]" was measured; available: accuracy, recall[class=Gentoo]',
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
