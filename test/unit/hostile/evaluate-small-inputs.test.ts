// Issue 9, item 16: one class with a binary score, logit scores, and a label GitHub would link.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { escapeHtml, escapeMarkdownText } from '../../../shared/markdown/escape.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';

async function run(csv: string, inputs: Record<string, string> = {}): Promise<{ ok: boolean; runtime: LocalRuntime; log: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'evaluate-small-'));
  writeFileSync(join(dir, 'predictions.csv'), csv);
  const log: string[] = [];
  const runtime = new LocalRuntime({
    inputs: { predictions: 'predictions.csv', 'bootstrap-samples': '0', ...inputs },
    workspace: dir,
    log: (l) => log.push(l),
  });
  const ok = await runStage(evaluateSpec, evaluate, runtime);
  process.exitCode = 0;
  return { ok, runtime, log };
}

describe('evaluate: small hostile inputs', () => {
  it('one class in labels and predictions with a binary score column: an input error naming the file and the column', async () => {
    const { ok, log } = await run('label,prediction,score_yes\nyes,yes,0.9\nyes,yes,0.8\n');
    expect(ok).toBe(false);
    expect(log.filter((l) => l.startsWith('error'))).toEqual([
      'error: predictions.csv (score column score_yes): scores: one score per row needs two classes (a binary problem), ' +
        `but labels and predictions hold only "yes"; evaluate rows of both classes, or name the class the score is for with 'positive-class' when it is the one missing.`,
    ]);
  });

  it('logit scores (outside [0, 1]): a warning naming file and line, no brier_score or log_loss, roc_auc kept', async () => {
    const { ok, runtime, log } = await run('label,prediction,score_1\n1,1,2.5\n0,0,-1.5\n1,0,-0.2\n0,0,0.3\n', { gates: 'roc_auc >= 0.5' });
    expect(ok).toBe(true);
    expect(log.filter((l) => l.startsWith('warning'))).toEqual([
      'warning: predictions.csv:2: score column score_1 holds 3 scores outside [0, 1] (first: 2.5 on line 2), so the scores are not probabilities (logits or margins?): ' +
        'log_loss and brier_score are not computed. roc_auc and average_precision are, as they use only the order of the scores; ' +
        'give probabilities (e.g. predict_proba, or a sigmoid of the logits) for the others.',
    ]);
    const metrics = JSON.parse(runtime.outputs.metrics!);
    expect(metrics.roc_auc.value).toBe(0.75);
    expect(metrics.brier_score).toBeUndefined();
    expect(metrics.log_loss).toBeUndefined();
    // A gate on them fails closed: the metric was not measured.
    const gated = await run('label,prediction,score_1\n1,1,2.5\n0,0,-1.5\n', { gates: 'brier_score <= 0.2' });
    expect(gated.ok).toBe(false);
    expect(gated.log.at(-1)).toMatch(/^error: gate 1 "brier_score <= 0.2": no metric "brier_score" was measured/);
  });

  it('probabilities in [0, 1] still give brier_score and log_loss', async () => {
    const { runtime, log } = await run('label,prediction,score_1\n1,1,0.9\n0,0,0.2\n');
    expect(log.filter((l) => l.startsWith('warning'))).toEqual([]);
    expect(JSON.parse(runtime.outputs.metrics!).brier_score.value).toBeCloseTo((0.01 + 0.04) / 2, 12);
  });

  it.each([
    ['GH-7', /GH-7/],
    ['gh-123', /gh-123/],
    ['deadbeef', /deadbeef/],
    ['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', /[0-9a-f]{7}/i],
  ])('a label %s does not become a link in Markdown or HTML', (label, linked) => {
    for (const escaped of [escapeMarkdownText(label), escapeHtml(label)]) {
      expect(escaped).not.toMatch(linked);
      // Renders as the label: only zero-width joiners were added.
      expect(escaped.replaceAll('\u200D', '')).toBe(label);
    }
  });

  it('a label GH-7 in the report and comment is no issue link, and ordinary labels are left as they are', async () => {
    const { runtime } = await run('label,prediction\nGH-7,GH-7\nabc123,GH-7\n', { 'bootstrap-samples': '0' });
    // Code blocks (the Mermaid charts) are not autolinked; everything else must be escaped.
    const report = readFileSync(runtime.outputs.report!, 'utf8').replace(/```mermaid\n[\s\S]*?```/g, '');
    expect(report).not.toMatch(/GH-7/);
    expect(report).toContain('GH-\u200D7');
    expect(report).toContain('abc123');
  });
});
