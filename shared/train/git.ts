import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * True when `cwd` or one of its parents holds `.git` (a folder, or a file for worktrees and
 * submodules). Checked before running git, so a folder outside any repository costs no process.
 */
export function insideGitWorkTree(cwd: string): boolean {
  let dir = resolve(cwd);
  for (;;) {
    try {
      statSync(join(dir, '.git'));
      return true;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return false;
      dir = parent;
    }
  }
}

/** The trimmed stdout of `git args` in cwd, or null when git fails or is missing. */
export function gitOutput(cwd: string, args: string[], maxBuffer = 1024 * 1024): Promise<string | null> {
  return new Promise((done) => {
    execFile('git', args, { cwd, timeout: 30_000, maxBuffer }, (error, stdout) => done(error ? null : stdout));
  });
}
