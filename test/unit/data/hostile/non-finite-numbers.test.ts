// Hostile input: NaN and infinities are valid Table Schema numbers; they are counted per column, kept out of sketches.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runValidateData, workspaceWith } from '../profile-run.js';

const csv = ['x,allnan', '1,NaN', '2,NaN', 'INF,NaN', '-INF,NaN', 'NaN,NaN', '1e309,NaN', '3,NaN', ''].join('\n');
const schema = JSON.stringify({
  fields: [
    { name: 'x', type: 'number' },
    { name: 'allnan', type: 'number' },
  ],
});

describe('validate-data with NaN and infinite numbers', () => {
  it('profiles the column, counting NaN and ±Infinity apart from the statistics', async () => {
    const dir = workspaceWith({ 'data.csv': csv, 'schema.json': schema });
    const run = await runValidateData(dir, { data: 'data.csv', schema: 'schema.json', 'fail-on': 'never' });
    expect(run.log.join('\n')).not.toMatch(/histogram range|bug in mlops-actions/);
    const x = run.profile!.columns.find((c) => c.name === 'x')!;
    expect(x).toMatchObject({ count: 7, nulls: 0, nan: 1, positiveInfinity: 2, negativeInfinity: 1, min: 1, max: 3, mean: 2 });
    expect(x.histogram!.edges.every(Number.isFinite)).toBe(true);
    const allNan = run.profile!.columns.find((c) => c.name === 'allnan')!;
    expect(allNan).toMatchObject({ count: 7, nan: 7, min: null, histogram: null });
  });

  it('counts an all-NaN column as missing for max-null-fraction', async () => {
    const dir = workspaceWith({ 'data.csv': csv, 'schema.json': schema });
    writeFileSync(join(dir, 'expect.yaml'), 'columns:\n  allnan:\n    max-null-fraction: 0.5\n  x:\n    max-null-fraction: 0.5\n');
    const run = await runValidateData(dir, { data: 'data.csv', schema: 'schema.json', expectations: 'expect.yaml' });
    expect(run.ok).toBe(false);
    const text = run.log.join('\n');
    expect(text).toMatch(/column allnan: null fraction 1\.0000/);
    expect(text).not.toMatch(/column x: null fraction/);
  });
});
