// Issue 9, item 5: gates fail closed. A rule that cannot be evaluated fails the step and says why; an
// interval that does not contain its value is refused by the metrics-file reader, naming file and metric.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';

async function run(metrics: unknown, inputs: Record<string, string>): Promise<{ ok: boolean; log: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gates-fail-closed-'));
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
  const log: string[] = [];
  const runtime = new LocalRuntime({
    inputs: { 'metrics-file': 'metrics.json', task: 'classification', ...inputs },
    workspace: dir,
    log: (l) => log.push(l),
  });
  const ok = await runStage(evaluateSpec, evaluate, runtime);
  process.exitCode = 0;
  return { ok, log };
}

describe('gates fail closed', () => {
  it('a rule against baseline with no baseline given fails the step, saying to give baseline or remove the rule', async () => {
    const { ok, log } = await run({ accuracy: 0.95 }, { gates: 'accuracy >= baseline' });
    expect(ok).toBe(false);
    expect(log.at(-1)).toBe(
      `error: gate 1 "accuracy >= baseline" cannot be evaluated: no baseline was given: give 'baseline' (a baseline model's predictions or metrics file), or remove the rule.`,
    );
  });

  it.each(['point', 'pass', 'fail'])('{"accuracy": null} fails `accuracy >= 0.9` (on-inconclusive: %s)', async (policy) => {
    const { ok, log } = await run({ accuracy: null }, { gates: 'accuracy >= 0.9', 'on-inconclusive': policy });
    expect(ok).toBe(false);
    expect(log.at(-1)).toMatch(/^error: gate 1 "accuracy >= 0.9" cannot be evaluated: accuracy is undefined/);
  });

  it('an interval that does not contain its value is an input error naming the file and the metric', async () => {
    const { ok, log } = await run({ accuracy: { value: 0.5, low: 0.95, high: 0.96 } }, { gates: 'accuracy >= 0.9' });
    expect(ok).toBe(false);
    expect(log.at(-1)).toBe(
      `error: Input 'metrics-file': metrics.json: metric "accuracy" has value 0.5 outside its interval [0.95, 0.96]; expected low ≤ value ≤ high (all numbers, or all null for an undefined metric).`,
    );
    const half = await run({ accuracy: { value: 0.5, low: null, high: 0.96 } }, { gates: 'accuracy >= 0.9' });
    expect(half.ok).toBe(false);
    expect(half.log.at(-1)).toMatch(/metric "accuracy" has value 0.5 outside its interval \[null, 0.96\]/);
    expect((await run({ accuracy: { value: 0.95, low: 0.94, high: 0.96 } }, { gates: 'accuracy >= 0.9' })).ok).toBe(true);
  });
});
