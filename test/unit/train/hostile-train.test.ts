// Hostile input to train (issue 9): artifact names that would leave .mlops/artifacts, cache entries
// that name other paths or hold corrupted files, symbolic links in the model folder.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { storeLocalArtifact } from '../../../shared/runtime/local-store.js';
import { trainSpec } from '../../../shared/schemas/train.js';
import { runStage } from '../../../shared/stage.js';
import type { TrainManifest } from '../../../shared/train/manifest.js';
import { tempDir } from '../../temp-dirs.js';

async function runTrain(inputs: Record<string, string>, workspace: string) {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs, workspace, log: (line) => log.push(line) });
  const exitCodeBefore = process.exitCode;
  const ok = await runStage(trainSpec, (await import('../../../shared/train/train.js')).train, runtime);
  process.exitCode = exitCodeBefore;
  return { ok, runtime, log };
}

describe('artifact names', () => {
  it.each(['..', '.', 'a/b', 'a\\b', 'x:y', 'bad"name', 'q?', 'line\nbreak'])(
    'artifact-name %j is an input error and .mlops/ stays',
    async (name) => {
      const workspace = tempDir('hostile-artifact-');
      const inputs = { command: 'mkdir -p model && echo w > model/w.bin', 'model-path': 'model' };
      expect((await runTrain(inputs, workspace)).ok).toBe(true);
      const { ok, runtime } = await runTrain({ ...inputs, 'artifact-name': name }, workspace);
      expect(ok).toBe(false);
      expect(runtime.failed).toMatch(/^Input 'artifact-name' is .*: expected/);
      expect(readdirSync(join(workspace, '.mlops')).sort()).toEqual(expect.arrayContaining(['cache', 'runs']));
      expect(readdirSync(join(workspace, '.mlops', 'cache'))).toHaveLength(1);
    },
  );

  it('the local store refuses a name that is not one folder inside .mlops/artifacts', async () => {
    const workspace = tempDir('hostile-store-');
    const artifacts = join(workspace, '.mlops', 'artifacts');
    mkdirSync(join(workspace, '.mlops', 'cache', 'keep'), { recursive: true });
    for (const name of ['..', '.', '', '../cache', 'a/b']) {
      await expect(storeLocalArtifact(artifacts, name, [], workspace)).rejects.toThrow(/^Artifact name .* is not valid/);
    }
    expect(existsSync(join(workspace, '.mlops', 'cache', 'keep'))).toBe(true);
    expect(await storeLocalArtifact(artifacts, 'ok-name', [], workspace)).toBe(join(artifacts, 'ok-name'));
  });
});

/** The one entry of the local cache: its folder, and the staged train entry (record.json, files/<index>) inside it. */
function cacheEntry(workspace: string): { entry: string; staged: string } {
  const cache = join(workspace, '.mlops', 'cache');
  const [name] = readdirSync(cache);
  const entry = join(cache, name!);
  const trainCache = join(entry, 'files', '.mlops', 'train-cache');
  const [fingerprint] = readdirSync(trainCache);
  return { entry, staged: join(trainCache, fingerprint!) };
}

/**
 * Writes `content` over a file of the local cache entry as someone with write access to the cache
 * would, keeping files.json consistent (size and mtime), so only the train cache's own checks stand.
 */
function tamper(workspace: string, relative: string, content: string | Buffer, keepMtime = false): void {
  const { entry, staged } = cacheEntry(workspace);
  const path = join(staged, relative);
  const mtime = statSync(path).mtime;
  writeFileSync(path, content);
  if (keepMtime) utimesSync(path, mtime, mtime);
  const listPath = join(entry, 'files.json');
  const list = JSON.parse(readFileSync(listPath, 'utf8')) as { path: string; bytes: number; mtimeMs: number }[];
  const inside = path.slice(join(entry, 'files').length + 1);
  const info = statSync(path);
  writeFileSync(listPath, JSON.stringify(list.map((f) => (f.path === inside ? { ...f, bytes: info.size, mtimeMs: info.mtimeMs } : f))));
}

function sha256(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

describe('train cache restore trusts nothing it restores', () => {
  const inputs = { command: 'mkdir -p model && printf "weights v1" > model/w.bin', 'model-path': 'model' };

  /** A workspace with a trained, cached model and a folder beside it that no run may touch. */
  async function trainedWorkspace(): Promise<{ workspace: string; outside: string }> {
    const root = tempDir('hostile-cache-');
    const workspace = join(root, 'ws');
    const outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'not yours');
    mkdirSync(join(workspace, 'src'));
    writeFileSync(join(workspace, 'src', 'train.py'), 'print("code")\n');
    const first = await runTrain(inputs, workspace);
    expect(first.runtime.outputs['cache-hit']).toBe('false');
    return { workspace, outside };
  }

  function editRecord(workspace: string, edit: (record: Record<string, unknown>) => void): void {
    const record = JSON.parse(readFileSync(join(cacheEntry(workspace).staged, 'record.json'), 'utf8')) as Record<string, unknown>;
    edit(record);
    tamper(workspace, 'record.json', JSON.stringify(record));
  }

  async function expectMissAndTrain(workspace: string, warning: RegExp) {
    const run = await runTrain(inputs, workspace);
    expect(run.ok).toBe(true);
    expect(run.runtime.outputs['cache-hit']).toBe('false');
    const warnings = run.log.filter((line) => line.includes('cannot be trusted'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
    expect(warnings[0]).toMatch(/ignored it, training instead/);
    expect(readFileSync(join(workspace, 'model', 'w.bin'), 'utf8')).toBe('weights v1');
    return run;
  }

  function expectUntouched(workspace: string, outside: string): void {
    expect(readdirSync(outside)).toEqual(['keep.txt']);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('not yours');
    expect(readFileSync(join(workspace, 'src', 'train.py'), 'utf8')).toBe('print("code")\n');
  }

  it('a record naming a model path outside the working directory is a miss, and nothing outside is touched', async () => {
    const { workspace, outside } = await trainedWorkspace();
    editRecord(workspace, (record) => {
      record.modelPath = '../outside';
      (record.files as { path: string }[])[0]!.path = '../outside/w.bin';
    });
    await expectMissAndTrain(workspace, /model path "\.\.\/outside", not the configured "model"/);
    expectUntouched(workspace, outside);
  });

  it('a file path leaving the working directory is a miss', async () => {
    const { workspace, outside } = await trainedWorkspace();
    editRecord(workspace, (record) => {
      (record.files as { path: string }[])[0]!.path = 'model/../../outside/w.bin';
    });
    await expectMissAndTrain(workspace, /leaves the working directory/);
    expectUntouched(workspace, outside);
  });

  it('an absolute path in the record is a miss', async () => {
    const { workspace, outside } = await trainedWorkspace();
    editRecord(workspace, (record) => {
      (record.files as { path: string }[]).push({ ...(record.files as { path: string }[])[0]!, path: join(outside, 'w.bin') });
    });
    await expectMissAndTrain(workspace, /is absolute/);
    expectUntouched(workspace, outside);
  });

  it('a record naming another model path inside the working directory is a miss, and that folder stays', async () => {
    const { workspace, outside } = await trainedWorkspace();
    editRecord(workspace, (record) => {
      record.modelPath = 'src';
      (record.files as { path: string }[])[0]!.path = 'src/w.bin';
    });
    await expectMissAndTrain(workspace, /model path "src", not the configured "model"/);
    expectUntouched(workspace, outside);
    expect(readdirSync(join(workspace, 'src'))).toEqual(['train.py']);
  });

  it('a record writing into the state folder is a miss', async () => {
    const { workspace } = await trainedWorkspace();
    editRecord(workspace, (record) => {
      (record.files as { path: string }[]).push({ ...(record.files as { path: string }[])[0]!, path: '.mlops/cache/x' });
    });
    await expectMissAndTrain(workspace, /inside the state folder/);
  });

  it('a corrupted byte in a cached model file is a miss: the command trains and the manifest matches the fresh model', async () => {
    const { workspace, outside } = await trainedWorkspace();
    // Same size, same mtime: only the content says it is wrong.
    tamper(workspace, 'files/0', 'weights v2', true);
    const run = await expectMissAndTrain(workspace, /model\/w\.bin has sha256 sha256:[0-9a-f]{64}, not the sha256:[0-9a-f]{64} recorded/);
    const manifest = JSON.parse(readFileSync(run.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(manifest.cacheHit).toBe(false);
    expect(manifest.model.files).toEqual([{ path: 'model/w.bin', bytes: 10, sha256: sha256(join(workspace, 'model', 'w.bin')) }]);
    expectUntouched(workspace, outside);
    // The entry saved again by that run serves the next one, byte for byte.
    const again = await runTrain(inputs, workspace);
    expect(again.runtime.outputs['cache-hit']).toBe('true');
    const hitManifest = JSON.parse(readFileSync(again.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(hitManifest.model.files).toEqual(manifest.model.files);
    expect(readFileSync(join(workspace, 'model', 'w.bin'), 'utf8')).toBe('weights v1');
  });

  it('a hit reports the metrics of the restored metrics file, not the copy in the record', async () => {
    const workspace = tempDir('hostile-metrics-');
    const withMetrics = {
      ...inputs,
      command: `${inputs.command} && echo '{"accuracy": 0.5}' > metrics.json`,
      'metrics-file': 'metrics.json',
    };
    expect((await runTrain(withMetrics, workspace)).runtime.outputs['cache-hit']).toBe('false');
    editRecord(workspace, (record) => {
      record.metrics = { accuracy: 0.99 };
    });
    const hit = await runTrain(withMetrics, workspace);
    expect(hit.runtime.outputs['cache-hit']).toBe('true');
    expect(hit.runtime.outputs.metrics).toBe('{"accuracy":0.5}');
  });

  it('an entry whose files.json names a path out of the workspace is dropped', async () => {
    const { workspace, outside } = await trainedWorkspace();
    const { entry } = cacheEntry(workspace);
    const list = JSON.parse(readFileSync(join(entry, 'files.json'), 'utf8')) as { path: string }[];
    const staged = list[0]!.path;
    list.push({ ...list[0]!, path: `${dirname(staged)}/../../../../../outside/x` });
    writeFileSync(join(entry, 'files.json'), JSON.stringify(list));
    const run = await runTrain(inputs, workspace);
    expect(run.runtime.outputs['cache-hit']).toBe('false');
    expect(run.log.some((line) => /which is not a path inside it; it was dropped/.test(line))).toBe(true);
    expectUntouched(workspace, outside);
  });
});

describe('symbolic links in the model folder', () => {
  it('a linked folder inside the working directory is followed: in the manifest and in the cache', async () => {
    const workspace = tempDir('hostile-link-in-');
    // shared-weights/back links to the model folder above it: listed once, not walked forever.
    const inputs = {
      command:
        'mkdir -p model shared-weights && printf graph > model/model.onnx && printf shard > shared-weights/a.bin && ln -sfn ../shared-weights model/shards && ln -sfn ../model shared-weights/back',
      'model-path': 'model',
    };
    const first = await runTrain(inputs, workspace);
    expect(first.ok).toBe(true);
    const manifest = JSON.parse(readFileSync(first.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(manifest.model.files.map((f) => f.path)).toEqual(['model/model.onnx', 'model/shards/a.bin']);
    expect(manifest.model.files[1]!.sha256).toBe(sha256(join(workspace, 'shared-weights', 'a.bin')));
    const hit = await runTrain(inputs, workspace);
    expect(hit.runtime.outputs['cache-hit']).toBe('true');
    expect(readFileSync(join(workspace, 'model', 'shards', 'a.bin'), 'utf8')).toBe('shard');
    const hitManifest = JSON.parse(readFileSync(hit.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(hitManifest.model.files).toEqual(manifest.model.files);
  });

  it('a linked folder outside the working directory is refused, naming the link and its target', async () => {
    const root = tempDir('hostile-link-out-');
    const workspace = join(root, 'ws');
    const outside = join(root, 'weights');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(join(outside, 'a.bin'), 'outside');
    const { ok, runtime, log } = await runTrain(
      { command: `mkdir -p model && printf graph > model/model.onnx && ln -sfn ${outside} model/shards`, 'model-path': 'model' },
      workspace,
    );
    expect(ok).toBe(false);
    expect(runtime.failed).toBe(
      `Model path model: model/shards is a symbolic link to the folder ${outside}, outside the working directory ${workspace}; its files would be left out of the manifest and the cache. Copy them into the model folder, or link to a folder inside the working directory.`,
    );
    expect(log.join('\n')).not.toMatch(/\n\s+at /);
    expect(readdirSync(outside)).toEqual(['a.bin']);
  });
});
