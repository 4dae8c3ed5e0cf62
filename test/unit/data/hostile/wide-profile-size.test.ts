// Hostile input: a wide, short table writes a profile proportionate to it (histograms sized by the
// column's values, no empty sketch slots), and a profile written before that still serves as reference.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureDrift } from '../../../../shared/data/drift.js';
import { mergeProfiles, parseProfile, type ProfileJSON } from '../../../../shared/data/profile.js';
import { runValidateData, workspaceWith } from '../profile-run.js';

/** 10,000 columns × 20 rows of 9-decimal numbers and short categories: 2.4 MB, as in the report. */
function wideCsv(columns: number, rows: number): string {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const lines = [Array.from({ length: columns }, (_, i) => `feature_${i}`).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(Array.from({ length: columns }, (_, i) => (i % 2 ? random().toFixed(9) : `cat_${Math.floor(random() * 5)}_abcd`)).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The profile as validate-data wrote it before: 20 histogram bins always, null for a kind's absent sketches. */
function asWrittenBefore(profile: ProfileJSON): ProfileJSON {
  const old = structuredClone(profile);
  for (const column of old.columns) {
    column.sketches = { moments: null, quantiles: null, top: null, ...column.sketches };
  }
  return old;
}

describe('profile size of a wide, short table', () => {
  it('10,000 columns × 20 rows (2.4 MB) write under 9 MiB, and still merge and measure drift against old and new profiles', async () => {
    const csv = wideCsv(10_000, 20);
    const dir = workspaceWith({ 'data.csv': csv });
    const run = await runValidateData(dir, { data: 'data.csv', 'fail-on': 'never' });
    const bytes = statSync(run.outputs.profile!).size;
    process.stdout.write(`profile of ${csv.length} bytes of CSV: ${bytes} bytes\n`);
    // Was 10.3 MB (226 MB before sparse HyperLogLogs); now about 8.8 MB, 3.6 times the data.
    expect(bytes).toBeLessThan(9 * 1024 * 1024);
    const profile = run.profile!;
    const [category, number] = profile.columns;
    expect(number!.histogram!.counts.length).toBe(5);
    expect(number!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Object.keys(number!.sketches)).toEqual(['moments', 'quantiles', 'distinct']);
    expect(Object.keys(category!.sketches)).toEqual(['distinct', 'top']);
    // The compact sketches read back: merging a profile with itself doubles the counts, distinct stays.
    const merged = mergeProfiles([profile, profile]);
    expect(merged.columns[1]).toMatchObject({ count: 40, distinct: profile.columns[1]!.distinct });

    // Drift against a profile as written before (null sketch slots, 20 histogram bins): read the same way.
    const old = parseProfile(JSON.stringify(asWrittenBefore(profile)), 'old.json');
    const drift = measureDrift(old, profile, { psi: 0.1, js: 0.1, 'p-value': 0.05 });
    expect(drift.filter((d) => d.status === 'drift')).toEqual([]);
    writeFileSync(join(dir, 'ref.json'), JSON.stringify(profile));
    const again = await runValidateData(dir, { data: 'data.csv', reference: 'ref.json', 'fail-on': 'never' });
    expect(again.ok).toBe(true);
    expect(again.log.join('\n')).not.toMatch(/bug in mlops-actions/);
    expect((again.profile as ProfileJSON).columns.length).toBe(10_000);
  }, 180_000);

  it('gives a column as many histogram bins as the square root of its values, at most 20', async () => {
    const values = (n: number) => `x\n${Array.from({ length: n }, (_, i) => String(i)).join('\n')}\n`;
    for (const [n, bins] of [
      [4, 2],
      [20, 5],
      [100, 10],
      [1000, 20],
    ] as const) {
      const run = await runValidateData(workspaceWith({ 'data.csv': values(n) }), { data: 'data.csv' });
      expect(run.profile!.columns[0]!.histogram!.counts.length).toBe(bins);
    }
  });
});
