// The training command's process runner with real processes: streaming, exit codes, and a timeout
// that leaves no child behind.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { LineSplitter, runShellCommand } from '../../../shared/train/process-runner.js';

/** Processes whose command line contains `marker`, from ps. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

describe('runShellCommand', () => {
  it('kills every process of the tree at the timeout, and says it timed out', async () => {
    // Distinct durations, so that ps finds these sleeps and no one else's.
    const marker = `sleep 300.${process.pid}`;
    const started = performance.now();
    const output: string[] = [];
    const resultPromise = runShellCommand({
      command: `${marker} & ${marker}1 & echo started; wait`,
      cwd: tmpdir(),
      env: process.env,
      timeoutMs: 1500,
      graceMs: 2000,
      onOutput: (text) => void output.push(text),
    });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(processesWith(marker).length).toBeGreaterThanOrEqual(2);
    const result = await resultPromise;
    const seconds = (performance.now() - started) / 1000;
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(128 + 15);
    expect(seconds).toBeLessThan(5);
    expect(output.join('')).toBe('started\n');
    // SIGTERM reached the whole group; give the kernel a moment to reap.
    for (let i = 0; i < 20 && processesWith(marker).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith(marker)).toEqual([]);
  });

  it('uses SIGKILL when a process ignores SIGTERM', async () => {
    const marker = `sleep 299.${process.pid}`;
    const result = await runShellCommand({
      command: `trap '' TERM; (trap '' TERM; ${marker}) & wait; wait`,
      cwd: tmpdir(),
      env: process.env,
      timeoutMs: 500,
      graceMs: 500,
      onOutput: () => undefined,
    });
    expect(result.timedOut).toBe(true);
    for (let i = 0; i < 20 && processesWith(marker).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith(marker)).toEqual([]);
  });

  it('streams stdout and stderr and returns the exit code', async () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line, stream) => lines.push(`${stream}: ${line}`));
    const result = await runShellCommand({
      command: 'echo one; echo two >&2; printf "three"; exit 3',
      cwd: tmpdir(),
      env: process.env,
      onOutput: (text, stream) => splitter.push(text, stream),
    });
    splitter.flush();
    expect(result).toEqual({ exitCode: 3, timedOut: false });
    expect(lines.sort()).toEqual(['stderr: two', 'stdout: one', 'stdout: three']);
  });

  it('returns when the command ends even if a background child keeps the output open', async () => {
    const marker = `sleep 298.${process.pid}`;
    const started = performance.now();
    const result = await runShellCommand({ command: `${marker} & echo done`, cwd: tmpdir(), env: process.env, onOutput: () => undefined });
    expect(result.exitCode).toBe(0);
    expect((performance.now() - started) / 1000).toBeLessThan(4);
    // The background sleep outlived bash by design; end it by its pid.
    for (const line of processesWith(marker)) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    expect(processesWith(marker)).toEqual([]);
  });
});

describe('runShellCommand leaves nothing running', () => {
  it('kills a descendant that called setsid at the timeout', async () => {
    const marker = `sleep 297.${process.pid}`;
    const result = await runShellCommand({
      command: `setsid ${marker} >/dev/null 2>&1 & ${marker}1`,
      cwd: tmpdir(),
      env: process.env,
      timeoutMs: 2500,
      graceMs: 1000,
      onOutput: () => undefined,
    });
    expect(result.timedOut).toBe(true);
    for (let i = 0; i < 20 && processesWith(marker).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith(marker)).toEqual([]);
  });

  it('kills a daemon the command left behind (double fork, re-parented) and names it', async () => {
    const marker = `sleep 296.${process.pid}`;
    const result = await runShellCommand({
      command: `(setsid ${marker} >/dev/null 2>&1 < /dev/null &); echo started`,
      cwd: tmpdir(),
      env: process.env,
      onOutput: () => undefined,
    });
    expect(result.exitCode).toBe(0);
    expect(result.leftovers?.map((p) => p.command)).toEqual([marker]);
    for (let i = 0; i < 20 && processesWith(marker).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith(marker)).toEqual([]);
  });
});
