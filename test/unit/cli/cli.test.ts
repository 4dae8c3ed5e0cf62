import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { stages } from '../../../shared/stages.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { validateDataSpec } from '../../../shared/schemas/validate-data.js';
import { runValidateData, tempDir, workspaceWith } from '../data/profile-run.js';
import { csvLines, penguinsCsv, seattleCsv } from '../data/real-data.js';
import { node24, repoRoot } from '../../e2e/runner.js';

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const exitCode = process.exitCode;
  const code = await runCli(
    argv,
    (t) => (out += t),
    (t) => (err += t),
    { env },
  );
  process.exitCode = exitCode;
  return { code, out, err };
}

describe('mlops command line', () => {
  it('--help lists every stage and the profile command', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    for (const { spec } of stages) expect(out).toContain(`  ${spec.name.padEnd(16)} ${spec.description}`);
    expect(out).toContain('mlops profile merge');
    const bare = await cli([]);
    expect(bare.code).toBe(2);
  });

  it('validate-data --help lists every input and output of the schema with defaults', async () => {
    const { code, out } = await cli(['validate-data', '--help']);
    expect(code).toBe(0);
    for (const [name, input] of Object.entries(validateDataSpec.inputs)) {
      const tags = [input.required ? 'required' : '', input.default !== undefined ? `default: ${input.default}` : '']
        .filter(Boolean)
        .join(', ');
      expect(out).toContain(`  --${name}${tags ? ` (${tags})` : ''}\n`);
      expect(out.replace(/\s+/g, ' ')).toContain(input.description);
    }
    for (const name of Object.keys(validateDataSpec.outputs)) expect(out).toContain(`\n  ${name}\n`);
  });

  it('refuses an unknown flag, an unknown command and a flag without value with exit code 2, naming the nearest input', async () => {
    const gate = await cli(['evaluate', '--predictions', 'p.csv', '--gate', 'accuracy >= 0.9']);
    expect([gate.code, gate.err, gate.out]).toEqual([
      2,
      'mlops: unknown input --gate; did you mean --gates? (mlops evaluate --help lists the inputs)\n',
      '',
    ]);
    expect((await cli(['validate-data', '--infer-shema', 's.yaml'])).err).toBe(
      'mlops: unknown input --infer-shema; did you mean --infer-schema? (mlops validate-data --help lists the inputs)\n',
    );
    expect((await cli(['validate-data', '--ouput', 'json'])).err).toMatch(/did you mean --output\?/);
    // Nothing close: no guess, and never the whole list of inputs.
    const flag = await cli(['validate-data', '--data', 'a.csv', '--zzz', '1']);
    expect([flag.code, flag.err]).toEqual([2, 'mlops: unknown input --zzz (mlops validate-data --help lists the inputs)\n']);
    const command = await cli(['validate-dta']);
    expect([command.code, command.err]).toEqual([
      2,
      "mlops: unknown command 'validate-dta'; did you mean validate-data? (mlops --help lists the commands)\n",
    ]);
    expect((await cli(['validate-data', '--data'])).err).toBe('mlops: --data needs a value\n');
    expect((await cli(['validate-data', '--data', 'a.csv', '--output', 'yaml'])).err).toBe(
      'mlops: --output is "yaml"; expected one of text, lines, json\n',
    );
    expect((await cli(['validate-data', '--data', 'a.csv', '--run-id', '../x'])).code).toBe(2);
    expect((await cli(['profile', 'split', 'a.json'])).code).toBe(2);
  });

  it('ends a stage with a short summary on stdout; --output lines and json print the outputs for scripts', async () => {
    const dir = workspaceWith({ 'penguins.csv': readFileSync(penguinsCsv) });
    const base = ['validate-data', '--data', 'penguins.csv', '--working-directory', dir, '--state-dir', join(dir, '.mlops')];
    const text = await cli(base);
    expect(text.code).toBe(0);
    const lines = text.out.trimEnd().split('\n');
    expect(lines[0]).toBe('✔ validate-data: valid: 344 rows, 0 violations');
    expect(lines[1]).toMatch(/^ {2}report: .*\/validate-data\/report\.md$/);
    expect(lines).toHaveLength(2);

    const named = await cli([...base, '--output', 'lines']);
    expect(named.out).toMatch(/^valid=true\nrows=344\nerror-count=0\nfingerprint=sha256:[0-9a-f]{64}\n/);
    expect(named.err).toContain('✔ validate-data: valid: 344 rows, 0 violations\n');

    const json = await cli([...base, '--output', 'json']);
    expect(json.out.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.out)).toMatchObject({ valid: 'true', rows: '344', 'error-count': '0', 'drifted-columns': '[]' });
  });

  it('keeps the stages of one loop under one run id, a folder per stage (--run-id or MLOPS_RUN_ID)', async () => {
    const dir = workspaceWith({
      'penguins.csv': readFileSync(penguinsCsv),
      'predictions.csv': 'label,prediction\na,a\nb,b\na,a\nb,a\n',
    });
    const state = join(dir, '.mlops');
    const common = ['--working-directory', dir, '--state-dir', state];
    expect((await cli(['validate-data', '--data', 'penguins.csv', '--run-id', 'loop-1', ...common])).code).toBe(0);
    const evaluated = await cli(['evaluate', '--predictions', 'predictions.csv', ...common], { MLOPS_RUN_ID: 'loop-1' });
    expect(evaluated.code).toBe(0);
    expect(readdirSync(join(state, 'runs'))).toEqual(['loop-1']);
    expect(readdirSync(join(state, 'runs', 'loop-1')).sort()).toEqual(['evaluate', 'validate-data']);
    for (const stage of ['evaluate', 'validate-data']) {
      const record = JSON.parse(readFileSync(join(state, 'runs', 'loop-1', stage, 'run.json'), 'utf8'));
      expect(record).toMatchObject({ stage, runId: 'loop-1', failed: null });
      expect(readFileSync(join(state, 'runs', 'loop-1', stage, 'summary.md'), 'utf8')).toMatch(/^#/);
    }
    // Without either, each stage run gets an id of its own.
    await cli(['validate-data', '--data', 'penguins.csv', ...common], {});
    expect(readdirSync(join(state, 'runs'))).toHaveLength(2);
    const bad = await cli(['validate-data', '--data', 'penguins.csv', ...common], { MLOPS_RUN_ID: 'a b' });
    expect([bad.code, bad.err]).toEqual([2, `mlops: MLOPS_RUN_ID is "a b": a run id is letters, digits, '.', '_' and '-' (at most 128)\n`]);
  });

  it('--infer-schema keeps an existing file unless --overwrite-schema, naming the file', async () => {
    const dir = workspaceWith({ 'penguins.csv': readFileSync(penguinsCsv), 'schema.yaml': '# edited by hand\nfields: []\n' });
    const base = ['validate-data', '--data', 'penguins.csv', '--infer-schema', 'schema.yaml', '--working-directory', dir];
    const kept = await cli([...base, '--state-dir', join(dir, '.mlops')]);
    expect(kept.code).toBe(1);
    expect(kept.err).toContain(
      "error: Input 'infer-schema': schema.yaml already exists and is kept; choose another path, or set overwrite-schema to true (--overwrite-schema in the CLI) to replace it.\n",
    );
    expect(readFileSync(join(dir, 'schema.yaml'), 'utf8')).toBe('# edited by hand\nfields: []\n');
    // A boolean flag alone means true.
    const replaced = await cli([...base, '--overwrite-schema', '--state-dir', join(dir, '.mlops')]);
    expect(replaced.code).toBe(0);
    expect(readFileSync(join(dir, 'schema.yaml'), 'utf8')).toMatch(/name: species/);
    const fresh = await cli([...base.slice(0, -3), 'new-schema.yaml', '--working-directory', dir, '--state-dir', join(dir, '.mlops')]);
    expect(fresh.code).toBe(0);
    expect(readFileSync(join(dir, 'new-schema.yaml'), 'utf8')).toMatch(/name: species/);
  });

  it('counts header violations in the file line, as in the total; names each error location once', async () => {
    const schema = readFileSync(join(repoRoot, 'workflows-examples', 'penguins-node', 'schema.yaml'), 'utf8');
    const csv = readFileSync(penguinsCsv, 'utf8').replace(/^species,island,/, 'species,isle,');
    const dir = workspaceWith({ 'penguins.csv': csv, 'schema.yaml': schema });
    const run = await cli([
      'validate-data',
      '--data',
      'penguins.csv',
      '--schema',
      'schema.yaml',
      '--working-directory',
      dir,
      '--state-dir',
      join(dir, '.mlops'),
    ]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^penguins\.csv: 344 rows in [\d.]+ s on 1 thread, 2 violations\.$/m);
    expect(run.err).toMatch(/^Profiled 344 rows in [\d.]+ s, 2 violations in all; /m);
    expect(run.err).toContain('error: validate-data: 2 violations (see the annotations and the job summary).\n');
    expect(run.out).toMatch(/^✘ validate-data: invalid: 344 rows, 2 violations$/m);

    const bad = workspaceWith({ 'preds_bad.csv': 'id,label,prediction\n1,a,a\n2,b,b\n3,a,b\n4,b,a\n5,a,b,extra\n' });
    const evaluated = await cli([
      'evaluate',
      '--predictions',
      'preds_bad.csv',
      '--working-directory',
      bad,
      '--state-dir',
      join(bad, '.mlops'),
    ]);
    expect(evaluated.code).toBe(1);
    expect(evaluated.err).toContain('error: preds_bad.csv:6: 4 fields, expected 3 (id, label, prediction).\n');
    expect(evaluated.err.split('preds_bad.csv:6').length - 1).toBe(1);
  });

  it('the bundled CLI exits 2 on an unknown flag, without a stack trace', () => {
    const run = spawnSync(node24(), [join(repoRoot, 'dist', 'mlops.js'), 'validate-data', '--bogus', 'x'], {
      encoding: 'utf8',
      cwd: tempDir(),
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('mlops: unknown input --bogus (mlops validate-data --help lists the inputs)\n');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('profile merge of shard profiles equals the profile of the concatenated data', async () => {
    const [header, ...rows] = csvLines(seattleCsv);
    const dir = workspaceWith({
      'part-1.csv': `${header}\n${rows.slice(0, 500).join('\n')}\n`,
      'part-2.csv': `${header}\n${rows.slice(500).join('\n')}\n`,
    });
    copyFileSync(seattleCsv, join(dir, 'all.csv'));
    const profiles: string[] = [];
    for (const file of ['part-1.csv', 'part-2.csv']) {
      const run = await runValidateData(dir, { data: file });
      profiles.push(run.outputs.profile!);
    }
    const whole = (await runValidateData(dir, { data: 'all.csv' })).profile!;
    const merged = await cli(['profile', 'merge', ...profiles]);
    expect(merged.code).toBe(0);
    const profile = JSON.parse(merged.out) as ProfileJSON;
    expect(profile.rows).toBe(1461);
    expect(profile.sources.map((s) => s.path)).toEqual(['part-1.csv', 'part-2.csv']);
    profile.columns.forEach((c, i) => {
      const w = whole.columns[i]!;
      expect([c.name, c.count, c.nulls, c.min, c.max]).toEqual([w.name, w.count, w.nulls, w.min, w.max]);
      if (w.mean !== null) expect(Math.abs(c.mean! - w.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w.mean)));
    });
  });

  it('profile merge names a missing file and a file of another table', async () => {
    const dir = workspaceWith({ 'penguins.csv': readFileSync(penguinsCsv), 'weather.csv': readFileSync(seattleCsv) });
    const a = (await runValidateData(dir, { data: 'penguins.csv' })).outputs.profile!;
    const b = (await runValidateData(dir, { data: 'weather.csv' })).outputs.profile!;
    const missing = await cli(['profile', 'merge', a, join(dir, 'nope.json')]);
    expect([missing.code, missing.err]).toEqual([1, `error: ${join(dir, 'nope.json')} does not exist or cannot be read\n`]);
    const mismatch = await cli(['profile', 'merge', a, b]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.err.startsWith(`error: ${b} has columns (date:date, precipitation:number`)).toBe(true);
    expect(mismatch.err).toContain(`but ${a} has (species:string, island:string`);
    writeFileSync(join(dir, 'x.json'), '{}');
    expect((await cli(['profile', 'merge', join(dir, 'x.json')])).err).toMatch(/is not an mlops data profile/);
  });
});
