/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// The penguins example trained for real, served with its Table Schema and validate-data's profile of its
// data: the trainer's predictions through /invocations and MLServer's pd content type; the schema contract
// refusing a mismatched schema by column; a real Prometheus scraping two servers, one fed rows like the
// training data (no drift), one fed only Gentoo penguins (drift past the thresholds), with PromQL over
// the histogram giving the request count.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { validateData } from '../../../shared/data/validate-data.js';
import { parseProfile, type ProfileJSON } from '../../../shared/data/profile.js';
import type { TableSchema } from '../../../shared/data/table-schema/types.js';
import { InputError } from '../../../shared/errors.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { validateDataSpec } from '../../../shared/schemas/validate-data.js';
import { startModelServer, type ModelServer } from '../../../shared/serve/model-server.js';
import { runStage } from '../../../shared/stage.js';
import { startPrometheus, type TestPrometheus } from '../../services/prometheus.js';
import { tempDir } from '../../temp-dirs.js';
import { postJson } from './http-client.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
const LABELS = ['Adelie', 'Chinstrap', 'Gentoo'];

let project: string;
let schema: TableSchema;
let profile: ProfileJSON;
let rows: Record<string, string>[];
const servers: ModelServer[] = [];
let prometheus: TestPrometheus | undefined;

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

/** A data row as a JSON record: measurements as numbers, missing ones (empty cells) left out. */
function record(row: Record<string, string>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, FEATURES.includes(k) ? Number(v) : v]));
}

beforeAll(async () => {
  project = tempDir('mlops-serve-penguins-');
  cpSync(join(REPO, 'workflows-examples', 'penguins-node'), project, { recursive: true });
  if (!existsSync(join(project, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
  await promisify(execFile)(process.execPath, ['train.mjs'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  schema = parseYaml(readFileSync(join(project, 'schema.yaml'), 'utf8')) as TableSchema;
  const runtime = new LocalRuntime({
    inputs: { data: 'data/penguins.csv', schema: 'schema.yaml' },
    workspace: project,
    log: () => undefined,
  });
  expect(await runStage(validateDataSpec, validateData, runtime)).toBe(true);
  profile = parseProfile(readFileSync(runtime.outputs.profile!, 'utf8'), 'profile.json');
  rows = readCsv(join(project, 'data', 'penguins.csv')).filter((row) => FEATURES.every((f) => row[f] !== ''));
  expect(rows).toHaveLength(342);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const server of servers) await server.stop();
});

/** What the servers logged: nothing is expected (the model passes the batching probe, for one). */
const logged: string[] = [];

async function serve(name: string): Promise<ModelServer> {
  const server = await startModelServer({
    modelDir: join(project, 'model'),
    name,
    version: '1',
    profile,
    tableSchema: schema,
    log: (line) => logged.push(line),
  });
  servers.push(server);
  return server;
}

describe('penguins-node served with its schema and data profile', () => {
  it("answers the trainer's predictions through /invocations and MLServer's pd content type", async () => {
    const server = await serve('penguins');
    expect(server.model.layout).toMatchObject({ kind: 'matrix', columns: FEATURES, named: true });
    // Batched rows answer exactly as alone (no "no batching" line).
    expect(logged).toEqual([]);
    const data = readCsv(join(project, 'data', 'penguins.csv'));
    const predictions = readCsv(join(project, 'predictions.csv'));
    expect(predictions).toHaveLength(86);
    const inputs = predictions.map((p) => record(data[Number(p.id)]!));
    const expectScores = (scores: number[][]) =>
      predictions.forEach((p, i) =>
        LABELS.forEach((label, k) => expect(Math.abs(scores[i]![k]! - Number(p[`score_${label}`]))).toBeLessThan(1e-5)),
      );

    const split = await postJson(server.url, '/invocations', {
      dataframe_split: { columns: Object.keys(inputs[0]!), data: inputs.map((r) => Object.values(r)) },
    });
    expect(split.status).toBe(200);
    expectScores(split.json.predictions.map((r: { probabilities: number[] }) => r.probabilities));
    const records = await postJson(server.url, '/invocations', { dataframe_records: inputs });
    expect(records.json).toEqual(split.json);

    const pd = await postJson(server.url, '/v2/models/penguins/infer', {
      id: 'pd-1',
      parameters: { content_type: 'pd' },
      inputs: [
        ...FEATURES.map((f) => ({ name: f, shape: [inputs.length, 1], datatype: 'FP64', data: inputs.map((r) => r[f]) })),
        {
          name: 'island',
          shape: [inputs.length],
          datatype: 'BYTES',
          data: inputs.map((r) => r.island),
          parameters: { content_type: 'str' },
        },
      ],
    });
    expect(pd.status).toBe(200);
    expect(pd.json.outputs[0]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [inputs.length, 3] });
    const flat = pd.json.outputs[0].data as number[];
    expectScores(inputs.map((_, i) => flat.slice(i * 3, i * 3 + 3)));

    const missing = await postJson(server.url, '/invocations', { dataframe_records: inputs.map(({ body_mass_g: _, ...rest }) => rest) });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/missing feature column "body_mass_g"/);
    const text = await postJson(server.url, '/invocations', { dataframe_records: [{ ...inputs[0], bill_depth_mm: 'deep' }] });
    expect(text.json.message).toMatch(/column "bill_depth_mm", row 0 is "deep"; expected a number/);
  });

  it.each([
    [
      'a feature missing from the schema',
      (s: TableSchema) => s.fields.filter((f) => f.name !== 'body_mass_g'),
      /column "body_mass_g" \(feature of input "input"\) is not in the schema/,
    ],
    [
      'a feature of another type',
      (s: TableSchema) => s.fields.map((f) => (f.name === 'bill_depth_mm' ? { ...f, type: 'string' as const, constraints: undefined } : f)),
      /column "bill_depth_mm" is string in the schema but the model takes FP32 numbers/,
    ],
  ])('refuses to start with %s, naming the column', async (_, fields, message) => {
    const broken = { ...schema, fields: fields(schema) };
    const start = startModelServer({ modelDir: join(project, 'model'), name: 'penguins', version: '1', tableSchema: broken });
    await expect(start).rejects.toBeInstanceOf(InputError);
    await expect(start).rejects.toThrow(message);
  });

  it('feeds a real Prometheus: request count over the histogram, and drift only for another population', async () => {
    const alike = await serve('penguins');
    const gentoo = await serve('penguins');
    const target = (server: ModelServer) => server.url.replace('http://', '');
    prometheus = await startPrometheus([target(alike), target(gentoo)]);
    if (!prometheus) {
      expect(process.env.CI).toBeUndefined();
      return;
    }
    // Like the training data: every row, in batches. Another population: only Gentoo, the heaviest species.
    const batches = (selected: Record<string, string>[]) =>
      Array.from({ length: Math.ceil(selected.length / 50) }, (_, i) => selected.slice(i * 50, i * 50 + 50).map(record));
    const sent = { alike: 0, gentoo: 0 };
    for (const batch of batches(rows)) {
      expect((await postJson(alike.url, '/invocations', { dataframe_records: batch })).status).toBe(200);
      sent.alike++;
    }
    for (const batch of batches(rows.filter((r) => r.species === 'Gentoo'))) {
      expect((await postJson(gentoo.url, '/invocations', { dataframe_records: batch })).status).toBe(200);
      sent.gentoo++;
    }
    const count = await prometheus.waitFor(
      `sum by (instance) (mlops_request_duration_seconds_count{model="penguins",version="1"})`,
      (result) => result.length === 2,
    );
    const byInstance = Object.fromEntries(count.map((r) => [r.metric.instance, Number(r.value[1])]));
    expect(byInstance).toEqual({ [target(alike)]: sent.alike, [target(gentoo)]: sent.gentoo });
    const total = await prometheus.waitFor('sum(mlops_requests_total{endpoint="invocations"})', (r) => r.length === 1);
    expect(Number(total[0]!.value[1])).toBe(sent.alike + sent.gentoo);

    const drifted = await prometheus.waitFor(
      'mlops_feature_drifted{model="penguins"}',
      (result) =>
        result.filter((r) => r.metric.instance === target(gentoo)).length === FEATURES.length && result.length === 2 * FEATURES.length,
    );
    const flags = (server: ModelServer) =>
      Object.fromEntries(drifted.filter((r) => r.metric.instance === target(server)).map((r) => [r.metric.feature, Number(r.value[1])]));
    expect(flags(alike)).toEqual(Object.fromEntries(FEATURES.map((f) => [f, 0])));
    expect(flags(gentoo).body_mass_g).toBe(1);
    expect(flags(gentoo).flipper_length_mm).toBe(1);
    // Below 1,000 values the KS test decides: its statistic and p-value are both exported.
    const pValues = await prometheus.query(`mlops_feature_drift_p_value{feature="body_mass_g",method="ks"}`);
    const p = Object.fromEntries(pValues.map((r) => [r.metric.instance, Number(r.value[1])]));
    expect(p[target(alike)]).toBeGreaterThan(0.05);
    expect(p[target(gentoo)]).toBeLessThan(0.05);
    const score = await prometheus.query(`mlops_feature_drift{feature="body_mass_g",method="ks"}`);
    expect(score).toHaveLength(2);
  });
});
