// `mlops workflow run` on a workflow of ours (test/fixtures/workflows/penguins-local.yml) in a copy of the
// penguins-node example: validate-data and train run as their bundles on Node 24, job outputs flow through
// needs into a matrix, the artifact and cache land in .mlops/, the summaries are written, and the action
// that cannot run here is reported.
import { describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main.js';
import { runWorkflow } from '../../shared/workflow/run-workflow.js';
import { tempDir } from '../temp-dirs.js';
import { repoRoot } from './runner.js';

const workflow = join(repoRoot, 'test', 'fixtures', 'workflows', 'penguins-local.yml');

function penguinsWorkspace(): string {
  const workspace = tempDir('e2e-workflow-');
  const example = join(repoRoot, 'workflows-examples', 'penguins-node');
  const leftovers = new Set(['.mlops', 'model', 'metrics.json', 'predictions.csv', 'node_modules'].map((f) => join(example, f)));
  cpSync(example, workspace, { recursive: true, filter: (source) => !leftovers.has(source) });
  symlinkSync(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  return workspace;
}

describe('mlops workflow run', () => {
  it('runs validate-data and train from a workflow on penguins-node, twice (the second time train restores from .mlops/cache)', async () => {
    const workspace = penguinsWorkspace();
    const lines: string[] = [];
    const options = {
      file: workflow,
      event: 'push',
      workspace,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      print: (l: string) => lines.push(l),
    };
    const result = await runWorkflow(options);
    const printed = lines.join('\n');
    expect(result.jobs.map((j) => [j.name, j.result])).toEqual([
      ['validate', 'success'],
      ['train (0)', 'success'],
      ['train (1)', 'success'],
      ['report', 'success'],
    ]);
    expect(result.ok).toBe(true);
    const [validate, train0, train1, report] = result.jobs;
    expect(validate!.outputs.rows).toBe('344');
    expect(validate!.outputs.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Each leg trained with its own params and the data fingerprint from the validate job.
    for (const [leg, seed] of [
      [train0!, 0],
      [train1!, 1],
    ] as const) {
      const step = leg.steps.find((s) => s.id === 'train')!;
      expect(step.outputs['cache-hit']).toBe('false');
      expect(JSON.parse(step.outputs.metrics!)['validation.accuracy']).toBeGreaterThan(0.9);
      expect(readFileSync(join(workspace, `params-${seed}.yaml`), 'utf8')).toBe(`epochs: 120\nseed: ${seed}\n`);
      expect(leg.steps.find((s) => s.id === 'score')!.annotations).toEqual([
        { level: 'notice', title: `seed ${seed}`, message: `accuracy ${JSON.parse(step.outputs.metrics!)['validation.accuracy']}` },
      ]);
      const manifest = JSON.parse(readFileSync(step.outputs.manifest!, 'utf8')) as { dataFingerprint?: string };
      expect(JSON.stringify(manifest)).toContain(validate!.outputs.fingerprint!);
    }
    // The job output is the last leg's, as on GitHub when legs write the same output.
    expect(Number(train1!.outputs.accuracy)).toBeGreaterThan(0.9);
    // The artifact of leg 1 went to .mlops/artifacts and came back in the report job.
    expect(existsSync(join(workspace, '.mlops', 'artifacts', 'model-1', 'model.onnx'))).toBe(true);
    expect(existsSync(join(workspace, 'downloaded', 'labels.json'))).toBe(true);
    // Summaries: validate-data's and train's own, and what run: steps appended.
    expect(readFileSync(validate!.summaryFile!, 'utf8')).toContain('validated 344 rows of data/penguins.csv');
    expect(readFileSync(train0!.summaryFile!, 'utf8')).toMatch(/^## train: /m);
    expect(readFileSync(report!.summaryFile!, 'utf8')).toContain(`accuracy: ${train1!.outputs.accuracy}\ntrain: success`);
    // Reported, never silently skipped.
    expect(result.notRun).toEqual(['octo-org/post-to-chat@v1']);
    expect(printed).toMatch(/^ {2}not run {2}Run octo-org\/post-to-chat@v1: octo-org\/post-to-chat@v1 is not run locally/m);
    expect(printed).toContain('the value *** is masked');
    expect(printed).not.toContain('very-private-value');
    expect(printed).toMatch(/^summaries: \.mlops\/workflow-runs\/[^/]+\/validate\.md, /m);
    // The training output is folded into one line per group; all of it is in the step's log.
    expect(printed).not.toMatch(/mlops-metric step=/);
    const trainLog = train0!.steps.find((s) => s.id === 'train')!.logFile!;
    expect(readFileSync(trainLog, 'utf8')).toMatch(/mlops-metric step=120 /);

    // Through the CLI this time, in a fresh copy sharing the state folder: each leg of train finds the
    // same files and inputs as before, so it restores its outputs from the cache instead of training.
    const again = penguinsWorkspace();
    let out = '';
    const code = await runCli(
      ['workflow', 'run', workflow, '--event', 'push', '--state-dir', join(workspace, '.mlops')],
      (t) => void (out += t),
      undefined,
      { env: options.env, cwd: again },
    );
    expect(code).toBe(0);
    expect(out.match(/Cache hit/gi)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/^workflow succeeded: validate success, train \(0\) success, train \(1\) success, report success$/m);
  });
});
