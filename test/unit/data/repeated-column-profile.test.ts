// A header that repeats a column name is accepted (table-schema.mdx: field names "MUST be unique", yet "a data
// consumer MUST NOT interpret it as an invalid descriptor"; v1 allowed repeats), so each physical column is its own
// profile entry, known by its name and occurrence (a#1, a#2), and drift matches columns by that key.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSameColumns, measureDrift } from '../../../shared/data/drift.js';
import {
  ColumnAccumulator,
  columnKey,
  columnLabel,
  mergeProfiles,
  withOccurrences,
  type ProfileJSON,
} from '../../../shared/data/profile.js';
import { runValidateData, workspaceWith } from './profile-run.js';

const SCHEMA = 'fields:\n  - {name: a, type: integer}\n  - {name: b}\n  - {name: a, type: integer}\n';
/** 200 rows: the first a column holds 0..199, the second `second(i)`. */
function csv(second: (i: number) => number): string {
  const rows = Array.from({ length: 200 }, (_, i) => `${i},x${i % 7},${second(i)}`);
  return `a,b,a\n${rows.join('\n')}\n`;
}
const THRESHOLDS = { psi: 0.2, js: 0.1, 'p-value': 0.05 };

describe('a header repeating a column name', () => {
  it('gives one profile entry per physical column, each with its own statistics and its occurrence', async () => {
    const run = await runValidateData(workspaceWith({ 'd.csv': csv((i) => 1000 + i), 's.yaml': SCHEMA }), {
      data: 'd.csv',
      schema: 's.yaml',
    });
    const columns = run.profile!.columns;
    expect(columns.map((c) => [c.name, c.occurrence, c.min, c.max])).toEqual([
      ['a', 1, 0, 199],
      ['b', undefined, null, null],
      ['a', 2, 1000, 1199],
    ]);
    expect(columns.map(columnLabel)).toEqual(['a#1', 'b', 'a#2']);
    // The summary says how the repeated name is profiled.
    const report = readFileSync(run.outputs.report!, 'utf8');
    expect(report).toContain('The header repeats the column name "a": each of its columns is profiled on its own, as a#\u200d1, a#\u200d2');
    expect(report).toMatch(/\| a#\u200d2 \| integer \| 0 \(0 %\) \| 1000 \/ 1\d{3} \/ 1199 \|/);
  });

  it('measures drift column by column: only the second a drifted, and it is named a#2', async () => {
    const dir = workspaceWith({ 'd.csv': csv((i) => 1000 + i), 's.yaml': SCHEMA });
    const first = await runValidateData(dir, { data: 'd.csv', schema: 's.yaml' });
    writeFileSync(join(dir, 'reference.json'), JSON.stringify(first.profile));
    // The first a is unchanged; the second moves far away. Matched by name alone, the first a would be compared
    // with the reference's second (and drift), the second with it too.
    writeFileSync(
      join(dir, 'd.csv'),
      csv((i) => 5000 + i),
    );
    const second = await runValidateData(dir, { data: 'd.csv', schema: 's.yaml', reference: 'reference.json', 'fail-on': 'never' });
    expect(JSON.parse(second.outputs['drifted-columns']!)).toEqual(['a#2']);
    const drift = JSON.parse(readFileSync(second.outputs.drift!, 'utf8')) as { columns: { column: string; status: string }[] };
    expect(drift.columns.map((d) => [d.column, d.status])).toEqual([
      ['a#1', 'stable'],
      ['b', 'stable'],
      ['a#2', 'drift'],
    ]);
  });

  it('refuses a reference whose columns differ by occurrence, naming the extra one', async () => {
    const dir = workspaceWith({
      'once.csv': `a,b\n${Array.from({ length: 50 }, (_, i) => `${i},x`).join('\n')}\n`,
      'once.yaml': 'fields:\n  - {name: a, type: integer}\n  - {name: b}\n',
      'd.csv': csv((i) => i),
      's.yaml': SCHEMA,
    });
    const once = await runValidateData(dir, { data: 'once.csv', schema: 'once.yaml' });
    writeFileSync(join(dir, 'reference.json'), JSON.stringify(once.profile));
    const twice = await runValidateData(dir, { data: 'd.csv', schema: 's.yaml', reference: 'reference.json' });
    expect(twice.ok).toBe(false);
    expect(twice.log.join('\n')).toContain("does not match the data's columns: not in the reference: a#2.");
  });
});

describe('column keys', () => {
  const column = (name: string) => {
    const acc = new ColumnAccumulator(name, 'string', 'categorical');
    return acc.toJSON();
  };
  it('number the columns of a repeated name in order, and leave unique names alone', () => {
    const columns = withOccurrences([column('x'), column('y'), column('x'), column('x')]);
    expect(columns.map((c) => c.occurrence)).toEqual([1, undefined, 2, 3]);
    expect(withOccurrences(columns.slice(0, 2)).map((c) => c.occurrence)).toEqual([undefined, undefined]);
  });

  it('are unambiguous: a column literally named "a#2" is not the second column named a', () => {
    const [, second] = withOccurrences([column('a'), column('a')]);
    const literal = column('a#2');
    expect(columnLabel(second!)).toBe(columnLabel(literal));
    expect(columnKey(second!)).not.toBe(columnKey(literal));
    const reference = profileOf([column('a'), column('a#2')]);
    const current = profileOf(withOccurrences([column('a'), column('a')]));
    expect(() => checkSameColumns(reference, current, 'ref.json')).toThrow(/missing from the data: a#2; not in the reference: a#2/);
  });

  it('let a unique name match the first of its repeats, and survive a merge', () => {
    const reference = profileOf([column('a')]);
    const current = profileOf(withOccurrences([column('a'), column('a')]));
    expect(() => checkSameColumns(reference, current, 'ref.json')).toThrow(/not in the reference: a#2\.$/);
    const merged = mergeProfiles([current, current]);
    expect(merged.columns.map(columnLabel)).toEqual(['a#1', 'a#2']);
    expect(measureDrift(current, merged, THRESHOLDS).map((d) => d.column)).toEqual(['a#1', 'a#2']);
  });
});

function profileOf(columns: ProfileJSON['columns']): ProfileJSON {
  return { kind: 'mlops-data-profile', version: 1, rows: 0, fingerprint: 'sha256:0', sources: [], columns };
}
