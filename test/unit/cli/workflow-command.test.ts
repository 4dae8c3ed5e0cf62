// `mlops workflow`'s command line: usage errors name the option and say what was expected, before any job runs.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { tempDir } from '../../temp-dirs.js';

async function cli(args: string[], cwd = tempDir('workflow-cli-')): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    args,
    (t) => void (out += t),
    (t) => void (err += t),
    { env: { PATH: process.env.PATH }, cwd },
  );
  return { code, out, err };
}

describe('mlops workflow', () => {
  it('prints its usage on --help (0) and without a subcommand (2)', async () => {
    expect(await cli(['workflow', '--help'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: mlops workflow run <workflow\.yml> --event <name>/),
    });
    expect((await cli(['workflow'])).code).toBe(2);
  });

  it.each([
    [['workflow', 'start', 'w.yml'], "unknown workflow command 'start'"],
    [['workflow', 'run', '--event', 'push'], 'which workflow?'],
    [['workflow', 'run', 'w.yml'], '--event is needed'],
    [['workflow', 'run', 'w.yml', '--evnt', 'push'], 'unknown option --evnt; did you mean --event?'],
    [['workflow', 'run', 'w.yml', '--event', 'push', '--input', 'stage'], '--input is "stage"; expected name=value'],
    [['workflow', 'run', 'a.yml', 'b.yml', '--event', 'push'], "one workflow file at a time: 'a.yml' and 'b.yml'"],
  ])('%j is a usage error: %s', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('names a workflow that does not exist, a payload that is not JSON, and a workflow GitHub would refuse (file and line)', async () => {
    const cwd = tempDir('workflow-cli-');
    expect(await cli(['workflow', 'run', 'missing.yml', '--event', 'push'], cwd)).toMatchObject({
      code: 1,
      err: 'error: the workflow missing.yml does not exist or cannot be read\n',
    });
    writeFileSync(join(cwd, 'event.json'), '{not json');
    writeFileSync(join(cwd, 'w.yml'), 'on: push\njobs:\n  a:\n    runs-on: x\n    timeout: 3\n    steps:\n      - run: echo\n');
    expect((await cli(['workflow', 'run', 'w.yml', '--event', 'push', '--payload', 'event.json'], cwd)).err).toMatch(
      /^error: --payload event\.json is not JSON: /,
    );
    const invalid = await cli(['workflow', 'run', 'w.yml', '--event', 'push'], cwd);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toBe("error: w.yml is not a valid workflow:\nw.yml:5: Unexpected value 'timeout'\n");
  });
});
