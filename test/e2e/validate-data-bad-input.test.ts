// Each bad input of the issue, through the bundle as the runner runs it: exit code, exactly which
// error annotations (file, line, message), and no stack trace.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ActionRun, repoRoot, runAction } from './runner.js';

const penguinsPath = join(repoRoot, 'workflows-examples', 'penguins-node', 'data', 'penguins.csv');
const schemaPath = join(repoRoot, 'workflows-examples', 'penguins-node', 'schema.yaml');
const penguinLines = readFileSync(penguinsPath, 'utf8').replace(/\n$/, '').split('\n');
const weatherPath = join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-bad-'));
  mkdirSync(join(dir, 'data'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function errors(run: ActionRun): { file?: string; line?: number; message: string }[] {
  return run.annotations
    .filter((a) => a.level === 'error')
    .map(({ file, line, message }) => ({ ...(file ? { file } : {}), ...(line ? { line } : {}), message }));
}

function noStackTrace(run: ActionRun): void {
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.stdout).not.toContain('unexpected error');
}

/** A run that stops before reading data: exit 1, one located error, no outputs. */
async function expectInputError(
  files: Record<string, string | Buffer>,
  inputs: Record<string, string>,
  expected: { file?: string; line?: number; message: string },
): Promise<ActionRun> {
  const dir = workspace(files);
  const run = await runAction('validate-data', { workspace: dir, inputs });
  expect(run.exitCode).toBe(1);
  expect(errors(run)).toEqual([{ ...expected, message: expected.message.replaceAll('<ws>', dir) }]);
  expect(run.outputs).toEqual({});
  noStackTrace(run);
  return run;
}

/** A run that reads the data and reports violations: exit 1, the violations then the failure. */
async function expectViolations(
  files: Record<string, string | Buffer>,
  inputs: Record<string, string>,
  violations: { file: string; line: number; message: string }[],
  rows: number,
): Promise<ActionRun> {
  const run = await runAction('validate-data', { workspace: workspace(files), inputs });
  expect(run.exitCode).toBe(1);
  const n = violations.length;
  expect(errors(run)).toEqual([
    ...violations,
    { message: `validate-data: ${n} violation${n === 1 ? '' : 's'} (see the annotations and the job summary).` },
  ]);
  expect(run.outputs.valid).toBe('false');
  expect(run.outputs['error-count']).toBe(String(n));
  expect(run.outputs.rows).toBe(String(rows));
  expect(run.summary.split('\n')[0]).toBe(`## validate-data: ❌ ${n} violation${n === 1 ? '' : 's'}`);
  for (const v of violations) expect(run.summary).toContain(`| ${v.file.replace(/_/g, '\\_')} | ${v.line} |`);
  noStackTrace(run);
  return run;
}

const penguins = (lines: string[]) => `${lines.join('\n')}\n`;

describe('validate-data bundle: bad input', () => {
  it('a missing file', async () => {
    await expectInputError(
      {},
      { data: 'data/penguins.csv' },
      { file: 'data/penguins.csv', message: "Input 'data': data/penguins.csv does not exist (looked in <ws>)." },
    );
  });

  it('a glob matching nothing', async () => {
    await expectInputError(
      { 'data/penguins.tsv': 'x' },
      { data: 'data/*.csv' },
      { message: "Input 'data': the pattern data/*.csv matches no file in <ws>." },
    );
  });

  it('a file of a format it cannot read', async () => {
    await expectInputError(
      { 'data/penguins.xlsx': 'x' },
      { data: 'data/penguins.xlsx' },
      {
        file: 'data/penguins.xlsx',
        message:
          "Input 'data': cannot read data/penguins.xlsx: expected a .csv, .tsv, .jsonl, .ndjson or .parquet file (csv, tsv and jsonl may be gzip-compressed, .gz).",
      },
    );
  });

  it('an empty file, plain or gzip-compressed', async () => {
    await expectInputError(
      { 'data/penguins.csv': '' },
      { data: 'data/penguins.csv' },
      { file: 'data/penguins.csv', line: 1, message: 'data/penguins.csv is empty: expected a header line and data rows.' },
    );
    await expectInputError(
      { 'data/penguins.csv.gz': gzipSync('') },
      { data: 'data/penguins.csv.gz' },
      { file: 'data/penguins.csv.gz', line: 1, message: 'data/penguins.csv.gz is empty: expected a header line and data rows.' },
    );
  });

  it('a header only', async () => {
    await expectViolations(
      { 'data/penguins.csv': penguins(penguinLines.slice(0, 1)) },
      { data: 'data/penguins.csv' },
      [{ file: 'data/penguins.csv', line: 2, message: 'the file has a header but no data rows' }],
      0,
    );
  });

  it('an unterminated quote', async () => {
    const lines = [...penguinLines.slice(0, 6)];
    lines[3] = lines[3]!.replace('Torgersen', '"Torgersen');
    const run = await expectViolations(
      { 'data/penguins.csv': penguins(lines) },
      { data: 'data/penguins.csv' },
      [
        {
          file: 'data/penguins.csv',
          line: 4,
          message: 'a quoted field starting on this line is never closed; the rest of the file cannot be read',
        },
      ],
      2,
    );
    expect(JSON.parse(readFileSync(run.outputs.profile!, 'utf8')).rows).toBe(2);
  });

  it('an unterminated quote in the header', async () => {
    const lines = [...penguinLines.slice(0, 4)];
    lines[0] = lines[0]!.replace('species', '"species');
    await expectInputError(
      { 'data/penguins.csv': penguins(lines) },
      { data: 'data/penguins.csv' },
      { file: 'data/penguins.csv', line: 1, message: 'data/penguins.csv: cannot read the header: its first quoted field is never closed.' },
    );
  });

  it('ragged rows', async () => {
    const lines = [...penguinLines.slice(0, 12)];
    lines[5] = lines[5]!.replace(/,[A-Z]+$/, ''); // one field short
    lines[9] = `${lines[9]},Biscoe`; // one field too many
    await expectViolations(
      { 'data/penguins.csv': penguins(lines) },
      { data: 'data/penguins.csv' },
      [
        { file: 'data/penguins.csv', line: 6, message: 'row has 6 fields; the header has 7' },
        { file: 'data/penguins.csv', line: 10, message: 'row has 8 fields; the header has 7' },
      ],
      11,
    );
  });

  it('invalid UTF-8 (a Latin-1 line)', async () => {
    const text = Buffer.from(penguins(penguinLines.slice(0, 8)), 'utf8');
    const at = text.indexOf('Torgersen', text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1)); // on line 4
    const latin1 = Buffer.concat([text.subarray(0, at), Buffer.from('Torg\xe9rsen', 'latin1'), text.subarray(at + 9)]);
    await expectViolations(
      { 'data/penguins.csv': latin1 },
      { data: 'data/penguins.csv' },
      [{ file: 'data/penguins.csv', line: 4, message: 'this line is not valid UTF-8 (is the file in another encoding, such as Latin-1?)' }],
      7,
    );
  });

  it('a 10 MB single line after the header', async () => {
    // The penguins header, then its data rows joined into one 10 MB line (no newline anywhere).
    const rows = penguinLines.slice(1).join(';');
    const long = rows.repeat(Math.ceil(10_000_000 / rows.length));
    await expectViolations(
      { 'data/penguins.csv': `${penguinLines[0]}\n${penguinLines[1]}\n${long}\n${penguinLines[2]}\n` },
      { data: 'data/penguins.csv' },
      [
        {
          file: 'data/penguins.csv',
          line: 3,
          message: 'a record longer than 8 MiB starts on this line; the rest of the file was not read (is this really CSV?)',
        },
      ],
      1,
    );
  });

  it('a file that is one 10 MB line', async () => {
    const rows = penguinLines.join(';');
    await expectInputError(
      { 'data/penguins.csv': rows.repeat(Math.ceil(10_000_000 / rows.length)) },
      { data: 'data/penguins.csv' },
      {
        file: 'data/penguins.csv',
        line: 1,
        message: 'data/penguins.csv: cannot read the header: its first line is longer than 8 MiB.',
      },
    );
  });

  it('a 10 MB single JSON line', async () => {
    const json = penguinLines.slice(1, 3).map((l) => JSON.stringify({ species: l.split(',')[0], island: l.split(',')[1] }));
    const long = JSON.stringify({ species: 'Adelie', island: 'x'.repeat(10_000_000) });
    await expectViolations(
      { 'data/penguins.jsonl': `${json[0]}\n${long}\n${json[1]}\n` },
      { data: 'data/penguins.jsonl' },
      [{ file: 'data/penguins.jsonl', line: 2, message: 'a line longer than 8 MiB; the rest of the file was not read' }],
      1,
    );
  });

  it('a schema that is not valid Table Schema names the file, the JSON pointer and the line', async () => {
    const schema = readFileSync(schemaPath, 'utf8').replace('type: integer', 'type: int');
    const line = schema.split('\n').findIndex((l) => l.includes('type: int')) + 1;
    await expectInputError(
      { 'data/penguins.csv': readFileSync(penguinsPath), 'schema.yaml': schema },
      { data: 'data/penguins.csv', schema: 'schema.yaml' },
      {
        file: 'schema.yaml',
        line,
        message:
          'schema.yaml: /fields/4/type is "int"; expected one of string, number, integer, boolean, date, datetime, time, year, yearmonth, duration, object, array, geopoint, geojson, list, any',
      },
    );
  });

  it('a JSON schema with a bad constraint, and a missing schema file', async () => {
    const schema = JSON.stringify(
      {
        fields: [
          { name: 'species', type: 'string' },
          { name: 'body_mass_g', type: 'integer', constraints: { minimum: 'light' } },
        ],
      },
      null,
      2,
    );
    const line = schema.split('\n').findIndex((l) => l.includes('"light"')) + 1;
    await expectInputError(
      { 'data/penguins.csv': readFileSync(penguinsPath), 'schema.json': schema },
      { data: 'data/penguins.csv', schema: 'schema.json' },
      {
        file: 'schema.json',
        line,
        message: 'schema.json: /fields/1/constraints/minimum is "light"; expected an integer',
      },
    );
    const run = await runAction('validate-data', {
      workspace: workspace({ 'data/penguins.csv': readFileSync(penguinsPath) }),
      inputs: { data: 'data/penguins.csv', schema: 'schema.yaml' },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([{ file: 'schema.yaml', message: 'schema.yaml: cannot read the Table Schema: no such file' }]);
  });

  it('a reference profile whose columns do not match', async () => {
    const dir = workspace({ 'data/penguins.csv': readFileSync(penguinsPath), 'data/weather.csv': readFileSync(weatherPath) });
    const first = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/weather.csv' } });
    expect(first.exitCode).toBe(0);
    writeFileSync(join(dir, 'reference.json'), readFileSync(first.outputs.profile!));
    const run = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/penguins.csv', reference: 'reference.json' } });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      {
        file: 'reference.json',
        message:
          "The reference profile reference.json does not match the data's columns: missing from the data: date, precipitation, temp_max, temp_min, wind, weather; not in the reference: species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex.",
      },
    ]);
    noStackTrace(run);
    writeFileSync(join(dir, 'not-a-profile.json'), readFileSync(schemaPath));
    const other = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/penguins.csv', reference: 'not-a-profile.json' },
    });
    expect(errors(other)).toEqual([{ file: 'not-a-profile.json', message: expect.stringMatching(/^not-a-profile\.json is not JSON: /) }]);
  });

  it('bad input values: fail-on and drift-threshold', async () => {
    const files = { 'data/penguins.csv': readFileSync(penguinsPath) };
    await expectInputError(
      files,
      { data: 'data/penguins.csv', 'fail-on': 'sometimes' },
      { message: `Input 'fail-on' is "sometimes": expected one of "errors", "drift", "never".` },
    );
    await expectInputError(
      files,
      { data: 'data/penguins.csv', 'drift-threshold': '{psi: -1, js: 0.1}' },
      { message: `Input 'drift-threshold' is "{psi: -1, js: 0.1}" (at psi): expected a number > 0.` },
    );
    await expectInputError(
      files,
      { data: 'data/penguins.csv', 'drift-threshold': '{psi: -1}' },
      { message: `Input 'drift-threshold' is "{psi: -1}" (at psi): expected a number > 0.` },
    );
  });
});
