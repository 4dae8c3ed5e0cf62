import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { parseGateRules } from '../../../shared/gates/grammar.js';
import { checkRules, decideMeasurement, type MeasurementContext } from '../../../shared/monitor/measurement.js';
import type { Readings, Traffic } from '../../../shared/monitor/metrics-source.js';

const canary = { model: 'penguins', version: 'v2' };
const stable = { model: 'penguins', version: 'v1' };
const context: MeasurementContext = { candidate: canary, stable, minSamples: 20, prometheus: true };

function traffic(requests: number, errors: number, p95Bucket = 0.01): Traffic {
  return {
    requests,
    errors,
    buckets: [
      { le: p95Bucket / 2, count: requests * 0.5 },
      { le: p95Bucket, count: requests },
      { le: Infinity, count: requests },
    ],
    windowMs: 60_000,
  };
}

function readings(parts: Partial<Readings> = {}): Readings {
  return { traffic: new Map(), drift: new Map(), queries: new Map(), ...parts };
}

async function decide(rules: string, r: Readings) {
  return decideMeasurement(1, new Date(0), parseGateRules(rules, { dialect: 'monitor' }), r, context);
}

describe('decideMeasurement', () => {
  it('passes a healthy canary on intervals, comparing it with the stable version over the same window', async () => {
    const m = await decide(
      'error_rate <= stable + 0.05\nerror_rate < 0.05\nlatency_p95_ms < 50\nrequests_per_minute > 100',
      readings({
        traffic: new Map([
          ['v2', traffic(1000, 1)],
          ['v1', traffic(1000, 2)],
        ]),
      }),
    );
    expect(m.rules.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(m.verdict).toBe('pass');
    expect(m.rules[0]!.explanation).toMatch(/^error_rate 0\.001 is at most stable 0\.002 \+ 0\.050 \(delta −0\.001, 95 % CI /);
    expect(m.traffic).toEqual([
      { version: 'v2', requests: 1000, errors: 1, windowMs: 60_000 },
      { version: 'v1', requests: 1000, errors: 2, windowMs: 60_000 },
    ]);
  });

  it('fails an erroring canary, and is inconclusive when its interval straddles the threshold', async () => {
    const failing = await decide(
      'error_rate <= stable + 0.005',
      readings({
        traffic: new Map([
          ['v2', traffic(200, 100)],
          ['v1', traffic(200, 0)],
        ]),
      }),
    );
    expect(failing.verdict).toBe('fail');
    const unsure = await decide('error_rate < 0.05', readings({ traffic: new Map([['v2', traffic(40, 2)]]) }));
    expect(unsure.verdict).toBe('inconclusive');
  });

  it('never passes on what was not measured: no series, fewer than min-samples, NaN, an empty or ambiguous query', async () => {
    const m = await decide(
      [
        'error_rate < 0.5',
        'latency_p95_ms < 1000',
        'drift.max < 0.2',
        'promql("nan_query") < 1',
        'promql("empty_query") < 1',
        'promql("two_series") < 1',
      ].join('\n'),
      readings({
        traffic: new Map([['v2', traffic(5, 0)]]),
        queries: new Map([
          ['nan_query', { value: NaN, series: 1 }],
          ['empty_query', { value: NaN, series: 0 }],
          ['two_series', { value: NaN, series: 2 }],
        ]),
      }),
    );
    expect(m.rules.map((r) => r.verdict)).toEqual(Array(6).fill('inconclusive'));
    expect(m.rules.map((r) => r.explanation)).toEqual([
      'error_rate: 5 requests of version v2, fewer than min-samples 20',
      'latency_p95_ms: 5 requests of version v2, fewer than min-samples 20',
      'drift.max: version v2 exports no drift (it has no registered data profile, or no live rows yet)',
      'promql("nan_query"): the query returned NaN',
      'promql("empty_query"): the query returned nothing (an empty vector)',
      'promql("two_series"): the query returned 2 series; aggregate it (sum, max, avg) to one',
    ]);
    expect(m.verdict).toBe('inconclusive');
  });

  it("decides drift rules on the serving runtime's gauges: max, share of drifted columns, one column", async () => {
    const drift = {
      columns: [
        { column: 'body_mass_g', method: 'ks', score: 0.6, drifted: true },
        { column: 'bill_length_mm', method: 'ks', score: 0.05, drifted: false },
        { column: 'island', method: 'chi-squared', score: 0.1, drifted: null },
      ],
      liveRows: 300,
    };
    const m = await decide(
      'drift.max < 0.2\ndrift.share < 0.5\ndrift[column=bill_length_mm] < 0.3\ndrift[column=nope] < 1',
      readings({ drift: new Map([['v2', drift]]) }),
    );
    expect(m.rules.map((r) => [r.verdict, r.observed?.value])).toEqual([
      ['fail', 0.6],
      ['fail', 0.5],
      ['pass', 0.05],
      ['inconclusive', undefined],
    ]);
    expect(m.drift).toEqual(drift.columns);
  });
});

describe('checkRules', () => {
  const check = (rules: string, ctx: Partial<MeasurementContext> = {}) =>
    checkRules(parseGateRules(rules, { dialect: 'monitor' }), { prometheus: true, stable, ...ctx }, 'rules.txt');
  it.each([
    ['error_rat < 0.1', /no metric "error_rat"; the metrics are error_rate, /],
    ['drift < 0.1', /drift of one column is drift\[column=<name>\]/],
    ['error_rate[class=a] < 0.1', /error_rate takes no \[class=…\]/],
    ['drift.max < stable', /drift.max is not compared with the stable version/],
    ['accuracy > 0.9', /accuracy needs the inputs 'labels' and 'request-log'/],
  ])('refuses %s before measuring anything', (rule, message) => {
    expect(() => check(rule)).toThrow(message);
  });
  it('names the missing input for stable and promql rules, and the line', () => {
    expect(() => check('\nerror_rate < stable', { stable: undefined })).toThrow(/give the input 'stable'/);
    try {
      check('\npromql("up") > 0', { prometheus: false });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).at).toEqual({ file: 'rules.txt', line: 2 });
    }
  });
});
