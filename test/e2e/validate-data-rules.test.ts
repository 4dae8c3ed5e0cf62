// Violations, fail-on, drift, formats, several files and infer-schema, through the bundle.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ActionRun, repoRoot, runAction } from './runner.js';

const penguinsPath = join(repoRoot, 'workflows-examples', 'penguins-node', 'data', 'penguins.csv');
const schemaText = readFileSync(join(repoRoot, 'workflows-examples', 'penguins-node', 'schema.yaml'), 'utf8');
const penguinLines = readFileSync(penguinsPath, 'utf8').replace(/\n$/, '').split('\n');
const weatherLines = readFileSync(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv'), 'utf8')
  .replace(/\n$/, '')
  .split('\n');

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-vd-'));
  mkdirSync(join(dir, 'data'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');
const profileOf = (run: ActionRun) =>
  JSON.parse(readFileSync(run.outputs.profile!, 'utf8')) as {
    rows: number;
    columns: {
      name: string;
      count: number;
      nulls: number;
      min: number | null;
      max: number | null;
      mean: number | null;
      top: { value: string; count: number }[];
    }[];
  };

// The example schema made stricter: every penguin's sex recorded, and at most 6000 g.
const strictSchema = schemaText
  .replace('maximum: 6500', 'maximum: 6000')
  .replace('      enum: [MALE, FEMALE]', '      required: true\n      enum: [MALE, FEMALE]');
// Lines (1-based, header = 1) breaking each rule, computed from the CSV itself.
const cells = penguinLines.map((l) => l.split(','));
const heavy = cells.flatMap((c, i) => (i > 0 && Number(c[5]) > 6000 ? [i + 1] : []));
const noSex = cells.flatMap((c, i) => (i > 0 && c[6] === '' ? [i + 1] : []));
const expectedLines = [...heavy.map((l) => [l, 'maximum']), ...noSex.map((l) => [l, 'required'])].sort(
  (a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])),
);

describe('validate-data bundle: violations and fail-on', () => {
  it('annotates each violation of a strict schema at its file and line', async () => {
    expect(heavy.length).toBeGreaterThan(0);
    expect(noSex.length).toBe(11);
    const dir = workspace({ 'data/penguins.csv': readFileSync(penguinsPath), 'strict.yaml': strictSchema });
    const run = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/penguins.csv', schema: 'strict.yaml' } });
    expect(run.exitCode).toBe(1);
    const found = errorsOf(run).filter((a) => a.file);
    expect(found.every((a) => a.file === 'data/penguins.csv')).toBe(true);
    const rules = found
      .map((a) => [a.line, a.title!.replace('validate-data: ', '')])
      .sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])));
    expect(rules).toEqual(expectedLines);
    const firstHeavy = found.find((a) => a.line === heavy[0])!;
    expect(firstHeavy.message).toBe(`column body_mass_g: "${cells[heavy[0]! - 1]![5]}" breaks maximum: expected <= 6000`);
    expect(found.find((a) => a.line === noSex[0])!.message).toBe('column sex: a value is required');
    expect(run.outputs.valid).toBe('false');
    expect(run.outputs['error-count']).toBe(String(expectedLines.length));
    expect(run.summary).toContain(`## validate-data: ❌ ${expectedLines.length} violations`);
    expect(run.summary).toContain(`| data/penguins.csv | ${heavy[0]} | body\\_mass\\_g | \`${cells[heavy[0]! - 1]![5]}\` | maximum |`);
  });

  it('max-reported-errors caps the annotations; error-count counts all', async () => {
    const dir = workspace({ 'data/penguins.csv': readFileSync(penguinsPath), 'strict.yaml': strictSchema });
    const run = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/penguins.csv', schema: 'strict.yaml', 'max-reported-errors': '3' },
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).filter((a) => a.file)).toHaveLength(3);
    expect(run.outputs['error-count']).toBe(String(expectedLines.length));
    expect(run.summary).toContain(`### Violations (first 3 of ${expectedLines.length})`);
  });

  it('fail-on: never exits 0 with valid=false', async () => {
    const dir = workspace({ 'data/penguins.csv': readFileSync(penguinsPath), 'strict.yaml': strictSchema });
    const run = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/penguins.csv', schema: 'strict.yaml', 'fail-on': 'never' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.valid).toBe('false');
    expect(run.outputs['error-count']).toBe(String(expectedLines.length));
    expect(errorsOf(run)).toHaveLength(expectedLines.length);
  });

  it('expectations broken are annotated at the rule in the expectations file', async () => {
    const dir = workspace({
      'data/penguins.csv': readFileSync(penguinsPath),
      'expectations.yaml': 'rows: {min: 300}\ncolumns:\n  sex:\n    max-null-fraction: 0.01\n',
    });
    const run = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/penguins.csv', expectations: 'expectations.yaml' },
    });
    expect(run.exitCode).toBe(1);
    expect(
      errorsOf(run)
        .filter((a) => a.file)
        .map((a) => [a.file, a.line, a.message]),
    ).toEqual([['expectations.yaml', 4, 'column sex: null fraction 0.0320 is above 0.01']]);
  });
});

describe('validate-data bundle: drift', () => {
  it('seattle-weather 2015 against a 2012 reference: drifted columns, a Mermaid chart, and fail-on: drift', async () => {
    const year = (y: string) => `${weatherLines[0]}\n${weatherLines.filter((l) => l.startsWith(y)).join('\n')}\n`;
    const dir = workspace({ 'data/weather-2012.csv': year('2012'), 'data/weather-2015.csv': year('2015') });
    const first = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/weather-2012.csv' } });
    expect(first.exitCode).toBe(0);
    copyFileSync(first.outputs.profile!, join(dir, 'reference.json'));
    const run = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/weather-2015.csv', reference: 'reference.json' },
    });
    expect(run.exitCode).toBe(0);
    const drifted = JSON.parse(run.outputs['drifted-columns']!) as string[];
    expect(drifted).toContain('weather');
    expect(drifted).toContain('date');
    expect(run.outputs.valid).toBe('true');
    expect(run.summary.split('\n')[0]).toBe('## validate-data: ⚠️ valid, with drift');
    expect(run.summary).toMatch(/### Most drifted column: .+\n\n```mermaid\nxychart-beta\n/);
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    // 365 values a side: the two-sample tests decide, and each warning says which and its p-value.
    expect(warnings.some((w) => /^column weather drifted: chi-squared p=[\d.e-]+ \(p < 0\.05\)$/.test(w))).toBe(true);
    expect(warnings.some((w) => /^column date drifted: KS p=[\d.e-]+ \(p < 0\.05\)$/.test(w))).toBe(true);
    // date, temp_max, temp_min (2015 was hot) and weather: 4 of 6 columns, dataset drift at the default drift-share 0.5.
    expect(drifted).toEqual(['date', 'temp_max', 'temp_min', 'weather']);
    expect(run.outputs['dataset-drift']).toBe('true');
    const driftJson = JSON.parse(readFileSync(run.outputs.drift!, 'utf8')) as {
      dataset: { detected: boolean };
      columns: { method: string }[];
    };
    expect([driftJson.dataset.detected, driftJson.columns.map((c) => c.method)]).toEqual([
      true,
      ['ks', 'ks', 'ks', 'ks', 'ks', 'chi-squared'],
    ]);
    const failing = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/weather-2015.csv', reference: 'reference.json', 'fail-on': 'drift' },
    });
    expect(failing.exitCode).toBe(1);
    expect(errorsOf(failing).map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^validate-data: dataset drift: 4 of 6 columns drifted \(drift-share 0\.5\): date \(KS p=[\d.e-]+\), temp_max \(KS p=[\d.e-]+\), temp_min \(KS p=[\d.e-]+\), weather \(chi-squared p=[\d.e-]+\)\.$/,
      ),
    ]);
    // Below the dataset's drift-share, drifted columns stay warnings and the step passes.
    const lenient = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/weather-2015.csv', reference: 'reference.json', 'fail-on': 'drift', 'drift-share': '0.7' },
    });
    expect([lenient.exitCode, lenient.outputs['dataset-drift'], errorsOf(lenient)]).toEqual([0, 'false', []]);
    expect(lenient.summary).toContain('No dataset drift: 4 of 6 judged columns drifted (67 %, drift-share 0.7).');
  });

  it('cars, 254 US against 79 Japanese: KS p-values name weight, displacement and horsepower, and fail-on: drift fails', async () => {
    type Car = Record<string, string | number | null>;
    const cars = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'cars.json'), 'utf8')) as Car[];
    const jsonl = (rows: Car[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const us = cars.filter((c) => c.Origin === 'USA');
    // Every other US car against the rest: one distribution, two samples.
    const dir = workspace({
      'data/us.jsonl': jsonl(us),
      'data/japan.jsonl': jsonl(cars.filter((c) => c.Origin === 'Japan')),
      'data/us-even.jsonl': jsonl(us.filter((_, i) => i % 2 === 0)),
      'data/us-odd.jsonl': jsonl(us.filter((_, i) => i % 2 === 1)),
    });
    for (const [data, name] of [
      ['data/us.jsonl', 'us.json'],
      ['data/us-even.jsonl', 'us-even.json'],
    ]) {
      const run = await runAction('validate-data', { workspace: dir, inputs: { data: data! } });
      expect([run.outputs.rows, run.exitCode]).toEqual([data === 'data/us.jsonl' ? '254' : '127', 0]);
      copyFileSync(run.outputs.profile!, join(dir, name!));
    }
    const run = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/japan.jsonl', reference: 'us.json', 'fail-on': 'drift' },
    });
    expect(run.exitCode).toBe(1);
    const [failure] = errorsOf(run).map((a) => a.message);
    for (const column of ['Weight_in_lbs', 'Displacement', 'Horsepower']) {
      expect(failure).toMatch(new RegExp(`${column} \\(KS p=\\d\\.\\de-\\d+\\)`));
      expect(run.summary).toMatch(
        new RegExp(
          `\\| ${column.replace(/_/g, '\\\\_')} \\| integer \\|.*\\| \\*\\*drift\\*\\*: KS p=\\d\\.\\de-\\d+ \\(p < 0\\.05\\) \\|`,
        ),
      );
    }
    expect(failure).toMatch(/^validate-data: dataset drift: 8 of 8 columns drifted \(drift-share 0\.5\): /);
    // Names are all different: not judged, and said so in a warning rather than silently.
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toContain(
      'column Name: drift not judged: every category is too rare for chi-squared (expected counts below 5, even pooled)',
    );
    const same = await runAction('validate-data', {
      workspace: dir,
      inputs: { data: 'data/us-odd.jsonl', reference: 'us-even.json', 'fail-on': 'drift' },
    });
    expect([same.exitCode, same.outputs['drifted-columns'], same.outputs['dataset-drift']]).toEqual([0, '[]', 'false']);
  });
});

describe('validate-data bundle: formats and several files', () => {
  it('.csv.gz, .tsv, .jsonl and .jsonl.gz of the penguins give the same profile counts as the CSV', async () => {
    const header = cells[0]!;
    const jsonl = `${cells
      .slice(1)
      .map((c) =>
        JSON.stringify(Object.fromEntries(header.map((h, i) => [h, c[i] === '' ? null : /^[\d.]+$/.test(c[i]!) ? Number(c[i]) : c[i]]))),
      )
      .join('\n')}\n`;
    const dir = workspace({
      'data/penguins.csv': readFileSync(penguinsPath),
      'data/penguins.csv.gz': gzipSync(readFileSync(penguinsPath)),
      'data/penguins.tsv': `${penguinLines.map((l) => l.replace(/,/g, '\t')).join('\n')}\n`,
      'data/penguins.jsonl': jsonl,
      'data/penguins.jsonl.gz': gzipSync(jsonl),
    });
    const summary = (run: ActionRun) =>
      profileOf(run).columns.map((c) => [c.name, c.count, c.nulls, c.min, c.max, c.mean === null ? null : Number(c.mean.toPrecision(12))]);
    const csv = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/penguins.csv' } });
    expect(csv.outputs.rows).toBe('344');
    for (const file of ['penguins.csv.gz', 'penguins.tsv', 'penguins.jsonl', 'penguins.jsonl.gz']) {
      const run = await runAction('validate-data', { workspace: dir, inputs: { data: `data/${file}` } });
      expect([file, run.exitCode, run.outputs.rows, run.outputs['error-count']]).toEqual([file, 0, '344', '0']);
      expect([file, summary(run)]).toEqual([file, summary(csv)]);
      const sha = createHash('sha256')
        .update(readFileSync(join(dir, 'data', file)))
        .digest('hex');
      expect(run.outputs.fingerprint).toBe(`sha256:${sha}`);
    }
  });

  it('several files through a glob: rows add up and the fingerprint is the sha256 of their sha256s in order', async () => {
    const [header, ...rows] = weatherLines;
    const parts = [rows.slice(0, 400), rows.slice(400, 1000), rows.slice(1000)];
    const files = Object.fromEntries(parts.map((p, i) => [`data/part-${i + 1}.csv`, `${header}\n${p.join('\n')}\n`]));
    const dir = workspace(files);
    const run = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/part-*.csv' } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.rows).toBe('1461');
    const shas = Object.values(files).map((text) => `sha256:${createHash('sha256').update(text).digest('hex')}`);
    expect(run.outputs.fingerprint).toBe(`sha256:${createHash('sha256').update(shas.join('\n')).digest('hex')}`);
    const profile = JSON.parse(readFileSync(run.outputs.profile!, 'utf8')) as { sources: { path: string; rows: number }[] };
    expect(profile.sources.map((s) => [s.path, s.rows])).toEqual([
      ['data/part-1.csv', 400],
      ['data/part-2.csv', 600],
      ['data/part-3.csv', 461],
    ]);
    const again = await runAction('validate-data', { workspace: dir, inputs: { data: 'data/part-*.csv' } });
    expect(again.outputs.fingerprint).toBe(run.outputs.fingerprint);
  });

  it('infer-schema writes a schema that validates the same file with 0 violations', async () => {
    for (const [name, text] of [
      ['penguins.csv', readFileSync(penguinsPath, 'utf8')],
      ['weather.csv', `${weatherLines.join('\n')}\n`],
    ] as const) {
      const dir = workspace({ [`data/${name}`]: text });
      const first = await runAction('validate-data', { workspace: dir, inputs: { data: `data/${name}`, 'infer-schema': 'inferred.yaml' } });
      expect(first.exitCode).toBe(0);
      const schema = readFileSync(join(dir, 'inferred.yaml'), 'utf8');
      expect(schema).toMatch(/fields:/);
      const run = await runAction('validate-data', { workspace: dir, inputs: { data: `data/${name}`, schema: 'inferred.yaml' } });
      expect([name, run.exitCode, run.outputs.valid, run.outputs['error-count'], errorsOf(run)]).toEqual([name, 0, 'true', '0', []]);
    }
  });
});
