// The penguins-node example's workflows run through `mlops workflow run` with the real services a team
// adopting the loop would point it at, on a copy of the example whose mlops.yml says so with the stage
// keys as a user writes them: register into Debian's docker-registry on 127.0.0.1 (`registry: oci://…`,
// htpasswd users: the reusable workflow's `registry-username` and `registry-password` secret in ml-pipeline.yml,
// the repository's REGISTRY_USERNAME variable and REGISTRY_PASSWORD secret in monitor.yml),
// deploy on the `docker` target (the test's Docker Engine, the locally built serving base image, HAProxy
// in front; canary weights through its runtime API), monitor-gate measuring from Debian's Prometheus,
// which scrapes both colors' containers. monitor.yml reads the same services from repository variables
// (VARS_*). GitHub's API is the OpenAPI double. Checked after each run: the jobs' results and outputs,
// the tags in the registry (read with skopeo and with our distribution client), which version answers
// through HAProxy, the containers left, and what the double received.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPLOYMENT_LABEL } from '../../shared/docker/serving-container.js';
import { servingImageTag } from '../../shared/docker/serving-image.js';
import { DistributionRepository } from '../../shared/registry/distribution-client.js';
import { readModelTags } from '../../shared/registry/model-versions.js';
import { runWorkflow, type WorkflowRunResult } from '../../shared/workflow/run-workflow.js';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import { freePortRange } from '../integration/deploy/deploy-fixtures.js';
import { requireBuiltCli } from '../integration/deploy/registered-models.js';
import { dockerEngineOrSkip, useDockerEngine, type DockerEngine } from '../services/docker-engine.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../services/docker-registry.js';
import { NODE_SERVING_IMAGE, useNodeServingImage } from '../services/host-images.js';
import { startPrometheus, type TestPrometheus } from '../services/prometheus.js';
import { OFFLINE_NPM } from './example-project.js';
import { node24, repoRoot } from './runner.js';

const OWNER = 'acme';
const REPO = 'penguins';
const TOKEN = 'ghs_exampleWorkflowsServicesTest';
const HAPROXY = '/usr/sbin/haproxy';
const VERSION_LABEL = 'io.mlops-actions.model-version';

let engine: DockerEngine | undefined;
let registry: TestRegistry | undefined;
let prometheus: TestPrometheus | undefined;
let double: GitHubDouble;
let root: string;
let project: string;
let port: number;
const printed: string[] = [];
const digests = new Set<string>();

/** The project's repository in the registry, as register writes it: `oci://127.0.0.1:PORT/acme/penguins`. */
const modelRepository = () => `${registry!.url}/acme/penguins`;

function hostEnv(more: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_API_URL: double.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    // The repository's secret and variable (secrets.* and vars.* read the host environment): the workflows pass them on.
    REGISTRY_PASSWORD: registry!.credentials!.password,
    VARS_REGISTRY_USERNAME: registry!.credentials!.username,
    // A self-hosted runner with Docker set up: the engine from DOCKER_HOST.
    ...engine!.env,
    ...OFFLINE_NPM,
    ...more,
  };
}

async function run(file: string, event: string, payload: Record<string, unknown>, env: Record<string, string> = {}) {
  printed.length = 0;
  const result = await runWorkflow({
    file: join(project, '.github', 'workflows', file),
    event,
    payload: { repository: { full_name: `${OWNER}/${REPO}` }, ...payload },
    workspace: project,
    env: hostEnv(env),
    print: (line) => printed.push(line),
  });
  return result;
}

const results = (result: WorkflowRunResult): [string, string][] => result.jobs.map((j) => [j.name, j.result]);

function jobLog(result: WorkflowRunResult, job: string): string {
  const record = result.jobs.find((j) => j.name === job);
  expect(record).toBeDefined();
  return record!.steps.map((s) => (s.logFile && existsSync(s.logFile) ? readFileSync(s.logFile, 'utf8') : '')).join('\n');
}

/** Version and alias tags → digest, read from the registry by our distribution client; the tag names also by skopeo. */
async function tags(): Promise<Record<string, string>> {
  const repository = new DistributionRepository(modelRepository(), registry!.credentials!);
  const { versions, aliases } = await readModelTags(repository);
  const found = {
    ...Object.fromEntries(versions.filter((v) => v.version).map((v) => [v.version!, v.digest])),
    ...Object.fromEntries(aliases),
  };
  for (const digest of Object.values(found)) digests.add(digest);
  const listed = JSON.parse(
    execFileSync(
      'skopeo',
      [
        'list-tags',
        '--tls-verify=false',
        '--creds',
        `${registry!.credentials!.username}:${registry!.credentials!.password}`,
        `docker://${registry!.host}/acme/penguins`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    ),
  ) as { Tags: string[] };
  expect(listed.Tags.filter((t) => !t.startsWith('sha256-')).sort()).toEqual(Object.keys(found).sort());
  return found;
}

/** The version that answers one penguin through HAProxy, the deployment's stable address. */
async function served(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/v2/models/penguins/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [46.5, 17.9, 192, 3500] }] }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { model_version: string }).model_version;
}

/** The penguins containers on the engine: running ones by version, and how many are stopped. */
async function containers(): Promise<{ running: string[]; stopped: number }> {
  const list = await engine!.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=penguins`] } });
  return {
    running: list
      .filter((c) => c.State === 'running')
      .map((c) => c.Labels[VERSION_LABEL]!)
      .sort(),
    stopped: list.filter((c) => c.State !== 'running').length,
  };
}

/** Requests from `file` (JSONL bodies) sent through HAProxy by the test itself, as users would, by three clients until stopped. */
function sendTraffic(file: string): { stop: () => Promise<number> } {
  const bodies = readFileSync(join(project, file), 'utf8').trim().split('\n');
  let running = true;
  let sent = 0;
  const client = async (first: number) => {
    for (let i = first; running && i < first + 5_000; i++) {
      await fetch(`http://127.0.0.1:${port}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: bodies[i % bodies.length],
        signal: AbortSignal.timeout(5_000),
      })
        .then(async (r) => {
          await r.arrayBuffer();
          if (r.ok) sent++;
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const clients = [0, 1, 2].map((c) => client(c * 97));
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return sent;
    },
  };
}

beforeAll(async () => {
  requireBuiltCli();
  if (!existsSync(HAPROXY)) {
    if (process.env.CI) throw new Error(`CI must run this test, but ${HAPROXY} is missing; .ci/run installs haproxy`);
    console.warn(`\n*** EXAMPLE WORKFLOWS ON SERVICES SKIPPED: ${HAPROXY} is not installed (Debian package haproxy). ***\n`);
    return;
  }
  engine = await useDockerEngine();
  if (!engine) return;
  await useNodeServingImage(engine);
  registry = await startDockerRegistry('htpasswd');
  if (!registry) return;
  // The stable port (HAProxy's frontend) and the two colors' ports after it, which Prometheus scrapes.
  port = await freePortRange(3);
  prometheus = await startPrometheus([`127.0.0.1:${port + 1}`, `127.0.0.1:${port + 2}`]);
  if (!prometheus) return;
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository(OWNER, REPO);
  double.addWorkflow({ owner: OWNER, repo: REPO, file: 'retrain.yml', name: 'retrain', inputs: ['stage'] });

  root = mkdtempSync(join(tmpdir(), 'mlops-example-services-'));
  project = join(root, 'penguins-node');
  cpSync(join(repoRoot, 'workflows-examples', 'penguins-node'), project, {
    recursive: true,
    filter: (source) => !/[/\\](model|\.mlops|node_modules)$|[/\\](metrics\.json)$|penguins-node[/\\]predictions\.csv$/.test(source),
  });
  // mlops.yml as a team adopting these services writes it: the registry, the docker target, Prometheus.
  const config = join(project, 'mlops.yml');
  const text = readFileSync(config, 'utf8');
  const edited = text
    .replace(/^register:\n/m, `register:\n  registry: ${registry.url}/acme\n`)
    .replace(/^deploy:\n {2}target: process\n/m, `deploy:\n  target: docker\n  base-image: ${NODE_SERVING_IMAGE}\n`)
    .replace(/^ {2}port: \d+$/m, `  port: ${port}`)
    .replace(/^monitor-gate:\n/m, `monitor-gate:\n  prometheus-url: ${prometheus.url}\n`);
  expect(edited.match(/oci:\/\/|target: docker|prometheus-url|port: \d+/g)).toHaveLength(4);
  writeFileSync(config, edited);
  // ml-pipeline.yml hands the registry's user and password to the reusable workflow, as its header says.
  const pipeline = join(project, '.github', 'workflows', 'ml-pipeline.yml');
  const calling = readFileSync(pipeline, 'utf8').replace(
    /^ {6}setup: npm ci\n/m,
    `      setup: npm ci\n      registry-username: ${registry.credentials!.username}\n    secrets:\n      registry-password: \${{ secrets.REGISTRY_PASSWORD }}\n`,
  );
  expect(calling).toContain('registry-password');
  writeFileSync(pipeline, calling);
}, 600_000);

afterAll(async () => {
  if (engine && project && existsSync(join(project, '.mlops', 'deploy'))) {
    // Stops the containers and the HAProxy router the docker target started.
    const stop = spawnSync(node24(), [join(repoRoot, 'dist', 'mlops.js'), 'deploy', 'stop'], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...engine.env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (stop.status !== 0) console.warn(`mlops deploy stop failed: ${stop.stderr}`);
  }
  if (engine) {
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=penguins`] } });
    for (const container of left) await engine.docker.getContainer(container.Id).remove({ force: true });
    for (const digest of digests)
      await engine.docker
        .getImage(servingImageTag('penguins', digest))
        .remove({ force: true })
        .catch(() => undefined);
  }
  await prometheus?.stop();
  await registry?.stop();
  await double?.close();
  if (root) rmSync(root, { recursive: true, force: true });
}, 180_000);

const ready = (): boolean => dockerEngineOrSkip(engine) && registryOrSkip(registry) && prometheus !== undefined;

describe('the penguins-node example workflows on docker-registry, the docker target behind HAProxy, and Prometheus', () => {
  it('push (ml-pipeline.yml): v1 registered in the registry, deployed in a container behind HAProxy, promoted by monitor-gate', async () => {
    if (!ready()) return;
    const push = await run('ml-pipeline.yml', 'push', { ref: 'refs/heads/main', after: 'c0ffee00000000000000000000000000000000a1' });
    if (!push.ok) throw new Error(`ml-pipeline.yml on push failed:\n${printed.join('\n')}`);
    expect(results(push)).toEqual([
      ...['validate-data', 'train', 'evaluate', 'register', 'deploy', 'monitor-gate', 'promote'].map((job) => [`loop / ${job}`, 'success']),
      ['loop', 'success'],
    ]);
    const promote = push.jobs.find((j) => j.name === 'loop / promote')!;
    expect(promote.outputs.promoted).toBe('v1');
    const registered = await tags();
    expect(registered).toEqual({ v1: registered.v1, staging: registered.v1, production: registered.v1 });
    expect(await served()).toBe('v1');
    expect(await containers()).toMatchObject({ running: ['v1'] });
    const deployLog = jobLog(push, 'loop / deploy');
    expect(deployLog).toContain(`Pulled penguins v1 (${registered.v1})`);
    expect(jobLog(push, 'loop / monitor-gate')).toContain(`Prometheus at ${prometheus!.url}`);
    // deploy's GitHub Deployment, in the environment the loop names.
    expect(double.deployments(OWNER, REPO).map((d) => d.environment)).toEqual(['production']);
    expect(double.violations).toEqual([]);
  }, 900_000);

  it('push (ml-pipeline.yml) with new params: v2 a 20 % canary beside v1 on HAProxy, judged from Prometheus, promoted', async () => {
    if (!ready()) return;
    const params = join(project, 'params.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace(/^epochs: 300/m, 'epochs: 250'));
    const started = Date.now();
    const push = await run('ml-pipeline.yml', 'push', { ref: 'refs/heads/main', after: 'c0ffee00000000000000000000000000000000a2' });
    if (!push.ok) throw new Error(`ml-pipeline.yml on push failed:\n${printed.join('\n')}`);
    expect(results(push).every(([, result]) => result === 'success')).toBe(true);
    expect(jobLog(push, 'loop / deploy')).toMatch(/canary: v2 takes 20% of traffic, v1 80%/);
    const gateLog = jobLog(push, 'loop / monitor-gate');
    expect(gateLog).toMatch(/Analysing penguins v2 against stable v1/);
    expect(gateLog).toContain(`Prometheus at ${prometheus!.url}`);
    // HAProxy split the analysis' load test between the two containers, as Prometheus scraped them: about a fifth to v2
    // (v2 also answered deploy's preflight). v1's container is stopped by now; its samples stay in the range.
    const seconds = Math.ceil((Date.now() - started) / 1000) + 5;
    const split = await prometheus!.query(
      `sum by (version) (increase(mlops_requests_total{model="penguins",endpoint=~"infer|invocations"}[${seconds}s]))`,
    );
    const during = Object.fromEntries(split.map((s) => [s.metric.version!, Number(s.value[1])]));
    expect(Object.keys(during).sort()).toEqual(['v1', 'v2']);
    expect(during.v1).toBeGreaterThan(100);
    expect(during.v2! / (during.v1! + during.v2!)).toBeGreaterThan(0.1);
    expect(during.v2! / (during.v1! + during.v2!)).toBeLessThan(0.35);
    expect(push.jobs.find((j) => j.name === 'loop / promote')!.outputs.promoted).toBe('v2');
    const registered = await tags();
    expect(registered.v2).not.toBe(registered.v1);
    expect({ staging: registered.staging, production: registered.production }).toEqual({
      staging: registered.v2,
      production: registered.v2,
    });
    for (let i = 0; i < 10; i++) expect(await served()).toBe('v2');
    // No half-done deployment: v2 alone serves (v1's container may stay stopped, for a rollback).
    expect((await containers()).running).toEqual(['v2']);
    // The canary's GitHub Deployment, finished.
    const deployment = double.deployments(OWNER, REPO).at(-1)!;
    expect(deployment).toMatchObject({ environment: 'production', payload: { digest: registered.v2 } });
    expect(deployment.statuses.at(-1)).toMatchObject({ state: 'success', environmentUrl: `http://127.0.0.1:${port}` });
    expect(double.violations).toEqual([]);
  }, 900_000);

  it('schedule (monitor.yml) with drifted traffic: production rolls back to v1 on Docker, retrain.yml is dispatched, one issue opened', async () => {
    if (!ready()) return;
    // Gentoo penguins only: another population of the same data set than the one v2 was trained on.
    const all = readFileSync(join(project, 'load-test.jsonl'), 'utf8').trim().split('\n');
    const gentoo = all.filter(
      (line) => (JSON.parse(line) as { dataframe_records: { flipper_length_mm: number }[] }).dataframe_records[0]!.flipper_length_mm >= 210,
    );
    writeFileSync(join(project, 'gentoo.jsonl'), `${gentoo.join('\n')}\n`);
    const traffic = sendTraffic('gentoo.jsonl');
    let monitor: WorkflowRunResult;
    try {
      // The schedule comes after the traffic: Prometheus has windows of it, and v2's runtime has seen the new population
      // long enough for half its columns to drift (the rule is drift.share < 0.5); the analysis must see and act on it.
      await prometheus!.waitFor(
        'sum(increase(mlops_requests_total{model="penguins",version="v2"}[6s]))',
        (r) => Number(r[0]?.value[1]) >= 200,
        90_000,
      );
      await prometheus!.waitFor('sum(mlops_feature_drifted{model="penguins",version="v2"})', (r) => Number(r[0]?.value[1]) >= 2, 120_000);
      monitor = await run(
        'monitor.yml',
        'schedule',
        { schedule: '41 */6 * * *' },
        {
          VARS_PENGUINS_ENDPOINT: `http://127.0.0.1:${port}`,
          VARS_PENGUINS_MODEL: `${modelRepository()}@production`,
          VARS_PROMETHEUS_URL: prometheus!.url,
          VARS_MONITOR_INTERVAL: '6s',
          VARS_MONITOR_COUNT: '2',
        },
      );
    } finally {
      expect(await traffic.stop()).toBeGreaterThan(200);
    }
    const gate = monitor.jobs.find((j) => j.name === 'monitor')!.steps.find((s) => s.id === 'gate')!;
    if (gate.outputs.verdict !== 'fail')
      throw new Error(
        `monitor-gate said ${gate.outputs.verdict}:\n${gate.outputs.report ? readFileSync(gate.outputs.report, 'utf8') : jobLog(monitor, 'monitor')}`,
      );
    expect({ verdict: gate.outputs.verdict, decision: gate.outputs.decision }).toEqual({ verdict: 'fail', decision: 'rollback' });
    const drifted = JSON.parse(gate.outputs['drifted-columns']!) as string[];
    expect(drifted.length).toBeGreaterThan(0);
    for (const column of drifted) expect(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']).toContain(column);
    expect(jobLog(monitor, 'monitor')).toContain(`Prometheus at ${prometheus!.url}`);
    const registered = await tags();
    expect(registered.production).toBe(registered.v1);
    for (let i = 0; i < 10; i++) expect(await served()).toBe('v1');
    expect((await containers()).running).toEqual(['v1']);
    const runs = double.workflowRuns(OWNER, REPO);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ event: 'workflow_dispatch', ref: 'main' });
    const issues = double.issues(OWNER, REPO);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open', labels: ['mlops-monitor'] });
    expect(gate.outputs['issue-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/${issues[0]!.number}`);
    expect(double.violations).toEqual([]);
  }, 600_000);
});
