/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// The GPU-trained digits MLP (model.onnx + external weights in model.onnx.data) served from its folder:
// exactly PyTorch's logits through /v2/…/infer and /invocations in every MLflow format; every bad
// request answered with a 4xx and a clear message while the server keeps serving; the sampled request
// log; a graceful stop that lets an in-flight request finish.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { startModelServer, type ModelServer } from '../../../shared/serve/model-server.js';
import { tempDir } from '../../temp-dirs.js';
import { postJson, send } from './http-client.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');
const expected = readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => JSON.parse(line) as { input: number[]; label: number; logits: number[] });
// expected.jsonl holds float32 logits printed as float64: rounding them back gives the exact float32 values.
const exactLogits = expected.map((row) => row.logits.map(Math.fround));
const MAX_BODY = 64 * 1024;

let server: ModelServer;
let logDir: string;
const survived: string[] = [];

beforeAll(async () => {
  logDir = tempDir('mlops-serve-log-');
  server = await startModelServer({
    modelDir: FIXTURE,
    name: 'digits',
    version: '3',
    maxBodyBytes: MAX_BODY,
    requestTimeoutMs: 1_000,
    requestLog: { dir: logDir, capacity: 5, periodMs: 3_600_000 },
    log: (line) => survived.push(line),
  });
});

afterAll(async () => {
  await server?.stop();
});

const tensorRequest = (rows: number[][], extra: object = {}) => ({
  inputs: [{ name: 'input', shape: [rows.length, 64], datatype: 'FP32', data: rows.flat() }],
  ...extra,
});

describe('digits-mlp-onnx served from its folder', () => {
  it('answers the server, health and model metadata endpoints', async () => {
    expect((await send(server.url, 'GET', '/v2')).json).toEqual({ name: 'mlops-serve', version: '0.1.0', extensions: [] });
    expect((await send(server.url, 'GET', '/v2/health/live')).json).toEqual({ live: true });
    expect((await send(server.url, 'GET', '/v2/health/ready')).status).toBe(200);
    const metadata = {
      name: 'digits',
      versions: ['3'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 64] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    };
    expect((await send(server.url, 'GET', '/v2/models/digits')).json).toEqual(metadata);
    expect((await send(server.url, 'GET', '/v2/models/digits/versions/3')).json).toEqual(metadata);
    expect((await send(server.url, 'GET', '/v2/models/digits/ready')).json).toEqual({ name: 'digits', ready: true });
    expect((await send(server.url, 'GET', '/v2/models/digits/versions/3/ready')).status).toBe(200);
  });

  it('/v2/models/digits/infer gives exactly the logits PyTorch computed, and echoes the id', async () => {
    const response = await postJson(
      server.url,
      '/v2/models/digits/infer',
      tensorRequest(
        expected.map((r) => r.input),
        { id: 'batch-1' },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      model_name: 'digits',
      model_version: '3',
      id: 'batch-1',
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [expected.length, 10], data: exactLogits.flat() }],
    });
    expect(response.headers['x-request-id']).toBe('batch-1');
  });

  it('runs concurrent requests as batches, and answers each exactly its own logits', async () => {
    const runsOf = async (): Promise<number> => {
      const line = /^mlops_model_runs_total\{model="digits",version="3"\} (\d+)$/m.exec((await send(server.url, 'GET', '/metrics')).text);
      return Number(line?.[1] ?? 0);
    };
    // Keep-alive connections, opened by a first wave: a later wave's requests are written in one go, so
    // they reach the server together, as a loaded server's do.
    const agent = new Agent({ keepAlive: true, maxSockets: expected.length });
    const post = (rows: number[], id: string): Promise<{ status: number; json: any }> =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify(
          tensorRequest(
            rows.map((k) => expected[k]!.input),
            { id },
          ),
        );
        const req = request(new URL('/v2/models/digits/infer', server.url), {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      let runs = 0;
      let requests = 0;
      for (const wave of [0, 1, 2]) {
        // Every fixture row, one or two rows a request.
        const rowsOf = expected.map((_, k) => (wave === 1 ? [k, (k + 1) % expected.length] : [k]));
        const before = await runsOf();
        const answers = await Promise.all(rowsOf.map((rows, i) => post(rows, `wave-${wave}-${i}`)));
        answers.forEach((answer, i) => {
          expect(answer.status).toBe(200);
          expect(answer.json.id).toBe(`wave-${wave}-${i}`);
          expect(answer.json.outputs).toEqual([
            { name: 'logits', datatype: 'FP32', shape: [rowsOf[i]!.length, 10], data: rowsOf[i]!.flatMap((k) => exactLogits[k]!) },
          ]);
        });
        if (wave > 0) {
          runs += (await runsOf()) - before;
          requests += rowsOf.length;
        }
      }
      expect(runs).toBeGreaterThan(0);
      expect(runs).toBeLessThan(requests);
    } finally {
      agent.destroy();
    }
  });

  it('takes nested data, a version in the path and a requested output', async () => {
    const response = await postJson(server.url, '/v2/models/digits/versions/3/infer', {
      inputs: [{ name: 'input', shape: [2, 64], datatype: 'FP32', data: [expected[0]!.input, expected[1]!.input] }],
      outputs: [{ name: 'logits' }],
    });
    expect(response.json.outputs[0].data).toEqual(exactLogits.slice(0, 2).flat());
    expect(response.json.id).toBeUndefined();
  });

  it('answers /invocations in every MLflow format with the exact logits', async () => {
    const rows = expected.map((r) => r.input);
    const tensor = { predictions: { logits: exactLogits } };
    expect((await postJson(server.url, '/invocations', { inputs: rows })).json).toEqual(tensor);
    expect((await postJson(server.url, '/invocations', { inputs: { input: rows } })).json).toEqual(tensor);
    expect((await postJson(server.url, '/invocations', { instances: rows, params: {} })).json).toEqual(tensor);
    const columns = Array.from({ length: 64 }, (_, i) => `pixel_${i}`);
    const records = { predictions: exactLogits.map((logits) => ({ logits })) };
    expect((await postJson(server.url, '/invocations', { dataframe_split: { columns, data: rows } })).json).toEqual(records);
    expect((await postJson(server.url, '/invocations', { dataframe_split: { data: rows } })).json).toEqual(records);
    const asRecords = rows.map((row) => Object.fromEntries(row.map((v, i) => [columns[i], v])));
    expect((await postJson(server.url, '/invocations', { dataframe_records: asRecords })).json).toEqual(records);
  });

  const row = expected[0]!.input;
  const badRequests: [string, () => ReturnType<typeof send>, number, RegExp][] = [
    ['invalid JSON', () => send(server.url, 'POST', '/v2/models/digits/infer', '{"inputs": ['), 400, /not valid JSON/],
    ['a JSON array', () => postJson(server.url, '/v2/models/digits/infer', [1, 2]), 400, /JSON object with "inputs"/],
    ['no inputs', () => postJson(server.url, '/v2/models/digits/infer', { inputs: [] }), 400, /"inputs" must be a non-empty list/],
    [
      'an unknown model',
      () => postJson(server.url, '/v2/models/cats/infer', tensorRequest([row])),
      404,
      /unknown model "cats"; this server serves "digits"/,
    ],
    [
      'an unknown version',
      () => postJson(server.url, '/v2/models/digits/versions/9/infer', tensorRequest([row])),
      404,
      /has no version "9"/,
    ],
    ['an unknown model (metadata)', () => send(server.url, 'GET', '/v2/models/cats'), 404, /unknown model "cats"/],
    [
      'an unknown input',
      () => postJson(server.url, '/v2/models/digits/infer', { inputs: [{ name: 'pixels', shape: [1, 64], datatype: 'FP32', data: row }] }),
      400,
      /unknown input "pixels"; the model's inputs are input/,
    ],
    [
      'a wrong datatype',
      () => postJson(server.url, '/v2/models/digits/infer', { inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP64', data: row }] }),
      400,
      /datatype FP64; the model takes FP32/,
    ],
    [
      'a wrong shape',
      () =>
        postJson(server.url, '/v2/models/digits/infer', {
          inputs: [{ name: 'input', shape: [1, 63], datatype: 'FP32', data: row.slice(1) }],
        }),
      400,
      /shape \[1, 63\]; the model takes \[-1, 64\]/,
    ],
    [
      'data that does not fill the shape',
      () => postJson(server.url, '/v2/models/digits/infer', { inputs: [{ name: 'input', shape: [2, 64], datatype: 'FP32', data: row }] }),
      400,
      /holds 128 elements but "data" has 64/,
    ],
    [
      'a string among the numbers',
      () =>
        postJson(server.url, '/v2/models/digits/infer', {
          inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: ['x', ...row.slice(1)] }],
        }),
      400,
      /element 0 is "x"; expected a number \(FP32\)/,
    ],
    [
      'an unknown output',
      () => postJson(server.url, '/v2/models/digits/infer', tensorRequest([row], { outputs: [{ name: 'probs' }] })),
      400,
      /unknown output "probs"/,
    ],
    ['a numeric id', () => postJson(server.url, '/v2/models/digits/infer', tensorRequest([row], { id: 7 })), 400, /"id" must be a string/],
    [
      'a body over the limit (Content-Length)',
      () => send(server.url, 'POST', '/v2/models/digits/infer', Buffer.alloc(MAX_BODY + 1, 32)),
      413,
      /at most 65536/,
    ],
    [
      'a chunked body over the limit',
      () =>
        send(
          server.url,
          'POST',
          '/v2/models/digits/infer',
          Array.from({ length: 10 }, () => Buffer.alloc(10_000, 32)),
        ),
      413,
      /over 65536 bytes/,
    ],
    ['GET on infer', () => send(server.url, 'GET', '/v2/models/digits/infer'), 405, /takes POST, not GET/],
    ['an unknown path', () => send(server.url, 'GET', '/v1/models'), 404, /no such endpoint: GET \/v1\/models/],
    ['invocations without a format', () => postJson(server.url, '/invocations', { data: [row] }), 400, /exactly one of the input fields/],
    [
      'invocations with two formats',
      () => postJson(server.url, '/invocations', { inputs: [row], instances: [row] }),
      400,
      /exactly one of the input fields/,
    ],
    ['invocations as a list', () => postJson(server.url, '/invocations', [row]), 400, /Received a list/],
    [
      'invocations with CSV',
      () => send(server.url, 'POST', '/invocations', 'a,b\n1,2\n', { 'content-type': 'text/csv' }),
      415,
      /application\/json/,
    ],
    [
      'invocations with a ragged tensor',
      () => postJson(server.url, '/invocations', { inputs: [row, row.slice(1)] }),
      400,
      /not rectangular/,
    ],
    [
      'invocations with too few columns',
      () => postJson(server.url, '/invocations', { dataframe_split: { columns: ['a'], data: [[1]] } }),
      400,
      /1 columns; the model takes 64/,
    ],
    [
      'invocations with a null cell',
      () => postJson(server.url, '/invocations', { dataframe_split: { data: [[null, ...row.slice(1)]] } }),
      400,
      /row 0 is null/,
    ],
    [
      'invocations with an unknown input',
      () => postJson(server.url, '/invocations', { inputs: { pixels: [row] } }),
      400,
      /unknown input "pixels"/,
    ],
    [
      'a slow client (body not complete within the request timeout)',
      () => send(server.url, 'POST', '/v2/models/digits/infer', ['{"inputs": ', '[]}'], {}, 1_500),
      408,
      /did not arrive within 1 s/,
    ],
  ];

  it.each(badRequests)('answers %s with a 4xx and a clear message', async (_, call, status, message) => {
    const response = await call();
    expect({ status: response.status, error: response.json?.error ?? response.json?.message }).toEqual({
      status,
      error: expect.stringMatching(message),
    });
    if (response.json?.message !== undefined) expect(response.json.error_code).toBe('BAD_REQUEST');
  });

  it('keeps serving exactly after every bad request, and counts them', async () => {
    const response = await postJson(server.url, '/v2/models/digits/infer', tensorRequest([expected[3]!.input]));
    expect(response.json.outputs[0].data).toEqual(exactLogits[3]);
    const metrics = (await send(server.url, 'GET', '/metrics')).text;
    const count = (code: number) =>
      [...metrics.matchAll(new RegExp(`^mlops_requests_total\\{[^}]*code="${code}"[^}]*\\} (\\d+)$`, 'gm'))].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    expect(count(400)).toBeGreaterThanOrEqual(badRequests.filter(([, , status]) => status === 400).length);
    expect(count(413)).toBe(2);
    expect(count(408)).toBe(1);
    expect(survived).toEqual([]);
  });

  it('exports the latency histogram and request counters labelled model and version', async () => {
    const metrics = (await send(server.url, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^mlops_request_duration_seconds_bucket\{le="0.005",model="digits",version="3",endpoint="infer"\} \d+$/m);
    expect(metrics).toMatch(/^mlops_request_duration_seconds_count\{model="digits",version="3",endpoint="invocations"\} \d+$/m);
    expect(metrics).toMatch(/^# TYPE mlops_request_duration_seconds histogram$/m);
    expect(metrics).toMatch(/^mlops_predictions_total\{model="digits",version="3"\} \d+$/m);
  });

  it('profiles the live inputs and predictions (no drift gauges without a reference profile)', async () => {
    const live = (await send(server.url, 'GET', '/mlops/profile')).json;
    expect(live.inputs.columns).toHaveLength(64);
    expect(live.inputs.rows).toBeGreaterThanOrEqual(expected.length);
    const predicted = live.predictions.columns[0];
    expect(predicted).toMatchObject({ name: 'logits', kind: 'categorical' });
    expect(predicted.count).toBe(live.predictions.rows);
    expect(live.drift).toEqual([]);
  });
});

describe('the request log and a graceful stop', () => {
  it('keeps a bounded sample keyed by request id, written when the server stops; in-flight requests finish', async () => {
    const dir = tempDir('mlops-serve-stop-');
    const second = await startModelServer({ modelDir: FIXTURE, name: 'digits', version: '3', requestLog: { dir, capacity: 5 } });
    for (let i = 0; i < 12; i++) {
      const response = await postJson(second.url, '/v2/models/digits/infer', tensorRequest([expected[i]!.input], { id: `req-${i}` }));
      expect(response.status).toBe(200);
    }
    // A request whose body is still arriving when the server is told to stop.
    const pending = send(
      second.url,
      'POST',
      '/v2/models/digits/infer',
      [
        JSON.stringify(tensorRequest([expected[0]!.input], { id: 'late' })).slice(0, 20),
        JSON.stringify(tensorRequest([expected[0]!.input], { id: 'late' })).slice(20),
      ],
      {},
      400,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = second.stop();
    expect(second.ready).toBe(false);
    const late = await pending;
    expect(late.status).toBe(200);
    expect(late.json.id).toBe('late');
    expect(late.headers.connection).toBe('close');
    await stopped;
    await expect(send(second.url, 'GET', '/v2/health/live')).rejects.toThrow(/ECONNREFUSED/);
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const entries = readFileSync(join(dir, files[0]!), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^(req-\d+|late)$/);
      expect(entry).toMatchObject({ model: 'digits', version: '3', endpoint: 'infer', rows: 1 });
      const i = entry.id === 'late' ? 0 : Number(entry.id.slice(4));
      expect(entry.inputs.input).toEqual([expected[i]!.input.map(Math.fround)]);
      expect(entry.outputs.logits).toEqual([exactLogits[i]]);
    }
  });
});
