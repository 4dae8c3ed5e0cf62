/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// Runs the two example projects' training for real, in temporary copies of their folders, and
// checks what the train stage relies on: outputs, metrics, learning curve, determinism, and that
// onnxruntime-node reproduces the predictions from the exported model.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../../shared/cli/main.js';

const { onnx } = onnxProto;
const execFileAsync = promisify(execFile);

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(REPO, 'workflows-examples');
const PYTHON = '/usr/bin/python3';
const FIXTURE = join(REPO, 'test', 'fixtures', 'digits-mlp-onnx');
// Each example trains four times (two alike, one from params.yaml, one with another seed).
const SETUP_TIMEOUT_MS = 240_000;
const METRIC_LINE = /^mlops-metric step=(\d+)((?: [a-z_]+=-?\d+(?:\.\d+)?(?:e-?\d+)?)+)$/;

interface TrainingRun {
  dir: string;
  stdout: string;
  seconds: number;
}

interface Prediction {
  row: Record<string, string>;
  scores: number[];
}

const temporaryDirs: string[] = [];

/** Returns a fresh temporary copy of an example project (with the repo's node_modules linked in). */
function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mlops-example-${name}-`));
  temporaryDirs.push(dir);
  cpSync(join(EXAMPLES, name), dir, { recursive: true });
  // ESM resolution ignores NODE_PATH: a link lets the copy resolve onnx-proto and vega-datasets as `npm ci` would.
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs a command in dir with MLOPS_PARAMS set (or unset), returning its stdout and wall time. */
async function runScript(dir: string, command: string, args: string[], params?: object): Promise<TrainingRun> {
  const env = { ...process.env };
  delete env.MLOPS_PARAMS;
  if (params !== undefined) env.MLOPS_PARAMS = JSON.stringify(params);
  const started = performance.now();
  const { stdout } = await execFileAsync(command, args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
  return { dir, stdout, seconds: (performance.now() - started) / 1000 };
}

/** Returns the exit code and stderr of a run expected to fail. */
async function runFailing(dir: string, command: string, args: string[], params: string): Promise<{ code: unknown; stderr: string }> {
  try {
    await execFileAsync(command, args, { cwd: dir, env: { ...process.env, MLOPS_PARAMS: params } });
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string };
    return { code: failure.code, stderr: failure.stderr ?? '' };
  }
  throw new Error(`${command} ${args.join(' ')} succeeded with MLOPS_PARAMS=${params}`);
}

function readCsv(file: string): { header: string[]; rows: Record<string, string>[] } {
  // The examples write no quoted cells (asserted below by the column count of every line).
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',');
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
  return { header, rows };
}

function readPredictions(dir: string, labels: string[]): Prediction[] {
  return readCsv(join(dir, 'predictions.csv')).rows.map((row) => ({ row, scores: labels.map((label) => Number(row[`score_${label}`])) }));
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / total);
}

function argmax(values: number[]): number {
  return values.reduce((best, value, i) => (value > values[best] ? i : best), 0);
}

/** Checks the learning-curve lines: exactly one per epoch, steps 1..epochs in order, the given metric names. */
function expectLearningCurve(stdout: string, epochs: number, names: string[]): void {
  const lines = stdout.split('\n').filter((line) => line.startsWith('mlops-metric'));
  expect(lines).toHaveLength(epochs);
  lines.forEach((line, i) => {
    const match = METRIC_LINE.exec(line);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(i + 1);
    const pairs = match![2]
      .trim()
      .split(' ')
      .map((pair) => pair.split('='));
    expect(pairs.map(([name]) => name)).toEqual(names);
    for (const [, value] of pairs) expect(Number.isFinite(Number(value))).toBe(true);
  });
  const first = METRIC_LINE.exec(lines[0])![2];
  const last = METRIC_LINE.exec(lines[lines.length - 1])![2];
  const loss = (pairs: string) => Number(/ loss=([^ ]+)/.exec(pairs)![1]);
  expect(loss(last)).toBeLessThan(loss(first));
}

/** Checks metrics.json's shape and that its validation figures agree with predictions.csv. */
function expectMetrics(dir: string, predictions: Prediction[], labels: string[], floor: number): void {
  const metrics = readJson(join(dir, 'metrics.json')) as Record<string, Record<string, number>>;
  expect(Object.keys(metrics).sort()).toEqual(['train', 'validation']);
  for (const split of ['train', 'validation']) {
    expect(Object.keys(metrics[split]).sort()).toEqual(['accuracy', 'log_loss']);
    expect(metrics[split].accuracy).toBeGreaterThanOrEqual(0);
    expect(metrics[split].accuracy).toBeLessThanOrEqual(1);
    expect(metrics[split].log_loss).toBeGreaterThan(0);
  }
  expect(metrics.validation.accuracy).toBeGreaterThanOrEqual(floor);
  const correct = predictions.filter(({ row }) => row.label === row.prediction).length;
  expect(correct / predictions.length).toBeCloseTo(metrics.validation.accuracy, 10);
  const logLoss =
    -predictions.reduce((sum, { row, scores }) => sum + Math.log(Math.max(scores[labels.indexOf(row.label)], 1e-15)), 0) /
    predictions.length;
  // Scores are written with 8 decimals, so the recomputed log loss only matches roughly.
  expect(Math.abs(logLoss - metrics.validation.log_loss)).toBeLessThan(0.01);
}

/** Checks each prediction row: probabilities sum to 1 and the prediction is their argmax. */
function expectConsistentPredictions(predictions: Prediction[], labels: string[]): void {
  for (const { row, scores } of predictions) {
    expect(labels).toContain(row.label);
    expect(Math.abs(scores.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
    expect(row.prediction).toBe(labels[argmax(scores)]);
  }
  expect(new Set(predictions.map(({ row }) => row.id)).size).toBe(predictions.length);
}

function sameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

describe('penguins-node example', () => {
  const train = (dir: string, params?: object) => runScript(dir, process.execPath, ['train.mjs'], params);
  let first: TrainingRun;
  let second: TrainingRun;
  let fromParamsYaml: TrainingRun;
  let otherSeed: TrainingRun;
  let params: Record<string, number>;
  const labels = ['Adelie', 'Chinstrap', 'Gentoo'];

  beforeAll(async () => {
    params = parseYaml(readFileSync(join(EXAMPLES, 'penguins-node', 'params.yaml'), 'utf8')) as Record<string, number>;
    first = await train(copyExample('penguins-node'));
    second = await train(copyExample('penguins-node'));
    fromParamsYaml = await train(copyExample('penguins-node'), params);
    otherSeed = await train(copyExample('penguins-node'), { seed: 7 });
    console.log(`penguins-node training took ${first.seconds.toFixed(2)} s`);
  }, SETUP_TIMEOUT_MS);

  it('prepare-data.mjs rewrites the committed data/penguins.csv byte for byte from vega-datasets', async () => {
    const dir = copyExample('penguins-node');
    rmSync(join(dir, 'data'), { recursive: true });
    await runScript(dir, process.execPath, ['prepare-data.mjs']);
    expect(sameBytes(join(dir, 'data', 'penguins.csv'), join(EXAMPLES, 'penguins-node', 'data', 'penguins.csv'))).toBe(true);
    const { header, rows } = readCsv(join(dir, 'data', 'penguins.csv'));
    expect(header).toEqual(['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex']);
    expect(rows).toHaveLength(344);
  });

  it('writes model/, metrics.json and predictions.csv with slice columns and accuracy >= 0.9', () => {
    expect(readJson(join(first.dir, 'model', 'labels.json'))).toEqual(labels);
    const { header } = readCsv(join(first.dir, 'predictions.csv'));
    expect(header).toEqual(['id', 'label', 'prediction', 'score_Adelie', 'score_Chinstrap', 'score_Gentoo', 'island', 'sex']);
    const predictions = readPredictions(first.dir, labels);
    // 342 rows have all measurements; a quarter of each species is held out.
    expect(predictions).toHaveLength(86);
    expectConsistentPredictions(predictions, labels);
    expectMetrics(first.dir, predictions, labels, 0.9);

    const data = readCsv(join(EXAMPLES, 'penguins-node', 'data', 'penguins.csv')).rows;
    for (const { row } of predictions) {
      const source = data[Number(row.id)];
      expect([row.label, row.island, row.sex]).toEqual([source.species, source.island, source.sex]);
    }
  });

  it('prints one learning-curve line per epoch', () => {
    expectLearningCurve(first.stdout, params.epochs, ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });

  it('is deterministic, its defaults equal params.yaml, and the seed changes the outcome', () => {
    for (const run of [second, fromParamsYaml]) {
      expect(sameBytes(join(first.dir, 'model', 'model.onnx'), join(run.dir, 'model', 'model.onnx'))).toBe(true);
      expect(sameBytes(join(first.dir, 'predictions.csv'), join(run.dir, 'predictions.csv'))).toBe(true);
    }
    expect(sameBytes(join(first.dir, 'model', 'model.onnx'), join(otherSeed.dir, 'model', 'model.onnx'))).toBe(false);
  });

  it('exports ONNX opset 13, IR 8, Sub→Div→MatMul→Add→Softmax', () => {
    const model = onnx.ModelProto.decode(readFileSync(join(first.dir, 'model', 'model.onnx')));
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([['', 13]]);
    expect(model.graph!.node!.map((node) => node.opType)).toEqual(['Sub', 'Div', 'MatMul', 'Add', 'Softmax']);
    expect(model.graph!.input!.map((input) => input.name)).toEqual(['input']);
    expect(model.graph!.output!.map((output) => output.name)).toEqual(['probabilities']);
  });

  it('onnxruntime-node reproduces predictions.csv from model.onnx to 1e-5', async () => {
    const session = await ort.InferenceSession.create(join(first.dir, 'model', 'model.onnx'));
    const data = readCsv(join(EXAMPLES, 'penguins-node', 'data', 'penguins.csv')).rows;
    const predictions = readPredictions(first.dir, labels);
    const features = predictions.flatMap(({ row }) => {
      const source = data[Number(row.id)];
      return [source.bill_length_mm, source.bill_depth_mm, source.flipper_length_mm, source.body_mass_g].map(Number);
    });
    const output = await session.run({ input: new ort.Tensor('float32', new Float32Array(features), [predictions.length, 4]) });
    const probabilities = output.probabilities;
    expect(probabilities.dims).toEqual([predictions.length, 3]);
    predictions.forEach(({ scores }, i) => {
      scores.forEach((score, k) => expect(Math.abs(Number(probabilities.data[i * 3 + k]) - score)).toBeLessThan(1e-5));
    });
  });

  it('rejects an unknown parameter with exit code 2, naming it', async () => {
    const failure = await runFailing(first.dir, process.execPath, ['train.mjs'], '{"epoch": 5}');
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('unknown parameter "epoch"');
  });
});

describe('digits-torch example', () => {
  const train = (dir: string, params?: object) => runScript(dir, PYTHON, ['train.py'], params);
  let first: TrainingRun;
  let second: TrainingRun;
  let fromParamsYaml: TrainingRun;
  let otherSeed: TrainingRun;
  let params: Record<string, number>;
  const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

  beforeAll(async () => {
    params = parseYaml(readFileSync(join(EXAMPLES, 'digits-torch', 'params.yaml'), 'utf8')) as Record<string, number>;
    first = await train(copyExample('digits-torch'));
    second = await train(copyExample('digits-torch'));
    fromParamsYaml = await train(copyExample('digits-torch'), params);
    otherSeed = await train(copyExample('digits-torch'), { seed: 7 });
    console.log(`digits-torch training took ${first.seconds.toFixed(2)} s`);
  }, SETUP_TIMEOUT_MS);

  it('trains within a minute (target: under 20 s on 2 cores)', () => {
    expect(first.seconds).toBeLessThan(60);
  });

  it('writes model/, metrics.json and predictions.csv with accuracy >= 0.9', () => {
    expect(readJson(join(first.dir, 'model', 'labels.json'))).toEqual(labels);
    const { header } = readCsv(join(first.dir, 'predictions.csv'));
    expect(header).toEqual(['id', 'label', 'prediction', ...labels.map((label) => `score_${label}`)]);
    const predictions = readPredictions(first.dir, labels);
    // 25 % of 1,797 rows, stratified.
    expect(predictions).toHaveLength(450);
    expectConsistentPredictions(predictions, labels);
    expectMetrics(first.dir, predictions, labels, 0.9);
  });

  it('prints one learning-curve line per epoch', () => {
    expectLearningCurve(first.stdout, params.epochs, ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });

  it('is deterministic, its defaults equal params.yaml, and the seed changes the outcome', () => {
    for (const run of [second, fromParamsYaml]) {
      expect(sameBytes(join(first.dir, 'model', 'model.onnx'), join(run.dir, 'model', 'model.onnx'))).toBe(true);
      expect(sameBytes(join(first.dir, 'predictions.csv'), join(run.dir, 'predictions.csv'))).toBe(true);
    }
    expect(sameBytes(join(first.dir, 'model', 'model.onnx'), join(otherSeed.dir, 'model', 'model.onnx'))).toBe(false);
  });

  it('onnxruntime-node reproduces predictions.csv (softmax of logits) from model.onnx to 1e-5', async () => {
    const session = await ort.InferenceSession.create(join(first.dir, 'model', 'model.onnx'));
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['logits']);
    const predictions = readPredictions(first.dir, labels);
    // The images come from scikit-learn itself, scaled as train.py scales them.
    const { stdout } = await execFileAsync(
      PYTHON,
      ['-c', 'import json; from sklearn.datasets import load_digits; print(json.dumps((load_digits().data / 16.0).tolist()))'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const images = JSON.parse(stdout) as number[][];
    const features = predictions.flatMap(({ row }) => images[Number(row.id)]);
    const output = await session.run({ input: new ort.Tensor('float32', new Float32Array(features), [predictions.length, 64]) });
    expect(output.logits.dims).toEqual([predictions.length, 10]);
    const logits = output.logits.data as Float32Array;
    predictions.forEach(({ scores }, i) => {
      const probabilities = softmax(logits.subarray(i * 10, i * 10 + 10));
      scores.forEach((score, k) => expect(Math.abs(probabilities[k] - score)).toBeLessThan(1e-5));
    });
  });

  it('its trained models go round the registry: register, promote, roll back, pull byte for byte', async () => {
    const registry = join(first.dir, 'registry');
    let out = '';
    const cli = async (argv: string[]): Promise<number> => {
      const exitCode = process.exitCode;
      const code = await runCli(
        argv,
        (t) => (out += t),
        (t) => (out += t),
        { env: { SOURCE_DATE_EPOCH: '1767225600' }, cwd: first.dir },
      );
      process.exitCode = exitCode;
      return code;
    };
    // v1 (production): the run with params.yaml's seed; v2: the run with seed 7 (other weights, same files).
    for (const [version, run] of [
      ['v1', first],
      ['v2', otherSeed],
    ] as const) {
      const aliases = version === 'v1' ? ['--aliases', 'production'] : [];
      const code = await cli(['register', '--model-path', join(run.dir, 'model'), '--name', 'digits', '--registry', registry, ...aliases]);
      expect([version, code, out]).toEqual([version, 0, expect.stringContaining(`Registered digits ${version} (sha256:`)]);
    }
    expect([await cli(['registry', 'promote', `${registry}/digits@v2`, 'production']), out]).toEqual([0, expect.any(String)]);
    expect([await cli(['registry', 'rollback', `${registry}/digits`, 'production']), out]).toEqual([0, expect.any(String)]);
    expect(out).toMatch(/Rolled back production: v2 \(sha256:[0-9a-f]{12}\) → v1/);
    for (const [reference, run] of [
      [`${registry}/digits@production`, first],
      [`${registry}/digits@v2`, otherSeed],
    ] as const) {
      const target = join(first.dir, `pulled-${reference.split('@')[1]}`);
      expect(await cli(['registry', 'pull', reference, target])).toBe(0);
      const files = readdirSync(join(run.dir, 'model')).sort();
      expect(files).toEqual(expect.arrayContaining(['labels.json', 'model.onnx']));
      expect(readdirSync(target).sort()).toEqual(files);
      for (const file of files)
        expect([reference, file, sameBytes(join(target, file), join(run.dir, 'model', file))]).toEqual([reference, file, true]);
    }
  });

  it('rejects a non-numeric parameter with exit code 2, naming it', async () => {
    const failure = await runFailing(first.dir, PYTHON, ['train.py'], '{"hidden": "wide"}');
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('MLOPS_PARAMS.hidden');
  });
});

describe('digits-mlp-onnx fixture (PyTorch 2.x export: model.onnx + model.onnx.data)', () => {
  it('onnxruntime-node reproduces the expected logits exactly from the model folder', async () => {
    const session = await ort.InferenceSession.create(join(FIXTURE, 'model.onnx'));
    const expected = readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { input: number[]; label: number; logits: number[] });
    expect(expected.length).toBeGreaterThan(0);
    const input = new ort.Tensor('float32', new Float32Array(expected.flatMap((row) => row.input)), [expected.length, 64]);
    const output = await session.run({ input });
    const logits = output.logits.data as Float32Array;
    expected.forEach((row, i) => {
      // expected.jsonl holds float32 values printed as float64: round them back before comparing bit for bit.
      expect(Array.from(logits.subarray(i * 10, i * 10 + 10))).toEqual(row.logits.map(Math.fround));
    });
  });
});
