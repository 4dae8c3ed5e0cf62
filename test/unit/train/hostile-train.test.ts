// Hostile input to train (issue 9): artifact names that would leave .mlops/artifacts, cache entries
// that name other paths or hold corrupted files, symbolic links in the model folder.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { storeLocalArtifact } from '../../../shared/runtime/local-store.js';
import { trainSpec } from '../../../shared/schemas/train.js';
import { runStage } from '../../../shared/stage.js';
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
