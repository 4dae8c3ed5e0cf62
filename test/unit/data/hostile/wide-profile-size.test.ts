// Hostile input: a wide, short table writes a profile proportionate to it (small sketches for small columns).
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeProfiles, type ProfileJSON } from '../../../../shared/data/profile.js';
import { runValidateData, workspaceWith } from '../profile-run.js';

function wideCsv(columns: number, rows: number): string {
  const lines = [Array.from({ length: columns }, (_, i) => `c${i}`).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(Array.from({ length: columns }, (_, i) => (i % 2 ? String((r * 7919 + i) % 1000) : ['a', 'b', 'c'][(r + i) % 3])).join(','));
  }
  return lines.join('\n') + '\n';
}

describe('profile size of a wide, short table', () => {
  it('10,000 columns × 20 rows stay within a few KiB per column, and still merge and measure drift', async () => {
    const csv = wideCsv(10_000, 20);
    const dir = workspaceWith({ 'data.csv': csv });
    const run = await runValidateData(dir, { data: 'data.csv', 'fail-on': 'never' });
    const bytes = statSync(run.outputs.profile!).size;
    process.stdout.write(`profile of ${csv.length} bytes of CSV: ${bytes} bytes\n`);
    expect(bytes).toBeLessThan(10_000 * 2048);
    const profile = run.profile!;
    // The compact sketches read back: merging a profile with itself doubles the counts, distinct stays.
    const merged = mergeProfiles([profile, profile]);
    expect(merged.columns[1]).toMatchObject({ count: 40, distinct: profile.columns[1]!.distinct });
    writeFileSync(join(dir, 'ref.json'), JSON.stringify(profile));
    const again = await runValidateData(dir, { data: 'data.csv', reference: 'ref.json', 'fail-on': 'never' });
    expect(again.ok).toBe(true);
    expect((again.profile as ProfileJSON).columns.length).toBe(10_000);
  }, 120_000);
});
