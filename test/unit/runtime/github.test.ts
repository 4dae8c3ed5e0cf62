// GitHubRuntime with @actions/cache and @actions/artifact replaced by per-module fixtures
// (test/fixtures/modules/), loaded before the runtime is imported; what it tells the runner is read back
// from stdout and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files (test/runner-double.ts).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cache from '../../fixtures/modules/cache.js';
import * as artifact from '../../fixtures/modules/artifact.js';
import { RunnerDouble } from '../../runner-double.js';

jest.unstable_mockModule('@actions/cache', () => cache);
jest.unstable_mockModule('@actions/artifact', () => artifact);
const { GitHubRuntime } = await import('../../../shared/runtime/github.js');

const RUNNER_VARIABLES = [
  'GITHUB_WORKSPACE',
  'GITHUB_REPOSITORY',
  'GITHUB_EVENT_NAME',
  'GITHUB_EVENT_PATH',
  'GITHUB_API_URL',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_STEP_SUMMARY',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'MLOPS_STATE_DIR',
];
const saved = Object.fromEntries(RUNNER_VARIABLES.map((name) => [name, process.env[name]]));
const runner = new RunnerDouble();
let workspace: string;

beforeEach(() => {
  jest.clearAllMocks();
  cache.isFeatureAvailable.mockReturnValue(true);
  for (const name of RUNNER_VARIABLES) delete process.env[name];
  workspace = mkdtempSync(join(tmpdir(), 'github-runtime-'));
  process.env.GITHUB_WORKSPACE = workspace;
  runner.start();
});

afterEach(() => {
  runner.stop();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.exitCode = undefined;
});

describe('GitHubRuntime: inputs, annotations, failure', () => {
  it('treats an empty input as not given', () => {
    runner.given({ data: ' a.csv\n', schema: '' });
    const runtime = new GitHubRuntime();
    expect(runtime.input('data')).toBe('a.csv');
    expect(runtime.input('schema')).toBeUndefined();
  });

  it('turns a location and title into annotation properties, and fail() sets exit code 1', () => {
    const runtime = new GitHubRuntime();
    runtime.warning('drifted', { file: 'data/a.csv', line: 3, column: 2, title: 'validate-data: drift' });
    expect(runner.commands('warning')).toEqual([
      { command: 'warning', properties: { file: 'data/a.csv', line: '3', col: '2', title: 'validate-data: drift' }, message: 'drifted' },
    ]);
    expect(runner.stdout).toContain('::warning title=validate-data%3A drift,file=data/a.csv,line=3,col=2::drifted\n');
    runtime.fail('broken');
    expect(runner.commands('error')).toEqual([{ command: 'error', properties: {}, message: 'broken' }]);
    expect(process.exitCode).toBe(1);
  });

  it('writes outputs to GITHUB_OUTPUT and the summary to GITHUB_STEP_SUMMARY, or to the log without it', async () => {
    const runtime = new GitHubRuntime();
    runtime.setOutput('metrics', '{"f1": 0.9}\nsecond line');
    await runtime.summary('# Report');
    expect(runner.outputs()).toEqual([['metrics', '{"f1": 0.9}\nsecond line']]);
    expect(runner.summary()).toBe('# Report\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    await runtime.summary('# Again');
    expect(runner.log()).toEqual(['GITHUB_STEP_SUMMARY is not set: the job summary goes to the log instead.', '# Again']);
  });

  it("cuts a summary to GitHub's 1 MiB per step, counting what the step wrote before, and says where the full report is (issue 9, item 7)", async () => {
    const runtime = new GitHubRuntime();
    await runtime.summary('# First\n');
    // 15.7 MiB was what 2,000 classes wrote: GitHub then drops the whole summary.
    const table = Array.from({ length: 200_000 }, (_, i) => `| class-${i} | 0.5 | 0.5 | 0.5 | 0.5 | 0.5 | 0.5 | 0.5 |`).join('\n');
    expect(await runtime.summary(`# Report\n\n${table}\n`, 'report.json in artifact evaluate-report')).toBe(true);
    const written = readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(Buffer.byteLength(written)).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.byteLength(written)).toBeGreaterThan(1000 * 1024);
    expect(written.startsWith('# First\n')).toBe(true);
    expect(written).toMatch(
      /\n> This summary was cut at a line boundary to stay under GitHub's limit of 1 MiB per step \(it has \d+\.\d MiB\)\. The full report is in report\.json in artifact evaluate-report\.\n+$/,
    );
    expect(runner.log()).toContain(
      "The job summary was cut to stay under GitHub's limit of 1 MiB per step; the full report is in report.json in artifact evaluate-report.",
    );
  });

  it('names its run after GITHUB_RUN_ID and the attempt', () => {
    process.env.GITHUB_RUN_ID = '4242';
    process.env.GITHUB_RUN_ATTEMPT = '2';
    expect(new GitHubRuntime().runId).toMatch(/^4242-2-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  });
});

describe('GitHubRuntime: the event, the repository and the GitHub client', () => {
  it('reads the event from GITHUB_EVENT_NAME and GITHUB_EVENT_PATH', () => {
    const path = join(workspace, 'event.json');
    writeFileSync(path, JSON.stringify({ number: 7, pull_request: { number: 7 } }));
    process.env.GITHUB_EVENT_NAME = 'pull_request';
    process.env.GITHUB_EVENT_PATH = path;
    expect(new GitHubRuntime().event()).toEqual({ name: 'pull_request', payload: { number: 7, pull_request: { number: 7 } } });
  });

  it('warns and goes on with an empty payload when the event file cannot be read', () => {
    process.env.GITHUB_EVENT_NAME = 'push';
    process.env.GITHUB_EVENT_PATH = join(workspace, 'missing.json');
    expect(new GitHubRuntime().event()).toEqual({ name: 'push', payload: {} });
    expect(runner.messages('warning')).toEqual([
      expect.stringContaining(`Could not read the event payload ${join(workspace, 'missing.json')}`),
    ]);
  });

  it('says what is missing instead of a client: the repository, then the token', async () => {
    const runtime = new GitHubRuntime();
    expect(runtime.repository()).toBeUndefined();
    expect(await runtime.github('ghs_x')).toEqual({ unavailable: 'GITHUB_REPOSITORY (owner/name) is not set' });
    process.env.GITHUB_REPOSITORY = 'octo-org/ml-repo/extra';
    expect(runtime.repository()).toBeUndefined();
    process.env.GITHUB_REPOSITORY = 'octo-org/ml-repo';
    expect(runtime.repository()).toEqual({ owner: 'octo-org', repo: 'ml-repo' });
    expect(await runtime.github(undefined)).toEqual({ unavailable: 'the github-token input is empty' });
    expect(runner.commands('add-mask')).toEqual([]);
  });

  it('gives a client for the repository and masks the token', async () => {
    process.env.GITHUB_REPOSITORY = 'octo-org/ml-repo';
    process.env.GITHUB_API_URL = 'http://127.0.0.1:9';
    const access = await new GitHubRuntime().github('ghs_secretToken');
    if ('unavailable' in access) throw new Error(access.unavailable);
    expect(access.repository).toEqual({ owner: 'octo-org', repo: 'ml-repo' });
    expect(access.client.request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:9');
    expect(runner.messages('add-mask')).toEqual(['ghs_secretToken']);
  });
});

describe('GitHubRuntime: the cache', () => {
  // The runner gives the results service's address; without it @actions/cache is not even loaded.
  beforeEach(() => {
    process.env.ACTIONS_RESULTS_URL = 'http://127.0.0.1:9/';
  });
  afterEach(() => {
    delete process.env.ACTIONS_RESULTS_URL;
  });

  it('returns false and says the entry was not stored when saveCache returns -1 (it only warned)', async () => {
    cache.saveCache.mockResolvedValue(-1);
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache(['model'], 'mlops-train-abc')).toBe(false);
    expect(runner.messages('warning')).toEqual([
      'The Actions cache did not store mlops-train-abc (see the message above); a later run with the same key will not find it.',
    ]);
    expect(runner.log()).not.toContainEqual(expect.stringContaining('Saved'));
  });

  it('returns true when saveCache returns an entry id', async () => {
    cache.saveCache.mockResolvedValue(17);
    expect(await new GitHubRuntime().saveCache(['model'], 'mlops-train-abc')).toBe(true);
    expect(cache.saveCache).toHaveBeenCalledWith(['model'], 'mlops-train-abc');
    expect(runner.commands('warning')).toEqual([]);
  });

  it('fails soft when saveCache throws (a validation error, say)', async () => {
    cache.saveCache.mockRejectedValue(new Error('Key Validation Error: too long'));
    expect(await new GitHubRuntime().saveCache(['model'], 'k')).toBe(false);
    expect(runner.messages('warning')).toEqual(['Cache save failed, continuing: Key Validation Error: too long']);
  });

  it('returns the matched key on a hit and undefined on a miss', async () => {
    const runtime = new GitHubRuntime();
    cache.restoreCache.mockResolvedValueOnce('mlops-train-abc');
    expect(await runtime.restoreCache(['model'], 'mlops-train-abc', ['mlops-train-'])).toBe('mlops-train-abc');
    expect(cache.restoreCache).toHaveBeenLastCalledWith(['model'], 'mlops-train-abc', ['mlops-train-']);
    cache.restoreCache.mockResolvedValueOnce(undefined);
    expect(await runtime.restoreCache(['model'], 'mlops-train-def')).toBeUndefined();
    expect(runner.commands('warning')).toEqual([]);
  });

  it('fails soft when restoreCache throws', async () => {
    cache.restoreCache.mockRejectedValue(new Error('socket hang up'));
    expect(await new GitHubRuntime().restoreCache(['model'], 'k')).toBeUndefined();
    expect(runner.messages('warning')).toEqual(['Cache restore failed, continuing without it: socket hang up']);
  });

  it('falls back to .mlops/cache, saying so, when the cache service is not available', async () => {
    cache.isFeatureAvailable.mockReturnValue(false);
    writeFileSync(join(workspace, 'model.onnx'), 'graph');
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache(['model.onnx'], 'k1')).toBe(true);
    writeFileSync(join(workspace, 'model.onnx'), 'changed');
    expect(await runtime.restoreCache(['model.onnx'], 'k1')).toBe('k1');
    expect(readFileSync(join(workspace, 'model.onnx'), 'utf8')).toBe('graph');
    expect(cache.saveCache).not.toHaveBeenCalled();
    expect(runner.log()).toContain('The Actions cache service is not available here: using .mlops/cache instead.');
  });

  it('uses .mlops/cache without asking @actions/cache when the runner gave no cache service address', async () => {
    delete process.env.ACTIONS_RESULTS_URL;
    cache.isFeatureAvailable.mockReturnValue(true);
    writeFileSync(join(workspace, 'model.onnx'), 'graph');
    const runtime = new GitHubRuntime();
    expect(await runtime.saveCache(['model.onnx'], 'k1')).toBe(true);
    expect(await runtime.restoreCache(['model.onnx'], 'k1')).toBe('k1');
    expect(cache.isFeatureAvailable).not.toHaveBeenCalled();
    expect(cache.saveCache).not.toHaveBeenCalled();
  });
});

describe('GitHubRuntime: artifacts', () => {
  it('uploads through DefaultArtifactClient when the runner gave a results service', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'token';
    process.env.ACTIONS_RESULTS_URL = 'http://127.0.0.1:9/';
    artifact.uploadArtifact.mockResolvedValue({ id: 12, size: 5 });
    const stored = await new GitHubRuntime().uploadArtifact('report', ['report.md'], workspace);
    expect(stored).toEqual({ name: 'report', id: 12, location: 'artifact report (id 12)' });
    expect(artifact.uploadArtifact).toHaveBeenCalledWith('report', [join(workspace, 'report.md')], workspace);
  });

  it('fails hard, as a ServiceError naming the artifact, when the upload fails', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'token';
    process.env.ACTIONS_RESULTS_URL = 'http://127.0.0.1:9/';
    artifact.uploadArtifact.mockRejectedValue(new Error('upload aborted'));
    await expect(new GitHubRuntime().uploadArtifact('report', ['report.md'], workspace)).rejects.toThrow(
      'GitHub Actions artifacts: uploading artifact report (1 file) failed: upload aborted',
    );
  });

  it('stores the artifact under .mlops/artifacts, saying so, without ACTIONS_RUNTIME_TOKEN', async () => {
    writeFileSync(join(workspace, 'report.md'), '# report');
    const stored = await new GitHubRuntime().uploadArtifact('report', ['report.md'], workspace);
    expect(readFileSync(join(stored.location, 'report.md'), 'utf8')).toBe('# report');
    expect(artifact.uploadArtifact).not.toHaveBeenCalled();
    expect(runner.log()).toContainEqual(
      expect.stringContaining('ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset: artifact report stored in'),
    );
  });
});
