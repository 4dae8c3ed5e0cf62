// runStage through GitHubRuntime, read back as the runner reads it (test/runner-double.ts): what the
// runner is told for a success, a user's mistake, a service failure, a gate that said no, and a bug.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InputError, ServiceError } from '../../shared/errors.js';
import type { ActionSpec } from '../../shared/schemas/action-spec.js';
import { GitHubRuntime } from '../../shared/runtime/github.js';
import { runStage, type Stage } from '../../shared/stage.js';
import { RunnerDouble } from '../runner-double.js';

const spec: ActionSpec = {
  name: 'probe',
  title: 'Probe',
  description: 'A stage for testing runStage.',
  inputs: {
    rows: { description: 'How many rows.', required: true, schema: { type: 'integer', minimum: 1 } },
    mode: { description: 'How.', default: 'fast', schema: { type: 'string', enum: ['fast', 'slow'] } },
  },
  outputs: { count: { description: 'A number.' }, ok: { description: 'A boolean.' } },
};

const runner = new RunnerDouble();
const given = (inputs: Record<string, string>): void => runner.given(inputs);

// Tests of other files in the same worker may have left an exit code behind.
// Tests of other files in the same worker may have left an exit code behind.
beforeEach(() => {
  runner.start();
  process.exitCode = undefined;
});
afterEach(() => {
  runner.stop();
  process.exitCode = undefined;
});

describe('runStage', () => {
  it('passes validated inputs to the stage and writes its outputs as strings', async () => {
    given({ rows: '3' });
    const stage = jest.fn<Stage<{ rows: number; mode: string }>>(async (inputs) => ({ outputs: { count: inputs.rows * 2, ok: true } }));
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(true);
    expect(stage.mock.calls[0]![0]).toEqual({ rows: 3, mode: 'fast' });
    expect(runner.outputs()).toEqual([
      ['count', '6'],
      ['ok', 'true'],
    ]);
    expect(runner.commands('error')).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });

  it('fails an invalid input with one error annotation titled "<stage>: invalid input", without calling the stage', async () => {
    given({ rows: '0' });
    const stage = jest.fn<Stage<unknown>>();
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(stage).not.toHaveBeenCalled();
    expect(runner.commands('error')).toHaveLength(1);
    expect(runner.commands('error')).toEqual([
      {
        command: 'error',
        properties: expect.objectContaining({ title: 'probe: invalid input' }),
        message: `Input 'rows' is "0": expected a number >= 1.`,
      },
    ]);
    expect(process.exitCode).toBe(1);
  });

  it('puts an InputError from the stage at its file and line', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw new InputError('gates.yaml: line 3: unknown metric', { file: 'gates.yaml', line: 3 });
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(runner.commands('error')).toEqual([
      {
        command: 'error',
        properties: { file: 'gates.yaml', line: '3', title: 'probe: invalid input' },
        message: 'gates.yaml: line 3: unknown metric',
      },
    ]);
  });

  it('reports a ServiceError as one error without a stack trace', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw new ServiceError('GitHub', 'creating a comment failed with 502 after retries');
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(runner.messages('error')).toEqual(['GitHub: creating a comment failed with 502 after retries']);
    expect(runner.log()).toEqual([]);
  });

  it("fails the step with the stage's failure after writing its outputs (a gate said no)", async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => ({ outputs: { ok: false }, failure: 'f1 0.871 < baseline 0.884 - 0.005' });
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(runner.outputs()).toContainEqual(['ok', 'false']);
    expect(runner.messages('error')).toEqual(['f1 0.871 < baseline 0.884 - 0.005']);
    expect(process.exitCode).toBe(1);
  });

  it('treats an undeclared output as a bug: "please report it", with the stack in the log', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => ({ outputs: { count: 1, surprise: 'x' } });
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(runner.messages('error')).toEqual([
      "probe hit an unexpected error (a bug in mlops-actions; please report it): stage probe set undeclared output 'surprise'",
    ]);
    expect(runner.stdout).toMatch(/^Error: stage probe set undeclared output 'surprise'\n\s+at /);
    expect(process.exitCode).toBe(1);
  });

  it('reports anything else thrown as a bug, a non-Error value included', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw 'a string';
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(runner.messages('error')).toEqual(['probe hit an unexpected error (a bug in mlops-actions; please report it): a string']);
  });
});
