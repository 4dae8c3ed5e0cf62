import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mergeProfiles, parseProfile, type ProfileJSON } from '../../../shared/data/profile.js';
import { InputError } from '../../../shared/errors.js';
import { profileOf } from './profile-run.js';
import { csvLines, penguinsCsv, seattleCsv } from './real-data.js';

/** Fraction of the values ≤ x. */
function rank(sorted: number[], x: number): number {
  let n = 0;
  while (n < sorted.length && sorted[n]! <= x) n++;
  return n / sorted.length;
}

async function checkMergeEqualsWhole(path: string, cuts: number[]): Promise<void> {
  const [header, ...rows] = csvLines(path);
  const bounds = [0, ...cuts, rows.length];
  const parts: ProfileJSON[] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    parts.push(await profileOf(`${header}\n${rows.slice(bounds[i], bounds[i + 1]).join('\n')}\n`));
  const whole = await profileOf(readFileSync(path));
  const merged = mergeProfiles(parts);
  expect(merged.rows).toBe(whole.rows);
  expect(merged.sources).toHaveLength(parts.length);
  merged.columns.forEach((m, j) => {
    const w = whole.columns[j]!;
    expect([m.name, m.type, m.kind, m.count, m.nulls, m.typeErrors, m.min, m.max]).toEqual([
      w.name,
      w.type,
      w.kind,
      w.count,
      w.nulls,
      w.typeErrors,
      w.min,
      w.max,
    ]);
    if (w.mean === null) expect(m.mean).toBeNull();
    else expect(Math.abs(m.mean! - w.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w.mean)));
    if (w.stddev !== null) expect(Math.abs(m.stddev! - w.stddev)).toBeLessThanOrEqual(1e-9 * Math.max(1, w.stddev));
    expect(Math.abs(m.distinct - w.distinct)).toBeLessThanOrEqual(Math.max(2, 0.03 * w.distinct));
    if (w.kind === 'categorical') {
      // At most 64 distinct values: the top list is exact, so merged counts are too.
      expect(m.topExact).toBe(true);
      expect(m.top).toEqual(w.top);
      return;
    }
    const values = rows
      .map((r) => r.split(',')[j]!)
      .filter((c) => c !== '')
      .map((c) => (w.kind === 'temporal' ? Date.parse(c) : Number(c)))
      .sort((a, b) => a - b);
    for (const [key, q] of Object.entries(m.quantiles!)) {
      const p = Number(key.slice(1)) / 100;
      // The value found must sit at rank p within the sketch's 1 % rank error (ties widen the band).
      const below = values.filter((v) => v < q).length / values.length;
      expect({ key, ok: below <= p + 0.01 && rank(values, q) >= p - 0.01 }).toEqual({ key, ok: true });
    }
  });
}

describe('mergeProfiles', () => {
  it('merging the profiles of two halves of penguins.csv gives the profile of the whole', async () => {
    await checkMergeEqualsWhole(penguinsCsv, [172]);
  });

  it('merging three unequal parts of seattle-weather.csv gives the profile of the whole', async () => {
    await checkMergeEqualsWhole(seattleCsv, [100, 1000]);
  });

  it('refuses profiles of different tables, naming both', async () => {
    const penguins = await profileOf(readFileSync(penguinsCsv));
    const weather = await profileOf(readFileSync(seattleCsv));
    expect(() => mergeProfiles([penguins, weather], ['a.json', 'b.json'])).toThrow(InputError);
    expect(() => mergeProfiles([penguins, weather], ['a.json', 'b.json'])).toThrow(
      /^b\.json has columns \(date:date, precipitation:number.*\) but a\.json has \(species:string, .*\): only profiles of the same table can be merged\.$/,
    );
    expect(() => mergeProfiles([])).toThrow(InputError);
  });

  it('parseProfile refuses files that are not profiles, naming the file', () => {
    expect(() => parseProfile('{"rows": 3', 'shard-1.json')).toThrow(/^shard-1\.json is not JSON: /);
    expect(() => parseProfile('{"kind": "something-else"}', 'shard-1.json')).toThrow(/^shard-1\.json is not an mlops data profile/);
  });
});
