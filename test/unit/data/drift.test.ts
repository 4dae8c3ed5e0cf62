import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  checkSameColumns,
  measureDatasetDrift,
  measureDrift,
  MIN_VALUES_FOR_DRIFT,
  TEST_BELOW_VALUES,
} from '../../../shared/data/drift.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { InputError } from '../../../shared/errors.js';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileOf, runValidateData, workspaceWith } from './profile-run.js';
import { csvLines, seattleCsv } from './real-data.js';

const [header, ...rows] = csvLines(seattleCsv);
const year = (y: string) => rows.filter((r) => r.startsWith(y));
const csv = (lines: string[]) => `${header}\n${lines.join('\n')}\n`;
const thresholds = { psi: 0.2, js: 0.1, 'p-value': 0.05 };

describe('measureDrift on seattle-weather', () => {
  let y2012: ProfileJSON;
  let y2013: ProfileJSON;
  let y2015: ProfileJSON;
  beforeAll(async () => {
    [y2012, y2013, y2015] = await Promise.all([profileOf(csv(year('2012'))), profileOf(csv(year('2013'))), profileOf(csv(year('2015')))]);
  });

  it('finds the change in how the weather was labelled between 2012 and 2015', () => {
    const drift = measureDrift(y2012, y2015, thresholds);
    // A year is 365 values a side, below 1,000: two-sample tests decide, not PSI / JS.
    const weather = drift.find((d) => d.column === 'weather')!;
    expect(weather.method).toBe('chi-squared');
    expect(weather.ks).toBeNull();
    expect(weather.status).toBe('drift');
    expect(weather.pValue!).toBeLessThan(1e-6);
    // The date moved by three years: every 2015 date lies above every 2012 one.
    const date = drift.find((d) => d.column === 'date')!;
    expect([date.method, date.status]).toEqual(['ks', 'drift']);
    expect(date.ks!).toBeCloseTo(1, 2);
    expect(date.pValue!).toBeLessThan(1e-100);
  });

  it('finds no drift of a column against itself', () => {
    for (const d of measureDrift(y2013, y2013, thresholds)) {
      expect([d.column, d.status]).toEqual([d.column, 'stable']);
      expect(d.score!).toBeLessThan(1e-9);
      expect(d.pValue).toBe(1);
    }
  });

  it('finds a shift of a numeric column with the KS test', async () => {
    // 2012 with the daily maximum temperature raised by 5 °C, everything else as recorded.
    const shifted = await profileOf(
      csv(
        year('2012').map((line) => {
          const cells = line.split(',');
          cells[2] = (Number(cells[2]) + 5).toFixed(1);
          return cells.join(',');
        }),
      ),
    );
    const drift = measureDrift(y2012, shifted, thresholds);
    const tempMax = drift.find((d) => d.column === 'temp_max')!;
    expect([tempMax.method, tempMax.status]).toEqual(['ks', 'drift']);
    expect(tempMax.ks!).toBeGreaterThan(0.2);
    expect(tempMax.pValue!).toBeLessThan(1e-6);
    expect(drift.find((d) => d.column === 'temp_min')!).toMatchObject({ status: 'stable', pValue: 1 });
    expect(drift.find((d) => d.column === 'weather')!.score!).toBeLessThan(1e-9);
  });

  it('applies per-column threshold overrides', () => {
    const weather = measureDrift(y2012, y2015, thresholds, { weather: { 'p-value': 1e-300 } }).find((d) => d.column === 'weather')!;
    expect([weather.method, weather.threshold, weather.status]).toEqual(['chi-squared', 1e-300, 'stable']);
  });

  it(`keeps PSI and Jensen–Shannon distance from ${TEST_BELOW_VALUES} values on both sides`, async () => {
    const [before, after] = await Promise.all([
      profileOf(csv([...year('2012'), ...year('2013'), ...year('2014')])),
      profileOf(csv([...year('2013'), ...year('2014'), ...year('2015')])),
    ]);
    const drift = measureDrift(before, after, thresholds);
    expect(drift.map((d) => [d.column, d.method, d.pValue])).toEqual(
      before.columns.map((c) => [c.name, c.kind === 'categorical' ? 'js' : 'psi', null]),
    );
    const weather = drift.find((d) => d.column === 'weather')!;
    expect(weather.score!).toBeGreaterThan(0.1);
    expect(weather.status).toBe('drift');
  });

  it(`says "insufficient data" below ${MIN_VALUES_FOR_DRIFT} values on either side, and judges from ${MIN_VALUES_FOR_DRIFT}`, async () => {
    const small = await profileOf(csv(year('2015').slice(0, MIN_VALUES_FOR_DRIFT - 1)));
    for (const drift of [measureDrift(y2012, small, thresholds), measureDrift(small, y2012, thresholds)]) {
      expect(drift.map((d) => [d.status, d.score, d.method])).toEqual(drift.map(() => ['insufficient data', null, null]));
      expect(drift[1]!.note).toMatch(/^4 values in the (reference|current data); drift needs at least 5 on each side$/);
    }
    // Five hot, dry summer days of 2015 are already enough for KS to see the temperature moved.
    const enough = await profileOf(csv(year('2015-07').slice(0, MIN_VALUES_FOR_DRIFT)));
    const drift = measureDrift(y2012, enough, thresholds);
    expect(drift.filter((d) => d.column !== 'weather').every((d) => d.score !== null)).toBe(true);
    expect(drift.find((d) => d.column === 'temp_max')).toMatchObject({ method: 'ks', status: 'drift' });
  });

  it('says dataset drift when the share of drifted columns reaches drift-share, and only then', () => {
    const drift = measureDrift(y2012, y2015, thresholds);
    const drifted = drift.filter((d) => d.status === 'drift').length;
    const judged = drift.filter((d) => d.status !== 'insufficient data').length;
    expect(drifted).toBeGreaterThan(0);
    expect(measureDatasetDrift(drift, drifted / judged)).toMatchObject({ detected: true, judged, share: drifted / judged });
    expect(measureDatasetDrift(drift, (drifted + 0.5) / judged).detected).toBe(false);
    expect(measureDatasetDrift(drift, 0).detected).toBe(true);
    // No drifted column is never dataset drift, whatever the share.
    expect(measureDatasetDrift(measureDrift(y2013, y2013, thresholds), 0).detected).toBe(false);
  });

  it("takes an expectations file's per-column drift-p-value through the stage", async () => {
    const dir = workspaceWith({ '2012.csv': csv(year('2012')), '2015.csv': csv(year('2015')) });
    copyFileSync((await runValidateData(dir, { data: '2012.csv' })).outputs.profile!, join(dir, 'ref.json'));
    const inputs = { data: '2015.csv', reference: 'ref.json' };
    const plain = await runValidateData(dir, inputs);
    // temp_min moved with p ≈ 0.011: drift at 0.05, not at 0.001.
    expect(JSON.parse(plain.outputs['drifted-columns']!)).toContain('temp_min');
    const strict = await runValidateData(dir, { ...inputs, expectations: '{columns: {temp_min: {drift-p-value: 0.001}}}' });
    expect(JSON.parse(strict.outputs['drifted-columns']!)).not.toContain('temp_min');
    expect(JSON.parse(strict.outputs['drifted-columns']!)).toContain('temp_max');
  });

  it('refuses a reference whose columns differ, listing them', () => {
    const other = {
      ...y2015,
      columns: y2015.columns.filter((c) => c.name !== 'wind').map((c) => (c.name === 'precipitation' ? { ...c, name: 'rain_mm' } : c)),
    };
    expect(() => checkSameColumns(y2012, other, 'reference/profile.json')).toThrow(InputError);
    expect(() => checkSameColumns(y2012, other, 'reference/profile.json')).toThrow(
      "The reference profile reference/profile.json does not match the data's columns: missing from the data: precipitation, wind; not in the reference: rain_mm.",
    );
    const retyped = {
      ...y2015,
      columns: y2015.columns.map((c) => (c.name === 'wind' ? { ...c, type: 'string', kind: 'categorical' as const } : c)),
    };
    expect(() => checkSameColumns(y2012, retyped, 'ref.json')).toThrow(/of another type: wind \(number → string\)/);
    expect(() => checkSameColumns(y2012, y2015, 'ref.json')).not.toThrow();
  });
});
