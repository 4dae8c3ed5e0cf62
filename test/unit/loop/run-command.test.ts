// `mlops run` on the command line: usage mistakes (exit code 2) name the nearest option, event or step;
// a broken mlops.yml names its file and line (exit code 1); --dry prints the plan and runs nothing.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { tempDir } from '../../temp-dirs.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const exitCode = process.exitCode;
  const code = await runCli(
    ['run', ...args],
    (t) => (out += t),
    (t) => (err += t),
    { env: {}, cwd },
  );
  process.exitCode = exitCode;
  return { code, out, err };
}

function project(mlopsYml: string): string {
  const dir = tempDir('mlops-run-cli-');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'rows.csv'), 'a,b\n1,2\n3,4\n');
  writeFileSync(join(dir, 'mlops.yml'), mlopsYml);
  return dir;
}

const CONFIG = `validate-data:
  data: data/rows.csv
train:
  command: 'true'
  model-path: model
register:
  name: rows
`;

describe('mlops run', () => {
  it('refuses an unknown event, option or step, naming the nearest', async () => {
    const dir = project(CONFIG);
    expect(await run(['--event', 'pull-request'], dir)).toMatchObject({
      code: 2,
      err: "mlops: --event is 'pull-request'; expected one of pull_request, push, schedule, workflow_dispatch (did you mean pull_request?)\n",
    });
    expect((await run(['--form', 'train'], dir)).err).toMatch(/^mlops: unknown option --form; did you mean --from\?/);
    expect((await run(['--from', 'trian'], dir)).err).toMatch(/^mlops: --from 'trian' is no step of the loop; did you mean train\?/);
  });

  it('names the file and line of a mistake in mlops.yml, and a missing file', async () => {
    const dir = project(`${CONFIG}deploy:\n  stratgy: canary\n`);
    expect(await run(['--dry'], dir)).toMatchObject({
      code: 1,
      err: "error: mlops.yml:9: unknown key 'stratgy' in section deploy; did you mean 'strategy'?\n",
    });
    expect((await run(['--config', 'other.yml'], dir)).err).toMatch(/^error: other\.yml does not exist: mlops run reads the loop from it/);
  });

  it('--dry prints the plan and runs nothing: no run folder, no model', async () => {
    const dir = project(CONFIG);
    const dry = await run(['--dry', '--event', 'schedule'], dir);
    expect(dry.code).toBe(0);
    expect(dry.out.split('\n')[0]).toBe('mlops run --event schedule --dry (mlops.yml): nothing runs');
    expect(dry.out).toMatch(/^ {2}train +run +fingerprint sha256:[0-9a-f]{12}… not in the local cache: `true` runs$/m);
    expect(dry.out).toMatch(/^ {2}evaluate +skip +no evaluate section in mlops\.yml$/m);
    expect(existsSync(join(dir, '.mlops', 'runs'))).toBe(false);
    expect(existsSync(join(dir, 'model'))).toBe(false);
  });
});
