// The monitor-gate bundle (dist/monitor-gate.js) run as the runner runs it: Node 24, INPUT_* variables,
// the GITHUB_* files, GitHub's API as the OpenAPI double, Debian's Prometheus scraping the serving
// processes of the process target. digits v1 serves, v2 is deployed as a 50 % canary by the deploy
// bundle; monitor-gate's load test sends the fixture's rows through the stable port, the analysis passes
// and promotes v2 (alias production moved, v2 alone serves). Then a rule v2 cannot meet fails the step,
// dispatches the retrain workflow and opens one issue on the double.
// The processes the target starts run from the sources (MLOPS_CLI), as in the deploy e2e test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deployStateDir } from '../../shared/deploy/deploy.js';
import type { ProcessState } from '../../shared/deploy/process-target.js';
import { ImageLayoutRepository } from '../../shared/registry/image-layout.js';
import { startGitHubDouble, type GitHubDouble } from '../github-double/server.js';
import {
  deployState,
  freePort,
  registerDigits,
  requireBuiltCli,
  sourceCliEnv,
  type RegisteredModels,
} from '../integration/deploy/registered-models.js';
import { startPrometheus, type TestPrometheus } from '../services/prometheus.js';
import { runAction } from './runner.js';

const TOKEN = 'ghs_monitorGateE2e';
let double: GitHubDouble;
let models: RegisteredModels;
let state: ReturnType<typeof deployState>;
let port: number;
let prometheus: TestPrometheus | undefined;

beforeAll(async () => {
  requireBuiltCli();
  double = await startGitHubDouble({ token: TOKEN });
  double.addRepository('octo-org', 'ml-repo');
  double.addWorkflow({ owner: 'octo-org', repo: 'ml-repo', file: 'retrain.yml', name: 'Retrain' });
  models = await registerDigits();
  state = deployState('e2e-monitor-gate-');
  port = await freePort();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await state.cleanup();
  await double.close();
});

const workspace = () => dirname(state.stateDir);

async function run(name: string, inputs: Record<string, string>) {
  const result = await runAction(name, {
    workspace: workspace(),
    inputs: { port: String(port), 'github-token': TOKEN, ...inputs },
    env: { ...sourceCliEnv(), GITHUB_API_URL: double.url },
    timeoutMs: 150_000,
  });
  state.note();
  return result;
}

function processState(): ProcessState {
  return JSON.parse(readFileSync(join(deployStateDir(state.stateDir, 'digits'), 'state.json'), 'utf8')) as ProcessState;
}

describe('monitor-gate bundle', () => {
  it('promotes a healthy canary, then a failing run dispatches retrain and opens one issue', async () => {
    expect((await run('deploy', { model: models.reference('v1'), 'github-deployment': 'false' })).exitCode).toBe(0);
    const repository = ImageLayoutRepository.open(models.registry, 'digits');
    const { moveAlias } = await import('../../shared/registry/aliases.js');
    await moveAlias(repository, 'production', (await repository.getManifest('v1'))!, { action: 'promote', version: 'v1', now: new Date() });
    const canary = await run('deploy', {
      model: models.reference('v2'),
      strategy: 'canary',
      'canary-weight': '50',
      'github-deployment': 'false',
    });
    expect(canary.exitCode).toBe(0);
    const serving = processState();
    const targets = [serving.stable!.port!, serving.canary!.port!].map((p) => `127.0.0.1:${p}`);
    prometheus = await startPrometheus(targets);
    if (!prometheus) return;
    await prometheus.waitFor('sum(up)', (r) => Number(r[0]?.value[1]) === 2);
    writeFileSync(
      join(workspace(), 'requests.jsonl'),
      models.rows
        .map((row) => JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: row.input }] }))
        .join('\n'),
    );

    const gate = await run('monitor-gate', {
      'prometheus-url': prometheus.url,
      endpoint: `http://127.0.0.1:${port}`,
      model: models.reference('v2'),
      stable: models.reference('v1'),
      rules: 'error_rate <= stable + 0.1\nlatency_p95_ms < 1000\nrequests_per_minute > 10',
      'initial-delay': '4s',
      interval: '3s',
      window: '8s',
      count: '2',
      'min-samples': '10',
      'load-test': 'requests.jsonl',
      'load-test-rate': '30',
      'on-pass': 'promote',
    });
    expect(gate.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(gate.exitCode).toBe(0);
    expect(gate.outputs).toMatchObject({ decision: 'promote', passed: 'true', verdict: 'pass', dispatched: 'null', 'issue-url': '' });
    expect(gate.summary).toMatch(/^## monitor-gate: promote ✅ pass — v2 vs stable v1\n/);
    expect((await repository.getManifest('production'))!.digest).toBe(models.digests.v2);
    const after = processState();
    expect(after.canary).toBeUndefined();
    expect(after.stable!.digest).toBe(models.digests.v2);
    expect(after.port).toBe(port);

    const failing = await run('monitor-gate', {
      endpoint: `http://127.0.0.1:${port}`,
      model: models.reference('v2'),
      rules: 'requests_per_minute > 100000000',
      interval: '2s',
      count: '1',
      'load-test': 'requests.jsonl',
      'load-test-rate': '20',
      'on-fail': 'fail\nretrain\nissue',
      'retrain-workflow': 'retrain.yml',
    });
    expect(failing.exitCode).toBe(1);
    expect(failing.outputs).toMatchObject({ decision: 'retrain', passed: 'false', verdict: 'fail' });
    expect(failing.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(/^monitor-gate: fail: 1 failed measurement, more than failure-limit 0; fail: requests_per_minute /),
    ]);
    expect(double.workflowRuns('octo-org', 'ml-repo')).toHaveLength(1);
    expect(double.issues('octo-org', 'ml-repo')).toHaveLength(1);
    expect(failing.outputs['issue-url']).toMatch(/\/octo-org\/ml-repo\/issues\/\d+$/);
    expect(double.violations).toEqual([]);
  }, 300_000);
});
