// The train bundle run as the runner runs it (Node 24, INPUT_* variables, GITHUB_* files) on real
// copies of the two example projects: training, the cache skip, retraining on changes, and failures.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainManifest } from '../../shared/train/manifest.js';
import { repoRoot, runAction } from './runner.js';
import { tempDir } from '../temp-dirs.js';

const examples = join(repoRoot, 'workflows-examples');
const metricLine = /^mlops-metric step=\d+ /m;

/** A fresh copy of an example project as the workspace; the repository's node_modules linked in as `npm ci` would. */
function exampleWorkspace(name: string): string {
  const workspace = tempDir(`e2e-train-${name}-`);
  // Without what a demo run may have left in the example: state, model, metrics, predictions.
  const leftovers = new Set(['.mlops', 'model', 'metrics.json', 'predictions.csv', 'node_modules'].map((f) => join(examples, name, f)));
  cpSync(join(examples, name), workspace, { recursive: true, filter: (source) => !leftovers.has(source) });
  if (name === 'penguins-node') symlinkSync(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  return workspace;
}

function sha256(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

function manifestOf(outputs: Record<string, string>): TrainManifest {
  return JSON.parse(readFileSync(outputs.manifest!, 'utf8')) as TrainManifest;
}

/** Flattens a metrics.json nested by split, as the stage reports it. */
function flatten(metrics: Record<string, Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).flatMap(([split, values]) => Object.entries(values).map(([name, v]) => [`${split}.${name}`, v])),
  );
}

const penguinsInputs = (extra: Record<string, string> = {}) => ({
  command: 'node train.mjs',
  params: 'params.yaml',
  'model-path': 'model',
  'metrics-file': 'metrics.json',
  'data-fingerprint': sha256(join(examples, 'penguins-node', 'data', 'penguins.csv')),
  ...extra,
});

describe('train bundle, run as the runner runs it', () => {
  it('trains penguins-node, skips the second identical run, and trains again when params, code or data change', async () => {
    const workspace = exampleWorkspace('penguins-node');
    const first = await runAction('train', { workspace, inputs: penguinsInputs({ 'artifact-name': 'penguins-model' }) });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs['cache-hit']).toBe('false');
    expect(first.stdout).toMatch(metricLine);
    // The command's output sits in one collapsed group of the step's log, and nothing else does.
    const groups = /^::group::Running: node train\.mjs\n([^]*?)^::endgroup::$/m.exec(first.stdout);
    expect(groups?.[1]).toMatch(metricLine);
    expect(first.stdout.replace(groups?.[0] ?? '', '')).not.toMatch(metricLine);
    const manifest = manifestOf(first.outputs);
    // Every model file, hashed.
    expect(manifest.model.files.map((f) => f.path)).toEqual(['model/labels.json', 'model/model.onnx']);
    for (const file of manifest.model.files) expect(file.sha256).toBe(sha256(join(workspace, file.path)));
    // The metrics output is the metrics file, flattened; the duration is measured.
    const metricsFile = JSON.parse(readFileSync(join(workspace, 'metrics.json'), 'utf8'));
    expect(JSON.parse(first.outputs.metrics!)).toEqual(flatten(metricsFile));
    expect(JSON.parse(first.outputs.metrics!)['validation.accuracy']).toBeGreaterThan(0.95);
    expect(Number(first.outputs['duration-seconds'])).toBeGreaterThan(0);
    expect(manifest.durationSeconds).toBe(Number(first.outputs['duration-seconds']));
    expect(manifest).toMatchObject({
      exitCode: 0,
      cacheHit: false,
      learningCurveSteps: 300,
      git: { commit: 'ffac537e6cbbf934b08745a378932722df287a53', ref: 'refs/heads/main' },
      workflowRunUrl: 'https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1',
    });
    expect(manifest.outputs.map((f) => f.path)).toEqual(['predictions.csv']);
    expect(first.summary).toContain('## train: ✅ trained');
    expect(first.summary).toContain('| validation.accuracy |');
    expect(first.summary).toContain('```mermaid');
    // Outside Actions' artifact service the artifact lands in .mlops/artifacts.
    expect(first.outputs.artifact).toBe(join(workspace, '.mlops', 'artifacts', 'penguins-model'));
    expect(filesUnder(first.outputs.artifact!)).toEqual([
      'metrics.json',
      'mlops-train/manifest.json',
      'mlops-train/params.json',
      'mlops-train/train.log',
      'model/labels.json',
      'model/model.onnx',
      'predictions.csv',
    ]);

    // Second identical run, with the outputs gone: restored byte for byte, the command does not run.
    const before = Object.fromEntries(
      ['model/model.onnx', 'model/labels.json', 'metrics.json', 'predictions.csv'].map((f) => [f, readFileSync(join(workspace, f))]),
    );
    rmSync(join(workspace, 'model'), { recursive: true });
    rmSync(join(workspace, 'predictions.csv'));
    const second = await runAction('train', { workspace, inputs: penguinsInputs() });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['cache-hit']).toBe('true');
    expect(second.outputs.fingerprint).toBe(first.outputs.fingerprint);
    expect(second.stdout).not.toMatch(metricLine);
    for (const [file, bytes] of Object.entries(before)) expect(readFileSync(join(workspace, file)).equals(bytes)).toBe(true);
    expect(second.outputs.metrics).toBe(first.outputs.metrics);
    expect(manifestOf(second.outputs)).toMatchObject({
      cacheHit: true,
      exitCode: null,
      restoredFrom: { runId: manifest.runId },
      model: { files: manifest.model.files },
    });
    expect(second.summary).toContain('restored from cache');
    expect(second.summary).toContain('```mermaid');

    // A change to the params, the code or the data trains again.
    const params = await runAction('train', { workspace, inputs: penguinsInputs({ params: '{epochs: 50}' }) });
    expect([params.exitCode, params.outputs['cache-hit']]).toEqual([0, 'false']);
    expect(params.stdout).toMatch(/^mlops-metric step=50 /m);
    appendFileSync(join(workspace, 'train.mjs'), '\n// a change to the code\n');
    const code = await runAction('train', { workspace, inputs: penguinsInputs() });
    expect([code.exitCode, code.outputs['cache-hit']]).toEqual([0, 'false']);
    expect(code.outputs.fingerprint).not.toBe(first.outputs.fingerprint);
    const data = await runAction('train', { workspace, inputs: penguinsInputs({ 'data-fingerprint': 'sha256:0000' }) });
    expect([data.exitCode, data.outputs['cache-hit']]).toEqual([0, 'false']);
    expect(new Set([first, params, code, data].map((r) => r.outputs.fingerprint)).size).toBe(4);
    // And the retrained code's outputs are cached in turn.
    const again = await runAction('train', { workspace, inputs: penguinsInputs() });
    expect(again.outputs['cache-hit']).toBe('true');
  });

  it('trains digits-torch with PyTorch and hashes every file of its model folder', async () => {
    const workspace = exampleWorkspace('digits-torch');
    const first = await runAction('train', {
      workspace,
      inputs: {
        command: '/usr/bin/python3 train.py',
        params: 'params.yaml',
        'model-path': 'model',
        'metrics-file': 'metrics.json',
        'run-name': 'digits',
      },
    });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^mlops-metric step=30 /m);
    const manifest = manifestOf(first.outputs);
    const onDisk = filesUnder(join(workspace, 'model')).map((f) => `model/${f}`);
    expect(onDisk).toContain('model/model.onnx');
    expect(manifest.model.files.map((f) => f.path)).toEqual(onDisk);
    for (const file of manifest.model.files) expect(file.sha256).toBe(sha256(join(workspace, file.path)));
    expect(JSON.parse(first.outputs.metrics!)).toEqual(flatten(JSON.parse(readFileSync(join(workspace, 'metrics.json'), 'utf8'))));
    expect(JSON.parse(first.outputs.metrics!)['validation.accuracy']).toBeGreaterThan(0.9);
    expect(manifest.runName).toBe('digits');
    expect(manifest.environment.python?.version).toMatch(/^3\./);
    expect(first.summary).toContain('## train (digits): ✅ trained');

    const model = Object.fromEntries(onDisk.map((f) => [f, readFileSync(join(workspace, f))]));
    const second = await runAction('train', {
      workspace,
      inputs: {
        command: '/usr/bin/python3 train.py',
        params: 'params.yaml',
        'model-path': 'model',
        'metrics-file': 'metrics.json',
        'run-name': 'digits',
      },
    });
    expect(second.outputs['cache-hit']).toBe('true');
    expect(second.stdout).not.toMatch(metricLine);
    for (const [file, bytes] of Object.entries(model)) expect(readFileSync(join(workspace, file)).equals(bytes)).toBe(true);
  });

  it('with cache: false, runs the command every time', async () => {
    const workspace = exampleWorkspace('penguins-node');
    const inputs = penguinsInputs({ cache: 'false', params: '{epochs: 5}' });
    const runs = [await runAction('train', { workspace, inputs }), await runAction('train', { workspace, inputs })];
    expect(runs.map((r) => [r.exitCode, r.outputs['cache-hit']])).toEqual([
      [0, 'false'],
      [0, 'false'],
    ]);
    for (const run of runs) expect(run.stdout).toMatch(/^mlops-metric step=5 /m);
    expect(existsSync(join(workspace, '.mlops', 'cache'))).toBe(false);
  });
});

describe('train bundle failures', () => {
  it('a failing command: the exit code in the error, the log tail in the summary', async () => {
    const workspace = tempDir('e2e-train-fail-');
    const run = await runAction('train', {
      workspace,
      inputs: { command: 'echo preparing; echo "Traceback: ValueError: bad shape" >&2; exit 3', 'model-path': 'model' },
    });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /^The command exited with code 3 after [\d.]+ s\. Last lines of the log:\npreparing\nTraceback: ValueError: bad shape$/,
    );
    expect(run.summary).toContain('## train: ❌ failed');
    expect(run.summary).toContain('### Log (last 2 lines)\n\n```text\npreparing\nTraceback: ValueError: bad shape\n```');
    expect(run.outputs.manifest).toBeTruthy();
    expect(manifestOf(run.outputs)).toMatchObject({ exitCode: 3, timedOut: false, model: { files: [] } });
  });

  it('a timeout: killed after N minutes, and no process of the command is left', async () => {
    const workspace = tempDir('e2e-train-timeout-');
    const marker = `sleep 300.${process.pid}7`;
    const started = performance.now();
    const run = await runAction('train', {
      workspace,
      inputs: { command: `echo started; ${marker} & ${marker}1 & wait`, 'model-path': 'model', 'timeout-minutes': '0.05' },
    });
    expect((performance.now() - started) / 1000).toBeLessThan(20);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === 'error')!.message).toMatch(
      /^The command was killed after 0\.05 minutes \(timeout-minutes\), with every process it started\. Last lines of the log:\nstarted$/,
    );
    const left = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(marker));
    expect(left).toEqual([]);
    expect(manifestOf(run.outputs).timedOut).toBe(true);
  });

  it('a successful command without the model path', async () => {
    const workspace = tempDir('e2e-train-nomodel-');
    const run = await runAction('train', { workspace, inputs: { command: 'echo done', 'model-path': 'model/model.onnx' } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      `The command succeeded but did not write model-path model/model.onnx (looked for ${join(workspace, 'model', 'model.onnx')}).`,
    ]);
  });

  it('a malformed metrics file: the error names the file and the bad key', async () => {
    const workspace = tempDir('e2e-train-metrics-');
    const run = await runAction('train', {
      workspace,
      inputs: {
        command: `mkdir -p model && echo w > model/w.bin && echo '{"validation": {"accuracy": [0.9]}}' > metrics.json`,
        'model-path': 'model',
        'metrics-file': 'metrics.json',
      },
    });
    expect(run.exitCode).toBe(1);
    const [error] = run.annotations.filter((a) => a.level === 'error');
    expect(error).toMatchObject({
      file: 'metrics.json',
      message:
        // The one metrics-file reader's wording (issue 8), shared with evaluate.
        'Metrics file metrics.json: metric "validation.accuracy" is an array; expected a number or {"value": …, "low": …, "high": …} (metrics nest one level, by split).',
    });
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});
