import { readdir, readFile } from 'node:fs/promises';

/** A process found in /proc: its id, its start time (to tell a reused id apart) and its command line. */
export interface TrackedProcess {
  pid: number;
  startTime: string;
  command: string;
}

interface ProcStat {
  pid: number;
  ppid: number;
  startTime: string;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields are counted after the last `)`.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // A zombie has exited: only its parent's wait is missing.
    if (fields[0] === 'Z') return undefined;
    return { pid, ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

async function commandLine(pid: number): Promise<string> {
  try {
    const text = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return text.replace(/\0+$/, '').split('\0').join(' ') || '(unknown)';
  } catch {
    return '(exited)';
  }
}

async function holdsMarker(pid: number, marker: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Every descendant of a command, on Linux, even one that left its process group and session (`setsid`)
 * or whose parent exited (re-parented to init): children of a process already tracked, found by walking
 * /proc's parent ids (`poll()`, every second while the command runs), and any process whose environment
 * still holds the command's marker variable (checked at the timeout and at the end). Elsewhere (no
 * /proc) it finds nothing and the process group is all that is killed.
 */
export class ProcessTree {
  private readonly known = new Map<number, string>();

  /** `marker` is `NAME=value`, a variable set in the command's environment and inherited by its descendants. */
  constructor(
    private readonly rootPid: number,
    private readonly marker: string,
  ) {}

  private async stats(): Promise<ProcStat[]> {
    let entries: string[];
    try {
      entries = await readdir('/proc');
    } catch {
      return [];
    }
    const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
    return (await Promise.all(pids.map(readStat))).filter((s): s is ProcStat => s !== undefined && s.pid !== process.pid);
  }

  /** Adds the children of every tracked process (the root included) until no new one appears. */
  async poll(byEnvironment = false): Promise<void> {
    const stats = await this.stats();
    const alive = new Map(stats.map((s) => [s.pid, s]));
    for (const [pid, start] of this.known) if (alive.get(pid)?.startTime !== start) this.known.delete(pid);
    const tracked = (pid: number): boolean => pid === this.rootPid || this.known.has(pid);
    if (byEnvironment) {
      const marked = await Promise.all(
        stats.map(async (s) => (!tracked(s.pid) && (await holdsMarker(s.pid, this.marker)) ? s : undefined)),
      );
      for (const s of marked) if (s) this.known.set(s.pid, s.startTime);
    }
    let added = true;
    while (added) {
      added = false;
      for (const s of stats) {
        if (!tracked(s.pid) && tracked(s.ppid)) {
          this.known.set(s.pid, s.startTime);
          added = true;
        }
      }
    }
  }

  /** The tracked processes still running (the root excluded), with their command lines. */
  async running(): Promise<TrackedProcess[]> {
    await this.poll(true);
    const found: TrackedProcess[] = [];
    for (const [pid, startTime] of this.known) if (pid !== this.rootPid) found.push({ pid, startTime, command: await commandLine(pid) });
    return found;
  }

  /** Sends `signal` to every tracked process still running as the same process; returns those signalled. */
  async signal(signal: NodeJS.Signals): Promise<TrackedProcess[]> {
    const processes = await this.running();
    for (const p of processes) {
      try {
        process.kill(p.pid, signal);
      } catch {
        // Gone in the meantime.
      }
    }
    return processes;
  }

  /** SIGTERM to every tracked process, SIGKILL to those still running after `graceMs`; returns what was running. */
  async killAll(graceMs: number): Promise<TrackedProcess[]> {
    const first = await this.signal('SIGTERM');
    if (first.length === 0) return first;
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && (await this.running()).length > 0) await new Promise((done) => setTimeout(done, 50));
    await this.signal('SIGKILL');
    return first;
  }
}
