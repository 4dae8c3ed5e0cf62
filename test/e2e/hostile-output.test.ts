// What the bundles print, read as the runner reads it: nothing that came from outside (a file name, a
// training command's output) may become a workflow command, and a loud command loses nothing.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runAction } from './runner.js';
import { tempDir } from '../temp-dirs.js';

/**
 * The workflow commands the runner would interpret in `stdout`: a line that starts with `::` once leading
 * white space is trimmed (.NET's TrimStart), or holds `##[`; none between `::stop-commands::<token>` and `::<token>::`.
 */
export function interpretedCommands(stdout: string): string[] {
  const commands: string[] = [];
  let stopped: string | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^[\s]+/, '');
    if (stopped !== undefined) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stopped = stop[1];
      continue;
    }
    if (line.startsWith('::') || line.includes('##[')) commands.push(line);
  }
  return commands;
}

describe('hostile output: nothing from outside is read as a workflow command', () => {
  it('a data file whose name holds a newline and ::warning:: puts no command on stdout', async () => {
    const workspace = tempDir('e2e-hostile-name-');
    mkdirSync(join(workspace, 'data'));
    const name = 'a\n::warning::owned\n##[warning]owned too.csv';
    writeFileSync(join(workspace, 'data', name), 'x,y\n1,2\n3,4\n');
    const run = await runAction('validate-data', { workspace, inputs: { data: 'data/*.csv' } });
    expect(run.stdout).toContain('owned');
    const commands = interpretedCommands(run.stdout);
    expect(commands.filter((c) => c.includes('owned') && !/^::(error|warning|notice|debug)[^:]*::.*%0A/.test(c))).toEqual([]);
    expect(run.annotations.filter((a) => a.level === 'warning' && a.message === 'owned')).toEqual([]);
  });

  it("a training command's ::error:: and ::set-output:: are shown, inside stop-commands, and not interpreted", async () => {
    const workspace = tempDir('e2e-hostile-train-');
    const run = await runAction('train', {
      workspace,
      inputs: {
        command:
          "printf '::error::x\\n  ::set-output name=a::b\\n##[error]y\\n'; mkdir -p model; echo 1 > model/m; echo 'mlops-metric step=1 loss=abc'",
        'model-path': 'model',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^::error::x$/m);
    expect(run.stdout).toMatch(/^ {2}::set-output name=a::b$/m);
    const commands = interpretedCommands(run.stdout);
    expect(commands.filter((c) => c === '::error::x' || c.startsWith('::set-output') || !c.startsWith('::'))).toEqual([]);
    expect(run.outputs.a).toBeUndefined();
    // Our own warning inside the group is still issued (commands resumed for it).
    expect(commands.some((c) => /^::warning ?::Ignored a malformed/.test(c) && c.includes(' mlops-metric line'))).toBe(true);
  });
});

describe('a loud training command loses nothing', () => {
  // 50 MB in 2.8 M lines, bounded by head: what ended in `write EINVAL` on Node 24.
  const loud = "yes 'step 100 loss 0.1' | head -c 50000000; mkdir -p model; echo 1 > model/m";

  it.each(['close-early', 'slow'] as const)(
    'with a stdout reader that is %s, the step still records its outputs and manifest',
    async (reader) => {
      const workspace = tempDir('e2e-loud-');
      const run = await runAction('train', { workspace, inputs: { command: loud, 'model-path': 'model' }, stdoutReader: reader });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['cache-hit']).toBe('false');
      const manifestPath = run.outputs.manifest!;
      expect(existsSync(manifestPath)).toBe(true);
      expect(statSync(join(dirname(manifestPath), 'train.log')).size).toBeGreaterThanOrEqual(50_000_000);
      if (reader === 'close-early') expect(run.stderr).toMatch(/stdout failed \(EPIPE\)/);
      else expect(run.stderr).toBe('');
    },
  );
});

describe('a training command leaves nothing running', () => {
  it('a daemon the command started is named in the log and killed', async () => {
    const workspace = tempDir('e2e-daemon-');
    const marker = `sleep 295.${process.pid}`;
    const run = await runAction('train', {
      workspace,
      inputs: { command: `(setsid ${marker} >/dev/null 2>&1 < /dev/null &); mkdir -p model; echo 1 > model/m`, 'model-path': 'model' },
    });
    expect(run.exitCode).toBe(0);
    const warning = run.annotations.find((a) => a.level === 'warning' && a.message.includes('still running'));
    expect(warning?.message).toMatch(new RegExp(`pid \\d+: ${marker.replace('.', '\\.')}`));
    const running = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith(marker));
    expect(running).toEqual([]);
  });
});
