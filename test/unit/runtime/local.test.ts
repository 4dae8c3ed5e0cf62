import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRuntime, located } from '../../../shared/runtime/local.js';
import { writeFileAtomic } from '../../../shared/atomic-write.js';
import { LocalCache } from '../../../shared/runtime/local-store.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-local-'));
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'model', 'model.onnx'), 'graph');
  writeFileSync(join(dir, 'model', 'model.onnx.data'), 'weights');
  writeFileSync(join(dir, 'metrics.json'), '{"accuracy":0.9}');
  return dir;
}

describe('LocalCache', () => {
  it('restores saved files byte for byte, by exact key or by newest prefix', async () => {
    const dir = workspace();
    const cache = new LocalCache(join(dir, '.mlops', 'cache'), dir);
    await cache.save(['model', 'metrics.json'], 'train-abc');
    writeFileSync(join(dir, 'model', 'model.onnx'), 'changed');
    writeFileSync(join(dir, 'metrics.json'), 'changed');
    expect(await cache.restore(['model', 'metrics.json'], 'train-abc')).toBe('train-abc');
    expect(readFileSync(join(dir, 'model', 'model.onnx'), 'utf8')).toBe('graph');
    expect(readFileSync(join(dir, 'model', 'model.onnx.data'), 'utf8')).toBe('weights');
    expect(readFileSync(join(dir, 'metrics.json'), 'utf8')).toBe('{"accuracy":0.9}');
    expect(await cache.restore(['model'], 'train-zzz')).toBeUndefined();
    expect(await cache.restore(['model'], 'train-zzz', ['train-'])).toBe('train-abc');
  });

  it('leaves no temporary folder behind', async () => {
    const dir = workspace();
    const cache = new LocalCache(join(dir, '.mlops', 'cache'), dir);
    await cache.save(['model'], 'k1');
    await cache.save(['model'], 'k1');
    expect(readdirSync(join(dir, '.mlops', 'cache')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, '.mlops', 'cache'))).toHaveLength(1);
  });

  it('refuses paths outside the workspace', async () => {
    const dir = workspace();
    const cache = new LocalCache(join(dir, '.mlops', 'cache'), dir);
    await expect(cache.save(['../elsewhere'], 'k')).rejects.toThrow(/outside/);
  });
});

describe('LocalRuntime', () => {
  it('stores artifacts under .mlops/artifacts and says so', async () => {
    const dir = workspace();
    const lines: string[] = [];
    const runtime = new LocalRuntime({ inputs: {}, workspace: dir, log: (l) => lines.push(l) });
    const stored = await runtime.uploadArtifact('model-1', ['model/model.onnx', 'metrics.json'], dir);
    expect(stored.location).toBe(join(dir, '.mlops', 'artifacts', 'model-1'));
    expect(readFileSync(join(stored.location, 'model', 'model.onnx'), 'utf8')).toBe('graph');
    expect(lines.join('\n')).toMatch(/no Actions artifact service/);
  });

  it('treats empty inputs as absent, masks secrets and records the run', async () => {
    const dir = workspace();
    const lines: string[] = [];
    const runtime = new LocalRuntime({ inputs: { a: '', b: 'x' }, workspace: dir, log: (l) => lines.push(l) });
    expect(runtime.input('a')).toBeUndefined();
    expect(runtime.input('b')).toBe('x');
    runtime.mask('s3cret');
    runtime.info('token s3cret here');
    expect(lines).toContain('token *** here');
    runtime.setOutput('valid', 'true');
    await runtime.summary('## hi');
    await runtime.recordRun('validate-data');
    const record = JSON.parse(readFileSync(join(runtime.runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ stage: 'validate-data', outputs: { valid: 'true' }, failed: null });
    expect(readFileSync(join(runtime.runDir, 'summary.md'), 'utf8')).toBe('## hi\n');
  });

  it('writes files atomically', async () => {
    const dir = workspace();
    await writeFileAtomic(join(dir, 'deep', 'file.json'), '{}');
    expect(readFileSync(join(dir, 'deep', 'file.json'), 'utf8')).toBe('{}');
    expect(existsSync(join(dir, 'deep'))).toBe(true);
    expect(readdirSync(join(dir, 'deep'))).toEqual(['file.json']);
  });

  it('folds the lines of a group: a count and where they are kept, warnings still shown', async () => {
    const dir = workspace();
    const lines: string[] = [];
    const runtime = new LocalRuntime({ inputs: {}, workspace: dir, log: (l) => lines.push(l) });
    const result = await runtime.group(
      'Running: node train.mjs',
      async () => {
        for (let step = 0; step < 300; step++) runtime.info(`mlops-metric step=${step} loss=0.5`);
        runtime.warning('Ignored a malformed mlops-metric line');
        return 42;
      },
      { log: join(dir, '.mlops', 'runs', 'r1', 'train', 'train.log') },
    );
    expect(result).toBe(42);
    expect(lines).toEqual([
      'Running: node train.mjs',
      'warning: Ignored a malformed mlops-metric line',
      '  (300 lines of output not shown; all of it is in .mlops/runs/r1/train/train.log)',
    ]);
    runtime.info('after the group');
    expect(lines.at(-1)).toBe('after the group');
  });

  it('on a terminal, redraws one progress line in place and clears it before other lines', async () => {
    const dir = workspace();
    let screen = '';
    const runtime = new LocalRuntime({
      inputs: {},
      workspace: dir,
      log: (l) => (screen += `${l}\n`),
      progress: (t) => (screen += t),
      columns: 40,
    });
    runtime.mask('s3cret');
    await runtime.group('Running: train', async () => {
      runtime.info('mlops-metric step=1 loss=0.9');
      runtime.info(`mlops-metric step=2 loss=0.8 token=s3cret and a long tail of text`);
      runtime.warning('careful');
    });
    expect(screen.split('\n')).toEqual([
      'Running: train',
      '\r\u001b[K  1 · mlops-metric step=1 loss=0.9\r\u001b[K  2 · mlops-metric step=2 loss=0.8 tok…\r\u001b[Kwarning: careful',
      '  (2 lines of output not shown)',
      '',
    ]);
  });

  it('names the run folder after the shared run id and the stage', () => {
    const runtime = new LocalRuntime({ inputs: {}, workspace: '/w', runId: 'loop-7', stage: 'train' });
    expect([runtime.runId, runtime.runDir]).toEqual(['loop-7', '/w/.mlops/runs/loop-7/train']);
  });

  it('names each location once, whether or not the message already starts with it', () => {
    expect(located('preds_bad.csv:5: 4 fields, expected 3.', { file: 'preds_bad.csv', line: 5 })).toBe(
      'preds_bad.csv:5: 4 fields, expected 3.',
    );
    expect(located('schema.yaml: not valid YAML', { file: 'schema.yaml', line: 3 })).toBe('schema.yaml:3: not valid YAML');
    expect(located('data.csv is empty: expected a header line', { file: 'data.csv', line: 1 })).toBe(
      'data.csv:1 is empty: expected a header line',
    );
    expect(located("Input 'predictions': nope.csv does not exist.", { file: 'nope.csv' })).toBe(
      "Input 'predictions': nope.csv does not exist.",
    );
    expect(located('column a: a value is required', { file: 'data.csv', line: 9, column: 2 })).toBe(
      'data.csv:9:2: column a: a value is required',
    );
    expect(located('no place', undefined)).toBe('no place');
  });
});

describe('LocalRuntime.github', () => {
  it('takes the action.yml default `${{ github.token }}`, unexpanded on the command line, as no token: GITHUB_TOKEN is used', async () => {
    const without = new LocalRuntime({ inputs: {}, workspace: tmpdir(), env: { GITHUB_REPOSITORY: 'acme/models' }, log: () => {} });
    expect(await without.github('${{ github.token }}')).toEqual({ unavailable: 'GITHUB_TOKEN is not set' });
    const withEnv = new LocalRuntime({
      inputs: {},
      workspace: tmpdir(),
      env: { GITHUB_REPOSITORY: 'acme/models', GITHUB_TOKEN: 'ghp_fromEnv' },
      log: () => {},
    });
    expect('client' in (await withEnv.github('${{ github.token }}'))).toBe(true);
  });
});
