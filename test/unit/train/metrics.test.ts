import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { LearningCurve, parseMetricLine, parseMetricsFile } from '../../../shared/train/metrics.js';

describe('parseMetricsFile', () => {
  it('reads flat metrics as they are', () => {
    expect(parseMetricsFile('{"accuracy": 0.93, "f1": 0.9, "epochs": 30}', 'metrics.json')).toEqual({
      accuracy: 0.93,
      f1: 0.9,
      epochs: 30,
    });
  });

  it('flattens metrics nested by split to split.name', () => {
    const text = JSON.stringify({
      train: { accuracy: 0.98828125, log_loss: 0.0434 },
      validation: { accuracy: 1, log_loss: 0.0294 },
      seconds: 1.5,
    });
    expect(parseMetricsFile(text, 'metrics.json')).toEqual({
      'train.accuracy': 0.98828125,
      'train.log_loss': 0.0434,
      'validation.accuracy': 1,
      'validation.log_loss': 0.0294,
      seconds: 1.5,
    });
  });

  it('reads {value, low, high} as its value, in the format evaluate reads', () => {
    const text = JSON.stringify({ validation: { rmse: { value: 53.4, low: 47.8, high: 60.1 }, r2: 0.44 }, seconds: 2 });
    expect(parseMetricsFile(text, 'metrics.json')).toEqual({ 'validation.rmse': 53.4, 'validation.r2': 0.44, seconds: 2 });
  });

  it.each([
    ['not json', '{"accuracy": 0.9,', /metrics\.json is not valid JSON/],
    ['an array', '[0.9]', /metrics\.json holds an array; expected a JSON object/],
    // Messages of the one reader train and evaluate share (issue 8): "metric …", and {value, low, high} named as accepted.
    [
      'a string value',
      '{"accuracy": "0.9"}',
      /metrics\.json: metric "accuracy" is the string "0\.9"; expected a number or \{"value": …, "low": …, "high": …\}, or an object of them by split/,
    ],
    ['a null value', '{"accuracy": null}', /"accuracy" is null; expected a number \(leave a metric that is undefined out of the file\)/],
    [
      "Python's NaN",
      '{\n  "validation": {\n    "rmse": NaN\n  }\n}',
      /^Metrics file metrics\.json: line 3 holds NaN, which Python's json\.dump writes for float\('nan'\) but JSON does not allow\. Write null for a metric that is undefined \(or leave it out\); json\.dump\(\.\.\., allow_nan=False\) makes Python refuse to write NaN instead\.$/,
    ],
    [
      'a nested string',
      '{"validation": {"accuracy": 0.9, "note": "ok"}}',
      /metrics\.json: metric "validation\.note" is the string "ok"; expected a number/,
    ],
    [
      'two levels of nesting',
      '{"validation": {"per_class": {"a": 1}}}',
      /"validation\.per_class" is object .*metrics nest one level, by split/,
    ],
  ])('rejects %s with an InputError naming the file and key', (_, text, message) => {
    let error: unknown;
    try {
      parseMetricsFile(text, 'metrics.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    expect((error as InputError).at.file).toBe('metrics.json');
  });
});

describe('parseMetricLine', () => {
  it('reads a step and name=value pairs', () => {
    expect(parseMetricLine('mlops-metric step=12 loss=0.231 accuracy=0.914 val_loss=2.5e-1')).toEqual({
      step: 12,
      values: { loss: 0.231, accuracy: 0.914, val_loss: 0.25 },
    });
  });

  it('takes lines without a step and names with dots and slashes', () => {
    expect(parseMetricLine('  mlops-metric validation.accuracy=0.9 train/loss=-1  ')).toEqual({
      step: undefined,
      values: { 'validation.accuracy': 0.9, 'train/loss': -1 },
    });
  });

  it('ignores other lines', () => {
    expect(parseMetricLine('epoch 3 loss=0.2')).toBeUndefined();
    expect(parseMetricLine('mlops-metrics loss=0.2')).toBeUndefined();
  });

  it('reports malformed metric lines', () => {
    expect(parseMetricLine('mlops-metric loss=abc')).toEqual({ problem: '"loss=abc" is not name=number' });
    expect(parseMetricLine('mlops-metric step=1.5 loss=1')).toEqual({ problem: 'step=1.5 is not an integer >= 0' });
    expect(parseMetricLine('mlops-metric step=3')).toEqual({ problem: 'no name=value pair' });
    expect(parseMetricLine('mlops-metric loss=NaN')).toEqual({ problem: '"loss=NaN" is not name=number' });
  });
});

describe('LearningCurve', () => {
  it('collects steps, numbers lines without a step after the previous one, and keeps the last values', () => {
    const curve = new LearningCurve();
    const lines = [
      'training…',
      'mlops-metric step=1 loss=0.9 accuracy=0.5',
      'mlops-metric step=2 loss=0.5',
      'mlops-metric loss=0.3 accuracy=0.8',
      'mlops-metric oops=x',
    ];
    const problems = lines.map((l) => curve.addLine(l));
    expect(problems).toEqual([undefined, undefined, undefined, undefined, '"oops=x" is not name=number']);
    expect(curve.toJSON()).toEqual([
      { step: 1, values: { loss: 0.9, accuracy: 0.5 } },
      { step: 2, values: { loss: 0.5 } },
      { step: 3, values: { loss: 0.3, accuracy: 0.8 } },
    ]);
    expect(curve.names()).toEqual(['loss', 'accuracy']);
    expect(curve.last()).toEqual({ loss: 0.3, accuracy: 0.8 });
    expect(LearningCurve.fromJSON(curve.toJSON()).toJSON()).toEqual(curve.toJSON());
  });
});
