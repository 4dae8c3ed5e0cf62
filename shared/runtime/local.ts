import { appendFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Location } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { newRunId } from '../run-id.js';
import { LocalCache, storeLocalArtifact } from './local-store.js';
import type { GitHubAccess, Repository, RunEvent, Runtime, StoredArtifact } from './port.js';
import { eventFrom, gitHubAccess, repositoryFrom } from './runner-environment.js';

export interface LocalRuntimeOptions {
  inputs: Record<string, string | undefined>;
  workspace?: string;
  stateDir?: string;
  /** Where log lines go; stderr by default so stdout stays machine-readable. */
  log?: (line: string) => void;
  /** Where GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/** `file:line:column: message`, without repeating a file name the message already starts with. */
function located(message: string, at?: Location): string {
  if (!at?.file) return message;
  const place = `${at.file}${at.line ? `:${at.line}` : ''}${at.column ? `:${at.column}` : ''}`;
  return message.startsWith(`${at.file}: `) ? `${place}: ${message.slice(at.file.length + 2)}` : `${place}: ${message}`;
}

/** The runtime of the `mlops` CLI: inputs from the command line, everything else under `.mlops/`. */
export class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly workspace: string;
  readonly stateDir: string;
  readonly runId = newRunId();
  readonly outputs: Record<string, string> = {};
  failed: string | undefined;
  private readonly secrets: string[] = [];
  private readonly log: (line: string) => void;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.workspace = resolve(options.workspace ?? process.cwd());
    this.stateDir = resolve(this.workspace, options.stateDir ?? '.mlops');
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get runDir(): string {
    return join(this.stateDir, 'runs', this.runId);
  }

  input(name: string): string | undefined {
    const value = this.options.inputs[name];
    return value === undefined || value === '' ? undefined : value;
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }

  async summary(markdown: string): Promise<void> {
    await mkdir(this.runDir, { recursive: true });
    await appendFile(join(this.runDir, 'summary.md'), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  }

  private write(line: string): void {
    let text = line;
    for (const secret of this.secrets) text = text.split(secret).join('***');
    this.log(text);
  }

  info(message: string): void {
    this.write(message);
  }
  debug(message: string): void {
    if (process.env.MLOPS_DEBUG) this.write(`debug: ${message}`);
  }
  warning(message: string, at?: Location): void {
    this.write(`warning: ${located(message, at)}`);
  }
  error(message: string, at?: Location): void {
    this.write(`error: ${located(message, at)}`);
  }
  notice(message: string, at?: Location): void {
    this.write(`notice: ${located(message, at)}`);
  }
  mask(secret: string): void {
    if (secret) this.secrets.push(secret);
  }
  fail(message: string, at?: Location): void {
    this.failed = message;
    this.error(message, at);
    process.exitCode = 1;
  }

  /** The event GITHUB_EVENT_NAME / GITHUB_EVENT_PATH describe when set (a warning when unreadable), else the stand-in `local`. */
  event(): RunEvent {
    const env = this.options.env ?? process.env;
    try {
      return eventFrom(env, 'local') ?? { name: 'local', payload: {} };
    } catch (error) {
      this.warning(`Could not read the event payload ${env.GITHUB_EVENT_PATH}, using the local stand-in: ${(error as Error).message}`);
      return { name: 'local', payload: {} };
    }
  }
  repository(): Repository | undefined {
    return repositoryFrom(this.options.env ?? process.env);
  }
  /** A client only when a repository (GITHUB_REPOSITORY) and a token (`token`, else GITHUB_TOKEN) are given. */
  github(token?: string): Promise<GitHubAccess> {
    return gitHubAccess(this.repository(), token ?? (this.options.env ?? process.env).GITHUB_TOKEN, {
      apiUrl: (this.options.env ?? process.env).GITHUB_API_URL,
      missingToken: 'GITHUB_TOKEN is not set',
      mask: (secret) => this.mask(secret),
      warn: (message) => this.warning(message),
    });
  }

  async uploadArtifact(name: string, files: string[], rootDir: string): Promise<StoredArtifact> {
    const location = await storeLocalArtifact(join(this.stateDir, 'artifacts'), name, files, rootDir);
    this.info(`Artifact ${name} stored in ${location} (no Actions artifact service here).`);
    return { name, location };
  }

  async restoreCache(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined> {
    try {
      return await new LocalCache(join(this.stateDir, 'cache'), this.workspace).restore(paths, key, restoreKeys);
    } catch (error) {
      this.warning(`Cache restore failed, continuing without it: ${(error as Error).message}`);
      return undefined;
    }
  }

  async saveCache(paths: string[], key: string): Promise<boolean> {
    try {
      await new LocalCache(join(this.stateDir, 'cache'), this.workspace).save(paths, key);
      return true;
    } catch (error) {
      this.warning(`Cache save failed, continuing: ${(error as Error).message}`);
      return false;
    }
  }

  /** Records the run's inputs and outputs under `.mlops/runs/<run-id>/`. */
  async recordRun(stage: string): Promise<void> {
    await writeFileAtomic(
      join(this.runDir, 'run.json'),
      `${JSON.stringify({ stage, runId: this.runId, inputs: this.options.inputs, outputs: this.outputs, failed: this.failed ?? null }, null, 2)}\n`,
    );
  }
}
