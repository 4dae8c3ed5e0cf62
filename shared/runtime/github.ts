import { stat } from 'node:fs/promises';
import { EOL, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Location, ServiceError } from '../errors.js';
import { FULL_REPORT_DEFAULT, fitMarkdownBytes, SUMMARY_LIMIT_BYTES } from '../markdown/cut.js';
import { newRunId } from '../run-id.js';
import { restoreConfined } from './confined-restore.js';
import { LocalCache, storeLocalArtifact } from './local-store.js';
import type { GitHubAccess, ProvenanceSubject, Repository, RunEvent, Runtime, SignedProvenance, StoredArtifact } from './port.js';
import { eventFrom, gitHubAccess, repositoryFrom } from './runner-environment.js';
import * as runner from './workflow-commands.js';

function properties(at?: Location & { title?: string }): runner.AnnotationProperties {
  return { file: at?.file, startLine: at?.line, startColumn: at?.column, title: at?.title };
}

/**
 * False when neither address of the Actions cache service is set, so @actions/cache's
 * isFeatureAvailable() would say no: then that module (large, slow to load) is not loaded to hear it.
 */
function cacheServiceAddressed(): boolean {
  return Boolean(process.env.ACTIONS_RESULTS_URL || process.env.ACTIONS_CACHE_URL);
}

/**
 * A stage run by the root action's loop (`mlops run` inside a job): its inputs come from mlops.yml, not
 * from INPUT_* variables, and its outputs stay in memory for the next stage instead of the step's outputs.
 */
export interface LoopStageOptions {
  inputs: Record<string, string>;
  /** The folder mlops.yml is in: relative paths start there. */
  workspace: string;
  stateDir: string;
  runId: string;
}

/** The runtime inside a GitHub Actions job: the runner's workflow commands and files, @actions/artifact, @actions/cache. */
export class GitHubRuntime implements Runtime {
  readonly kind = 'github' as const;
  readonly workspace: string;
  readonly stateDir: string;
  readonly runId: string;
  /** With LoopStageOptions: the outputs the stage set, and why it failed. */
  readonly outputs: Record<string, string> = {};
  failed: string | undefined;

  constructor(private readonly loop?: LoopStageOptions) {
    this.workspace = loop?.workspace ?? resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
    this.stateDir = loop?.stateDir ?? resolve(this.workspace, process.env.MLOPS_STATE_DIR ?? '.mlops');
    this.runId =
      loop?.runId ??
      (process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${newRunId()}` : newRunId());
  }

  input(name: string): string | undefined {
    const value = this.loop ? this.loop.inputs[name] : runner.getInput(name);
    return value === '' ? undefined : value;
  }
  setOutput(name: string, value: string): void {
    if (this.loop) this.outputs[name] = value;
    else runner.setOutput(name, value);
  }
  async summary(markdown: string, fullReportAt = FULL_REPORT_DEFAULT): Promise<boolean> {
    const path = process.env.GITHUB_STEP_SUMMARY;
    // What this step already wrote counts towards the limit; a summary over it is dropped whole by GitHub.
    const written = path
      ? await stat(path).then(
          (s) => s.size,
          () => 0,
        )
      : 0;
    const { text, cut } = fitMarkdownBytes(markdown, SUMMARY_LIMIT_BYTES - written - EOL.length, fullReportAt);
    if (cut) runner.info(`The job summary was cut to stay under GitHub's limit of 1 MiB per step; the full report is in ${fullReportAt}.`);
    if (!path) {
      runner.info('GITHUB_STEP_SUMMARY is not set: the job summary goes to the log instead.');
      runner.info(text);
      return cut;
    }
    await runner.appendSummary(text);
    return cut;
  }
  info(message: string): void {
    runner.info(message);
  }
  debug(message: string): void {
    runner.debug(message);
  }
  warning(message: string, at?: Location & { title?: string }): void {
    runner.annotate('warning', message, properties(at));
  }
  error(message: string, at?: Location & { title?: string }): void {
    runner.annotate('error', message, properties(at));
  }
  notice(message: string, at?: Location & { title?: string }): void {
    runner.annotate('notice', message, properties(at));
  }
  group<T>(name: string, fn: () => Promise<T>, options: { verbatim?: boolean } = {}): Promise<T> {
    return options.verbatim ? runner.verbatimGroup(name, fn) : runner.group(name, fn);
  }
  drained(): Promise<void> {
    return runner.drained();
  }
  job(): string | undefined {
    return process.env.GITHUB_JOB || undefined;
  }
  mask(secret: string): void {
    runner.setSecret(secret);
  }
  fail(message: string, at?: Location & { title?: string }): void {
    this.failed = message;
    runner.annotate('error', message, properties(at));
    process.exitCode = 1;
  }

  event(): RunEvent {
    try {
      return eventFrom(process.env, 'unknown') ?? { name: process.env.GITHUB_EVENT_NAME ?? 'unknown', payload: {} };
    } catch (error) {
      runner.annotate('warning', `Could not read the event payload ${process.env.GITHUB_EVENT_PATH}: ${(error as Error).message}`);
      return { name: process.env.GITHUB_EVENT_NAME ?? 'unknown', payload: {} };
    }
  }
  runUrl(): string | undefined {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = process.env;
    if (!server || !repository || !run) return undefined;
    return `${server}/${repository}/actions/runs/${run}${attempt ? `/attempts/${attempt}` : ''}`;
  }
  repository(): Repository | undefined {
    return repositoryFrom(process.env);
  }
  github(token?: string): Promise<GitHubAccess> {
    return gitHubAccess(this.repository(), token, {
      apiUrl: process.env.GITHUB_API_URL,
      missingToken: 'the github-token input is empty',
      mask: (secret) => this.mask(secret),
      warn: (message) => this.warning(message),
    });
  }

  async signProvenance(subjects: ProvenanceSubject[]): Promise<SignedProvenance | { unavailable: string }> {
    // The runner sets these only for a job granted `id-token: write`.
    if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
      return {
        unavailable:
          'the job cannot request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are unset): give the job `permissions: { id-token: write, attestations: write }`',
      };
    // Loaded lazily: Sigstore's client and @actions/attest are large and most runs never sign.
    const { signProvenance, sigstoreEndpoints, testSigstoreEndpoints, TEST_SIGSTORE_VARIABLE } = await import('./provenance-signing.js');
    const testing = testSigstoreEndpoints(process.env[TEST_SIGSTORE_VARIABLE]);
    if (testing)
      runner.annotate(
        'warning',
        `${TEST_SIGSTORE_VARIABLE} is set: the provenance is signed by the loopback Sigstore at ${testing.fulcioURL}, which no verifier trusts (it is for tests only)`,
      );
    const visibility = (this.event().payload.repository as { visibility?: unknown } | undefined)?.visibility;
    return signProvenance(subjects, testing ?? sigstoreEndpoints(visibility, process.env.GITHUB_SERVER_URL || undefined));
  }

  async uploadArtifact(name: string, files: string[], rootDir: string): Promise<StoredArtifact> {
    if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
      const location = await storeLocalArtifact(join(this.stateDir, 'artifacts'), name, files, rootDir);
      runner.info(`ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset: artifact ${name} stored in ${location} instead.`);
      return { name, location };
    }
    // Loaded lazily: the artifact client is large and most runs never upload.
    const { DefaultArtifactClient } = await import('@actions/artifact');
    let result: { id?: number };
    try {
      result = await new DefaultArtifactClient().uploadArtifact(
        name,
        files.map((f) => resolve(rootDir, f)),
        rootDir,
      );
    } catch (error) {
      // A service failure, not a bug: say which artifact, keep the client's reason.
      throw new ServiceError(
        'GitHub Actions artifacts',
        `uploading artifact ${name} (${files.length} file${files.length === 1 ? '' : 's'}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { name, id: result.id, location: `artifact ${name} (id ${result.id ?? 'unknown'})` };
  }

  private localCache(): LocalCache {
    return new LocalCache(join(this.stateDir, 'cache'), this.workspace);
  }

  async restoreCache(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined> {
    try {
      const cache = cacheServiceAddressed() ? await import('@actions/cache') : undefined;
      if (!cache?.isFeatureAvailable()) {
        runner.info('The Actions cache service is not available here: using .mlops/cache instead.');
        return await this.localCache().restore(paths, key, restoreKeys);
      }
      return await restoreConfined(cache.restoreCache, paths, key, restoreKeys, {
        workspace: this.workspace,
        tempRoot: process.env.RUNNER_TEMP || tmpdir(),
        warn: (message) => runner.annotate('warning', message),
      });
    } catch (error) {
      runner.annotate('warning', `Cache restore failed, continuing without it: ${(error as Error).message}`);
      return undefined;
    }
  }

  async saveCache(paths: string[], key: string): Promise<boolean> {
    try {
      const cache = cacheServiceAddressed() ? await import('@actions/cache') : undefined;
      if (!cache?.isFeatureAvailable()) {
        runner.info('The Actions cache service is not available here: using .mlops/cache instead.');
        await this.localCache().save(paths, key);
        return true;
      }
      // -1 means @actions/cache did not save (it has said why: a reservation refused, an upload or a finalize failed).
      if ((await cache.saveCache(paths, key)) === -1) {
        runner.annotate(
          'warning',
          `The Actions cache did not store ${key} (see the message above); a later run with the same key will not find it.`,
        );
        return false;
      }
      return true;
    } catch (error) {
      runner.annotate('warning', `Cache save failed, continuing: ${(error as Error).message}`);
      return false;
    }
  }
}
