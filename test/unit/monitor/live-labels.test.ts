// Delayed labels joined with the serving runtime's request log by request id: the labels file checked row
// by row, the join counted (matched, unmatched, ambiguous), the metrics evaluate's (cross-checked by hand),
// accuracy on Wilson's interval; and the rules deciding on them (inconclusive below min-samples).
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { parseGateRules } from '../../../shared/gates/grammar.js';
import { measureLiveQuality, readLabelSet } from '../../../shared/monitor/live-labels.js';
import { checkRules, decideMeasurement, type MeasurementContext } from '../../../shared/monitor/measurement.js';
import type { Readings } from '../../../shared/monitor/metrics-source.js';
import { wilsonInterval } from '../../../shared/monitor/proportions.js';
import { tempDir } from '../../temp-dirs.js';

const MODEL = { model: 'penguins', version: 'v2' };

function entry(id: string, prediction: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, time: '2026-12-01T10:00:00.000Z', model: 'penguins', version: 'v2', rows: 1, prediction, ...extra });
}

/** A log folder as the runtime writes it, and a labels file beside it. */
function fixture(logLines: string[], labels: string, name = 'labels.csv'): { dir: string; log: string } {
  const dir = tempDir('mlops-live-labels-');
  const log = join(dir, 'log');
  mkdirSync(log);
  writeFileSync(join(log, 'requests-2026-12-01T10-00-00-000Z.jsonl'), logLines.slice(0, 3).join('\n') + '\n');
  writeFileSync(join(log, 'requests-2026-12-01T10-01-00-000Z.jsonl'), logLines.slice(3).join('\n'));
  writeFileSync(join(dir, name), labels);
  return { dir, log };
}

describe('readLabelSet', () => {
  it('refuses bad rows by line: empty or over-long ids, control characters, empty labels, bad rows, two labels for one row', async () => {
    const { dir } = fixture(
      [],
      [
        'id,label,row',
        'a,Adelie,',
        ',Gentoo,',
        `${'x'.repeat(201)},Gentoo,`,
        'b,,',
        '"c\u0007",Adelie,',
        'd,Adelie,1000',
        'a,Gentoo,',
        'e,Adelie,-1',
      ].join('\n') + '\n',
    );
    const error = await readLabelSet('labels.csv', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Input 'labels': labels\.csv has 7 bad rows \(line 3: the id is empty; line 4: the id is 201 characters/);
    expect(message).toContain('line 5: the label of "b" is empty');
    expect(message).toContain('line 6: the id "c\\u0007" holds control characters');
    expect(message).toContain('line 7: the row "1000" is not a row number from 0 to 999');
    expect(message).toMatch(/; …\): expected a request id/);
    expect(message).not.toContain('\u0007');
  });

  it('names the columns it needs', async () => {
    const { dir } = fixture([], 'request,species\na,Adelie\n');
    await expect(readLabelSet('labels.csv', dir)).rejects.toThrow(
      /Input 'labels': labels\.csv needs the columns id \(the request id\) and label; it has "request", "species"/,
    );
  });

  it('reads JSON lines too, and a repeated identical label is no conflict', async () => {
    const { dir } = fixture(
      [],
      '{"id": "a", "label": "Adelie"}\n{"id": "a", "label": "Adelie"}\n{"id": "b", "label": "Gentoo", "row": 2}\n',
      'l.jsonl',
    );
    const set = await readLabelSet('l.jsonl', dir);
    expect(set.rows).toBe(3);
    expect([...set.labels.get('a')!]).toEqual([['', 'Adelie']]);
    expect([...set.labels.get('b')!]).toEqual([['2', 'Gentoo']]);
  });
});

describe('measureLiveQuality', () => {
  it('joins by request id, counts what did not join, and computes evaluate’s metrics on the matched rows', async () => {
    const log = [
      entry('r1', ['Adelie']),
      entry('r2', ['Gentoo']),
      'not json',
      entry('r3', ['Adelie', 'Chinstrap', 'Gentoo'], { rows: 3 }),
      entry('r4', ['Chinstrap']),
      entry('r5', ['Gentoo'], { version: 'v1' }),
      entry('r6', undefined),
      entry('r7', ['Adelie', 'Gentoo'], { rows: 2 }),
      entry('r1', ['Gentoo']),
      JSON.stringify({ id: 42, prediction: ['Adelie'] }),
    ];
    const labels = [
      'id,label,row',
      'r1,Adelie,', // right
      'r2,Chinstrap,', // wrong
      'r3,Adelie,0', // right
      'r3,Gentoo,2', // right
      'r3,Gentoo,5', // no such row: ambiguous
      'r4,Chinstrap,', // right
      'r5,Gentoo,', // another version: unmatched
      'r6,Gentoo,', // no prediction logged
      'r7,Adelie,', // two rows, no row given: ambiguous
      'r9,Adelie,', // never logged (not sampled)
    ].join('\n');
    const { dir, log: logDir } = fixture(log, labels);
    const quality = await measureLiveQuality(await readLabelSet('labels.csv', dir), logDir, MODEL);
    expect(quality.join).toEqual({
      labelRows: 10,
      logEntries: 7,
      matchedRows: 5,
      unmatchedLabels: 2,
      ambiguous: 2,
      withoutPrediction: 1,
      malformedLines: 2,
      otherModel: 1,
    });
    expect(quality.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    // Matched rows: (Adelie, Adelie), (Chinstrap, Gentoo), (Adelie, Adelie), (Gentoo, Gentoo), (Chinstrap, Chinstrap).
    expect(quality.metrics.accuracy).toEqual(wilsonInterval(4, 5));
    // Per class: Adelie P 1 R 1; Chinstrap P 1 R 0.5; Gentoo P 0.5 R 1.
    expect(quality.metrics.precision_macro!.value).toBeCloseTo(2.5 / 3, 12);
    expect(quality.metrics.recall_macro!.value).toBeCloseTo(2.5 / 3, 12);
    expect(quality.metrics.f1_macro!.value).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
    expect(quality.metrics.f1_macro!.low).toBeLessThanOrEqual(quality.metrics.f1_macro!.value);
    expect(quality.metrics.f1).toBeUndefined();
  });

  it('finds nothing to compute in an empty log, and says the log is missing', async () => {
    const { dir, log } = fixture([], 'id,label\na,Adelie\n');
    const quality = await measureLiveQuality(await readLabelSet('labels.csv', dir), log, MODEL);
    expect(quality).toMatchObject({ join: { labelRows: 1, matchedRows: 0, unmatchedLabels: 1 }, metrics: {} });
    await expect(measureLiveQuality(await readLabelSet('labels.csv', dir), join(dir, 'nowhere'), MODEL)).rejects.toThrow(
      /input 'request-log': .*nowhere does not exist/,
    );
  });
});

describe('rules on live quality and prediction drift', () => {
  const readings = (predictionDrift?: Readings['predictionDrift']): Readings => ({
    traffic: new Map(),
    drift: new Map(),
    queries: new Map(),
    ...(predictionDrift ? { predictionDrift } : {}),
  });

  it('decides accuracy on Wilson’s interval and other metrics on the bootstrap’s; inconclusive below min-samples', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `r${i},${i % 10 === 0 ? 'Gentoo' : 'Adelie'},`);
    const log = Array.from({ length: 200 }, (_, i) => entry(`r${i}`, ['Adelie']));
    const { dir, log: logDir } = fixture(log, ['id,label,row', ...rows].join('\n'));
    const labels = await readLabelSet('labels.csv', dir);
    const context = (minSamples: number): MeasurementContext => ({
      candidate: MODEL,
      minSamples,
      prometheus: false,
      quality: () => measureLiveQuality(labels, logDir, MODEL),
    });
    const rules = parseGateRules('accuracy >= 0.85\naccuracy >= 0.95\nbalanced_accuracy > 0.6\nf1_macro > 0', { dialect: 'monitor' });
    const m = await decideMeasurement(1, new Date(0), rules, readings(), context(100));
    expect(m.rules.map((r) => r.verdict)).toEqual(['pass', 'fail', 'fail', 'pass']);
    expect(m.rules[0]!.observed).toEqual(wilsonInterval(180, 200));
    expect(m.labels).toMatchObject({ matchedRows: 200, unmatchedLabels: 0 });
    const few = await decideMeasurement(1, new Date(0), rules, readings(), context(500));
    expect(few.rules.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive']);
    expect(few.rules[0]!.explanation).toBe('accuracy: 200 labelled rows joined with the request log, fewer than min-samples 500');
  });

  it('needs labels for quality rules, takes no selector on them, and reads prediction_drift (inconclusive when absent)', async () => {
    const context: MeasurementContext = { candidate: MODEL, minSamples: 10, prometheus: false };
    expect(() => checkRules(parseGateRules('f1_macro > 0.8', { dialect: 'monitor' }), context)).toThrow(
      /f1_macro needs the inputs 'labels' and 'request-log'/,
    );
    const rules = parseGateRules('prediction_drift < 0.1', { dialect: 'monitor' });
    checkRules(rules, context);
    const absent = await decideMeasurement(1, new Date(0), rules, readings(new Map([['v2', undefined]])), context);
    expect(absent.rules[0]).toMatchObject({ verdict: 'inconclusive', explanation: expect.stringMatching(/exports no prediction drift/) });
    const reading = (score: number, liveRows = 300) =>
      readings(new Map([['v2', { columns: [{ column: 'probabilities', method: 'chi-squared', score, drifted: score > 0.2 }], liveRows }]]));
    expect((await decideMeasurement(1, new Date(0), rules, reading(0.03), context)).rules[0]!.verdict).toBe('pass');
    const drifted = await decideMeasurement(1, new Date(0), rules, reading(0.45), context);
    expect(drifted.rules[0]!.verdict).toBe('fail');
    expect(drifted.predictionDrift).toEqual([{ column: 'probabilities', method: 'chi-squared', score: 0.45, drifted: true }]);
    expect((await decideMeasurement(1, new Date(0), rules, reading(0.03, 5), context)).rules[0]!.verdict).toBe('inconclusive');
  });
});
