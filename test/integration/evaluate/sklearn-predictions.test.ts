// The evaluate stage on the example projects' own predictions (penguins-node in Node, digits-torch in
// PyTorch) against scikit-learn on the same predictions.csv: every metric, slices included, to 1e-9.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';
import { PYTHON, trainDigits, trainPenguins } from './example-predictions.js';

const here = dirname(fileURLToPath(import.meta.url));
const folders: string[] = [];

beforeAll(() => {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn, pandas, torch'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `${PYTHON} cannot import scikit-learn, pandas and torch (apt-get install python3-sklearn python3-pandas python3-torch): ${String(error)}`,
      { cause: error },
    );
  }
});

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function sklearnMetrics(
  predictions: string,
  slice?: string,
): { expected: Record<string, number>; confusion: { classes: string[]; counts: number[][] } } {
  const out = join(dirname(predictions), 'sklearn.json');
  execFileSync(PYTHON, [join(here, 'sklearn_predictions.py'), predictions, out, ...(slice ? [slice] : [])], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  return JSON.parse(readFileSync(out, 'utf8'));
}

async function ourMetrics(
  workspace: string,
  inputs: Record<string, string>,
): Promise<{ metrics: Record<string, { value: number | null }>; report: Record<string, unknown> }> {
  const runtime = new LocalRuntime({
    inputs: { predictions: 'predictions.csv', 'bootstrap-samples': '100', ...inputs },
    workspace,
    log: () => undefined,
  });
  expect(await runStage(evaluateSpec, evaluate, runtime)).toBe(true);
  return { metrics: JSON.parse(runtime.outputs.metrics!), report: JSON.parse(readFileSync(runtime.outputs['report-json']!, 'utf8')) };
}

function compare(ours: Record<string, { value: number | null }>, expected: Record<string, number>): string[] {
  const disagreements: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    const mine = ours[name]?.value;
    if (mine === undefined || mine === null || !(Math.abs(mine - value) <= 1e-9))
      disagreements.push(`${name}: ours ${mine}, sklearn ${value}`);
  }
  return disagreements;
}

describe("evaluate agrees with scikit-learn on the example projects' predictions", () => {
  it('penguins-node (3 classes, probabilities, sliced by island)', async () => {
    const dir = trainPenguins();
    folders.push(dir);
    const reference = sklearnMetrics(join(dir, 'predictions.csv'), 'island');
    const { metrics, report } = await ourMetrics(dir, { slices: 'island', 'id-column': 'id' });
    expect(compare(metrics, reference.expected)).toEqual([]);
    // Every metric we report has a scikit-learn counterpart, except multiclass ROC AUC on a slice missing a class (NaN).
    const extra = Object.keys(metrics).filter((name) => !(name in reference.expected));
    expect(extra.every((name) => name.startsWith('roc_auc[island=') && metrics[name]!.value === null)).toBe(true);
    expect(Object.keys(reference.expected).length).toBeGreaterThan(40);
    expect(report.confusion).toEqual(reference.confusion);
  });

  it('digits-torch (10 classes, PyTorch softmax probabilities)', async () => {
    const dir = trainDigits();
    folders.push(dir);
    const reference = sklearnMetrics(join(dir, 'predictions.csv'));
    const { metrics, report } = await ourMetrics(dir, {});
    expect(compare(metrics, reference.expected)).toEqual([]);
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(reference.expected).sort());
    expect(Object.keys(metrics)).toHaveLength(10 * 3 + 10);
    expect(report.confusion).toEqual(reference.confusion);
  });
});
