// The evaluate stage in-process with the CLI's runtime: inputs, gate files, metrics files and errors.
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';

const fixtures = new URL('../../fixtures/evaluate/', import.meta.url).pathname;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evaluate-stage-'));
  copyFileSync(join(fixtures, 'penguins-predictions.csv'), join(dir, 'predictions.csv'));
  copyFileSync(join(fixtures, 'penguins-baseline-predictions.csv'), join(dir, 'baseline.csv'));
  return dir;
}

async function run(dir: string, inputs: Record<string, string>): Promise<{ ok: boolean; runtime: LocalRuntime; log: string[] }> {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs: { 'bootstrap-samples': '100', ...inputs }, workspace: dir, log: (line) => log.push(line) });
  const ok = await runStage(evaluateSpec, evaluate, runtime);
  process.exitCode = 0;
  return { ok, runtime, log };
}

describe('evaluate stage', () => {
  it('reads gates from a file and points a bad rule at its file, line and column', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'gates.txt'), '# quality bar\naccuracy >= 0.9\n\nrecall[class=Gentoo >= 0.8\n');
    const { ok, log } = await run(dir, { predictions: 'predictions.csv', gates: 'gates.txt' });
    expect(ok).toBe(false);
    expect(log).toEqual([
      'error: gates.txt:4:21: gate 2 "recall[class=Gentoo >= 0.8": at column 21 found ">=", expected "]" to close the selector\n  recall[class=Gentoo >= 0.8\n                      ^^',
    ]);
  });

  it('names the metrics it has when a gate names one it does not, nearest first and a few only', async () => {
    const dir = workspace();
    const { ok, log } = await run(dir, { predictions: 'predictions.csv', gates: 'accuracy[island=Atlantis] >= 0.9' });
    expect(ok).toBe(false);
    // Was "available: accuracy, balanced_accuracy, …" (every metric): now the 8 nearest (issue 8).
    expect(log.at(-1)).toMatch(
      /^error: gate 1 "accuracy\[island=Atlantis\] >= 0.9": no metric "accuracy\[island=Atlantis\]" was measured; available: accuracy, [^\n]* \(the nearest of 19 metrics; the report lists them all\)$/,
    );
  });

  it("compares with a baseline given as a metrics file (an earlier run's report-json), unpaired", async () => {
    const dir = workspace();
    const earlier = await run(dir, { predictions: 'baseline.csv' });
    expect(earlier.ok).toBe(true);
    copyFileSync(earlier.runtime.outputs['report-json']!, join(dir, 'baseline-report.json'));
    const { ok, runtime } = await run(dir, {
      predictions: 'predictions.csv',
      baseline: 'baseline-report.json',
      gates: 'accuracy >= baseline + 0.05',
    });
    expect(ok).toBe(true);
    const report = JSON.parse(readFileSync(runtime.outputs['report-json']!, 'utf8'));
    expect(report.baseline).toEqual({ name: 'baseline-report.json', kind: 'metrics file' });
    expect(report.metrics.baseline.accuracy.value).toBeCloseTo(76 / 86, 12);
    expect(report.metrics.delta).toBeUndefined();
    expect(report.gates[0].explanation).toMatch(/^accuracy 1.000 is at least baseline 0.884 \+ 0.050 \(95 % CI 1.000 … 1.000\)$/);
  });

  it('evaluates a metrics file against gates, and refuses both or neither of predictions and metrics-file', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ rmse: 3.1, r2: { value: 0.82, low: 0.78, high: 0.86 } }));
    const fine = await run(dir, { 'metrics-file': 'metrics.json', task: 'regression', gates: 'r2 >= 0.8\nrmse <= 3' });
    expect(fine.runtime.outputs.verdict).toBe('fail');
    expect(JSON.parse(fine.runtime.outputs.metrics!)).toEqual({ rmse: { value: 3.1 }, r2: { value: 0.82, low: 0.78, high: 0.86 } });
    const both = await run(dir, { 'metrics-file': 'metrics.json', predictions: 'predictions.csv' });
    expect(both.log).toEqual(["error: Inputs 'predictions' and 'metrics-file' are both given: give one of them."]);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ accuracy: 'high' }));
    const bad = await run(dir, { 'metrics-file': 'bad.json' });
    expect(bad.log).toEqual([
      // The one metrics-file reader's wording, the file named once (issue 8); was `bad.json: Input …: bad.json: … is "high"; expected a number or {…}.`
      `error: Input 'metrics-file': bad.json: metric "accuracy" is the string "high"; expected a number or {"value": …, "low": …, "high": …}, or an object of them by split.`,
    ]);
  });
});
