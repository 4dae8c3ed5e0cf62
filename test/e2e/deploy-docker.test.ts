// The deploy bundle (dist/deploy.js) run as the runner runs it, on the real Docker Engine of the tests
// (test/services/docker-engine.ts), GitHub's API as the OpenAPI double:
// - target docker: digits v1, then v2 blue-green behind Debian's HAProxy under a continuous load with no
//   failed request (its smoke test passes); `mlops deploy status` and `rollback` (v1 again, under load);
//   v2 with a smoke test it fails: the step fails, v1 keeps serving every request; a 20 % canary of v2,
//   finished by deploying v2 again; recreate back to v1; `mlops deploy stop`.
// - target swarm (a single-node Swarm on 127.0.0.1): v1 with push-image to Debian's docker-registry, a
//   push to a registry that is down (the step fails naming it; the service is untouched), a rolling update
//   to v2, a broken v3 that Swarm rolls back by itself, then `mlops deploy status`, `rollback` and `stop`.
// Each deploy is recorded as a GitHub Deployment on the double (payload with digest and image; statuses).
// Both targets sit in one file: they build the same serving images (the same digests), one after the other.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPLOYMENT_LABEL } from '../../shared/docker/serving-container.js';
import { servingImageTag } from '../../shared/docker/serving-image.js';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { freePortRange, infer, startLoad } from '../integration/deploy/deploy-fixtures.js';
import { registerDigits, requireBuiltCli, type RegisteredModels } from '../integration/deploy/registered-models.js';
import { dockerEngineOrSkip, useDockerEngine, type DockerEngine } from '../services/docker-engine.js';
import { startDockerRegistry, registryOrSkip, type TestRegistry } from '../services/docker-registry.js';
import { NODE_SERVING_IMAGE, useNodeServingImage } from '../services/host-images.js';
import { runAction, node24, repoRoot, type ActionRun } from './runner.js';

const TOKEN = 'ghs_deployDockerE2e';
const HAPROXY = '/usr/sbin/haproxy';
const LOG_URL = 'https://github.com/octo-org/ml-repo/actions/runs/4242/attempts/1';
let engine: DockerEngine | undefined;
let double: GitHubDouble;
let models: RegisteredModels;
let registry: TestRegistry | undefined;
let initialisedSwarm = false;
const workspaces: string[] = [];
const figures: Record<string, string> = {};

beforeAll(async () => {
  requireBuiltCli();
  if (!existsSync(HAPROXY)) {
    if (process.env.CI) throw new Error(`CI must run the deploy tests, but ${HAPROXY} is missing; .ci/run installs haproxy`);
    console.warn(`\n*** DOCKER DEPLOY E2E TESTS SKIPPED: ${HAPROXY} is not installed (Debian package haproxy). ***\n`);
    return;
  }
  engine = await useDockerEngine();
  if (!engine) return;
  await useNodeServingImage(engine);
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository('octo-org', 'ml-repo');
  models = await registerDigits();
});

afterAll(async () => {
  if (!engine) return;
  // Whatever a failed test left: this file's containers and service, then its images.
  for (const workspace of workspaces) await mlops(workspace, ['deploy', 'stop']).catch(() => undefined);
  const left = await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=digits`] } });
  for (const container of left) await engine.docker.getContainer(container.Id).remove({ force: true });
  await engine.docker
    .getService('mlops-digits')
    .remove()
    .catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    const tasks = await engine.docker.listContainers({ all: true, filters: { label: ['com.docker.swarm.service.name=mlops-digits'] } });
    if (tasks.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (initialisedSwarm) {
    await engine.docker.swarmLeave({ force: true });
    await engine.docker
      .getNetwork('docker_gwbridge')
      .remove()
      .catch(() => undefined);
  }
  for (const version of ['v1', 'v2', 'v3'])
    await engine.docker
      .getImage(servingImageTag('digits', models.digests[version]!))
      .remove({ force: true })
      .catch(() => undefined);
  await registry?.stop();
  await double?.close();
  for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
  if (Object.keys(figures).length)
    console.log(
      `deploy bundle on docker and swarm:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
});

/** Runs the built CLI (dist/mlops.js) in `workspace` against the test engine. */
function mlops(workspace: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24(), [join(repoRoot, 'dist', 'mlops.js'), ...args], {
      cwd: workspace,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? workspace, ...engine!.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 137, stdout, stderr });
    });
  });
}

/** A smoke test of five rows; `wrongRow` makes one case expect another row's logits. */
function smokeTest(workspace: string, file: string, version: string, wrongRow?: number): string {
  const cases = [0, 1, 2, 3, 4].map((row) =>
    JSON.stringify({
      request: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: models.rows[row]!.input }] },
      path: '/v2/models/{name}/infer',
      expected: {
        model_version: version,
        outputs: [{ name: 'logits', data: models.rows[row === 3 && wrongRow !== undefined ? wrongRow : row]!.logits }],
      },
      tolerance: 1e-4,
    }),
  );
  writeFileSync(join(workspace, file), `${cases.join('\n')}\n`);
  return file;
}

async function servingVersion(url: string): Promise<string> {
  const answer = await infer(url);
  if (!answer.ok) throw new Error(`${url} did not answer: ${answer.error}`);
  return answer.version;
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

const lastDeployment = () => double.deployments('octo-org', 'ml-repo').at(-1)!;

describe('deploy bundle on the docker target (HAProxy in front)', () => {
  let workspace: string;
  let port: number;
  let url: string;
  const deploy = async (version: string, inputs: Record<string, string> = {}) => {
    const started = performance.now();
    const run = await runAction('deploy', {
      workspace,
      inputs: {
        model: models.reference(version),
        target: 'docker',
        'base-image': NODE_SERVING_IMAGE,
        port: String(port),
        environment: 'staging',
        'github-token': TOKEN,
        'max-loading-seconds': '60',
        ...inputs,
      },
      // The engine from DOCKER_HOST, as on a runner with Docker set up.
      env: { GITHUB_API_URL: double.url, ...engine!.env },
      timeoutMs: 280_000,
    });
    return { ...run, seconds: (performance.now() - started) / 1000 };
  };

  beforeAll(async () => {
    if (!engine) return;
    workspace = mkdtempSync(join(tmpdir(), 'e2e-deploy-docker-'));
    workspaces.push(workspace);
    port = await freePortRange(3);
    url = `http://127.0.0.1:${port}`;
  });

  it('deploys v1, then v2 blue-green under load with no failed request, each with a GitHub Deployment', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const first = await deploy('v1');
    expect(errors(first)).toEqual([]);
    expect(first.exitCode).toBe(0);
    const image = servingImageTag('digits', models.digests.v1!);
    expect(first.outputs).toMatchObject({ url, blessed: 'true', previous: 'null', image, 'service-id': '' });
    expect(first.outputs['container-id']).toMatch(/^[0-9a-f]{64}$/);
    expect(first.summary).toMatch(/^## deploy: digits v1 serves at `http:\/\/127\.0\.0\.1:\d+`\n/);
    expect(await servingVersion(url)).toBe('v1');
    expect(lastDeployment()).toMatchObject({
      environment: 'staging',
      autoMerge: false,
      requiredContexts: [],
      payload: { digest: models.digests.v1, image },
    });
    expect(first.outputs['deployment-id']).toBe(String(lastDeployment().id));

    const load = startLoad(url, 4, 200, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await deploy('v2', { 'smoke-test': smokeTest(workspace, 'smoke-v2.jsonl', 'v2') });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await load.stop();
    expect(errors(second)).toEqual([]);
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.outputs.previous!)).toMatchObject({ version: 'v1', digest: models.digests.v1 });
    expect(during.failures).toEqual([]);
    expect(during.versions.v1).toBeGreaterThan(0);
    expect(during.versions.v2).toBeGreaterThan(0);
    expect(await servingVersion(url)).toBe('v2');
    expect(lastDeployment().statuses.map((s) => [s.state, s.environmentUrl, s.logUrl])).toEqual([
      ['in_progress', '', LOG_URL],
      ['success', url, LOG_URL],
    ]);
    figures['docker: first deploy (image build, router, v1), step time'] = `${first.seconds.toFixed(1)} s`;
    figures['docker: v1 → v2 blue-green with smoke test, step time'] = `${second.seconds.toFixed(1)} s`;
    figures['docker: requests during the switch'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('mlops deploy status shows the router and both colors; rollback brings v1 back under load', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const status = await mlops(workspace, ['deploy', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^digits: serving at ${url} \\(docker target\\)\n`));
    expect(status.stdout).toMatch(/ {2}stable {4}v2 \(sha256:[0-9a-f]{64}\), container [0-9a-f]{12}, image mlops-serve\/digits:/);
    expect(status.stdout).toMatch(/ {2}previous {2}v1 .*: mlops deploy rollback brings it back/);
    expect(status.stdout).toMatch(/router {4}HAProxy \(process, pid \d+\) on http:\/\/127\.0\.0\.1:\d+: running/);
    expect(status.stdout).toMatch(/green {3}v2 \([0-9a-f]{12}\) on 127\.0\.0\.1:\d+: UP, weight \d+/);
    const json = JSON.parse((await mlops(workspace, ['deploy', 'status', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: 'digits',
      target: 'docker',
      serving: { url, stable: { version: 'v2' } },
      previous: { version: 'v1' },
    });

    const load = startLoad(url, 4, 120, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rollback = await mlops(workspace, ['deploy', 'rollback']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await load.stop();
    expect(rollback.stderr).toMatch(/rolling back from v2 to v1/);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(new RegExp(`^digits: v1 \\(sha256:[0-9a-f]{64}\\) serves at ${url}\n$`));
    expect(during.failures).toEqual([]);
    expect(await servingVersion(url)).toBe('v1');
    figures['docker: requests during mlops deploy rollback'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('a failing smoke test fails the step and rolls back: v1 keeps serving every request', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const load = startLoad(url, 4, 200, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = await deploy('v2', { 'smoke-test': smokeTest(workspace, 'smoke-wrong.jsonl', 'v2', 7) });
    const during = await load.stop();
    expect(run.exitCode).toBe(1);
    const [error] = errors(run);
    expect(error).toMatch(/^deploy: digits v2 failed the smoke test: case on line 4: \$\.outputs\[0\]\.data\[\d\]: expected /);
    expect(error).toMatch(new RegExp(`v1 still serves at ${url}`));
    expect(run.summary).toMatch(/^## deploy: failed: digits v2 failed the smoke test; v1 still serves\n/);
    expect(run.outputs).toMatchObject({ blessed: 'true', 'container-id': '' });
    expect(during.failures).toEqual([]);
    expect(Object.keys(during.versions)).toEqual(['v1']);
    // The candidate is gone: only v1's container is left for this deployment.
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=digits`] } });
    expect(left.map((c) => c.Labels['io.mlops-actions.model-version'])).toEqual(['v1']);
    expect(lastDeployment().statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(double.violations).toEqual([]);
  });

  it('canary at 20 %: about a fifth of requests reach v2; deploying v2 again finishes it; recreate goes back to v1', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const canary = await deploy('v2', { strategy: 'canary', 'canary-weight': '20' });
    expect(errors(canary)).toEqual([]);
    expect(canary.exitCode).toBe(0);
    expect(canary.summary).toMatch(/^## deploy: digits v2 takes 20 % of traffic at /);
    const seen: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const version = await servingVersion(url);
      seen[version] = (seen[version] ?? 0) + 1;
    }
    expect(seen.v1! + seen.v2!).toBe(100);
    expect(seen.v2).toBeGreaterThanOrEqual(10);
    expect(seen.v2).toBeLessThanOrEqual(32);
    figures['docker: canary 20 %, answers of 100 from v2'] = String(seen.v2);

    const load = startLoad(url, 4, 200, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const finish = await deploy('v2');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await load.stop();
    expect(errors(finish)).toEqual([]);
    expect(finish.exitCode).toBe(0);
    expect(finish.stdout).toMatch(/finishing the canary: v2 \(green\) is checked again, then takes all traffic/);
    expect(during.failures).toEqual([]);
    expect(await servingVersion(url)).toBe('v2');

    const recreate = await deploy('v1', { strategy: 'recreate' });
    expect(errors(recreate)).toEqual([]);
    expect(recreate.exitCode).toBe(0);
    expect(recreate.stdout).toMatch(/recreate: stopping v2 \([0-9a-f]{12}\) before starting v1/);
    expect(JSON.parse(recreate.outputs.previous!)).toMatchObject({ version: 'v2' });
    expect(await servingVersion(url)).toBe('v1');
    figures['docker: requests while v2 again finished the canary'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('a deploy that fails where the stopped previous version sat still leaves that version to roll back to', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    // v1 serves in blue; v2, stopped in green, is the one to roll back to. A new candidate needs green.
    const run = await deploy('v2', { 'smoke-test': smokeTest(workspace, 'smoke-wrong.jsonl', 'v2', 7) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/removing the stopped v2 container in green; its image \S+ stays for a rollback/);
    expect(await servingVersion(url)).toBe('v1');
    const status = await mlops(workspace, ['deploy', 'status']);
    expect(status.stdout).toMatch(/ {2}previous {2}v2 .*: mlops deploy rollback brings it back/);
    const rollback = await mlops(workspace, ['deploy', 'rollback']);
    expect(rollback.stderr).toMatch(/starting v2 again from its image/);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/^digits: v2 \(sha256:[0-9a-f]{64}\) serves at /);
    for (let i = 0; i < 5; i++) expect(await servingVersion(url)).toBe('v2');
  });

  it('mlops deploy stop removes the containers and the router', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { router } = JSON.parse(readFileSync(join(workspace, '.mlops', 'deploy', 'digits', 'state.json'), 'utf8')) as {
      router: { pid: number };
    };
    const stop = await mlops(workspace, ['deploy', 'stop']);
    expect(stop.code).toBe(0);
    expect(await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=digits`] } })).toEqual([]);
    expect(() => process.kill(router.pid, 0)).toThrow();
    expect((await infer(url)).ok).toBe(false);
    const status = await mlops(workspace, ['deploy', 'status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^digits: not serving \(docker target\)/);
  });
});

describe('deploy bundle on the swarm target (rolling update)', () => {
  let workspace: string;
  let port: number;
  let url: string;
  const deploy = async (version: string, inputs: Record<string, string> = {}) => {
    const started = performance.now();
    const run = await runAction('deploy', {
      workspace,
      inputs: {
        model: models.reference(version),
        target: 'swarm',
        'docker-host': engine!.env.DOCKER_HOST,
        'base-image': NODE_SERVING_IMAGE,
        port: String(port),
        replicas: '1',
        'update-delay': '1',
        'update-monitor': '5',
        'max-loading-seconds': '30',
        environment: 'production',
        'github-token': TOKEN,
        ...inputs,
      },
      env: { GITHUB_API_URL: double.url },
      timeoutMs: 280_000,
    });
    return { ...run, seconds: (performance.now() - started) / 1000 };
  };

  beforeAll(async () => {
    if (!engine) return;
    const info = (await engine.docker.info()) as { Swarm: { LocalNodeState: string } };
    if (info.Swarm.LocalNodeState !== 'active') {
      await engine.docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
      initialisedSwarm = true;
    }
    registry = await startDockerRegistry();
    workspace = mkdtempSync(join(tmpdir(), 'e2e-deploy-swarm-'));
    workspaces.push(workspace);
    port = (await freePortRange(1)) + 0;
    url = `http://127.0.0.1:${port}`;
  });

  it('creates the service from an image pushed to the registry; a registry that is down fails the step and changes nothing', async () => {
    if (!dockerEngineOrSkip(engine) || !registryOrSkip(registry)) return;
    const first = await deploy('v1', { 'push-image': `${registry.host}/digits-serving` });
    expect(errors(first)).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ url, blessed: 'true', 'container-id': '' });
    expect(first.outputs['service-id']).toMatch(/^[0-9a-z]{25}$/);
    expect(await servingVersion(url)).toBe('v1');
    // The registry holds the image under the model digest's tag, and the service runs it by that digest.
    const tag = models.digests.v1!.slice(7, 19);
    const manifest = await fetch(`http://${registry.host}/v2/digits-serving/manifests/${tag}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(manifest.status).toBe(200);
    const pushed = manifest.headers.get('docker-content-digest');
    expect(pushed).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.stdout).toContain(`pushed ${registry.host}/digits-serving@${pushed}`);
    const service = await engine.docker.getService(first.outputs['service-id']!).inspect();
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toBe(`${registry.host}/digits-serving@${pushed}`);
    expect(service.Spec.UpdateConfig).toMatchObject({ Order: 'stop-first', FailureAction: 'rollback', Monitor: 5_000_000_000 });
    expect(lastDeployment()).toMatchObject({ environment: 'production', payload: { digest: models.digests.v1 } });

    // A registry that does not answer: the push fails before the service is touched.
    const down = await freePortRange(1);
    const failed = await deploy('v2', { 'push-image': `127.0.0.1:${down}/digits-serving` });
    expect(failed.exitCode).toBe(1);
    const [error] = errors(failed);
    expect(error).toMatch(
      new RegExp(
        `^deploy: digits v2 could not be started: registry 127\\.0\\.0\\.1:${down}: docker push 127\\.0\\.0\\.1:${down}/digits-serving:[0-9a-f]{12} failed: .*connection refused`,
      ),
    );
    expect(error).toMatch(new RegExp(`v1 still serves at ${url}`));
    const after = await engine.docker.getService(first.outputs['service-id']!).inspect();
    expect(after.Version.Index).toBe(service.Version.Index);
    expect(await servingVersion(url)).toBe('v1');
    // The tag added for the push is gone again.
    expect((await engine.docker.getImage(servingImageTag('digits', models.digests.v2!)).inspect()).RepoTags).toEqual([
      servingImageTag('digits', models.digests.v2!),
    ]);
    expect(lastDeployment().statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
  });

  it('moves the service to v2 by a rolling update', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const load = startLoad(url, 2, 200, 40_000);
    const run = await deploy('v2');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await load.stop();
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.previous!)).toMatchObject({ version: 'v1' });
    expect(run.stdout).toMatch(/rolling update of mlops-digits from v1 to v2 \(stop-first, parallelism 1\)/);
    expect(await servingVersion(url)).toBe('v2');
    expect(lastDeployment().statuses.map((s) => [s.state, s.environmentUrl])).toEqual([
      ['in_progress', ''],
      ['success', url],
    ]);
    figures['swarm: rolling update v1 → v2 (1 replica, stop-first), step time'] = `${run.seconds.toFixed(1)} s`;
    figures['swarm: requests during the update (stop-first on one node)'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('a broken v3 makes Swarm roll the update back by itself; the step fails saying so', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const run = await deploy('v3');
    expect(run.exitCode).toBe(1);
    const [error] = errors(run);
    expect(error).toMatch(
      /^deploy: digits v3 could not be started: Docker Swarm: the update of mlops-digits to v3 failed \(rollback_completed/,
    );
    expect(error).toMatch(/Swarm rolled it back and v2 serves again/);
    expect(await servingVersion(url)).toBe('v2');
    expect(lastDeployment().statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    figures['swarm: broken v3 to rolled back, step time'] = `${run.seconds.toFixed(1)} s`;
  });

  it('mlops deploy status, rollback (to v1) and stop act on the service', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const status = await mlops(workspace, ['deploy', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^digits: serving at ${url} \\(swarm target\\)\n`));
    expect(status.stdout).toMatch(/ {2}stable {4}v2 \(sha256:[0-9a-f]{64}\), service [0-9a-z]{12}/);
    expect(status.stdout).toMatch(/ {2}previous {2}v1 /);
    expect(status.stdout).toMatch(/service {3}mlops-digits \([0-9a-z]{12}\): 1\/1 replica\(s\) running the serving image/);
    const rollback = await mlops(workspace, ['deploy', 'rollback']);
    expect(rollback.stderr).toMatch(/rolling back mlops-digits from v2 to v1/);
    expect(rollback.code).toBe(0);
    expect(await servingVersion(url)).toBe('v1');
    const stop = await mlops(workspace, ['deploy', 'stop']);
    expect(stop.code).toBe(0);
    await expect(engine.docker.getService('mlops-digits').inspect()).rejects.toMatchObject({ statusCode: 404 });
    const after = await mlops(workspace, ['deploy', 'status']);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/^digits: not serving \(swarm target\)/);
    expect(double.violations).toEqual([]);
  });
});
