// The `process` target: each version is the serving runtime (`mlops serve`) as a detached background
// process on its own loopback port; the stable address is a small TCP proxy process (`mlops deploy
// proxy`) that sends new connections to the active version, or splits them by weight for a canary.
// A switch moves new connections at once; the old version then gets SIGTERM and drains: for a couple of
// seconds it answers every request with `Connection: close` (keep-alive clients reconnect, through the
// proxy, to the new version), in-flight requests finish, then it exits.
// Everything it started is in `<stateDir>/state.json` (pids, ports, digests), so a later run, the CLI's
// `mlops deploy status|rollback|stop`, or another shell finds it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { InputError, ServiceError } from '../errors.js';
import {
  servedModelName,
  type Candidate,
  type DeployPlan,
  type DeployTarget,
  type ServingState,
  type TargetDescription,
} from './deploy-target.js';
import { mlopsCommand } from './mlops-command.js';
import { waitForReady } from './preflight.js';
import type { ProxyInfo, ProxyStatus } from './traffic-proxy.js';

/** A version this target knows: running (pid and port), or stopped and kept for rollback. */
export interface ProcessVersion {
  name: string;
  reference: string;
  digest: string;
  version: string;
  modelDir: string;
  profilePath?: string;
  pid?: number;
  port?: number;
  log?: string;
  startedAt?: string;
}

export interface ProcessState {
  host: string;
  port: number;
  proxy?: { pid: number; controlPort: number; token: string; log: string };
  stable?: ProcessVersion;
  canary?: ProcessVersion & { weight: number };
  /** What served before the last promote (stopped): `rollback` starts it again. */
  previous?: ProcessVersion;
  /** Started, not (yet) promoted: stop() and a later run clean them up if this run died. */
  candidates: ProcessVersion[];
}

export interface ProcessTargetOptions {
  /** `.mlops/deploy/<name>`: state.json, logs, the proxy's info file. */
  stateDir: string;
  /** The stable port (default 8080) on `host` (default 127.0.0.1). */
  port?: number;
  host?: string;
  /** How `mlops` is run (default: mlopsCommand()). */
  command?: string[];
  /**
   * After a switch, how long the old version keeps answering (readiness false, every answer with
   * `Connection: close`) before it closes idle connections: keep-alive clients move to the new version
   * on their next request instead of finding their connection closed (default 2 s).
   */
  drainSeconds?: number;
  /** How long a stopped process may take to exit before SIGKILL (default 30 s). */
  stopMs?: number;
  /** How long rollback waits for the previous version to load (default 120 s). */
  loadingMs?: number;
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A free port on 127.0.0.1, as the kernel picks one (released before the server binds it: a short race, retried by the caller). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Model folders no version uses are removed once they are this old (see pruneModels). */
const PRUNE_AFTER_MS = 10 * 60_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGTERM and waits for the process to exit; SIGKILL after `ms`. */
async function stopProcess(pid: number | undefined, ms: number): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid!, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    try {
      process.kill(pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    for (let i = 0; i < 40 && alive(pid); i++) await sleep(50);
  }
}

function summary(v: ProcessVersion | undefined): ServingState['stable'] {
  return v ? { digest: v.digest, version: v.version, id: String(v.pid ?? '') } : undefined;
}

export class ProcessTarget implements DeployTarget {
  readonly kind = 'process' as const;
  private readonly stateFile: string;
  private readonly host: string;
  private readonly port: number;

  constructor(private readonly options: ProcessTargetOptions) {
    this.stateFile = join(options.stateDir, 'state.json');
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 8080;
  }

  /** How long a stopped version may take: its drain, then in-flight requests (the runtime's own 30 s bound), then SIGKILL. */
  private stopMs(): number {
    return this.options.stopMs ?? ((this.options.drainSeconds ?? 2) + 35) * 1000;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** The state as saved (nothing checked live), or a fresh one. */
  async readState(): Promise<ProcessState> {
    const text = await readFile(this.stateFile, 'utf8').catch(() => undefined);
    if (text === undefined) return { host: this.host, port: this.port, candidates: [] };
    try {
      return JSON.parse(text) as ProcessState;
    } catch (error) {
      throw new InputError(`${this.stateFile} is not valid JSON (${(error as Error).message}); remove it and the processes it named`, {
        file: this.stateFile,
      });
    }
  }

  private async saveState(state: ProcessState): Promise<void> {
    await mkdir(this.options.stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }

  async current(): Promise<ServingState | undefined> {
    const state = await this.readState();
    if (!state.stable || !alive(state.stable.pid) || !alive(state.proxy?.pid)) return undefined;
    const canary = state.canary && alive(state.canary.pid) ? state.canary : undefined;
    return {
      url: `http://${state.host}:${state.port}`,
      stable: summary(state.stable),
      ...(canary ? { canary: { ...summary(canary)!, weight: canary.weight } } : {}),
    };
  }

  /** The proxy's live view (routes and connection counts), or undefined when it does not answer. */
  async proxyStatus(state?: ProcessState): Promise<ProxyStatus | undefined> {
    const s = state ?? (await this.readState());
    if (!s.proxy || !alive(s.proxy.pid)) return undefined;
    try {
      return (await this.control(s, 'GET')) as ProxyStatus;
    } catch {
      return undefined;
    }
  }

  /** For `mlops deploy status`: the version a rollback brings back, and the proxy's view of each backend. */
  async describe(): Promise<TargetDescription> {
    const state = await this.readState();
    const proxy = await this.proxyStatus(state);
    const lines = (proxy?.backends ?? []).map(
      (b) => `proxy     → pid ${b.id} on 127.0.0.1:${b.port}: weight ${b.weight}, ${b.active} open, ${b.total} connections so far`,
    );
    const previous = state.previous ? { digest: state.previous.digest, version: state.previous.version } : undefined;
    return { ...(previous ? { previous } : {}), lines };
  }

  private async control(state: ProcessState, method: 'GET' | 'PUT', backends?: ProcessVersion[], weights?: number[]): Promise<unknown> {
    const proxy = state.proxy;
    if (!proxy) throw new ServiceError('deploy proxy', 'no proxy is running');
    const body = backends ? { backends: backends.map((b, i) => ({ id: String(b.pid), port: b.port, weight: weights![i] })) } : undefined;
    const response = await fetch(`http://127.0.0.1:${proxy.controlPort}/routes`, {
      method,
      headers: { authorization: `Bearer ${proxy.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5_000),
    }).catch((error: unknown) => {
      throw new ServiceError('deploy proxy', `control endpoint 127.0.0.1:${proxy.controlPort} did not answer: ${(error as Error).message}`);
    });
    const text = await response.text();
    if (!response.ok) throw new ServiceError('deploy proxy', `${method} /routes answered ${response.status}: ${text}`);
    return JSON.parse(text);
  }

  /** Starts `mlops <args>` detached, its output appended to `log`; resolves with its pid. */
  private async spawnDetached(args: string[], log: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const command = this.options.command ?? mlopsCommand();
    await mkdir(join(this.options.stateDir, 'logs'), { recursive: true });
    const fd = openSync(log, 'a');
    try {
      const child = spawn(command[0]!, [...command.slice(1), ...args], { detached: true, stdio: ['ignore', fd, fd], env });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('error', (error) => reject(new ServiceError('deploy', `cannot start ${command.join(' ')}: ${error.message}`)));
        child.once('spawn', () => resolve(child.pid!));
      });
      child.unref();
      return pid;
    } finally {
      closeSync(fd);
    }
  }

  /** The proxy on the stable port: the running one, or a new one. */
  private async ensureProxy(state: ProcessState, log: (line: string) => void): Promise<void> {
    if (state.proxy && alive(state.proxy.pid)) {
      if (state.port === this.port && state.host === this.host && (await this.proxyStatus(state))) return;
      log(`The proxy listens on ${state.host}:${state.port}; restarting it on ${this.host}:${this.port}.`);
      await stopProcess(state.proxy.pid, this.stopMs());
    }
    state.host = this.host;
    state.port = this.port;
    const token = randomBytes(24).toString('hex');
    const info = join(this.options.stateDir, 'proxy.json');
    await rm(info, { force: true });
    const proxyLog = join(this.options.stateDir, 'logs', 'proxy.log');
    const pid = await this.spawnDetached(['deploy', 'proxy', '--host', this.host, '--port', String(this.port), '--info', info], proxyLog, {
      ...process.env,
      MLOPS_PROXY_TOKEN: token,
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = await readFile(info, 'utf8').catch(() => undefined);
      const parsed = text ? (JSON.parse(text) as ProxyInfo) : undefined;
      if (parsed?.pid === pid) {
        state.proxy = { pid, controlPort: parsed.controlPort, token, log: proxyLog };
        await this.saveState(state);
        log(`Proxy started on ${this.url} (pid ${pid}).`);
        return;
      }
      if (!alive(pid) || Date.now() > deadline) {
        await stopProcess(pid, 1_000);
        const tail = await this.tail(proxyLog, 5);
        throw new InputError(`the deploy proxy could not listen on ${this.host}:${this.port}${tail ? `: ${tail}` : ''}`);
      }
      await sleep(50);
    }
  }

  private async tail(file: string | undefined, lines: number): Promise<string | undefined> {
    if (!file) return undefined;
    const text = await readFile(file, 'utf8').catch(() => '');
    const last = text.trimEnd().split('\n').slice(-lines).join('\n').trim();
    return last || undefined;
  }

  async logTail(candidate: Candidate, lines: number): Promise<string | undefined> {
    const state = await this.readState();
    const found = [...state.candidates, state.stable, state.canary].find((v) => v && String(v.pid) === candidate.id);
    return this.tail(found?.log, lines);
  }

  async running(candidate: Candidate): Promise<boolean> {
    return alive(Number(candidate.id) || undefined);
  }

  /** Starts the serving runtime for `version` on a free port; resolves with it (pid, port, log). */
  private async startVersion(version: ProcessVersion): Promise<ProcessVersion> {
    const port = await freePort();
    const log = join(this.options.stateDir, 'logs', `${version.version.replace(/[^A-Za-z0-9._-]/g, '_')}-${port}.log`);
    const args = ['serve', version.modelDir, '--port', String(port), '--host', '127.0.0.1', '--name', servedModelName(version.name)];
    args.push('--version', version.version, '--drain-seconds', String(this.options.drainSeconds ?? 2));
    if (version.profilePath) args.push('--profile', version.profilePath);
    const pid = await this.spawnDetached(args, log);
    return { ...version, pid, port, log, startedAt: new Date().toISOString() };
  }

  async start(plan: DeployPlan): Promise<Candidate> {
    const state = await this.readState();
    // Candidates a dead run left behind.
    for (const orphan of state.candidates) await stopProcess(orphan.pid, this.stopMs());
    state.candidates = [];
    await this.ensureProxy(state, plan.log);
    if (plan.strategy === 'recreate' && state.stable) {
      plan.log(
        `recreate: stopping ${state.stable.version} (pid ${state.stable.pid}) first; ${this.url} answers nothing until the new version is up.`,
      );
      await this.control(state, 'PUT', []);
      for (const old of [state.stable, state.canary]) await stopProcess(old?.pid, this.stopMs());
      state.previous = { ...state.stable, pid: undefined, port: undefined };
      state.stable = undefined;
      state.canary = undefined;
      await this.saveState(state);
    }
    const { model } = plan;
    const started = await this.startVersion({
      name: model.name,
      reference: model.reference,
      digest: model.digest,
      version: model.version,
      modelDir: model.modelDir,
      ...(model.profilePath ? { profilePath: model.profilePath } : {}),
    });
    state.candidates.push(started);
    await this.saveState(state);
    plan.log(`Started ${model.version} (pid ${started.pid}) on 127.0.0.1:${started.port}; log ${started.log}.`);
    return { directUrl: `http://127.0.0.1:${started.port}`, id: String(started.pid) };
  }

  async promote(plan: DeployPlan, candidate: Candidate, weight: number): Promise<ServingState> {
    const state = await this.readState();
    const chosen = state.candidates.find((c) => String(c.pid) === candidate.id);
    if (!chosen) throw new ServiceError('deploy', `candidate ${candidate.id} is not in ${this.stateFile}`);
    state.candidates = state.candidates.filter((c) => c !== chosen);
    const stable = state.stable && alive(state.stable.pid) ? state.stable : undefined;
    if (weight >= 100 || !stable) {
      if (weight < 100) plan.log(`Nothing serves yet: the canary takes all traffic.`);
      await this.control(state, 'PUT', [chosen], [100]);
      plan.onServing?.();
      const old = [state.stable, state.canary].filter((v): v is ProcessVersion => v !== undefined && v.pid !== chosen.pid);
      state.previous = state.stable ? { ...state.stable, pid: undefined, port: undefined } : state.previous;
      state.stable = chosen;
      state.canary = undefined;
      await this.saveState(state);
      plan.log(`${this.url} now sends every new connection to ${chosen.version} (pid ${chosen.pid}).`);
      const live = old.filter((v) => alive(v.pid));
      if (live.length) {
        await Promise.all(live.map((v) => stopProcess(v.pid, this.stopMs())));
        plan.log(
          `Stopped ${live.map((v) => `${v.version} (pid ${v.pid})`).join(', ')}: it drained (in-flight requests finished, keep-alive clients moved).`,
        );
      }
    } else {
      const replaced = state.canary && state.canary.pid !== chosen.pid ? state.canary : undefined;
      await this.control(state, 'PUT', [stable, chosen], [100 - weight, weight]);
      plan.onServing?.();
      state.canary = { ...chosen, weight };
      await this.saveState(state);
      plan.log(
        `${this.url} now sends ${weight} % of new connections to ${chosen.version} (pid ${chosen.pid}), the rest to ${stable.version}.`,
      );
      if (replaced && alive(replaced.pid)) await stopProcess(replaced.pid, this.stopMs());
    }
    await this.pruneModels(state);
    return (await this.current()) ?? { url: this.url };
  }

  async discard(candidate: Candidate): Promise<void> {
    const state = await this.readState();
    const found = state.candidates.find((c) => String(c.pid) === candidate.id);
    await stopProcess(found?.pid ?? (Number(candidate.id) || undefined), this.stopMs());
    state.candidates = state.candidates.filter((c) => c !== found);
    await this.saveState(state);
    await this.pruneModels(state);
  }

  /**
   * Removes pulled model folders (`<stateDir>/models/`) no version in the state uses: not serving, not
   * the rollback target, not a candidate. Folders younger than PRUNE_AFTER_MS stay: a parallel run may
   * have pulled one and be waiting for the deploy lock.
   */
  private async pruneModels(state: ProcessState): Promise<void> {
    const dir = join(this.options.stateDir, 'models');
    const used = new Set(
      [state.stable, state.canary, state.previous, ...state.candidates].flatMap((v) =>
        v ? [v.modelDir, `${v.modelDir}.profile.json`] : [],
      ),
    );
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      const path = join(dir, entry);
      if (used.has(path)) continue;
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > PRUNE_AFTER_MS) await rm(path, { recursive: true, force: true });
    }
  }

  async rollback(log: (line: string) => void): Promise<ServingState> {
    const state = await this.readState();
    if (state.canary) {
      if (!state.stable || !alive(state.stable.pid)) throw new InputError('the canary has no stable version beside it to roll back to');
      await this.control(state, 'PUT', [state.stable], [100]);
      const canary = state.canary;
      state.canary = undefined;
      await this.saveState(state);
      await stopProcess(canary.pid, this.stopMs());
      log(`Rolled back: the canary ${canary.version} is stopped; ${state.stable.version} takes all traffic.`);
      return (await this.current()) ?? { url: this.url };
    }
    const previous = state.previous;
    if (!previous) throw new InputError(`nothing to roll back to: no earlier version was deployed from ${this.options.stateDir}`);
    await this.ensureProxy(state, log);
    const started = await this.startVersion(previous);
    state.candidates.push(started);
    await this.saveState(state);
    const why = await waitForReady(`http://127.0.0.1:${started.port}`, this.options.loadingMs ?? 120_000, async () => !alive(started.pid));
    if (why) {
      await this.discard({ directUrl: '', id: String(started.pid) });
      const tail = await this.tail(started.log, 5);
      throw new ServiceError('deploy', `rollback: ${previous.version} did not come back: ${why}${tail ? `\n${tail}` : ''}`);
    }
    log(`${previous.version} is ready again (pid ${started.pid}).`);
    return this.promote(
      { model: { ...previous, modelDir: previous.modelDir }, strategy: 'blue-green', stateDir: this.options.stateDir, log },
      {
        directUrl: `http://127.0.0.1:${started.port}`,
        id: String(started.pid),
      },
      100,
    );
  }

  async stop(log: (line: string) => void): Promise<void> {
    const state = await this.readState();
    const running = [state.stable, state.canary, ...state.candidates].filter((v): v is ProcessVersion => alive(v?.pid));
    if (state.proxy && alive(state.proxy.pid)) {
      await this.control(state, 'PUT', []).catch(() => undefined);
      await stopProcess(state.proxy.pid, this.stopMs());
      log(`Stopped the proxy on http://${state.host}:${state.port} (pid ${state.proxy.pid}).`);
    }
    await Promise.all(running.map((v) => stopProcess(v.pid, this.stopMs())));
    for (const v of running) log(`Stopped ${v.version} (pid ${v.pid}).`);
    if (!running.length && !state.proxy) log('Nothing was running.');
    const stopped = state.stable ? { ...state.stable, pid: undefined, port: undefined } : state.previous;
    await this.saveState({ host: state.host, port: state.port, candidates: [], ...(stopped ? { previous: stopped } : {}) });
  }
}
