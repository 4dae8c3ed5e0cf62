import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRuntime } from '../../../shared/runtime/local.js';
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
});
