import { appendFile, mkdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Location } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { FULL_REPORT_DEFAULT, fitMarkdownBytes, SUMMARY_LIMIT_BYTES } from '../markdown/cut.js';
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
  /**
   * Writes text as is (no newline added), for a progress line redrawn in place with `\r`. Given only
   * when the log goes to a terminal; without it, the lines of a group are counted, not shown.
   */
  progress?: (text: string) => void;
  /** The terminal's width, to keep the progress line on one line; 80 by default. */
  columns?: number;
  /** The run id shared by the stages of one loop; a new one by default. */
  runId?: string;
  /** The stage this runtime runs: its files go to `.mlops/runs/<run-id>/<stage>/`. */
  stage?: string;
  /** Where GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH and GITHUB_JOB are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/** A group of log lines being collapsed: how many were hidden, and whether a progress line is on screen. */
interface OpenGroup {
  name: string;
  lines: number;
  drawn: boolean;
}

/**
 * `file:line:column: message`, naming the place once: a message that already starts with its file
 * (`data.csv:5: …`, `data.csv: …`, `data.csv is empty`) or that names the file and has no line to add
 * is not prefixed again.
 */
export function located(message: string, at?: Location): string {
  if (!at?.file) return message;
  const place = `${at.file}${at.line ? `:${at.line}` : ''}${at.column ? `:${at.column}` : ''}`;
  if (message.startsWith(`${at.file}:`)) {
    // `file: message` gains the line; `file:5: message` already has one.
    return /^:\d/.test(message.slice(at.file.length)) ? message : `${place}: ${message.slice(at.file.length + 1).trimStart()}`;
  }
  if (message.startsWith(`${at.file} `)) return `${place}${message.slice(at.file.length)}`;
  if (!at.line && message.includes(at.file)) return message;
  return `${place}: ${message}`;
}

/** The runtime of the `mlops` CLI: inputs from the command line, everything else under `.mlops/`. */
export class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly workspace: string;
  readonly stateDir: string;
  readonly runId: string;
  readonly outputs: Record<string, string> = {};
  failed: string | undefined;
  private readonly secrets: string[] = [];
  private readonly log: (line: string) => void;
  private openGroup: OpenGroup | undefined;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.workspace = resolve(options.workspace ?? process.cwd());
    this.stateDir = resolve(this.workspace, options.stateDir ?? '.mlops');
    this.runId = options.runId ?? newRunId();
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** This stage's folder of the run: `.mlops/runs/<run-id>/<stage>/` (the run's folder when no stage was named). */
  get runDir(): string {
    return join(this.stateDir, 'runs', this.runId, this.options.stage ?? '');
  }

  input(name: string): string | undefined {
    const value = this.options.inputs[name];
    return value === undefined || value === '' ? undefined : value;
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }

  async summary(markdown: string, fullReportAt = FULL_REPORT_DEFAULT): Promise<boolean> {
    await mkdir(this.runDir, { recursive: true });
    const path = join(this.runDir, 'summary.md');
    // The same limit as on GitHub, so what a local run shows is what a job would.
    const written = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const { text, cut } = fitMarkdownBytes(markdown, SUMMARY_LIMIT_BYTES - written - 1, fullReportAt);
    if (cut) this.info(`The summary was cut to stay under GitHub's limit of 1 MiB per step; the full report is in ${fullReportAt}.`);
    await appendFile(path, text.endsWith('\n') ? text : `${text}\n`);
    return cut;
  }

  private masked(line: string): string {
    let text = line;
    for (const secret of this.secrets) text = text.split(secret).join('***');
    return text;
  }

  private write(line: string): void {
    this.clearProgress();
    this.log(this.masked(line));
  }

  private clearProgress(): void {
    if (this.openGroup?.drawn && this.options.progress) {
      this.options.progress('\r\u001b[K');
      this.openGroup.drawn = false;
    }
  }

  info(message: string): void {
    const group = this.openGroup;
    if (!group) return this.write(message);
    group.lines++;
    if (!this.options.progress) return;
    // One line, redrawn in place: the group's name and its latest line, cut to the terminal's width.
    const width = Math.max(20, (this.options.columns ?? 80) - 1);
    const text = `  ${group.lines} · ${this.masked(message).replace(/\s/g, ' ').split('\u001b').join('')}`;
    this.options.progress(`\r\u001b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    group.drawn = true;
  }

  async group<T>(name: string, fn: () => Promise<T>, options: { log?: string; verbatim?: boolean } = {}): Promise<T> {
    if (this.openGroup) return fn();
    this.write(name);
    const group: OpenGroup = { name, lines: 0, drawn: false };
    this.openGroup = group;
    try {
      return await fn();
    } finally {
      this.clearProgress();
      this.openGroup = undefined;
      if (group.lines) {
        const inside = options.log ? relative(this.workspace, options.log) : '';
        const where = options.log ? `; all of it is in ${inside && !inside.startsWith('..') ? inside : options.log}` : '';
        this.write(`  (${group.lines} line${group.lines === 1 ? '' : 's'} of output not shown${where})`);
      }
    }
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  job(): string | undefined {
    return (this.options.env ?? process.env).GITHUB_JOB || undefined;
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
  runUrl(): string | undefined {
    return undefined;
  }
  repository(): Repository | undefined {
    return repositoryFrom(this.options.env ?? process.env);
  }
  /** A client only when a repository (GITHUB_REPOSITORY) and a token (`token`, else GITHUB_TOKEN) are given. */
  /** A laptop has no workflow identity to sign with: provenance comes only from a GitHub Actions job. */
  signProvenance(): Promise<{ unavailable: string }> {
    return Promise.resolve({
      unavailable:
        'it runs outside GitHub Actions: a provenance attestation is signed with the identity of a workflow job (OIDC), which a local run has not',
    });
  }

  github(token?: string): Promise<GitHubAccess> {
    // The action.yml default `${{ github.token }}` reaches the CLI unexpanded: it is no token.
    const given = token && !token.startsWith('${{') ? token : undefined;
    return gitHubAccess(this.repository(), given ?? (this.options.env ?? process.env).GITHUB_TOKEN, {
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
