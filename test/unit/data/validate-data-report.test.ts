import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { measureDatasetDrift, measureDrift } from '../../../shared/data/drift.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { renderValidateDataReport } from '../../../shared/data/validate-data-report.js';
import { profileOf } from './profile-run.js';
import { csvLines, penguinsCsv, seattleCsv } from './real-data.js';
import { mermaidBlocks, parseMermaid } from '../markdown/mermaid-parse.js';

const [weatherHeader, ...weatherRows] = csvLines(seattleCsv);
const year = (y: string) => `${weatherHeader}\n${weatherRows.filter((r) => r.startsWith(y)).join('\n')}\n`;
const thresholds = { psi: 0.2, js: 0.1, 'p-value': 0.05 };

/** Cells of a Markdown table row, splitting on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('renderValidateDataReport', () => {
  let y2012: ProfileJSON;
  let y2015: ProfileJSON;
  beforeAll(async () => {
    [y2012, y2015] = await Promise.all([profileOf(year('2012')), profileOf(year('2015'))]);
  });

  it('puts the verdict first', async () => {
    const penguins = await profileOf(readFileSync(penguinsCsv));
    const valid = renderValidateDataReport({
      profile: penguins,
      violationCount: 0,
      violations: [],
      drift: null,
      reference: null,
      valid: true,
    });
    expect(valid.split('\n')[0]).toBe('## validate-data: ✅ valid');
    expect(valid).toContain('**344 rows** in 1 file · 0 violations');
    const invalid = renderValidateDataReport({
      profile: penguins,
      violationCount: 120,
      violations: [
        {
          file: 'data/penguins.csv',
          line: 5,
          column: 'body_mass_g',
          value: '',
          rule: 'required',
          message: 'column body_mass_g: a value is required',
        },
      ],
      drift: null,
      reference: null,
      valid: false,
    });
    expect(invalid.split('\n')[0]).toBe('## validate-data: ❌ 120 violations');
    expect(invalid).toContain('### Violations (first 1 of 120)');
    const drifted = renderValidateDataReport({
      profile: y2015,
      violationCount: 0,
      violations: [],
      drift: measureDrift(y2012, y2015, thresholds),
      reference: y2012,
      referenceName: 'ref.json',
      valid: true,
    });
    expect(drifted.split('\n')[0]).toBe('## validate-data: ⚠️ valid, with drift');
  });

  it('escapes hostile column names, values and messages so tables and HTML stay intact', async () => {
    // The penguins data with its header renamed by a hostile contributor.
    const hostile = [
      '<img src=x onerror=alert(1)>',
      'island|injected',
      '@octocat',
      '[link](https://evil.example)',
      '`code`',
      '**bold**',
      'sex\\',
    ];
    const lines = csvLines(penguinsCsv);
    const text = `${hostile.map((h) => `"${h}"`).join(',')}\n${lines.slice(1).join('\n')}\n`;
    const profile = await profileOf(text);
    const report = renderValidateDataReport({
      profile,
      violationCount: 1,
      violations: [
        { file: 'data/<b>x</b>.csv', line: 2, column: hostile[1], value: '| @admin `', rule: 'enum', message: `column ${hostile[0]}: bad` },
      ],
      drift: null,
      reference: null,
      valid: false,
    });
    expect(report).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(report).not.toMatch(/(?<!\\)[<[]/);
    expect(report).not.toMatch(/@(?!\u200D)(octocat|admin)/);
    expect(report).not.toContain('https://');
    const tableRows = report.split('\n').filter((l) => l.startsWith('|'));
    const widths = new Set(
      tableRows
        .filter((r) => !r.startsWith('|---'))
        .map((r) => `${r.startsWith('| file') || r.includes('data/') ? 'v' : 'c'}${cells(r).length}`),
    );
    expect([...widths].sort()).toEqual(['c6', 'v6']);
    expect(tableRows.filter((r) => /^\| .*island\\\|injected/.test(r))).toHaveLength(2);
  });

  it('shows drift per column and a Mermaid chart of the most drifted column that parses', async () => {
    const drift = measureDrift(y2012, y2015, thresholds);
    const report = renderValidateDataReport({
      profile: y2015,
      violationCount: 0,
      violations: [],
      drift,
      datasetDrift: measureDatasetDrift(drift, 0.5),
      reference: y2012,
      referenceName: 'reference/profile.json',
      valid: true,
    });
    // Each column says what decided it: 365 values a side, so chi-squared and KS p-values.
    expect(report).toMatch(/Drift against reference\/profile\.json: \*\*.*weather \(chi-squared p=[\d.e-]+\).*\*\* drifted/);
    expect(report).toMatch(/\| weather \| string \|.*\| \*\*drift\*\*: chi-squared p=[\d.e-]+ \(p < 0\.05\) \|/);
    expect(report).toMatch(/\| date \| date \|.*\| \*\*drift\*\*: KS p=[\d.e-]+ \(p < 0\.05\) \|/);
    const drifted = drift.filter((d) => d.status === 'drift').length;
    expect(report).toContain(`: ${drifted} of 6 judged columns drifted (${Math.round((100 * drifted) / 6)} %, drift-share 0.5).`);
    const blocks = mermaidBlocks(report);
    expect(blocks).toHaveLength(1);
    expect(report).toMatch(/### Most drifted column: (date|weather)/);
    await parseMermaid(blocks[0]!);
  });

  it('every kind of drift chart parses: categorical, numeric and dates', async () => {
    const shifted = await profileOf(
      `${weatherHeader}\n${weatherRows
        .filter((r) => r.startsWith('2012'))
        .map((r) => {
          const c = r.split(',');
          c[2] = (Number(c[2]) + 5).toFixed(1);
          return c.join(',');
        })
        .join('\n')}\n`,
    );
    const cases: [ProfileJSON, ProfileJSON, string][] = [
      [y2012, y2015, 'weather'],
      [y2012, y2015, 'date'],
      [y2012, shifted, 'temp_max'],
    ];
    for (const [reference, current, column] of cases) {
      // Keep one column's drift, so that column is the one charted.
      const drift = measureDrift(reference, current, thresholds).map((d) =>
        d.column === column ? d : { ...d, score: null, status: 'insufficient data' as const },
      );
      const report = renderValidateDataReport({ profile: current, violationCount: 0, violations: [], drift, reference, valid: true });
      expect(report).toContain(`### Most drifted column: ${column.replace('_', '\\_')}`);
      const [block] = mermaidBlocks(report);
      expect(block).toMatch(/^xychart-beta\n/);
      await parseMermaid(block!);
    }
  });
});
