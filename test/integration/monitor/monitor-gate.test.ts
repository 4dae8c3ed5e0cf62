/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// monitor-gate against the real thing: the penguins example trained, profiled by validate-data and
// registered (v1, v2: the same network, another digest; v3: the digits network registered as penguins,
// whose inputs the penguins traffic does not fit), deployed on the process target (`mlops serve` and the
// proxy as background processes), scraped by Debian's Prometheus, under bounded traffic replayed from
// the penguins data by monitor-gate's own load test:
//   like-training traffic to a v2 canary → promote (alias moved, v2 takes all traffic);
//   Gentoo-only traffic (another population of the same data set) → drift detected, from /metrics alone;
//   an erroring v3 canary → rollback, v2 keeps serving all traffic;
//   Prometheus stopped mid-analysis → error after the consecutive-error limit;
//   a query giving NaN or nothing → inconclusive.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateData } from '../../../shared/data/validate-data.js';
import { deploy } from '../../../shared/deploy/deploy.js';
import { ProcessTarget, type ProcessState } from '../../../shared/deploy/process-target.js';
import { runMonitorGate } from '../../../shared/monitor/monitor-gate.js';
import { ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { register } from '../../../shared/registry/register.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { deploySpec } from '../../../shared/schemas/deploy.js';
import { monitorGateSpec, type MonitorGateInputs } from '../../../shared/schemas/monitor-gate.js';
import { registerSpec } from '../../../shared/schemas/register.js';
import { validateDataSpec } from '../../../shared/schemas/validate-data.js';
import { runStage } from '../../../shared/stage.js';
import { startGitHubDouble } from '../../github-double/server.js';
import { startPrometheus, type TestPrometheus } from '../../services/prometheus.js';
import { tempDir } from '../../temp-dirs.js';
import { freePort, sourceCliEnv } from '../deploy/registered-models.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const DIGITS = join(REPO, 'test', 'fixtures', 'digits-mlp-onnx');
const TOKEN = 'ghs_monitorGateTest';
const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

let project: string;
let registry: string;
let port: number;
let url: string;
let prometheus: TestPrometheus | undefined;
const digests: Record<string, string> = {};
const savedEnv: Record<string, string | undefined> = {};
const pids = new Set<number>();

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

/** One /invocations request per row, in a fixed shuffled order (the file is sorted by species). */
function loadTestFile(name: string, rows: Record<string, string>[]): string {
  const shuffled = rows.map((row, i) => ({ row, key: (i * 7919) % 1009 })).sort((a, b) => a.key - b.key);
  const file = join(project, name);
  writeFileSync(
    file,
    shuffled
      .map(({ row }) => JSON.stringify({ dataframe_records: [Object.fromEntries(FEATURES.map((f) => [f, Number(row[f])]))] }))
      .join('\n') + '\n',
  );
  return name;
}

function stateFile(): ProcessState {
  const state = JSON.parse(readFileSync(join(project, '.mlops', 'deploy', 'penguins', 'state.json'), 'utf8')) as ProcessState;
  for (const pid of [state.proxy?.pid, state.stable?.pid, state.canary?.pid, ...state.candidates.map((c) => c.pid)]) if (pid) pids.add(pid);
  return state;
}

function runtime(inputs: Record<string, string | undefined>, log: string[] = [], env?: NodeJS.ProcessEnv): LocalRuntime {
  return new LocalRuntime({ inputs, workspace: project, log: (line) => log.push(line), ...(env ? { env } : {}) });
}

async function registerVersion(version: string, modelPath: string, profile?: string, predictions?: string): Promise<void> {
  const rt = runtime({
    'model-path': modelPath,
    name: 'penguins',
    registry: 'registry',
    version,
    ...(profile ? { profile } : {}),
    ...(predictions ? { predictions } : {}),
  });
  expect(await runStage(registerSpec, register, rt)).toBe(true);
  digests[version] = rt.outputs.digest!;
}

async function deployVersion(version: string, strategy: string, weight = '50'): Promise<void> {
  const log: string[] = [];
  const rt = runtime(
    { model: `registry/penguins@${version}`, strategy, 'canary-weight': weight, port: String(port), 'github-deployment': 'false' },
    log,
  );
  const ok = await runStage(deploySpec, deploy, rt);
  stateFile();
  if (!ok) throw new Error(`deploy ${version} failed:\n${log.join('\n')}`);
}

/** Prometheus scraping every version the process target runs now (restarted when they change). */
async function scrapeServingVersions(): Promise<TestPrometheus | undefined> {
  await prometheus?.stop();
  const state = stateFile();
  const targets = [state.stable, state.canary].flatMap((v) => (v?.port ? [`127.0.0.1:${v.port}`] : []));
  prometheus = await startPrometheus(targets);
  // As in a real deployment, Prometheus already scrapes every version when the analysis starts.
  await prometheus?.waitFor('sum(up)', (result) => Number(result[0]?.value[1]) === targets.length, 30_000);
  return prometheus;
}

async function monitor(inputs: Partial<Record<keyof MonitorGateInputs, string>>, env?: NodeJS.ProcessEnv) {
  const log: string[] = [];
  const rt = runtime({ 'working-directory': '.', ...inputs } as Record<string, string>, log, env);
  const ok = await runStage(monitorGateSpec, (i: MonitorGateInputs, r) => runMonitorGate(i, r), rt);
  stateFile();
  if (process.env.MONITOR_DEBUG) console.log(log.join('\n'), rt.outputs.report ? readFileSync(rt.outputs.report, 'utf8') : '');
  return { ok, outputs: rt.outputs, log, failure: rt.failed, report: rt.outputs.report ? readFileSync(rt.outputs.report, 'utf8') : '' };
}

/** The version each of `n` requests through the stable address was answered by. */
async function answeredBy(n: number): Promise<Record<string, number>> {
  const body = JSON.stringify({
    dataframe_records: [{ bill_length_mm: 39.1, bill_depth_mm: 18.7, flipper_length_mm: 181, body_mass_g: 3750 }],
  });
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${url}/metrics`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
    const version = /mlops_live_profile_rows\{model="penguins",version="([^"]+)"\}/.exec(await response.text())?.[1] ?? 'none';
    const infer = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    await infer.arrayBuffer();
    counts[`${version} ${infer.status}`] = (counts[`${version} ${infer.status}`] ?? 0) + 1;
  }
  return counts;
}

let rows: Record<string, string>[];

beforeAll(async () => {
  for (const [key, value] of Object.entries(sourceCliEnv())) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
  project = tempDir('mlops-monitor-gate-');
  cpSync(join(REPO, 'workflows-examples', 'penguins-node'), project, { recursive: true });
  if (!existsSync(join(project, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  await promisify(execFile)(process.execPath, ['train.mjs'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  const profiling = runtime({ data: 'data/penguins.csv', schema: 'schema.yaml' });
  expect(await runStage(validateDataSpec, validateData, profiling)).toBe(true);
  const profile = profiling.outputs.profile!;
  rows = readCsv(join(project, 'data', 'penguins.csv')).filter((row) => FEATURES.every((f) => row[f] !== ''));
  registry = join(project, 'registry');
  await registerVersion('v1', 'model', profile);
  cpSync(join(project, 'model'), join(project, 'model-v2'), { recursive: true });
  writeFileSync(join(project, 'model-v2', 'NOTES.md'), 'the same network: another digest\n');
  // v2 carries its held-out predictions: deploy hands them to the runtime as the prediction drift reference.
  await registerVersion('v2', 'model-v2', profile, 'predictions.csv');
  cpSync(DIGITS, join(project, 'model-v3'), { recursive: true });
  await registerVersion('v3', 'model-v3');
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  await deployVersion('v1', 'blue-green');
  // production → v1, as register or `mlops registry promote` would have left it.
  const { moveAlias } = await import('../../../shared/registry/aliases.js');
  const repository = ImageLayoutRepository.open(registry, 'penguins');
  await moveAlias(repository, 'production', (await repository.getManifest('v1'))!, { action: 'promote', version: 'v1', now: new Date() });
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  if (project)
    await new ProcessTarget({ stateDir: join(project, '.mlops', 'deploy', 'penguins') }).stop(() => undefined).catch(() => undefined);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}, 120_000);

describe('monitor-gate on the process target, with a real Prometheus', () => {
  it('promotes a v2 canary that serves like-training traffic as well as v1: the alias moves, v2 takes all traffic', async () => {
    await deployVersion('v2', 'canary', '50');
    if (!(await scrapeServingVersions())) return;
    const run = await monitor({
      'prometheus-url': prometheus!.url,
      endpoint: url,
      model: 'registry/penguins@v2',
      stable: 'registry/penguins@v1',
      rules: [
        'error_rate <= stable + 0.1', // about 100 requests each: the interval of the difference is ±0.05
        'error_rate < 0.05',
        'latency_p95_ms < 1000',
        'drift.share < 0.5',
        'prediction_drift < 0.1', // JS distance between the live and held-out class shares
        'requests_per_minute > 10',
        'promql("sum(up)") >= 2',
      ].join('\n'),
      'initial-delay': '4s',
      interval: '3s',
      window: '8s',
      count: '3',
      'min-samples': '10',
      'load-test': loadTestFile('alike.jsonl', rows),
      'load-test-rate': '40',
      'load-test-max-requests': '1000',
      'on-pass': 'promote',
    });
    expect({ ok: run.ok, decision: run.outputs.decision, verdict: run.outputs.verdict, failure: run.failure }).toEqual({
      ok: true,
      decision: 'promote',
      verdict: 'pass',
      failure: undefined,
    });
    expect(run.report).toMatch(/^## monitor-gate: promote ✅ pass — v2 vs stable v1/);
    expect(run.report).toMatch(/\| probabilities \| chi-squared \| [0-9.]+ \| no \|/);
    expect(run.report).toMatch(/moved alias production to v2/);
    const repository = ImageLayoutRepository.open(registry, 'penguins');
    expect((await repository.getManifest('production'))!.digest).toBe(digests.v2);
    const state = stateFile();
    expect(state.canary).toBeUndefined();
    expect(state.stable!.digest).toBe(digests.v2);
    expect(await answeredBy(6)).toEqual({ 'v2 200': 6 });
  }, 180_000);

  it('detects drift when the traffic comes from another population (Gentoo only), from /metrics alone: retrain dispatched once within the cooldown, one issue opened, closed when healthy', async () => {
    const double = await startGitHubDouble({ token: TOKEN });
    try {
      double.addWorkflow({ owner: 'acme', repo: 'models', file: 'retrain.yml', name: 'Retrain', inputs: ['reason'] });
      const env = { ...process.env, GITHUB_REPOSITORY: 'acme/models', GITHUB_TOKEN: TOKEN, GITHUB_API_URL: double.url };
      const gentoo = loadTestFile(
        'gentoo.jsonl',
        rows.filter((r) => r.species === 'Gentoo'),
      );
      const drifting = {
        endpoint: url,
        model: 'registry/penguins@v2',
        rules: 'drift.share < 0.5\ndrift[column=body_mass_g] < 0.3\nerror_rate < 0.05',
        interval: '4s',
        count: '2',
        'min-samples': '10',
        'failure-limit': '1',
        'load-test': gentoo,
        'load-test-rate': '40',
        'load-test-max-requests': '600',
        'on-fail': 'fail\nretrain\nissue',
        'retrain-workflow': 'retrain.yml',
        'retrain-inputs': '{reason: drift}',
        cooldown: '6h',
      };
      const run = await monitor(drifting, env);
      expect(run.ok).toBe(false);
      expect(run.outputs.verdict).toBe('fail');
      expect(run.outputs.decision).toBe('retrain');
      const drifted = JSON.parse(run.outputs['drifted-columns']!) as string[];
      expect(drifted).toEqual(expect.arrayContaining(['body_mass_g', 'flipper_length_mm']));
      expect(run.report).toMatch(/\| body\\_mass\\_g \| ks \| [0-9.]+ \| \*\*yes\*\* \|/);
      expect(run.report).toContain('```mermaid');
      expect(run.failure).toMatch(/^monitor-gate: fail: /);
      const runs = double.workflowRuns('acme', 'models');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ event: 'workflow_dispatch', ref: 'main', inputs: { reason: 'drift' } });
      expect(JSON.parse(run.outputs.dispatched!)).toEqual({
        workflow: 'retrain.yml',
        ref: 'main',
        run: expect.stringMatching(/\/actions\/runs\/\d+$/),
      });
      const opened = double.issues('acme', 'models');
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ state: 'open', labels: ['mlops-monitor'] });
      expect(run.outputs['issue-url']).toBe(`https://github.com/acme/models/issues/${opened[0]!.number}`);

      // A second failing run within the cooldown dispatches nothing and updates the same issue.
      const again = await monitor({ ...drifting, count: '1', interval: '3s', 'failure-limit': '0' }, env);
      expect(again.outputs.verdict).toBe('fail');
      expect(JSON.parse(again.outputs.dispatched!)).toBeNull();
      expect(again.report).toMatch(/retrain not dispatched: run [\d\u200d]+ .* within the cooldown of 6 h/);
      expect(double.workflowRuns('acme', 'models')).toHaveLength(1);
      expect(double.issues('acme', 'models')).toHaveLength(1);
      expect(again.outputs['issue-url']).toBe(run.outputs['issue-url']);

      // Healthy again (its service rules pass): the issue is closed.
      const healthy = await monitor(
        { ...drifting, rules: 'error_rate < 0.05', 'load-test': loadTestFile('alike.jsonl', rows), count: '1', interval: '3s' },
        env,
      );
      expect({ ok: healthy.ok, verdict: healthy.outputs.verdict, decision: healthy.outputs.decision }).toEqual({
        ok: true,
        verdict: 'pass',
        decision: 'hold',
      });
      expect(double.issues('acme', 'models').map((i) => i.state)).toEqual(['closed']);
      expect(double.violations).toEqual([]);
    } finally {
      await double.close();
    }
  }, 180_000);

  it('rolls back an erroring v3 canary: v2 keeps serving all traffic', async () => {
    await deployVersion('v3', 'canary', '50');
    if (!(await scrapeServingVersions())) return;
    const run = await monitor({
      'prometheus-url': prometheus!.url,
      endpoint: url,
      model: 'registry/penguins@v3',
      stable: 'registry/penguins@v2',
      rules: 'error_rate <= stable + 0.01',
      'initial-delay': '4s',
      interval: '3s',
      window: '8s',
      count: '3',
      'min-samples': '10',
      'load-test': loadTestFile('alike.jsonl', rows),
      'load-test-rate': '40',
      'on-fail': 'rollback',
    });
    expect({ ok: run.ok, decision: run.outputs.decision, verdict: run.outputs.verdict }).toEqual({
      ok: true,
      decision: 'rollback',
      verdict: 'fail',
    });
    expect(run.report).toMatch(/dropped the canary v3; v2 takes all traffic/);
    const state = stateFile();
    expect(state.canary).toBeUndefined();
    expect(state.stable!.digest).toBe(digests.v2);
    expect(await answeredBy(6)).toEqual({ 'v2 200': 6 });
  }, 180_000);

  it('ends with verdict error when Prometheus stops mid-analysis, after the consecutive-error limit', async () => {
    if (!(await scrapeServingVersions())) return;
    const stopping = new Promise((resolve) => setTimeout(resolve, 2_500)).then(() => prometheus!.stop());
    const run = await monitor({
      'prometheus-url': prometheus!.url,
      model: 'registry/penguins@v2',
      rules: 'promql("sum(up)") >= 1',
      interval: '1s',
      count: '12',
      'consecutive-error-limit': '2',
      'request-timeout': '2s',
    });
    await stopping;
    prometheus = undefined;
    expect(run.ok).toBe(false);
    expect(run.outputs.verdict).toBe('error');
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs.decision).toBe('hold');
    expect(run.failure).toMatch(/^monitor-gate: error: 3 measurement errors in a row, more than consecutive-error-limit 2: Prometheus: /);
    expect(run.report).toMatch(/\| 1 \| [^|]+ \| ✅ pass \|/);
  }, 60_000);

  it('is inconclusive, never a pass, when a query gives NaN or nothing', async () => {
    if (!(await scrapeServingVersions())) return;
    for (const query of ['sum(mlops_no_such_metric)', 'vector(0) / 0']) {
      const run = await monitor({
        'prometheus-url': prometheus!.url,
        model: 'registry/penguins@v2',
        rules: `promql("${query}") < 1`,
        interval: '1s',
        count: '1',
      });
      expect({ query, ok: run.ok, verdict: run.outputs.verdict, passed: run.outputs.passed }).toEqual({
        query,
        ok: false,
        verdict: 'inconclusive',
        passed: 'false',
      });
    }
  }, 60_000);
});
