import { describe, expect, it } from '@jest/globals';
import { parseExposition } from '../../../shared/monitor/exposition.js';
import { differenceInterval, histogramQuantile, wilsonInterval } from '../../../shared/monitor/proportions.js';

describe('intervals of monitored rates', () => {
  it("Wilson's interval matches the textbook values (Newcombe 1998, table I)", () => {
    // 81 of 263: 0.2553 to 0.3662; 0 of 10: 0 to 0.2775.
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    expect(Number.isNaN(wilsonInterval(0, 0).value)).toBe(true);
  });

  it("Newcombe's hybrid interval of a difference matches his worked example (56/70 − 48/80)", () => {
    const d = differenceInterval(56, 70, 48, 80);
    expect(d.value).toBeCloseTo(0.2, 10);
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
  });

  it('a histogram quantile interpolates in its bucket, as histogram_quantile does, with the bucket as its interval', () => {
    const buckets = [
      { le: 0.005, count: 50 },
      { le: 0.01, count: 90 },
      { le: 0.025, count: 100 },
      { le: Infinity, count: 100 },
    ];
    const p95 = histogramQuantile(0.95, buckets);
    expect(p95.value).toBeCloseTo(0.0175, 10);
    expect([p95.low, p95.high]).toEqual([0.01, 0.025]);
    expect(
      histogramQuantile(0.95, [
        { le: 0.1, count: 1 },
        { le: Infinity, count: 100 },
      ]).high,
    ).toBe(Infinity);
    expect(Number.isNaN(histogramQuantile(0.95, []).value)).toBe(true);
  });

  it('reads the exposition format, escaped labels, NaN and +Inf included', () => {
    const samples = parseExposition(
      [
        '# HELP mlops_requests_total HTTP requests answered.',
        '# TYPE mlops_requests_total counter',
        'mlops_requests_total{model="penguins",version="v1",endpoint="infer",code="200"} 42',
        'mlops_request_duration_seconds_bucket{model="penguins",version="v1",endpoint="infer",le="+Inf"} 42 1700000000000',
        'mlops_feature_drift{model="pen\\"guins",feature="a\\\\b",method="ks"} NaN',
        'process_cpu_seconds_total 1.5',
        'garbage line',
      ].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'mlops_requests_total', labels: { model: 'penguins', version: 'v1', endpoint: 'infer', code: '200' }, value: 42 },
      {
        name: 'mlops_request_duration_seconds_bucket',
        labels: { model: 'penguins', version: 'v1', endpoint: 'infer', le: '+Inf' },
        value: 42,
      },
      { name: 'mlops_feature_drift', labels: { model: 'pen"guins', feature: 'a\\b', method: 'ks' }, value: NaN },
      { name: 'process_cpu_seconds_total', labels: {}, value: 1.5 },
    ]);
  });
});
