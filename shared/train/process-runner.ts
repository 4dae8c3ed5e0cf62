import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import { ServiceError } from '../errors.js';
import { ProcessTree, type TrackedProcess } from './process-tree.js';

/** How a command ended. */
export interface CommandResult {
  /** The exit code; 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  timedOut: boolean;
  /** Processes the command started that were still running when it ended (then killed): a daemon, a background job. */
  leftovers?: TrackedProcess[];
}

export interface ShellCommandOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the whole process tree after this long. */
  timeoutMs?: number;
  /** How long SIGTERM has to work before SIGKILL. */
  graceMs?: number;
  /**
   * Receives the output as it arrives, in chunks (not lines). When it returns a promise, reading stops
   * until it resolves: back-pressure from a log that cannot keep up.
   */
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void | Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** The variable that marks the command's processes: inherited by every descendant, even one that calls setsid. */
const TREE_MARKER = 'MLOPS_PROCESS_TREE';

/**
 * Runs `bash -c command` in its own process group, streaming its output. Every descendant is tracked
 * (ProcessTree: the group alone misses one that calls `setsid`). At the timeout the group and every
 * descendant get SIGTERM, then SIGKILL after `graceMs`, so no child survives. When bash exits, what it
 * left running (a daemon, a background job) is killed and returned as `leftovers`. Resolves when bash
 * has exited; throws ServiceError when bash cannot be started.
 */
export function runShellCommand(options: ShellCommandOptions): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    let child;
    const marker = `${TREE_MARKER}=${randomUUID()}`;
    try {
      // detached: a new process group, so the timeout reaches every descendant, not only bash.
      child = spawn('bash', ['-c', options.command], {
        cwd: options.cwd,
        env: { ...options.env, [TREE_MARKER]: marker.slice(TREE_MARKER.length + 1) },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(new ServiceError('bash', `could not start the command in ${options.cwd}: ${(error as Error).message}`));
      return;
    }
    const pid = child.pid;
    const tree = pid ? new ProcessTree(pid, marker) : undefined;
    // Children are found while their parent lives: a poll a second catches one before a short-lived parent exits.
    const poller = setInterval(() => void tree?.poll(), 1000);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (pid) killGroup(pid, 'SIGTERM');
            void tree?.signal('SIGTERM');
            killTimer = setTimeout(() => {
              if (pid) killGroup(pid, 'SIGKILL');
              void tree?.signal('SIGKILL');
            }, options.graceMs ?? 10_000);
          }, options.timeoutMs);
    const { stdout, stderr } = child;
    const deliver = (text: string, stream: 'stdout' | 'stderr'): void => {
      const wait = options.onOutput(text, stream);
      if (!wait) return;
      stdout.pause();
      stderr.pause();
      void wait.finally(() => {
        stdout.resume();
        stderr.resume();
      });
    };
    stdout.setEncoding('utf8').on('data', (text: string) => deliver(text, 'stdout'));
    stderr.setEncoding('utf8').on('data', (text: string) => deliver(text, 'stderr'));
    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearInterval(poller);
      reject(new ServiceError('bash', `could not run the command in ${options.cwd}: ${error.message}`));
    });
    child.on('exit', (code, signal) => void ended(code, signal));
    const ended = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
      clearTimeout(timer);
      clearInterval(poller);
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      if (timedOut && pid) killGroup(pid, 'SIGKILL');
      // What bash left running: a timed-out tree is killed at once, a daemon of a finished command gets SIGTERM first.
      const leftovers = tree ? await tree.killAll(timedOut ? 0 : Math.min(options.graceMs ?? 10_000, 2000)) : [];
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(killTimer);
        resolvePromise({ exitCode, timedOut, ...(leftovers.length ? { leftovers } : {}) });
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
    };
  });
}

/** The longest unfinished line kept: beyond it, what has come is handed over as a line of its own. */
const MAX_PENDING_LINE = 1 << 20;

interface PendingLine {
  parts: string[];
  length: number;
  /** The last chunk ended with `\r`: a `\n` starting the next one ends nothing more (`\r\n` split in two). */
  afterCR: boolean;
}

/**
 * Splits streamed text into lines, per stream, keeping an unfinished line until the next chunk. `\n`,
 * `\r\n` and a lone `\r` (a progress bar redrawn in place) end a line; an empty line a lone `\r` ends is
 * dropped. Linear in the output: each chunk is searched once, an unfinished line is kept as parts
 * (joined once) and handed over when it reaches MAX_PENDING_LINE.
 */
export class LineSplitter {
  private readonly pending = new Map<string, PendingLine>();

  constructor(private readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void) {}

  push(text: string, stream: 'stdout' | 'stderr'): void {
    let state = this.pending.get(stream);
    if (!state) this.pending.set(stream, (state = { parts: [], length: 0, afterCR: false }));
    let start = state.afterCR && text.startsWith('\n') ? 1 : 0;
    state.afterCR = false;
    const lineEnd = /\r\n|\r|\n/g;
    lineEnd.lastIndex = start;
    for (let match = lineEnd.exec(text); match; match = lineEnd.exec(text)) {
      const piece = text.slice(start, match.index);
      const line = state.parts.length ? state.parts.join('') + piece : piece;
      state.parts = [];
      state.length = 0;
      if (line !== '' || match[0] !== '\r') this.onLine(line, stream);
      start = match.index + match[0].length;
    }
    state.afterCR = text.endsWith('\r');
    if (start < text.length) {
      const rest = text.slice(start);
      state.parts.push(rest);
      state.length += rest.length;
      if (state.length >= MAX_PENDING_LINE) {
        this.onLine(state.parts.join(''), stream);
        state.parts = [];
        state.length = 0;
      }
    }
  }

  /** Hands over the unfinished lines (output that did not end with a newline). */
  flush(): void {
    for (const [stream, state] of this.pending) if (state.length) this.onLine(state.parts.join(''), stream as 'stdout' | 'stderr');
    this.pending.clear();
  }
}
