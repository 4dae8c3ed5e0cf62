// GitHub Deployments for the deploy stage, against the GitHub double (every request checked against
// GitHub's OpenAPI description): created with auto_merge false and required_contexts [] (so the run's
// own pending checks do not block it), statuses in_progress then success (with the serving URL) or
// failure; none with github-deployment: false; a refusal names the permission and never fails the deploy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../../shared/cli/main.js';
import { ServiceError } from '../../../shared/errors.js';
import { createGitHubClient } from '../../../shared/github/client.js';
import { createDeployment, setDeploymentStatus } from '../../../shared/github/deployments.js';
import { startGitHubDouble, type GitHubDouble } from '../../github-double/server.js';
import { deployState, freePort, registerDigits, sourceCliEnv, type RegisteredModels } from './registered-models.js';

const TOKEN = 'ghs_deploymentsTest';
const SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
let double: GitHubDouble;
let models: RegisteredModels;
let stateDir: string;
let state: ReturnType<typeof deployState>;
let port: number;
let saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository('acme', 'models');
  // The run's own check is pending while it deploys.
  double.setPendingChecks(SHA, ['ci/build']);
  saved = { MLOPS_CLI: process.env.MLOPS_CLI, NODE_OPTIONS: process.env.NODE_OPTIONS, GITHUB_SHA: process.env.GITHUB_SHA };
  Object.assign(process.env, sourceCliEnv(), { GITHUB_SHA: SHA });
  models = await registerDigits();
  state = deployState('deploy-github-');
  stateDir = state.stateDir;
  port = await freePort();
});

afterAll(async () => {
  await state.cleanup();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await double.close();
});

async function deploy(version: string, extra: string[] = []): Promise<{ code: number; outputs: Record<string, string>; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['deploy', '--model', models.reference(version), '--port', String(port), '--state-dir', stateDir, '--output', 'json', ...extra],
    (t) => out.push(t),
    (t) => err.push(t),
    { env: { ...process.env, GITHUB_REPOSITORY: 'acme/models', GITHUB_TOKEN: TOKEN, GITHUB_API_URL: double.url } },
  );
  state.note();
  return { code, outputs: JSON.parse(out.join('') || '{}') as Record<string, string>, stderr: err.join('') };
}

describe('GitHub Deployments', () => {
  it('the API calls: auto_merge false, required_contexts [], payload, statuses; a pending check does not block', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
    const id = await createDeployment(client, {
      owner: 'acme',
      repo: 'models',
      ref: SHA,
      environment: 'staging',
      description: 'digits v1',
      payload: { digest: models.digests.v1!, image: 'ghcr.io/acme/digits-serving:sha256-1' },
    });
    await setDeploymentStatus(client, { owner: 'acme', repo: 'models' }, id, {
      state: 'success',
      environmentUrl: 'http://127.0.0.1:8080',
      logUrl: 'https://github.com/acme/models/actions/runs/1',
    });
    const [deployment] = double.deployments('acme', 'models');
    expect(deployment).toMatchObject({
      id,
      environment: 'staging',
      autoMerge: false,
      requiredContexts: [],
      payload: { digest: models.digests.v1, image: 'ghcr.io/acme/digits-serving:sha256-1' },
    });
    expect(deployment!.statuses).toMatchObject([
      { state: 'success', environmentUrl: 'http://127.0.0.1:8080', logUrl: 'https://github.com/acme/models/actions/runs/1' },
    ]);
    expect(double.violations).toEqual([]);

    // Without required_contexts: [] GitHub would have refused it (409), which is why it is sent.
    await expect(client.rest.repos.createDeployment({ owner: 'acme', repo: 'models', ref: SHA, environment: 'x' })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('a refusal names the permission the token needs', async () => {
    const client = createGitHubClient({ token: TOKEN, baseUrl: double.url, retryDelayMs: 1 });
    double.failNext('POST', '/repos/{owner}/{repo}/deployments', 403);
    const attempt = createDeployment(client, {
      owner: 'acme',
      repo: 'models',
      ref: SHA,
      environment: 'e',
      description: 'd',
      payload: { digest: 'sha256:x' },
    });
    await expect(attempt).rejects.toThrow(ServiceError);
    double.failNext('POST', '/repos/{owner}/{repo}/deployments', 403);
    await expect(
      createDeployment(client, {
        owner: 'acme',
        repo: 'models',
        ref: SHA,
        environment: 'e',
        description: 'd',
        payload: { digest: 'sha256:x' },
      }),
    ).rejects.toThrow(/failed with 403.*deployments: write/);
  });

  it('the stage records in_progress then success with the URL, and in_progress then failure when preflight fails', async () => {
    const before = double.deployments('acme', 'models').length;
    const ok = await deploy('v1', ['--environment', 'staging']);
    expect(ok.code).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    const created = double.deployments('acme', 'models').slice(before);
    expect(created).toHaveLength(1);
    expect(ok.outputs['deployment-id']).toBe(String(created[0]!.id));
    expect(created[0]).toMatchObject({
      environment: 'staging',
      ref: SHA,
      autoMerge: false,
      requiredContexts: [],
      payload: { digest: models.digests.v1 },
    });
    expect(created[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(created[0]!.statuses[1]!.environmentUrl).toBe(url);

    const broken = await deploy('v3', ['--environment', 'staging', '--max-loading-seconds', '20', '--tries', '1']);
    expect(broken.code).toBe(1);
    const failed = double.deployments('acme', 'models').at(-1)!;
    expect(failed.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(failed.statuses[1]!.description).toMatch(/v3 failed preflight/);
    expect(double.violations).toEqual([]);
  });

  it('creates none with github-deployment: false, and a GitHub refusal does not fail the deploy', async () => {
    const before = double.requests.length;
    const run = await deploy('v2', ['--github-deployment', 'false']);
    expect(run.code).toBe(0);
    expect(run.outputs['deployment-id']).toBe('');
    expect(double.requests.length).toBe(before);

    double.failNext('POST', '/repos/{owner}/{repo}/deployments', 403);
    const refused = await deploy('v1');
    expect(refused.code).toBe(0);
    expect(refused.stderr).toMatch(/No GitHub Deployment: .*403.*deployments: write/);
  });
});
