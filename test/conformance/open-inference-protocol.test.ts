/**
 * @jest-environment ./test/integration/examples/onnxruntime-environment.js
 */
// The model server's answers are valid under the Open Inference Protocol's OpenAPI description
// (open_inference_rest.yaml, KServe): each response body against the schema its path and status name.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startModelServer, type ModelServer } from '../../shared/serve/model-server.js';
import { postJson, send } from '../integration/serve/http-client.js';
import { referencePath } from './reference.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'digits-mlp-onnx');
const row = (JSON.parse(readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8').split('\n')[0]!) as { input: number[] }).input;

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

const spec = parseYaml(readFileSync(referencePath('open-inference-protocol', 'open_inference_rest.yaml'), 'utf8')) as OpenApi;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'oip');

/** The validator for the response `status` of `method path` in the spec (its `$ref`ed component schema). */
function responseValidator(path: string, method: string, status: string): (body: unknown) => string[] {
  const ref = spec.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema.$ref;
  if (!ref) throw new Error(`the spec has no JSON schema for ${method.toUpperCase()} ${path} ${status}`);
  const check = ajv.compile({ $ref: `oip${ref}` });
  return (body) => (check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ modelDir: FIXTURE, name: 'digits', version: '3' });
});
afterAll(async () => {
  await server?.stop();
});

const MODEL = '/v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}';

describe('responses against open_inference_rest.yaml', () => {
  it('GET /v2: metadata_server_response', async () => {
    const response = await send(server.url, 'GET', '/v2');
    expect(response.status).toBe(200);
    expect(responseValidator('/v2/', 'get', '200')(response.json)).toEqual([]);
  });

  it('GET /v2/models/{name}[/versions/{version}]: metadata_model_response', async () => {
    const validate = responseValidator(MODEL, 'get', '200');
    for (const path of ['/v2/models/digits', '/v2/models/digits/versions/3']) {
      const response = await send(server.url, 'GET', path);
      expect(response.status).toBe(200);
      expect(validate(response.json)).toEqual([]);
    }
  });

  it('POST …/infer: inference_response (tensor and pd requests), inference_error_response for a bad one', async () => {
    const validate = responseValidator(`${MODEL}/infer`, 'post', '200');
    const tensor = await postJson(server.url, '/v2/models/digits/versions/3/infer', {
      id: '42',
      inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: row }],
      outputs: [{ name: 'logits' }],
    });
    expect(tensor.status).toBe(200);
    expect(validate(tensor.json)).toEqual([]);
    const pd = await postJson(server.url, '/v2/models/digits/infer', {
      parameters: { content_type: 'pd' },
      inputs: row.map((v, i) => ({ name: `input_${i}`, shape: [1], datatype: 'FP32', data: [v] })),
    });
    expect(pd.status).toBe(200);
    expect(validate(pd.json)).toEqual([]);
    const bad = await postJson(server.url, '/v2/models/digits/infer', {
      inputs: [{ name: 'input', shape: [1], datatype: 'FP32', data: [1] }],
    });
    expect(bad.status).toBe(400);
    expect(responseValidator(`${MODEL}/infer`, 'post', '400')(bad.json)).toEqual([]);
    expect(bad.json).toEqual({ error: expect.any(String) });
  });

  it('the request we send is an inference_request, and the check can fail', () => {
    const request = ajv.compile({ $ref: 'oip#/components/schemas/inference_request' });
    expect(request({ id: '1', inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: row }] })).toBe(true);
    const validate = responseValidator(`${MODEL}/infer`, 'post', '200');
    expect(validate({ outputs: [] })).not.toEqual([]);
    expect(validate({ model_name: 'm', outputs: [{ name: 'x', shape: [1], datatype: 'FP32' }] })).not.toEqual([]);
  });
});
