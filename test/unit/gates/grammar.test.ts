import { describe, it, expect } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { metricKey, parseGateRules } from '../../../shared/gates/grammar.js';

function errorOf(text: string, options?: { file?: string }): InputError {
  try {
    parseGateRules(text, options);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseGateRules: good rules', () => {
  it('parses numbers, baseline and adjusted baselines, skipping blank lines and comments', () => {
    const rules = parseGateRules(
      [
        '# gates for the penguin classifier',
        'accuracy >= 0.9',
        '',
        '  f1_macro >= baseline - 0.005   # at most half a point worse',
        'log_loss<baseline*1.05',
        'roc_auc > baseline',
        'rmse <= 1e3',
        'brier_score == -0.5',
        'recall_macro >= baseline + .01',
      ].join('\n'),
    );
    expect(rules.map(({ index, line, text, metric, operator, threshold }) => ({ index, line, text, metric, operator, threshold }))).toEqual(
      [
        { index: 1, line: 2, text: 'accuracy >= 0.9', metric: 'accuracy', operator: '>=', threshold: { kind: 'number', value: 0.9 } },
        {
          index: 2,
          line: 4,
          text: 'f1_macro >= baseline - 0.005',
          metric: 'f1_macro',
          operator: '>=',
          threshold: { kind: 'baseline', adjustment: { operator: '-', value: 0.005 } },
        },
        {
          index: 3,
          line: 5,
          text: 'log_loss<baseline*1.05',
          metric: 'log_loss',
          operator: '<',
          threshold: { kind: 'baseline', adjustment: { operator: '*', value: 1.05 } },
        },
        { index: 4, line: 6, text: 'roc_auc > baseline', metric: 'roc_auc', operator: '>', threshold: { kind: 'baseline' } },
        { index: 5, line: 7, text: 'rmse <= 1e3', metric: 'rmse', operator: '<=', threshold: { kind: 'number', value: 1000 } },
        {
          index: 6,
          line: 8,
          text: 'brier_score == -0.5',
          metric: 'brier_score',
          operator: '==',
          threshold: { kind: 'number', value: -0.5 },
        },
        {
          index: 7,
          line: 9,
          text: 'recall_macro >= baseline + .01',
          metric: 'recall_macro',
          operator: '>=',
          threshold: { kind: 'baseline', adjustment: { operator: '+', value: 0.01 } },
        },
      ],
    );
  });

  it('parses class selectors and slices, quoted values with spaces, # and escaped quotes', () => {
    const [byClass, bySlice, quoted] = parseGateRules(
      'recall[class=Gentoo] > 0.8\nf1_macro[ island = Dream ] >= baseline\nrmse[island="Torgersen #1 \\"north\\""] <= 400 # comment',
    );
    expect(byClass.selector).toEqual({ key: 'class', value: 'Gentoo' });
    expect(metricKey(byClass)).toBe('recall[class=Gentoo]');
    expect(bySlice.selector).toEqual({ key: 'island', value: 'Dream' });
    expect(metricKey(bySlice)).toBe('f1_macro[island=Dream]');
    expect(quoted.selector).toEqual({ key: 'island', value: 'Torgersen #1 "north"' });
    expect(quoted.threshold).toEqual({ kind: 'number', value: 400 });
  });

  it('returns no rules for only comments and blank lines', () => {
    expect(parseGateRules('\n# nothing yet\n   \n')).toEqual([]);
  });
});

describe('parseGateRules: bad rules', () => {
  it('names the gate, column, what was found and what was expected, with a caret', () => {
    const error = errorOf('accuracy >= 0.9\nf1_macro >= basline', { file: 'gates.txt' });
    expect(error.message).toBe(
      'gate 2 "f1_macro >= basline": at column 13 found "basline", expected a number or "baseline"\n' +
        '  f1_macro >= basline\n' +
        '              ^^^^^^^',
    );
    expect(error.at).toEqual({ file: 'gates.txt', line: 2, column: 13 });
  });

  it('counts the column in the file from the start of the line, past indentation and comments', () => {
    const error = errorOf('# header\n\n    roc_auc => 0.9');
    expect(error.message.split('\n')[0]).toBe('gate 1 "roc_auc => 0.9": at column 9 found "=>", expected a comparison: >=, <=, >, < or ==');
    expect(error.at).toEqual({ line: 3, column: 13 });
  });

  it.each([
    ['>= 0.9', 'at column 1 found ">=", expected a metric name (letters, digits, _)'],
    ['f1-macro >= 0.9', 'at column 3 found "-macro", expected a comparison: >=, <=, >, < or =='],
    ['accuracy 0.9', 'at column 10 found "0.9", expected a comparison'],
    ['accuracy >=', 'at column 12 found the end of the rule, expected a number or "baseline"'],
    ['accuracy >= 0.9x', 'at column 13 found "0.9x", expected a number or "baseline"'],
    ['accuracy >= 0.9 0.8', 'at column 17 found "0.8", expected the end of the rule'],
    ['f1 >= baseline / 2', 'at column 16 found "/", expected the end of the rule, or "+", "-" or "*" and a number'],
    ['f1 >= baseline - tiny', 'at column 18 found "tiny", expected a number after "baseline -"'],
    ['f1[class Gentoo] > 0.8', 'at column 10 found "Gentoo", expected "=" in the selector, as in [class=Gentoo]'],
    ['f1[class=Gentoo > 0.8', 'at column 17 found ">", expected "]" to close the selector'],
    ['f1[=Gentoo] > 0.8', 'at column 4 found "=", expected a column or "class" after "["'],
    ['f1[island="Dream] > 0.8', `at column 11 found a quote that is never closed, expected a closing '"' for the quoted value`],
  ])('%s', (rule, expected) => {
    const error = errorOf(rule);
    expect(error.message.split('\n')[0].startsWith(`gate 1 "${rule}": ${expected}`)).toBe(true);
    // The caret line points at the reported column.
    const [, shown, caret] = error.message.split('\n');
    expect(shown).toBe(`  ${rule}`);
    const column = Number(/at column (\d+)/.exec(error.message)![1]);
    expect(caret.indexOf('^')).toBe(column + 1);
  });
});

describe('parseGateRules: the monitor dialect (monitor-gate)', () => {
  const monitor = (text: string) => parseGateRules(text, { dialect: 'monitor' });
  const monitorError = (text: string): InputError => {
    try {
      monitor(text);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  };

  it('reads dotted names, per-column selectors, stable thresholds and promql("…")', () => {
    const rules = monitor(
      [
        'drift.max < 0.2',
        "drift.share < 0.5   # Evidently's dataset-level rule",
        'drift[column="body mass"] < 0.3',
        'error_rate <= stable + 0.005',
        'latency_p95_ms < stable * 1.2',
        'promql("sum(rate(mlops_requests_total{code=\\"500\\"}[1m]))") < 0.1',
        'promql( "up" ) >= 1',
      ].join('\n'),
    );
    expect(rules.map(({ metric, query, selector, operator, threshold }) => ({ metric, query, selector, operator, threshold }))).toEqual([
      { metric: 'drift.max', query: undefined, selector: undefined, operator: '<', threshold: { kind: 'number', value: 0.2 } },
      { metric: 'drift.share', query: undefined, selector: undefined, operator: '<', threshold: { kind: 'number', value: 0.5 } },
      {
        metric: 'drift',
        query: undefined,
        selector: { key: 'column', value: 'body mass' },
        operator: '<',
        threshold: { kind: 'number', value: 0.3 },
      },
      {
        metric: 'error_rate',
        query: undefined,
        selector: undefined,
        operator: '<=',
        threshold: { kind: 'stable', adjustment: { operator: '+', value: 0.005 } },
      },
      {
        metric: 'latency_p95_ms',
        query: undefined,
        selector: undefined,
        operator: '<',
        threshold: { kind: 'stable', adjustment: { operator: '*', value: 1.2 } },
      },
      {
        metric: 'promql',
        query: 'sum(rate(mlops_requests_total{code="500"}[1m]))',
        selector: undefined,
        operator: '<',
        threshold: { kind: 'number', value: 0.1 },
      },
      { metric: 'promql', query: 'up', selector: undefined, operator: '>=', threshold: { kind: 'number', value: 1 } },
    ]);
    expect(metricKey(rules[2]!)).toBe('drift[column=body mass]');
    expect(metricKey(rules[5]!)).toBe('promql("sum(rate(mlops_requests_total{code=\\"500\\"}[1m]))")');
  });

  it('keeps evaluate as it was: no dots, no promql, baseline and not stable', () => {
    expect(errorOf('drift.max < 0.2').message.split('\n')[0]).toBe(
      'gate 1 "drift.max < 0.2": at column 6 found ".max", expected a comparison: >=, <=, >, < or ==',
    );
    expect(errorOf('error_rate <= stable').message.split('\n')[0]).toBe(
      'gate 1 "error_rate <= stable": at column 15 found "stable", expected a number or "baseline"',
    );
    expect(parseGateRules('accuracy >= baseline')[0]!.threshold).toEqual({ kind: 'baseline' });
  });

  it.each([
    ['error_rate <= baseline', 'at column 15 found "baseline", expected a number or "stable"'],
    ['drift. < 0.2', 'expected a name after "drift."'],
    ['promql(up) < 1', 'at column 8 found "up)", expected a quoted PromQL query'],
    ['promql("up" < 1', 'found "<", expected ")" to close promql(…)'],
    ['promql("") < 1', 'expected a PromQL query, not an empty string'],
    ['promql < 1', 'found "<", expected "(" and a quoted PromQL query'],
    ['error_rate <= stable +', 'expected a number after "stable +"'],
  ])('refuses %s', (rule, expected) => {
    const message = monitorError(rule).message.split('\n')[0]!;
    expect(message.startsWith(`gate 1 "${rule}": `)).toBe(true);
    expect(message).toContain(expected);
  });
});
