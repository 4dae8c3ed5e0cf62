// Issue 8 §2, on real data: two linear regressions on scikit-learn's diabetes data, 111 held-out rows
// (test/fixtures/evaluate/diabetes/make_predictions.py). The candidate is worse on every gate, yet by
// too little for 111 rows to show at 95 %: the gates are inconclusive, and must not pass by default.
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';

const fixtures = new URL('../../fixtures/evaluate/diabetes/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const GATES = 'rmse <= baseline\nr2 >= baseline';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evaluate-diabetes-'));
  for (const name of ['candidate-predictions.csv', 'baseline-predictions.csv']) copyFileSync(join(fixtures, name), join(dir, name));
  return dir;
}

async function run(dir: string, inputs: Record<string, string>): Promise<{ ok: boolean; runtime: LocalRuntime; log: string[] }> {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs, workspace: dir, log: (line) => log.push(line) });
  const ok = await runStage(evaluateSpec, evaluate, runtime);
  process.exitCode = 0;
  return { ok, runtime, log };
}

const paired = { predictions: 'candidate-predictions.csv', baseline: 'baseline-predictions.csv', 'id-column': 'id', gates: GATES };

describe('evaluate on the diabetes regressions (111 rows)', () => {
  it('infers regression, decides the inconclusive gates on the point estimate by default, and fails', async () => {
    const dir = workspace();
    const { ok, runtime, log } = await run(dir, paired);
    expect(ok).toBe(false);
    expect(runtime.outputs.verdict).toBe('inconclusive');
    expect(runtime.outputs.passed).toBe('false');
    const metrics = JSON.parse(runtime.outputs.metrics!);
    expect(metrics.rmse.value).toBeCloseTo(expected.candidate.rmse, 9);
    expect(Object.keys(metrics)).toHaveLength(5);
    expect(log).toContain(
      'task: regression (inferred: label column "label" holds 89 distinct integers (more than 20 read as values, not classes); set the task input to override).',
    );
    expect(log).toContainEqual(
      expect.stringMatching(
        /^gate rmse <= baseline: inconclusive → fail \(decided on the point estimate; the difference is not statistically significant\): rmse 55\.621 may or may not be at most baseline 53\.881 \(delta \+1\.740, 95 % CI −\d\.\d+ … \+\d\.\d+\)$/,
      ),
    );
    expect(log).toContainEqual(expect.stringMatching(/^gate r2 >= baseline: inconclusive → fail /));
    expect(log).toContain('gates: 0 passed, 2 failed (2 inconclusive, settled by on-inconclusive: point).');
    expect(log.at(-1)).toBe(
      'error: evaluate: inconclusive: rmse <= baseline: inconclusive, fails (decided on the point estimate; the difference is not statistically significant); ' +
        'r2 >= baseline: inconclusive, fails (decided on the point estimate; the difference is not statistically significant)',
    );
    const report = readFileSync(runtime.outputs.report!, 'utf8');
    expect(report.split('\n')[0]).toBe('## evaluate: ⚠️ inconclusive: fails (on-inconclusive: point)');
    expect(report).toContain('**Fails on the point estimate**; the difference is not statistically significant at 95 %.');
    expect(report).toContain('task regression (inferred: label column "label" holds 89 distinct integers');
    expect(report.length).toBeLessThan(4000);
  });

  it('passes them with on-inconclusive: pass, fails them with fail; fail-on-inconclusive still works, with a warning', async () => {
    const dir = workspace();
    const pass = await run(dir, { ...paired, 'on-inconclusive': 'pass' });
    expect([pass.ok, pass.runtime.outputs.verdict, pass.runtime.outputs.passed]).toEqual([true, 'inconclusive', 'true']);
    expect(pass.log).toContain('gates: 2 passed, 0 failed (2 inconclusive, settled by on-inconclusive: pass).');
    const fail = await run(dir, { ...paired, 'on-inconclusive': 'fail' });
    expect([fail.ok, fail.runtime.outputs.passed]).toEqual([false, 'false']);
    const old = await run(dir, { ...paired, 'fail-on-inconclusive': 'false' });
    expect(old.runtime.outputs.passed).toBe('true');
    expect(old.log).toContainEqual(
      expect.stringMatching(
        /Input 'fail-on-inconclusive' is deprecated: 'fail-on-inconclusive: false' was read as 'on-inconclusive: pass'/,
      ),
    );
    const clash = await run(dir, { ...paired, 'fail-on-inconclusive': 'true', 'on-inconclusive': 'pass' });
    expect(clash.log).toEqual([
      "error: Inputs 'fail-on-inconclusive: true' and 'on-inconclusive: pass' disagree; drop 'fail-on-inconclusive', which is deprecated.",
    ]);
  });

  it('switches intervals off with bootstrap-samples: 0, and refuses 1 to 99', async () => {
    const dir = workspace();
    const off = await run(dir, { ...paired, 'bootstrap-samples': '0' });
    expect(off.runtime.outputs.verdict).toBe('fail');
    const report = readFileSync(off.runtime.outputs.report!, 'utf8');
    expect(report).toContain('no intervals (bootstrap-samples: 0): gates decided on point values');
    expect(report).not.toMatch(/\[[−+]?\d+\.\d+, [−+]?\d+\.\d+\]/);
    expect(report).not.toContain('CI');
    expect(off.log).toContain('gate rmse <= baseline: fail: rmse 55.621 is above baseline 53.881 (delta +1.740)');
    const few = await run(dir, { ...paired, 'bootstrap-samples': '50' });
    expect(few.log).toEqual([
      "error: Input 'bootstrap-samples': 50 resamples are too few to place the 95 % interval's tails; give 100 to 100000 (default 1000), or 0 to turn intervals off.",
    ]);
  });

  it("reads train's metrics file nested by split as a baseline, its held-out split under bare names", async () => {
    const dir = workspace();
    const { baseline } = expected;
    writeFileSync(
      join(dir, 'metrics.json'),
      JSON.stringify({ train: { rmse: 50.1, r2: 0.52 }, validation: { rmse: baseline.rmse, r2: baseline.r2 }, seconds: 0.4 }),
    );
    const { runtime, log } = await run(dir, { predictions: 'candidate-predictions.csv', baseline: 'metrics.json', gates: GATES });
    expect(log).toContain(
      'metrics.json: metrics nested by split (train, validation); gates without a split read the validation split (rmse is validation.rmse).',
    );
    const report = JSON.parse(readFileSync(runtime.outputs['report-json']!, 'utf8'));
    expect(report.metrics.baseline.rmse.value).toBe(baseline.rmse);
    expect(report.metrics.baseline['train.rmse'].value).toBe(50.1);
    expect(report.gates.map((g: { verdict: string }) => g.verdict)).toEqual(['inconclusive', 'inconclusive']);
  });

  it("points at Python's NaN in a metrics file and says how to write it", async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'metrics.json'), '{"rmse": 53.9, "r2": NaN}');
    const { log } = await run(dir, { predictions: 'candidate-predictions.csv', baseline: 'metrics.json', task: 'regression' });
    expect(log).toEqual([
      "error: metrics.json:1: Input 'baseline': metrics.json: line 1 holds NaN, which Python's json.dump writes for float('nan') but JSON does not allow. Write null for a metric that is undefined; json.dump(..., allow_nan=False) makes Python refuse to write NaN instead.",
    ]);
  });
});
