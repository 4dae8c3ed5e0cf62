// `mlops run` from the build (dist/mlops.js) on the penguins-node example, on embedded defaults: the
// registry is an OCI layout under .mlops/registry, deploy's target is a process on 127.0.0.1. A push
// trains, evaluates, registers v1 and serves it as production; a pull request restores train from the
// cache and evaluates against production without registering; a schedule on the same data finds no
// drift and stops; new params on a push give v2, a canary beside v1, which monitor-gate analyses on the
// live endpoint and promotes. The registry, what answers on the port, and each run's report are checked.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageLayoutRepository } from '../../shared/registry/image-layout.js';
import { readModelTags } from '../../shared/registry/model-versions.js';
import { freePort } from '../services/local-process.js';
import { node24, repoRoot, runAction } from './runner.js';

let root: string;
let project: string;
let port: number;

function mlops(args: string[], timeout = 240_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(node24(), [join(root, 'dist', 'mlops.js'), ...args], { cwd: project, encoding: 'utf8', timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(run: { status: number | null; stdout: string; stderr: string }): void {
  if (run.status !== 0) throw new Error(`mlops exited ${run.status}\n${run.stdout}\n${run.stderr}`);
}

/** The tags of the penguins layout: version and alias → digest. */
async function tags(): Promise<Record<string, string>> {
  const repository = new ImageLayoutRepository(join(project, '.mlops', 'registry', 'penguins'), 'penguins');
  const { versions, aliases } = await readModelTags(repository);
  return { ...Object.fromEntries(versions.filter((v) => v.version).map((v) => [v.version!, v.digest])), ...Object.fromEntries(aliases) };
}

/** What answers on the stable port: the served model's version, for one penguin. */
async function served(): Promise<{ version: string; species: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/v2/models/penguins/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [46.5, 17.9, 192, 3500] }] }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { model_version: string; outputs: { data: number[] }[] };
  const scores = body.outputs[0]!.data;
  return { version: body.model_version, species: scores.indexOf(Math.max(...scores)) };
}

function reportOf(stdout: string): {
  path: string;
  markdown: string;
  json: { ok: boolean; steps: { step: string; status: string; why: string }[] };
} {
  const path = /^ {2}report: (.+loop\.md)$/m.exec(stdout)?.[1];
  expect(path).toBeDefined();
  return {
    path: path!,
    markdown: readFileSync(path!, 'utf8'),
    json: JSON.parse(readFileSync(path!.replace(/loop\.md$/, 'loop.json'), 'utf8')),
  };
}

const statuses = (steps: { step: string; status: string }[]): Record<string, string> =>
  Object.fromEntries(steps.map((s) => [s.step, s.status]));

beforeAll(async () => {
  // Not a tempDir(): its removal would run before the afterAll below, which needs the state to stop what serves.
  root = mkdtempSync(join(tmpdir(), 'mlops-run-loop-'));
  for (const path of ['dist', join('workflows-examples', 'penguins-node'), join('shared', 'schemas', 'json')]) {
    cpSync(join(repoRoot, path), join(root, path), {
      recursive: true,
      filter: (source) => !/[/\\](model|\.mlops|node_modules)$|[/\\](metrics\.json)$|penguins-node[/\\]predictions\.csv$/.test(source),
    });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  project = join(root, 'workflows-examples', 'penguins-node');
  port = await freePort();
  const config = join(project, 'mlops.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/port: \d+/, `port: ${port}`));
});

afterAll(() => {
  if (project && existsSync(join(project, '.mlops', 'deploy'))) {
    const stop = mlops(['deploy', 'stop'], 60_000);
    if (stop.status !== 0) throw new Error(`mlops deploy stop failed: ${stop.stderr}`);
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('mlops run on the penguins-node example', () => {
  it('--dry before anything ran: every stage runs, the first version deploys blue-green', () => {
    const dry = mlops(['run', '--dry']);
    ok(dry);
    expect(dry.stdout).toMatch(/^ {2}train +run +fingerprint sha256:[0-9a-f]{12}… not in the local cache: `node train\.mjs` runs$/m);
    expect(dry.stdout).toMatch(/^ {2}deploy +run +blue-green on process :\d+ \(no production model yet to run a canary beside\)$/m);
    expect(dry.stdout).toMatch(/^ {2}evaluate +run +against baseline\/predictions\.csv \(no production model yet\)$/m);
    expect(dry.stdout).toMatch(
      /^ {2}monitor-gate +run +the new version at deploy's url: 3 measurement\(s\) every 5s, load test load-test\.jsonl at 50\/s, on pass promote, on fail rollback$/m,
    );
    for (const rule of ['error_rate < 0.1', 'latency_p95_ms < 500', 'drift.share < 0.5']) expect(dry.stdout).toContain(`gate: ${rule}`);
    expect(dry.stdout).toMatch(/^ {2}promote +when +production → the new version when monitor-gate's verdict passes, else roll back$/m);
    expect(existsSync(join(project, '.mlops', 'runs'))).toBe(false);
  });

  it('push: trains, registers v1 as staging and production, and serves it', async () => {
    const push = mlops(['run', '--event', 'push']);
    ok(push);
    expect(push.stdout).toMatch(/^✔ train: trained in \d+\.\d s$/m);
    expect(push.stdout).toMatch(/^✔ evaluate: pass$/m);
    expect(push.stdout).toMatch(/^✔ loop \(push\): passed; production is v1$/m);
    const registry = await tags();
    expect(registry.v1).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect({ staging: registry.staging, production: registry.production }).toEqual({ staging: registry.v1, production: registry.v1 });
    expect(await served()).toEqual({ version: 'v1', species: 1 });

    const report = reportOf(push.stdout);
    expect(statuses(report.json.steps)).toEqual({
      'validate-data': 'passed',
      train: 'passed',
      evaluate: 'passed',
      register: 'passed',
      deploy: 'passed',
      // monitor-gate's analysis of v1 on the live endpoint (the example's load test) decided: promote.
      'monitor-gate': 'passed',
      promote: 'passed',
    });
    expect(push.stdout).toMatch(/^✔ monitor-gate: promote \(pass\)/m);
    expect(report.json.steps.at(-1)!.why).toMatch(
      /^monitor-gate passed and promoted: production → v1, serving at http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(report.markdown).toMatch(/^# mlops run \(push\): promoted v1 to production$/m);
    expect(report.markdown).toContain('### monitor-gate: promote ✅ pass');
    // Each stage's own summary follows the table.
    for (const heading of ['### validate-data: ✅ valid', '### evaluate: ✅ pass']) expect(report.markdown).toContain(heading);
  }, 300_000);

  it('pull_request: train restored from the cache, evaluated against production, nothing registered', async () => {
    const before = await tags();
    const pr = mlops(['run', '--event', 'pull_request']);
    ok(pr);
    expect(pr.stdout).toMatch(/^✔ train: restored from the cache in \d+\.\d s \(the command did not run\)$/m);
    expect(pr.stderr).toMatch(/against .*penguins@production \(paired by id\)/);
    const report = reportOf(pr.stdout);
    expect(statuses(report.json.steps)).toMatchObject({ train: 'restored', evaluate: 'passed', register: 'skipped', deploy: 'skipped' });
    expect(await tags()).toEqual(before);
  }, 300_000);

  it('the root action (dist/loop.js, as the runner runs it) on a pull request: the same loop, outputs and summary of the step', async () => {
    const before = await tags();
    const step = await runAction('loop', {
      workspace: project,
      event: { name: 'pull_request', payload: { number: 7, pull_request: { number: 7 } } },
      inputs: { config: 'mlops.yml', comment: 'never' },
      timeoutMs: 240_000,
    });
    expect(step.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.passed).toBe('true');
    expect(step.outputs.promoted).toBe('');
    expect(statuses(JSON.parse(step.outputs.steps!) as { step: string; status: string }[])).toEqual({
      'validate-data': 'passed',
      train: 'restored',
      evaluate: 'passed',
      register: 'skipped',
      deploy: 'skipped',
      // A pull request's loop ends with evaluate.
      'monitor-gate': 'skipped',
      promote: 'skipped',
    });
    expect(existsSync(step.outputs.report!)).toBe(true);
    // Each stage wrote its job summary, as its own action would.
    expect(step.summary).toMatch(/validate-data: ✅ valid/);
    expect(step.summary).toMatch(/evaluate: ✅ pass/);
    expect(await tags()).toEqual(before);
  }, 300_000);

  it('schedule on the same data: no drift against production, a young model: it stops after validate-data', async () => {
    const schedule = mlops(['run', '--event', 'schedule']);
    ok(schedule);
    const report = reportOf(schedule.stdout);
    expect(statuses(report.json.steps)).toEqual({
      'validate-data': 'passed',
      train: 'skipped',
      evaluate: 'skipped',
      register: 'skipped',
      deploy: 'skipped',
      // A pull request's loop ends with evaluate.
      'monitor-gate': 'skipped',
      promote: 'skipped',
    });
    expect(report.json.steps[1]!.why).toBe("no drift against production's profile, and the model is young enough: nothing to retrain");
    expect(schedule.stderr).toMatch(/drift/i);
  }, 300_000);

  it('push with new params: v2 runs as a canary beside v1, then is promoted and takes all traffic', async () => {
    const params = join(project, 'params.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace(/^epochs: 300/m, 'epochs: 250'));
    const dry = mlops(['run', '--dry']);
    ok(dry);
    expect(dry.stdout).toMatch(/^ {2}deploy +run +canary 20 % on process :\d+$/m);
    expect(dry.stdout).toMatch(/^ {2}evaluate +run +against production \(v1\)$/m);
    expect(dry.stdout).toMatch(/^ {2}monitor-gate +run +the new version at deploy's url against stable production \(v1\): /m);

    const push = mlops(['run']);
    ok(push);
    expect(push.stdout).toMatch(/^✔ loop \(push\): passed; production is v2$/m);
    expect(push.stderr).toMatch(/now sends 20 % of new connections to v2 \(pid \d+\), the rest to v1\./);
    // monitor-gate compared the canary with production on the live endpoint, then promoted it.
    expect(push.stderr).toMatch(/Analysing penguins v2 against stable v1 from http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(push.stdout).toMatch(/^✔ monitor-gate: promote \(pass\)/m);
    const registry = await tags();
    expect(registry.v2).not.toBe(registry.v1);
    expect({ staging: registry.staging, production: registry.production }).toEqual({ staging: registry.v2, production: registry.v2 });
    // Promotion finished the canary: every request goes to v2.
    for (let i = 0; i < 5; i++) expect((await served()).version).toBe('v2');
    const status = mlops(['deploy', 'status']);
    expect(status.stdout).toMatch(/stable +v2 /);
    expect(status.stdout).not.toMatch(/canary/);
  }, 300_000);
});
