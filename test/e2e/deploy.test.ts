// The deploy bundle (dist/deploy.js) run as the runner runs it: Node 24, INPUT_* variables, the GITHUB_*
// files, GitHub's API as the OpenAPI double. It deploys digits v1 as a process behind a stable port with a
// GitHub Deployment (in_progress, then success with environment_url and the run's log_url), switches
// blue-green to v2, and a broken v3 fails the step saying why while v2 keeps serving.
// The processes the target starts (`mlops serve`, `mlops deploy proxy`) run from the sources
// (MLOPS_CLI, see test/integration/deploy/mlops-from-source.ts): the build cannot load onnxruntime yet.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dirname } from 'node:path';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { send } from '../integration/serve/http-client.js';
import {
  deployState,
  freePort,
  registerDigits,
  requireBuiltCli,
  sourceCliEnv,
  type RegisteredModels,
} from '../integration/deploy/registered-models.js';
import { runAction, type ActionRun } from './runner.js';

const TOKEN = 'ghs_deployE2e';
let double: GitHubDouble;
let models: RegisteredModels;
let state: ReturnType<typeof deployState>;
let port: number;

beforeAll(async () => {
  requireBuiltCli();
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository('octo-org', 'ml-repo');
  models = await registerDigits();
  state = deployState('e2e-deploy-');
  port = await freePort();
});

afterAll(async () => {
  await state.cleanup();
  await double.close();
});

async function deploy(version: string, inputs: Record<string, string> = {}): Promise<ActionRun & { ms: number }> {
  const started = Date.now();
  const run = await runAction('deploy', {
    workspace: dirname(state.stateDir),
    inputs: { model: models.reference(version), port: String(port), environment: 'staging', 'github-token': TOKEN, ...inputs },
    env: { ...sourceCliEnv(), GITHUB_API_URL: double.url },
    timeoutMs: 120_000,
  });
  state.note();
  return { ...run, ms: Date.now() - started };
}

async function servingVersion(): Promise<string> {
  const response = await send(
    `http://127.0.0.1:${port}`,
    'POST',
    '/v2/models/digits/infer',
    JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: models.rows[0]!.input }] }),
  );
  expect(response.status).toBe(200);
  return response.json.model_version as string;
}

describe('deploy bundle on the process target', () => {
  it('deploys v1 with a GitHub Deployment, then v2 blue-green', async () => {
    const first = await deploy('v1');
    expect(first.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(first.exitCode).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    expect(first.outputs).toMatchObject({ url, blessed: 'true', previous: 'null', image: '' });
    expect(first.summary).toMatch(/^## deploy: digits v1 serves at `http:\/\/127\.0\.0\.1:\d+`\n/);
    expect(await servingVersion()).toBe('v1');
    const [deployment] = double.deployments('octo-org', 'ml-repo');
    expect(first.outputs['deployment-id']).toBe(String(deployment!.id));
    expect(deployment).toMatchObject({
      environment: 'staging',
      autoMerge: false,
      requiredContexts: [],
      payload: { digest: models.digests.v1 },
    });
    expect(deployment!.statuses.map((s) => [s.state, s.environmentUrl, s.logUrl])).toEqual([
      ['in_progress', '', 'https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1'],
      ['success', url, 'https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1'],
    ]);

    const second = await deploy('v2');
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.outputs.previous!)).toMatchObject({ version: 'v1' });
    expect(await servingVersion()).toBe('v2');
    expect(double.violations).toEqual([]);
    console.log(
      `e2e: the deploy step took ${(first.ms / 1000).toFixed(1)} s (v1, nothing before) and ${(second.ms / 1000).toFixed(1)} s (v1 → v2 blue-green)`,
    );
  });

  it('a broken v3 fails the step saying why; v2 keeps serving and the deployment is marked failed', async () => {
    const run = await deploy('v3', { 'max-loading-seconds': '20', tries: '1' });
    expect(run.exitCode).toBe(1);
    const [error] = run.annotations.filter((a) => a.level === 'error');
    expect(error!.message).toMatch(/^deploy: digits v3 failed preflight: try 1 of 1: it exited before it was ready/);
    expect(error!.message).toMatch(/v2 still serves at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.summary).toMatch(/^## deploy: failed: digits v3 failed preflight; v2 still serves\n/);
    expect(run.outputs.blessed).toBe('false');
    expect(await servingVersion()).toBe('v2');
    expect(
      double
        .deployments('octo-org', 'ml-repo')
        .at(-1)!
        .statuses.map((s) => s.state),
    ).toEqual(['in_progress', 'failure']);
  });
});
