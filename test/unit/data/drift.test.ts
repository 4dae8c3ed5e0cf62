import { beforeAll, describe, expect, it } from '@jest/globals';
import { checkSameColumns, measureDrift, MIN_ROWS_FOR_DRIFT } from '../../../shared/data/drift.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { InputError } from '../../../shared/errors.js';
import { profileOf } from './profile-run.js';
import { csvLines, seattleCsv } from './real-data.js';

const [header, ...rows] = csvLines(seattleCsv);
const year = (y: string) => rows.filter((r) => r.startsWith(y));
const csv = (lines: string[]) => `${header}\n${lines.join('\n')}\n`;
const thresholds = { psi: 0.2, js: 0.1 };

describe('measureDrift on seattle-weather', () => {
  let y2012: ProfileJSON;
  let y2013: ProfileJSON;
  let y2015: ProfileJSON;
  beforeAll(async () => {
    [y2012, y2013, y2015] = await Promise.all([profileOf(csv(year('2012'))), profileOf(csv(year('2013'))), profileOf(csv(year('2015')))]);
  });

  it('finds the change in how the weather was labelled between 2012 and 2015', () => {
    const drift = measureDrift(y2012, y2015, thresholds);
    const weather = drift.find((d) => d.column === 'weather')!;
    expect(weather.statistic).toBe('js');
    expect(weather.ks).toBeNull();
    expect(weather.status).toBe('drift');
    expect(weather.score!).toBeGreaterThan(0.1);
    // The date moved by three years: every 2015 date lies above every 2012 one.
    const date = drift.find((d) => d.column === 'date')!;
    expect([date.statistic, date.status]).toEqual(['psi', 'drift']);
    expect(date.ks!).toBeCloseTo(1, 2);
  });

  it('finds no drift of a column against itself', () => {
    for (const d of measureDrift(y2013, y2013, thresholds)) {
      expect([d.column, d.status]).toEqual([d.column, 'stable']);
      expect(d.score!).toBeLessThan(1e-9);
    }
  });

  it('finds a shift of a numeric column with PSI and KS', async () => {
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
    expect(tempMax.status).toBe('drift');
    expect(tempMax.score!).toBeGreaterThan(0.2);
    expect(tempMax.ks!).toBeGreaterThan(0.2);
    expect(drift.find((d) => d.column === 'temp_min')!.status).toBe('stable');
    expect(drift.find((d) => d.column === 'weather')!.score!).toBeLessThan(1e-9);
  });

  it('applies per-column threshold overrides', () => {
    const weather = measureDrift(y2012, y2015, thresholds, { weather: 0.99 }).find((d) => d.column === 'weather')!;
    expect([weather.threshold, weather.status]).toEqual([0.99, 'stable']);
  });

  it(`says "insufficient data" below ${MIN_ROWS_FOR_DRIFT} values on either side, not drift`, async () => {
    const small = await profileOf(csv(year('2015').slice(0, MIN_ROWS_FOR_DRIFT - 1)));
    for (const drift of [measureDrift(y2012, small, thresholds), measureDrift(small, y2012, thresholds)]) {
      expect(drift.map((d) => [d.status, d.score])).toEqual(drift.map(() => ['insufficient data', null]));
    }
    const enough = await profileOf(csv(year('2015').slice(0, MIN_ROWS_FOR_DRIFT)));
    expect(measureDrift(y2012, enough, thresholds).every((d) => d.score !== null)).toBe(true);
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
