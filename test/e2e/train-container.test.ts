// The train bundle running both example projects inside containers on the real Docker Engine
// (images built from this machine's files: see test/services/host-images.ts), and its failures there.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_LABEL } from '../../shared/docker/run-container.js';
import type { TrainManifest } from '../../shared/train/manifest.js';
import { type DockerEngine, dockerEngineOrSkip, useDockerEngine, useNodeImage, usePythonTorchImage } from '../services/docker-engine.js';
import { repoRoot, runAction } from './runner.js';
import { tempDir } from '../temp-dirs.js';

const examples = join(repoRoot, 'workflows-examples');
let engine: DockerEngine | undefined;

beforeAll(async () => {
  engine = await useDockerEngine();
  if (engine) await Promise.all([useNodeImage(engine), usePythonTorchImage(engine)]);
}, 1_200_000);

/** A copy filter leaving out what a demo run may have left in an example: state, model, metrics, predictions. */
function withoutLeftovers(example: string): (source: string) => boolean {
  const leftovers = new Set(['.mlops', 'model', 'metrics.json', 'predictions.csv', 'node_modules'].map((f) => join(examples, example, f)));
  return (source) => !leftovers.has(source);
}

function sha256(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

function manifestOf(outputs: Record<string, string>): TrainManifest {
  return JSON.parse(readFileSync(outputs.manifest!, 'utf8')) as TrainManifest;
}

/** Containers of ours still on the engine whose command contains `command` (other tests may run containers too). */
async function leftoverContainers(command: string): Promise<string[]> {
  const list = await engine!.docker.listContainers({ all: true, filters: { label: [CONTAINER_LABEL] } });
  return list.filter((c) => c.Command.includes(command)).map((c) => c.Id);
}

describe('train bundle in a container', () => {
  it('trains penguins-node in mlops-test/node:local, resolving the workspace node_modules, then hits the cache', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    // The workspace holds node_modules (real copies: a symlink out of the mount would not resolve) and the project below it.
    const workspace = tempDir('e2e-train-container-');
    for (const name of ['onnx-proto', 'protobufjs', '@protobufjs', 'long'])
      cpSync(join(repoRoot, 'node_modules', name), join(workspace, 'node_modules', name), { recursive: true });
    cpSync(join(examples, 'penguins-node'), join(workspace, 'penguins-node'), {
      recursive: true,
      filter: withoutLeftovers('penguins-node'),
    });
    const inputs = {
      command: 'node train.mjs',
      'working-directory': 'penguins-node',
      params: 'params.yaml',
      'model-path': 'model',
      'metrics-file': 'metrics.json',
      'container-image': 'mlops-test/node:local',
    };
    const run = await runAction('train', { workspace, inputs, env: engine.env });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`as ${process.getuid!()}:${process.getgid!()}`);
    expect(run.stdout).toMatch(/^mlops-metric step=300 /m);
    const manifest = manifestOf(run.outputs);
    expect(manifest.containerImage).toBe('mlops-test/node:local');
    expect(manifest.model.files.map((f) => f.path)).toEqual(['model/labels.json', 'model/model.onnx']);
    for (const file of manifest.model.files) expect(file.sha256).toBe(sha256(join(workspace, 'penguins-node', file.path)));
    expect(JSON.parse(run.outputs.metrics!)['validation.accuracy']).toBeGreaterThan(0.95);
    expect(await leftoverContainers('node train.mjs')).toEqual([]);

    const again = await runAction('train', { workspace, inputs, env: engine.env });
    expect(again.outputs['cache-hit']).toBe('true');
    expect(again.stdout).not.toMatch(/^mlops-metric /m);
  });

  it('trains digits-torch with PyTorch in mlops-test/python-torch:local', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const workspace = tempDir('e2e-train-container-digits-');
    cpSync(join(examples, 'digits-torch'), workspace, { recursive: true, filter: withoutLeftovers('digits-torch') });
    const run = await runAction('train', {
      workspace,
      inputs: {
        command: 'python3 train.py',
        params: '{epochs: 10}',
        'model-path': 'model',
        'metrics-file': 'metrics.json',
        'container-image': 'mlops-test/python-torch:local',
        cpus: '1',
        memory: '2g',
      },
      env: engine.env,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^mlops-metric step=10 /m);
    const manifest = manifestOf(run.outputs);
    const onDisk = readdirSync(join(workspace, 'model'))
      .sort()
      .map((f) => `model/${f}`);
    expect(onDisk).toContain('model/model.onnx');
    expect(manifest.model.files.map((f) => f.path)).toEqual(onDisk);
    expect(JSON.parse(run.outputs.metrics!)['validation.accuracy']).toBeGreaterThan(0.85);
    expect(manifest.outputs.map((f) => f.path)).toEqual(['predictions.csv']);
  });

  it('fails clearly when the image is not on the engine (it is never pulled)', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const workspace = tempDir('e2e-train-container-noimage-');
    const run = await runAction('train', {
      workspace,
      inputs: { command: 'true', 'model-path': 'model', 'container-image': 'mlops-test/absent:local' },
      env: engine.env,
    });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Docker: image mlops-test\/absent:local is not on this Docker Engine .*never pulls images/);
  });

  it('kills the container at the timeout', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const workspace = tempDir('e2e-train-container-timeout-');
    const started = performance.now();
    const run = await runAction('train', {
      workspace,
      inputs: {
        command: 'echo started; sleep 300 & sleep 300; wait',
        'model-path': 'model',
        'container-image': 'mlops-test/node:local',
        'timeout-minutes': '0.05',
      },
      env: engine.env,
    });
    expect((performance.now() - started) / 1000).toBeLessThan(30);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === 'error')!.message).toMatch(
      /^The command was killed after 0\.05 minutes \(timeout-minutes\), with every process it started \(the container was killed\)/,
    );
    expect(await leftoverContainers('sleep 300')).toEqual([]);
  });
});
