import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ServiceError } from '../errors.js';

/** How a command ended. */
export interface CommandResult {
  /** The exit code; 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  timedOut: boolean;
}

export interface ShellCommandOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the whole process tree after this long. */
  timeoutMs?: number;
  /** How long SIGTERM has to work before SIGKILL. */
  graceMs?: number;
  /** Receives the output as it arrives, in chunks (not lines). */
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Runs `bash -c command` in its own process group, streaming its output. At the timeout the whole
 * group gets SIGTERM, then SIGKILL after `graceMs`, so no child survives. Resolves when bash has
 * exited; throws ServiceError when bash cannot be started.
 */
export function runShellCommand(options: ShellCommandOptions): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    let child;
    try {
      // detached: a new process group, so the timeout reaches every descendant, not only bash.
      child = spawn('bash', ['-c', options.command], {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(new ServiceError('bash', `could not start the command in ${options.cwd}: ${(error as Error).message}`));
      return;
    }
    const pid = child.pid;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (pid) killGroup(pid, 'SIGTERM');
            killTimer = setTimeout(() => pid && killGroup(pid, 'SIGKILL'), options.graceMs ?? 10_000);
          }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => options.onOutput(text, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (text: string) => options.onOutput(text, 'stderr'));
    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(new ServiceError('bash', `could not run the command in ${options.cwd}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(killTimer);
        if (timedOut && pid) killGroup(pid, 'SIGKILL');
        resolvePromise({ exitCode, timedOut });
      };
      // A background child may keep the pipes open after bash exits: read what is there, then stop waiting.
      if (child.stdout.readableEnded && child.stderr.readableEnded) finish();
      else {
        const wait = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish();
        }, 1000);
        child.on('close', () => {
          clearTimeout(wait);
          finish();
        });
      }
    });
  });
}

/** Splits streamed text into lines, per stream, keeping an unfinished line until the next chunk. */
export class LineSplitter {
  private readonly pending = new Map<string, string>();

  constructor(private readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void) {}

  push(text: string, stream: 'stdout' | 'stderr'): void {
    const parts = ((this.pending.get(stream) ?? '') + text).split(/\r?\n/);
    this.pending.set(stream, parts.pop()!);
    for (const line of parts) this.onLine(line, stream);
  }

  /** Hands over the unfinished lines (output that did not end with a newline). */
  flush(): void {
    for (const [stream, rest] of this.pending) if (rest !== '') this.onLine(rest, stream as 'stdout' | 'stderr');
    this.pending.clear();
  }
}
