// runWorkflow on test/fixtures/workflows/repo (run: steps only, no services): env at three levels, the
// GITHUB_* files, needs outputs, status functions on steps and jobs, continue-on-error, fail-fast, a
// composite action, a reusable workflow, workflow_dispatch inputs, and secrets never printed.
import { describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { runWorkflow, type JobRecord, type WorkflowRunResult } from '../../../shared/workflow/run-workflow.js';
import { tempDir } from '../../temp-dirs.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'workflows', 'repo');
const SECRET = 'fixture-secret-4711';

async function run(
  event: string,
  inputs: Record<string, string> = {},
): Promise<{ result: WorkflowRunResult; printed: string; workspace: string }> {
  const workspace = tempDir('workflow-run-');
  cpSync(fixture, workspace, { recursive: true });
  const lines: string[] = [];
  const result = await runWorkflow({
    file: '.github/workflows/semantics.yml',
    event,
    inputs,
    workspace,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FIXTURE_TOKEN: SECRET },
    print: (line) => lines.push(line),
  });
  return { result, printed: lines.join('\n'), workspace };
}

function job(result: WorkflowRunResult, name: string): JobRecord {
  const found = result.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name} in ${result.jobs.map((j) => j.name).join(', ')}`);
  return found;
}

describe('runWorkflow', () => {
  it('runs every job in needs order with the runner semantics, on push', async () => {
    const { result, printed, workspace } = await run('push');
    expect(result.jobs.map((j) => [j.name, j.result])).toEqual([
      ['first', 'success'],
      ['broken', 'failure'],
      ['after-broken', 'skipped'],
      ['on-failure', 'success'],
      ['legs (a)', 'success'],
      ['legs (b)', 'failure'],
      ['legs (c)', 'cancelled'],
      ['call / upper', 'success'],
      ['call', 'success'],
      ['last', 'success'],
    ]);
    expect(result.ok).toBe(false);
    // env from workflow, job and step; inputs empty on push.
    const first = job(result, 'first');
    expect(first.outputs).toEqual({ greeting: 'w-j-push-s-none-', tool: 'tool-ran-carried' });
    // GITHUB_ENV and GITHUB_PATH reached the next step; a heredoc output kept its two lines; the composite's output came back.
    expect(first.steps.map((s) => [s.name, s.conclusion])).toEqual([
      [expect.stringMatching(/^Run echo "greeting=/), 'success'],
      [expect.stringMatching(/^Run echo "found=/), 'success'],
      ['In a sub-folder, with sh', 'success'],
      ['Run ./composite', 'success'],
      [expect.stringMatching(/^Run test/), 'success'],
      ['Secret', 'success'],
    ]);
    expect(first.steps[0]!.outputs.multi).toBe('line one\nline two');
    expect(first.steps[3]!.outputs).toEqual({ said: 'hello world' });
    // Steps: continue-on-error, a failure, success() skipping, always() and failure() running.
    const broken = job(result, 'broken');
    expect(broken.steps.map((s) => [s.name, s.outcome, s.conclusion])).toEqual([
      ['Run exit 3', 'failure', 'success'],
      [expect.stringMatching(/^Run test/), 'success', 'success'],
      ['Fails', 'failure', 'failure'],
      ['After the failure', 'skipped', 'skipped'],
      ['Cleanup', 'success', 'success'],
      ['On failure', 'success', 'success'],
    ]);
    expect(broken.steps[2]!.annotations).toEqual([{ level: 'error', message: 'row 7 is bad', file: 'data.csv', line: 7 }]);
    expect(readFileSync(broken.steps[2]!.logFile!, 'utf8')).toContain('error (data.csv:7): row 7 is bad');
    // Listed again at the end, as the run's page lists annotations.
    expect(printed).toMatch(/^error: broken \/ Fails: data\.csv:7: row 7 is bad$/m);
    // Jobs: failure() sees the failed job it needs; the reusable workflow's output reached `last`.
    expect(printed).toContain('greeting w-j-push-s-none-, broken failure');
    expect(job(result, 'call').outputs).toEqual({ shout: 'W-J-PUSH-S-NONE-x2' });
    expect(printed).toContain('called workflow said W-J-PUSH-S-NONE-x2');
    expect(printed).toMatch(/^job legs \(c\): cancelled \(fail-fast/m);
    // Secrets reach the steps, never the output.
    expect(printed).toContain('token is ***');
    expect(printed).toContain('inherited token ***');
    expect(printed).not.toContain(SECRET);
    // The summary: what the steps wrote, and where it is.
    expect(readFileSync(first.summaryFile!, 'utf8')).toBe('## first\n');
    expect(printed).toContain(`summaries: ${first.summaryFile!.slice(workspace.length + 1)}`);
  });

  it('gives workflow_dispatch inputs their types and checks them', async () => {
    const { result } = await run('workflow_dispatch', { flavour: 'spicy', loud: 'true' });
    expect(job(result, 'first').outputs.greeting).toBe('w-j-workflow_dispatch-s-spicy-true');
    await expect(run('workflow_dispatch', { flavour: 'mild' })).rejects.toThrow(
      new InputError('.github/workflows/semantics.yml: input flavour is "mild"; expected one of plain, spicy'),
    );
    await expect(run('workflow_dispatch', { colour: 'red' })).rejects.toThrow('there is no input colour for workflow_dispatch');
  });

  it('refuses an event the workflow does not list, naming those it does', async () => {
    await expect(run('schedule')).rejects.toThrow(
      '.github/workflows/semantics.yml does not run on schedule; it runs on push, workflow_dispatch',
    );
  });
});
