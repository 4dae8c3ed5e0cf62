import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runAction } from './runner.js';

const example = join(repoRoot, 'workflows-examples', 'penguins-node');

describe('validate-data bundle, run as the runner runs it', () => {
  it('validates and profiles the penguins data against its schema', async () => {
    const run = await runAction('validate-data', {
      workspace: example,
      inputs: { data: 'data/penguins.csv', schema: 'schema.yaml' },
      env: { MLOPS_STATE_DIR: join(repoRoot, '.mlops', 'e2e') },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.valid).toBe('true');
    expect(run.outputs.rows).toBe('344');
    expect(run.outputs['error-count']).toBe('0');
    const sha = createHash('sha256')
      .update(readFileSync(join(example, 'data', 'penguins.csv')))
      .digest('hex');
    expect(run.outputs.fingerprint).toBe(`sha256:${sha}`);
    const profile = JSON.parse(readFileSync(run.outputs.profile!, 'utf8'));
    expect(profile.columns.map((c: { name: string }) => c.name)).toEqual([
      'species',
      'island',
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
      'sex',
    ]);
    const mass = profile.columns.find((c: { name: string }) => c.name === 'body_mass_g');
    expect([mass.count, mass.nulls, mass.min, mass.max]).toEqual([342, 2, 2700, 6300]);
    expect(run.summary).toContain('## validate-data: ✅ valid');
    expect(JSON.parse(run.outputs['drifted-columns']!)).toEqual([]);
  });

  it('fails with one clear error naming a bad input value', async () => {
    const workspace = join(repoRoot, '.mlops', 'e2e-bad-input');
    cpSync(join(example, 'data'), join(workspace, 'data'), { recursive: true });
    const run = await runAction('validate-data', { workspace, inputs: { data: 'data/penguins.csv', 'max-reported-errors': 'lots' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`Input 'max-reported-errors' is "lots": expected an integer.`);
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});

describe('validate-data bundle on Parquet', () => {
  it('profiles a real ZSTD-compressed Parquet file (vega-datasets flights, 3 million rows)', async () => {
    const workspace = join(repoRoot, 'node_modules', 'vega-datasets', 'data');
    const run = await runAction('validate-data', {
      workspace,
      inputs: { data: 'flights-3m.parquet' },
      env: { MLOPS_STATE_DIR: join(repoRoot, '.mlops', 'e2e-parquet') },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.rows).toBe('3000000');
    const profile = JSON.parse(readFileSync(run.outputs.profile!, 'utf8'));
    const names = profile.columns.map((c: { name: string }) => c.name);
    expect(names).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);
    const distance = profile.columns.find((c: { name: string }) => c.name === 'distance');
    expect(distance.count + distance.nulls).toBe(3000000);
    expect(distance.min).toBeGreaterThan(0);
  });
});
