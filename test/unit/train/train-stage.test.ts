// The train stage on a tiny bash command, through the local runtime: the manifest's fields, the
// environment the command sees, and input validation.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMemory } from '../../../shared/docker/run-container.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { readInputs } from '../../../shared/schemas/inputs.js';
import { type TrainInputs, trainSpec } from '../../../shared/schemas/train.js';
import { runStage } from '../../../shared/stage.js';
import type { TrainManifest } from '../../../shared/train/manifest.js';
import { commandEnvironment } from '../../../shared/train/train.js';
import { tempDir } from '../../temp-dirs.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');

function sha256(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

async function runTrain(inputs: Record<string, string>, workspace = tempDir('train-stage-')) {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs, workspace, log: (line) => log.push(line) });
  const exitCodeBefore = process.exitCode;
  const ok = await runStage(trainSpec, (await import('../../../shared/train/train.js')).train, runtime);
  process.exitCode = exitCodeBefore;
  return { ok, runtime, log, workspace };
}

// Writes a two-file ONNX model (graph + external weights, as PyTorch 2.x exports it), metrics and a curve.
const COMMAND = [
  'mkdir -p model',
  `cp ${fixture}/model.onnx ${fixture}/model.onnx.data model/`,
  'echo "$MLOPS_PARAMS" > seen-params.json',
  'cp "$MLOPS_PARAMS_FILE" seen-params-file.json',
  'echo "$MLOPS_RUN_ID|$MLOPS_MODEL_PATH|${INPUT_COMMAND:-no-input-vars}" > seen-env.txt',
  'echo \'{"train": {"accuracy": 0.99}, "validation": {"accuracy": 0.949}}\' > metrics.json',
  'for s in 1 2 3; do echo "mlops-metric step=$s loss=0.$((9 - s)) val_loss=0.$((9 - s))5"; done',
].join(' && ');

describe('train stage', () => {
  it('writes a manifest with every field, hashing every model file', async () => {
    const { ok, runtime, log, workspace } = await runTrain({
      command: COMMAND,
      'model-path': 'model',
      'metrics-file': 'metrics.json',
      params: '{lr: 0.1, epochs: 3}',
      'data-fingerprint': 'sha256:feed',
      'run-name': 'lr-0.1',
    });
    expect(runtime.failed).toBeUndefined();
    expect(ok).toBe(true);
    const manifest = JSON.parse(readFileSync(runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(runtime.outputs.manifest).toBe(join(workspace, '.mlops', 'runs', runtime.runId, 'train', 'manifest.json'));
    expect(manifest).toMatchObject({
      kind: 'mlops-train-manifest',
      runId: runtime.runId,
      runName: 'lr-0.1',
      fingerprint: runtime.outputs.fingerprint,
      cacheKey: `mlops-train-${runtime.outputs.fingerprint!.slice(7)}`,
      cacheHit: false,
      command: COMMAND,
      workingDirectory: workspace,
      containerImage: null,
      params: { lr: 0.1, epochs: 3 },
      paramsSource: 'inline',
      dataFingerprint: 'sha256:feed',
      exitCode: 0,
      timedOut: false,
      metrics: { 'train.accuracy': 0.99, 'validation.accuracy': 0.949 },
      metricsFile: join(workspace, 'metrics.json'),
      learningCurveSteps: 3,
      restoredFrom: null,
    });
    expect(manifest.model.files).toEqual([
      { path: 'model/model.onnx', bytes: 4484, sha256: sha256(join(fixture, 'model.onnx')) },
      { path: 'model/model.onnx.data', bytes: 38400, sha256: sha256(join(fixture, 'model.onnx.data')) },
    ]);
    expect(manifest.outputs.map((f) => f.path)).toEqual(['seen-env.txt', 'seen-params-file.json', 'seen-params.json']);
    expect(manifest.keyFiles.source).toBe('walk');
    expect(Date.parse(manifest.end) - Date.parse(manifest.start)).toBeGreaterThanOrEqual(0);
    expect(manifest.durationSeconds).toBeGreaterThan(0);
    expect(manifest.environment.cpu.count).toBeGreaterThan(0);
    expect(manifest.environment.gpus).toEqual([]);
    expect(manifest.environment.python?.path).toBe('/usr/bin/python3');
    expect(readFileSync(manifest.log, 'utf8')).toContain('mlops-metric step=3 loss=0.6 val_loss=0.65');
    // The command saw the params (JSON, canonical), the params file, its run id and the model path, and no INPUT_ variable.
    expect(JSON.parse(readFileSync(join(workspace, 'seen-params.json'), 'utf8'))).toEqual({ epochs: 3, lr: 0.1 });
    expect(JSON.parse(readFileSync(join(workspace, 'seen-params-file.json'), 'utf8'))).toEqual({ lr: 0.1, epochs: 3 });
    expect(readFileSync(join(workspace, 'seen-env.txt'), 'utf8').trim()).toBe(`${runtime.runId}|${join(workspace, 'model')}|no-input-vars`);
    expect(runtime.outputs).toMatchObject({
      'cache-hit': 'false',
      'model-path': join(workspace, 'model'),
      metrics: '{"train.accuracy":0.99,"validation.accuracy":0.949}',
    });
    // The command's output is folded in the local log (issue 8): a count and where all of it is kept.
    expect(log).not.toContain('mlops-metric step=1 loss=0.8 val_loss=0.85');
    expect(log.filter((line) => /^ {2}\(\d+ lines of output not shown; all of it is in .*\/train\/train\.log\)$/.test(line))).toHaveLength(
      1,
    );
  });

  it('fails naming the metrics file and key when the metrics are malformed', async () => {
    const { ok, runtime } = await runTrain({
      command: 'mkdir -p m && echo x > m/w && echo \'{"validation": {"accuracy": "high"}}\' > metrics.json',
      'model-path': 'm',
      'metrics-file': 'metrics.json',
    });
    expect(ok).toBe(false);
    expect(runtime.failed).toBe(
      // The one reader train and evaluate share (issue 8), which also accepts {value, low, high}.
      'Metrics file metrics.json: metric "validation.accuracy" is the string "high"; expected a number or {"value": …, "low": …, "high": …} (metrics nest one level, by split).',
    );
  });

  it('rejects a model path outside the working directory', async () => {
    const { ok, runtime } = await runTrain({ command: 'true', 'model-path': '../elsewhere' });
    expect(ok).toBe(false);
    expect(runtime.failed).toMatch(/^Input 'model-path' is "\.\.\/elsewhere": expected a path inside the working directory/);
  });
});

describe('train inputs', () => {
  const read = (inputs: Record<string, string>) => readInputs<TrainInputs>(trainSpec, (name) => inputs[name]);

  it('applies the defaults and reads numbers, booleans and lines', async () => {
    expect(
      await read({
        command: 'python train.py',
        'model-path': 'model',
        'timeout-minutes': '90',
        cache: 'false',
        'cache-key-files': 'src/**\n# config\nparams.yaml\n',
        gpus: '2',
      }),
    ).toEqual({
      command: 'python train.py',
      'model-path': 'model',
      'working-directory': '.',
      'timeout-minutes': 90,
      cache: false,
      'cache-key-files': ['src/**', 'params.yaml'],
      gpus: '2',
    });
    expect((await read({ command: 'x', 'model-path': 'm' })).cache).toBe(true);
  });

  it.each([
    [{ 'timeout-minutes': '0' }, `Input 'timeout-minutes' is "0": expected a number > 0.`],
    [{ 'timeout-minutes': 'soon' }, `Input 'timeout-minutes' is "soon": expected a number.`],
    [{ gpus: 'some' }, `Input 'gpus' is "some": expected text matching ^(all|[1-9][0-9]*)$.`],
    [{ gpus: '0' }, `Input 'gpus' is "0": expected text matching ^(all|[1-9][0-9]*)$.`],
    [{ cache: 'maybe' }, `Input 'cache' is "maybe": expected a boolean.`],
  ])('rejects %j', async (bad, message) => {
    await expect(read({ command: 'x', 'model-path': 'm', ...bad })).rejects.toThrow(message);
  });

  it('accepts every memory size the container parser reads, and nothing else', async () => {
    for (const memory of ['4g', '4gb', '4GB', '2Gi', '2GiB', '512m', '1.5G', '1t', '8192k', '1073741824', '1073741824b']) {
      expect((await read({ command: 'x', 'model-path': 'm', memory })).memory).toBe(memory);
      expect(parseMemory(memory)).toBeGreaterThan(0);
    }
    expect(parseMemory('4gb')).toBe(4 * 1024 ** 3);
    expect(parseMemory('2Gi')).toBe(2 * 1024 ** 3);
    for (const memory of ['lots', '4x', '4 g', 'g', '-1g', '4gg']) {
      await expect(read({ command: 'x', 'model-path': 'm', memory })).rejects.toThrow(
        `Input 'memory' is ${JSON.stringify(memory)}: expected text matching`,
      );
    }
  });

  it('requires command and model-path', async () => {
    await expect(read({ 'model-path': 'm' })).rejects.toThrow(/^Input 'command' is required/);
    await expect(read({ command: 'x' })).rejects.toThrow(/^Input 'model-path' is required/);
  });
});

describe('commandEnvironment', () => {
  const runner = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    GITHUB_SHA: 'abc',
    INPUT_COMMAND: 'x',
    ACTIONS_RUNTIME_TOKEN: 'secret',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'secret',
    CUDA_VISIBLE_DEVICES: '0',
  };

  it('passes the runner environment without its tokens and inputs, plus MLOPS_*', () => {
    expect(commandEnvironment(runner, { MLOPS_RUN_ID: 'r1' }, false)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GITHUB_SHA: 'abc',
      CUDA_VISIBLE_DEVICES: '0',
      MLOPS_RUN_ID: 'r1',
    });
  });

  it("leaves the image's PATH alone in a container and gives a writable HOME", () => {
    expect(commandEnvironment(runner, { MLOPS_RUN_ID: 'r1' }, true)).toEqual({
      HOME: '/tmp',
      GITHUB_SHA: 'abc',
      CUDA_VISIBLE_DEVICES: '0',
      MLOPS_RUN_ID: 'r1',
    });
    expect(existsSync('/tmp')).toBe(true);
  });
});

describe('train stage cache keys', () => {
  it('outside git, an output left by an earlier run does not keep the next run from hitting the cache', async () => {
    const workspace = tempDir('train-stage-stale-');
    // A predictions file from some earlier run is already there, and the command rewrites it.
    writeFileSync(join(workspace, 'predictions.csv'), 'id,label\n0,stale\n');
    writeFileSync(join(workspace, 'train.sh'), 'mkdir -p model && echo w > model/w.bin && printf "id,label\\n0,a\\n" > predictions.csv\n');
    const inputs = { command: 'bash train.sh', 'model-path': 'model' };
    const first = await runTrain(inputs, workspace);
    const second = await runTrain(inputs, workspace);
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(first.runtime.outputs['cache-hit']).toBe('false');
    expect(second.runtime.outputs['cache-hit']).toBe('true');
    expect(second.runtime.outputs.fingerprint).toBe(first.runtime.outputs.fingerprint);
    const manifest = JSON.parse(readFileSync(first.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(manifest.keyFiles.files.map((f) => f.path)).toEqual(['train.sh']);
    // A change to the code still trains again.
    writeFileSync(join(workspace, 'train.sh'), `${readFileSync(join(workspace, 'train.sh'), 'utf8')}# changed\n`);
    expect((await runTrain(inputs, workspace)).runtime.outputs['cache-hit']).toBe('false');
  });

  it('in a git repository, the tracked files are the code', async () => {
    const workspace = tempDir('train-stage-git-');
    writeFileSync(join(workspace, 'train.sh'), 'mkdir -p model && echo w > model/w.bin && date +%s%N > scratch.txt\n');
    execFileSync('git', ['init', '-q'], { cwd: workspace });
    execFileSync('git', ['add', 'train.sh'], { cwd: workspace });
    const inputs = { command: 'bash train.sh', 'model-path': 'model' };
    const first = await runTrain(inputs, workspace);
    const second = await runTrain(inputs, workspace);
    expect(second.runtime.outputs['cache-hit']).toBe('true');
    const manifest = JSON.parse(readFileSync(first.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(manifest.keyFiles).toEqual({
      source: 'git',
      untracked: [],
      files: [
        {
          path: 'train.sh',
          sha256: createHash('sha256')
            .update(readFileSync(join(workspace, 'train.sh')))
            .digest('hex'),
        },
      ],
    });
  });
});

describe('train stage: only what this run wrote counts', () => {
  function leftFromBefore(workspace: string): void {
    execFileSync(
      'bash',
      ['-c', 'mkdir -p model && echo old > model/w.bin && echo old2 > model/b.bin && echo \'{"accuracy": 0.5}\' > metrics.json'],
      {
        cwd: workspace,
      },
    );
  }

  it('fails when the command leaves an old model in place, and caches nothing', async () => {
    const workspace = tempDir('train-stage-old-model-');
    leftFromBefore(workspace);
    const inputs = { command: 'echo \'{"accuracy": 0.9}\' > metrics.json', 'model-path': 'model', 'metrics-file': 'metrics.json' };
    const { ok, runtime, log } = await runTrain(inputs, workspace);
    expect(ok).toBe(false);
    expect(runtime.failed).toMatch(
      new RegExp(
        `did not write model-path model: ${join(workspace, 'model')} was left from before this run \\(model/b.bin, model/w.bin unchanged\\)`,
      ),
    );
    expect(runtime.outputs['model-path']).toBe('');
    expect(runtime.outputs['metrics-file']).toBe('');
    expect(runtime.outputs.metrics).toBe('{}');
    expect(log.join('\n')).toMatch(/outputs model-path and metrics-file are empty; model and metrics.json are not from this run/);
    // Nothing was cached: the same run fails again instead of restoring.
    const again = await runTrain(inputs, workspace);
    expect(again.runtime.outputs['cache-hit']).toBe('false');
    expect(again.ok).toBe(false);
    // Rewriting one file of the model is enough; so is a model file the command creates.
    const rewrite = await runTrain({ ...inputs, command: `echo new > model/w.bin && ${inputs.command}` }, workspace);
    expect(rewrite.ok).toBe(true);
    expect(rewrite.runtime.outputs.metrics).toBe('{"accuracy":0.9}');
    const created = await runTrain({ command: 'echo w > model.bin', 'model-path': 'model.bin' }, workspace);
    expect(created.ok).toBe(true);
    expect(created.runtime.outputs['model-path']).toBe(join(workspace, 'model.bin'));
  });

  it('fails when the model is new but the metrics file was left from before', async () => {
    const workspace = tempDir('train-stage-old-metrics-');
    leftFromBefore(workspace);
    const { ok, runtime } = await runTrain(
      { command: 'echo new > model/w.bin', 'model-path': 'model', 'metrics-file': 'metrics.json' },
      workspace,
    );
    expect(ok).toBe(false);
    expect(runtime.failed).toMatch(/did not write metrics-file metrics.json: .*metrics.json was left from before this run/);
    expect(runtime.outputs['metrics-file']).toBe('');
  });

  it('after a failed command, no output names the old model', async () => {
    const workspace = tempDir('train-stage-failed-');
    leftFromBefore(workspace);
    const { ok, runtime, log } = await runTrain({ command: 'exit 3', 'model-path': 'model' }, workspace);
    expect(ok).toBe(false);
    expect(runtime.failed).toMatch(/exited with code 3/);
    expect(runtime.outputs['model-path']).toBe('');
    expect(log.join('\n')).toMatch(/outputs model-path is empty; model is not from this run/);
  });
});

describe('train stage fingerprint in a git repository', () => {
  it('an untracked module the script imports is part of the fingerprint, with a warning; Markdown is not', async () => {
    const workspace = tempDir('train-stage-untracked-');
    writeFileSync(join(workspace, 'train.sh'), 'source ./features.sh && mkdir -p model && echo "$FEATURES" > model/w.bin\n');
    writeFileSync(join(workspace, 'features.sh'), 'FEATURES=a,b\n');
    writeFileSync(join(workspace, 'README.md'), '# how to train\n');
    writeFileSync(join(workspace, '.gitignore'), '*.log\n');
    writeFileSync(join(workspace, 'debug.log'), 'noise\n');
    execFileSync('git', ['init', '-q'], { cwd: workspace });
    execFileSync('git', ['add', 'train.sh', 'README.md', '.gitignore'], { cwd: workspace });
    const inputs = { command: 'bash train.sh', 'model-path': 'model' };
    const first = await runTrain(inputs, workspace);
    expect(first.ok).toBe(true);
    const log = first.log.join('\n');
    expect(log).toMatch(
      // The count on one line, the names on the next (a long list kept off the first line).
      /Fingerprint sha256:[0-9a-f]{64} over the params, the command and 3 files \(2 tracked by git, 1 untracked and not ignored; \.github\/ and Markdown left out\)\.\n {2}\.gitignore, features\.sh, train\.sh$/m,
    );
    expect(log).toMatch(/warning: The fingerprint includes 1 file git does not track: features\.sh\. Commit it/);
    const manifest = JSON.parse(readFileSync(first.runtime.outputs.manifest!, 'utf8')) as TrainManifest;
    expect(manifest.keyFiles.untracked).toEqual(['features.sh']);
    // Prose changes nothing: a hit.
    writeFileSync(join(workspace, 'README.md'), '# how to train, reworded\n');
    writeFileSync(join(workspace, 'debug.log'), 'more noise\n');
    expect((await runTrain(inputs, workspace)).runtime.outputs['cache-hit']).toBe('true');
    // The untracked module changed: trains again, and the model follows.
    writeFileSync(join(workspace, 'features.sh'), 'FEATURES=a,b,c\n');
    const changed = await runTrain(inputs, workspace);
    expect(changed.runtime.outputs['cache-hit']).toBe('false');
    expect(readFileSync(join(workspace, 'model', 'w.bin'), 'utf8')).toBe('a,b,c\n');
  });
});

describe('train stage cache restore', () => {
  it('a command that rewrites a restored model in place leaves the cached model intact', async () => {
    const workspace = tempDir('train-stage-inplace-');
    writeFileSync(join(workspace, 'train.sh'), 'mkdir -p model && echo "${VERSION:-v1}" > model/w.bin\n');
    const inputs = { command: 'bash train.sh', 'model-path': 'model' };
    await runTrain(inputs, workspace);
    const hit = await runTrain(inputs, workspace);
    expect(hit.runtime.outputs['cache-hit']).toBe('true');
    // Another command (a cache miss) writes model/w.bin in place, over the restored file.
    const other = await runTrain({ ...inputs, command: 'VERSION=v2 bash train.sh' }, workspace);
    expect(other.runtime.outputs['cache-hit']).toBe('false');
    expect(readFileSync(join(workspace, 'model', 'w.bin'), 'utf8')).toBe('v2\n');
    // The first command's entry still holds v1, and is served.
    const back = await runTrain(inputs, workspace);
    expect(back.runtime.outputs['cache-hit']).toBe('true');
    expect(readFileSync(join(workspace, 'model', 'w.bin'), 'utf8')).toBe('v1\n');
  });
});
