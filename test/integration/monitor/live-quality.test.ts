/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// Prediction drift and live quality against the real serving runtime: the penguins example trained,
// profiled by validate-data and registered with its held-out predictions (v1) and without them (v2),
// served from the registry (fetchModel: the predictions referrer becomes the prediction drift reference),
// scraped by Debian's Prometheus, under traffic replayed from the penguins data with request ids:
//   traffic like the training data → prediction drift stable, accuracy from correct delayed labels passes;
//   Gentoo-only traffic (another population) → prediction drift detected (from /metrics alone);
//   the same requests with wrong labels → accuracy fails;
//   a version registered without held-out predictions → no gauge, the rule inconclusive.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateData } from '../../../shared/data/validate-data.js';
import { runMonitorGate } from '../../../shared/monitor/monitor-gate.js';
import { fetchModel } from '../../../shared/registry/fetch-model.js';
import { register } from '../../../shared/registry/register.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { monitorGateSpec, type MonitorGateInputs } from '../../../shared/schemas/monitor-gate.js';
import { registerSpec } from '../../../shared/schemas/register.js';
import { validateDataSpec } from '../../../shared/schemas/validate-data.js';
import { parseProfile } from '../../../shared/data/profile.js';
import { startModelServer, type ModelServer } from '../../../shared/serve/model-server.js';
import { runStage } from '../../../shared/stage.js';
import { startPrometheus, type TestPrometheus } from '../../services/prometheus.js';
import { tempDir } from '../../temp-dirs.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

let project: string;
let prometheus: TestPrometheus | undefined;
const servers: ModelServer[] = [];
let rows: Record<string, string>[];
let alike: ModelServer;
let gentoo: ModelServer;
let bare: ModelServer;

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

function runtime(inputs: Record<string, string | undefined>, log: string[] = []): LocalRuntime {
  return new LocalRuntime({ inputs, workspace: project, log: (line) => log.push(line) });
}

async function registerVersion(version: string, extra: Record<string, string>): Promise<void> {
  const rt = runtime({ 'model-path': 'model', name: 'penguins', registry: 'registry', version, ...extra });
  expect(await runStage(registerSpec, register, rt)).toBe(true);
}

/** Serves a registered version as `mlops serve <ref>` does: pulled, with its registered profile and held-out predictions. */
async function serve(version: string, logDir?: string): Promise<ModelServer> {
  const fetched = await fetchModel(`registry/penguins@${version}`, project, join(project, '.mlops', 'serve', 'models'));
  const lines: string[] = [];
  const server = await startModelServer({
    modelDir: fetched.modelDir,
    name: 'penguins',
    version: fetched.version,
    ...(fetched.profileText ? { profile: parseProfile(fetched.profileText, 'registered profile') } : {}),
    ...(fetched.predictionsPath ? { predictions: fetched.predictionsPath } : {}),
    ...(logDir ? { requestLog: { dir: logDir, periodMs: 300 } } : {}),
    log: (line) => lines.push(line),
  });
  servers.push(server);
  expect(lines).toEqual([]);
  return server;
}

/** One /invocations request per row, each with its own request id, in a fixed shuffled order. */
async function replay(server: ModelServer, prefix: string, traffic: Record<string, string>[]): Promise<void> {
  const order = traffic.map((row, i) => ({ row, i, key: (i * 7919) % 1009 })).sort((a, b) => a.key - b.key);
  for (const { row, i } of order) {
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `${prefix}-${i}` },
      body: JSON.stringify({ dataframe_records: [Object.fromEntries(FEATURES.map((f) => [f, Number(row[f])]))] }),
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  }
}

async function metricsOf(server: ModelServer): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

async function monitor(inputs: Partial<Record<keyof MonitorGateInputs, string>>) {
  const log: string[] = [];
  const rt = runtime({ 'working-directory': '.', ...inputs } as Record<string, string>, log);
  const ok = await runStage(monitorGateSpec, (i: MonitorGateInputs, r) => runMonitorGate(i, r), rt);
  if (process.env.MONITOR_DEBUG) console.log(log.join('\n'), rt.outputs.report ? readFileSync(rt.outputs.report, 'utf8') : '');
  // The report escapes Markdown (`\_`, `\<`); the checks read it as rendered.
  const report = rt.outputs.report ? readFileSync(rt.outputs.report, 'utf8').replace(/\\(?=[\\`*_{}[\]()<>#+.!|-])/g, '') : '';
  return { ok, outputs: rt.outputs, log, failure: rt.failed, report };
}

/** A labels file for the replayed requests: `label(row)` for each. */
function labelsFile(
  name: string,
  prefix: string,
  traffic: Record<string, string>[],
  label: (row: Record<string, string>) => string,
): string {
  writeFileSync(join(project, name), ['id,label', ...traffic.map((row, i) => `${prefix}-${i},${label(row)}`)].join('\n') + '\n');
  return name;
}

beforeAll(async () => {
  project = tempDir('mlops-live-quality-');
  cpSync(join(REPO, 'workflows-examples', 'penguins-node'), project, { recursive: true });
  if (!existsSync(join(project, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  await promisify(execFile)(process.execPath, ['train.mjs'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  const profiling = runtime({ data: 'data/penguins.csv', schema: 'schema.yaml' });
  expect(await runStage(validateDataSpec, validateData, profiling)).toBe(true);
  await registerVersion('v1', { profile: profiling.outputs.profile!, predictions: 'predictions.csv' });
  writeFileSync(join(project, 'model', 'NOTES.md'), 'the same network: another digest\n');
  await registerVersion('v2', { profile: profiling.outputs.profile! });
  rows = readCsv(join(project, 'data', 'penguins.csv')).filter((row) => FEATURES.every((f) => row[f] !== ''));
  alike = await serve('v1', join(project, 'log-alike'));
  gentoo = await serve('v1');
  bare = await serve('v2');
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const server of servers) await server.stop();
}, 60_000);

describe('prediction drift and live quality against the real serving runtime', () => {
  it('traffic like the training data: prediction drift stable; correct delayed labels pass accuracy, wrong ones fail it', async () => {
    await replay(alike, 'alike', rows);
    const exposition = await metricsOf(alike);
    expect(exposition).toMatch(/^mlops_prediction_drifted\{model="penguins",version="v1",output="probabilities"\} 0$/m);
    expect(exposition).toMatch(/^mlops_prediction_drift\{model="penguins",version="v1",output="probabilities",method="chi-squared"\} /m);
    // The log writes its sample every 300 ms: wait for every request to be on disk.
    await alike.stop();
    const logged = readdirSync(join(project, 'log-alike')).flatMap((f) =>
      readFileSync(join(project, 'log-alike', f), 'utf8')
        .trimEnd()
        .split('\n'),
    );
    expect(logged).toHaveLength(rows.length);
    expect(JSON.parse(logged[0]!)).toMatchObject({ prediction: [expect.stringMatching(/^(Adelie|Chinstrap|Gentoo)$/)] });

    // A server stopped no longer answers: measure what it left behind, through a second process on its log.
    const again = await serve('v1');
    await replay(again, 'again', rows);
    prometheus = await startPrometheus([`127.0.0.1:${again.port}`]);
    const source = prometheus ? { 'prometheus-url': prometheus.url } : { endpoint: again.url };
    if (prometheus) await prometheus.waitFor('max(mlops_prediction_drifted)', (r) => r.length === 1, 30_000);
    const correct = labelsFile('labels.csv', 'alike', rows, (row) => row.species!);
    const run = await monitor({
      ...source,
      model: 'registry/penguins@v1',
      rules: 'prediction_drift < 0.1\naccuracy >= 0.85\nf1_macro > 0.8',
      interval: '1s',
      count: '1',
      'min-samples': '50',
      labels: correct,
      'request-log': 'log-alike',
    });
    expect({ ok: run.ok, verdict: run.outputs.verdict, failure: run.failure }).toEqual({ ok: true, verdict: 'pass', failure: undefined });
    expect(run.report).toMatch(/\| `accuracy >= 0\.85` \| ✅ pass \| 0\.9\d+ \(0\.9\d+ … 0\.9\d+\) \|/);
    expect(run.report).toMatch(/\| `prediction_drift < 0\.1` \| ✅ pass \| 0\.0\d+ \|/);
    expect(run.report).toContain('### Prediction drift');
    expect(run.report).toMatch(/\| probabilities \| chi-squared \| [0-9.]+ \| no \|/);
    expect(run.report).toContain(
      `${rows.length} labelled rows matched a logged prediction, of ${rows.length} label rows; 0 labels matched no logged request`,
    );

    // Wrong labels (each species named as another): accuracy fails on its interval.
    const shift: Record<string, string> = { Adelie: 'Chinstrap', Chinstrap: 'Gentoo', Gentoo: 'Adelie' };
    const wrong = labelsFile('wrong.csv', 'alike', rows, (row) => shift[row.species!]!);
    const failing = await monitor({
      endpoint: again.url,
      model: 'registry/penguins@v1',
      rules: 'accuracy >= 0.85',
      interval: '1s',
      count: '1',
      'min-samples': '50',
      labels: wrong,
      'request-log': 'log-alike',
    });
    expect({ ok: failing.ok, verdict: failing.outputs.verdict }).toEqual({ ok: false, verdict: 'fail' });
    expect(failing.failure).toMatch(/^monitor-gate: fail: /);
    expect(failing.report).toMatch(/\| `accuracy >= 0\.85` \| ❌ fail \| 0\.0\d+ \(/);

    // A labels file with a bad row is refused before anything is measured, naming the line.
    writeFileSync(join(project, 'bad.csv'), 'id,label\nalike-0,Adelie\n,Gentoo\n');
    const refused = await monitor({
      endpoint: again.url,
      model: 'registry/penguins@v1',
      rules: 'accuracy >= 0.85',
      labels: 'bad.csv',
      'request-log': 'log-alike',
    });
    expect(refused.ok).toBe(false);
    expect(refused.failure).toMatch(/Input 'labels': bad\.csv has 1 bad row \(line 3: the id is empty\)/);
  }, 180_000);

  it('traffic from another population (Gentoo only) moves prediction drift past its threshold, read from /metrics alone', async () => {
    await replay(
      gentoo,
      'gentoo',
      rows.filter((r) => r.species === 'Gentoo'),
    );
    expect(await metricsOf(gentoo)).toMatch(/^mlops_prediction_drifted\{model="penguins",version="v1",output="probabilities"\} 1$/m);
    const run = await monitor({
      endpoint: gentoo.url,
      model: 'registry/penguins@v1',
      rules: 'prediction_drift < 0.1',
      interval: '1s',
      count: '1',
      'min-samples': '10',
    });
    expect({ ok: run.ok, verdict: run.outputs.verdict }).toEqual({ ok: false, verdict: 'fail' });
    // Only Gentoo against a third of each: far past 0.1 on JS's 0-to-1 scale.
    expect(run.report).toMatch(/\| `prediction_drift < 0\.1` \| ❌ fail \| 0\.[3-9]\d* \|/);
    expect(run.report).toMatch(/\| probabilities \| chi-squared \| [0-9.]+ \| \*\*yes\*\* \|/);
  }, 60_000);

  it('a version registered without held-out predictions exports no prediction drift: the rule is inconclusive, never a pass', async () => {
    await replay(bare, 'bare', rows.slice(0, 60));
    const exposition = await metricsOf(bare);
    expect(exposition).toMatch(/^mlops_feature_drift\{model="penguins",version="v2"/m);
    expect(exposition).not.toMatch(/^mlops_prediction_drift/m);
    const run = await monitor({
      endpoint: bare.url,
      model: 'registry/penguins@v2',
      rules: 'prediction_drift < 0.1',
      interval: '1s',
      count: '1',
    });
    expect({ ok: run.ok, verdict: run.outputs.verdict }).toEqual({ ok: false, verdict: 'inconclusive' });
    expect(run.report).toMatch(/version v2 exports no prediction drift \(no held-out predictions registered with it/);
  }, 60_000);
});
