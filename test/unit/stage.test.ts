// runStage through GitHubRuntime, with @actions/core replaced by its fixture: what the runner is told
// for a success, a user's mistake, a service failure, a gate that said no, and a bug.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as core from '../fixtures/modules/core.js';
import { InputError, ServiceError } from '../../shared/errors.js';
import type { ActionSpec } from '../../shared/schemas/action-spec.js';
import type { Stage } from '../../shared/stage.js';

jest.unstable_mockModule('@actions/core', () => core);
const { GitHubRuntime } = await import('../../shared/runtime/github.js');
const { runStage } = await import('../../shared/stage.js');

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

function given(inputs: Record<string, string>): void {
  core.getInput.mockImplementation((name) => inputs[name] ?? '');
}

// Tests of other files in the same worker may have left an exit code behind.
beforeEach(() => {
  jest.clearAllMocks();
  process.exitCode = undefined;
});
afterEach(() => {
  process.exitCode = undefined;
});

describe('runStage', () => {
  it('passes validated inputs to the stage and writes its outputs as strings', async () => {
    given({ rows: '3' });
    const stage = jest.fn<Stage<{ rows: number; mode: string }>>(async (inputs) => ({ outputs: { count: inputs.rows * 2, ok: true } }));
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(true);
    expect(stage.mock.calls[0]![0]).toEqual({ rows: 3, mode: 'fast' });
    expect(core.setOutput.mock.calls).toEqual([
      ['count', '6'],
      ['ok', 'true'],
    ]);
    expect(core.error).not.toHaveBeenCalled();
    expect(process.exitCode).toBeUndefined();
  });

  it('fails an invalid input with one error annotation titled "<stage>: invalid input", without calling the stage', async () => {
    given({ rows: '0' });
    const stage = jest.fn<Stage<unknown>>();
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(stage).not.toHaveBeenCalled();
    expect(core.error).toHaveBeenCalledTimes(1);
    expect(core.error).toHaveBeenCalledWith(
      `Input 'rows' is "0": expected a number >= 1.`,
      expect.objectContaining({ title: 'probe: invalid input' }),
    );
    expect(process.exitCode).toBe(1);
  });

  it('puts an InputError from the stage at its file and line', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw new InputError('gates.yaml: line 3: unknown metric', { file: 'gates.yaml', line: 3 });
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(core.error).toHaveBeenCalledWith('gates.yaml: line 3: unknown metric', {
      file: 'gates.yaml',
      startLine: 3,
      startColumn: undefined,
      title: 'probe: invalid input',
    });
  });

  it('reports a ServiceError as one error without a stack trace', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw new ServiceError('GitHub', 'creating a comment failed with 502 after retries');
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(core.error.mock.calls.map(([message]) => message)).toEqual(['GitHub: creating a comment failed with 502 after retries']);
    expect(core.info).not.toHaveBeenCalled();
  });

  it("fails the step with the stage's failure after writing its outputs (a gate said no)", async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => ({ outputs: { ok: false }, failure: 'f1 0.871 < baseline 0.884 - 0.005' });
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(core.setOutput).toHaveBeenCalledWith('ok', 'false');
    expect(core.error.mock.calls.map(([message]) => message)).toEqual(['f1 0.871 < baseline 0.884 - 0.005']);
    expect(process.exitCode).toBe(1);
  });

  it('treats an undeclared output as a bug: "please report it", with the stack in the log', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => ({ outputs: { count: 1, surprise: 'x' } });
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(core.error.mock.calls.map(([message]) => message)).toEqual([
      "probe hit an unexpected error (a bug in mlops-actions; please report it): stage probe set undeclared output 'surprise'",
    ]);
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/^Error: stage probe set undeclared output 'surprise'\n\s+at /));
    expect(process.exitCode).toBe(1);
  });

  it('reports anything else thrown as a bug, a non-Error value included', async () => {
    given({ rows: '1' });
    const stage: Stage<unknown> = async () => {
      throw 'a string';
    };
    expect(await runStage(spec, stage, new GitHubRuntime())).toBe(false);
    expect(core.error.mock.calls.map(([message]) => message)).toEqual([
      'probe hit an unexpected error (a bug in mlops-actions; please report it): a string',
    ]);
  });
});
