// Request decoding without a model or a server: Open Inference Protocol tensors, MLServer's pd content
// type, MLflow's four /invocations formats and their answers, the Table Schema contract, the live
// profile's windows (merged as validate-data merges), the request log's bound and the ONNX metadata reader.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeProfiles } from '../../../shared/data/profile.js';
import { InputError } from '../../../shared/errors.js';
import { describeFeatures } from '../../../shared/serve/feature-layout.js';
import {
  decodeAnyRequest,
  decodeCommonRequest,
  decodeInferenceRequest,
  inferenceResponse,
  inferenceResponseHead,
  inferenceResponseText,
  type ModelSignature,
} from '../../../shared/serve/inference-request.js';
import { decodeInvocation, invocationResponse } from '../../../shared/serve/invocations.js';
import { WindowedProfile } from '../../../shared/serve/live-profile.js';
import { SERVER_VERSION } from '../../../shared/serve/model-server.js';
import { readOnnxMetadata } from '../../../shared/serve/onnx-metadata.js';
import { RequestError } from '../../../shared/serve/request-error.js';
import { RequestLog } from '../../../shared/serve/request-log.js';
import type { TensorSpec } from '../../../shared/serve/tensor-types.js';

const matrixInput: TensorSpec = { name: 'input', datatype: 'FP32', shape: [-1, 3] };
const outputs: TensorSpec[] = [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 2] }];
const named: ModelSignature = {
  inputs: [matrixInput],
  outputs,
  layout: describeFeatures([matrixInput], { features: '["a","b","c"]' }),
};
const columnInputs: TensorSpec[] = [
  { name: 'age', datatype: 'INT64', shape: [-1, 1] },
  { name: 'city', datatype: 'BYTES', shape: [-1] },
];
const columnModel: ModelSignature = { inputs: columnInputs, outputs, layout: describeFeatures(columnInputs, {}) };

function rejection(call: () => unknown): { status: number; message: string } {
  try {
    call();
  } catch (error) {
    if (error instanceof RequestError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('no error');
}

describe('Open Inference Protocol requests', () => {
  it('decodes a tensor request, flat or nested, and echoes the id', () => {
    const flat = decodeInferenceRequest(
      { id: 'x', inputs: [{ name: 'input', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] },
      named,
    );
    const nested = decodeInferenceRequest(
      {
        inputs: [
          {
            name: 'input',
            shape: [2, 3],
            datatype: 'FP32',
            data: [
              [1, 2, 3],
              [4, 5, 6],
            ],
          },
        ],
      },
      named,
    );
    expect(flat.id).toBe('x');
    expect(flat.tensors[0]).toEqual({ name: 'input', datatype: 'FP32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(nested.tensors).toEqual(flat.tensors);
    expect(flat.tabular).toBe(false);
  });

  it('decodes the pd content type: one input per column, by name, in the model order; extra columns ignored', () => {
    const decoded = decodeInferenceRequest(
      {
        parameters: { content_type: 'pd' },
        inputs: [
          { name: 'c', shape: [2, 1], datatype: 'FP64', data: [3, 6] },
          { name: 'label', shape: [2], datatype: 'BYTES', data: ['yes', 'no'] },
          { name: 'a', shape: [2], datatype: 'INT64', data: [1, 4] },
          { name: 'b', shape: [2], datatype: 'FP32', data: [2, 5] },
        ],
      },
      named,
    );
    expect(decoded.tabular).toBe(true);
    expect(decoded.tensors).toEqual([{ name: 'input', datatype: 'FP32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]);
    const columns = decodeInferenceRequest(
      {
        parameters: { content_type: 'pd' },
        inputs: [
          { name: 'city', shape: [2], datatype: 'BYTES', data: ['Oslo', 'Lima'] },
          { name: 'age', shape: [2], datatype: 'INT64', data: [30, 41] },
        ],
      },
      columnModel,
    );
    expect(columns.tensors).toEqual([
      { name: 'age', datatype: 'INT64', shape: [2, 1], data: BigInt64Array.from([30n, 41n]) },
      { name: 'city', datatype: 'BYTES', shape: [2], data: ['Oslo', 'Lima'] },
    ]);
  });

  it.each([
    [
      'a missing pd column',
      { parameters: { content_type: 'pd' }, inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }] },
      /missing feature column "b"/,
    ],
    [
      'pd columns of different lengths',
      {
        parameters: { content_type: 'pd' },
        inputs: [
          { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'b', shape: [2], datatype: 'FP32', data: [1, 2] },
        ],
      },
      /column "b" has 2 rows; the other columns have 1/,
    ],
    [
      'a column sent as a tensor without pd',
      { inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }] },
      /set "parameters": \{"content_type": "pd"\}/,
    ],
    ['an unknown datatype', { inputs: [{ name: 'input', shape: [1, 3], datatype: 'FLOAT', data: [1, 2, 3] }] }, /unknown datatype "FLOAT"/],
    ['a negative dimension', { inputs: [{ name: 'input', shape: [-1, 3], datatype: 'FP32', data: [1, 2, 3] }] }, /non-negative integers/],
    [
      'an input given twice',
      { inputs: [0, 1].map(() => ({ name: 'input', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] })) },
      /given twice/,
    ],
    [
      'a boolean among numbers',
      { inputs: [{ name: 'input', shape: [1, 3], datatype: 'FP32', data: [1, true, 3] }] },
      /element 1 is true; expected a number/,
    ],
  ])('refuses %s with a 400', (_, body, message) => {
    expect(rejection(() => decodeInferenceRequest(body, named))).toEqual({ status: 400, message: expect.stringMatching(message) });
  });

  it('checks integer ranges rather than wrapping around', () => {
    const body = {
      parameters: { content_type: 'pd' },
      inputs: [
        { name: 'age', shape: [1], datatype: 'INT64', data: [1.5] },
        { name: 'city', shape: [1], datatype: 'BYTES', data: ['x'] },
      ],
    };
    expect(rejection(() => decodeInferenceRequest(body, columnModel)).message).toMatch(
      /column "age": element 0 is 1.5; expected an integer/,
    );
  });

  it('answers with model_name, model_version, the id and flat outputs; 64-bit integers as numbers', () => {
    const response = inferenceResponse({ name: 'm', version: '2' }, 'r1', [
      { name: 'label', datatype: 'INT64', shape: [2], data: BigInt64Array.from([1n, 0n]) },
      { name: 'ok', datatype: 'BOOL', shape: [2], data: Uint8Array.from([1, 0]) },
    ]);
    expect(response).toEqual({
      model_name: 'm',
      model_version: '2',
      id: 'r1',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] },
        { name: 'ok', datatype: 'BOOL', shape: [2], data: [true, false] },
      ],
    });
  });
});

describe('the common request, decoded in one pass', () => {
  const int64Input: TensorSpec = { name: 'codes', datatype: 'INT64', shape: [-1, 2] };
  const int64Model: ModelSignature = { inputs: [int64Input], outputs, layout: describeFeatures([int64Input], {}) };
  const fp64Input: TensorSpec = { name: 'x', datatype: 'FP64', shape: [-1, 3] };
  const fp64Model: ModelSignature = { inputs: [fp64Input], outputs, layout: describeFeatures([fp64Input], {}) };
  const tensor = (data: unknown[], extra: Record<string, unknown> = {}) => ({
    inputs: [{ name: 'input', shape: [2, 3], datatype: 'FP32', data, ...extra }],
  });

  it.each([
    ['FP32 with an id', named, { id: 'a', ...tensor([1, 2.5, -3, 1e-40, 0, -0]) }],
    ['FP32 of zero rows', named, { inputs: [{ name: 'input', shape: [0, 3], datatype: 'FP32', data: [] }] }],
    ['FP64', fp64Model, { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP64', data: [0.1, 1e300, -2] }] }],
    ['INT64', int64Model, { inputs: [{ name: 'codes', shape: [2, 2], datatype: 'INT64', data: [1, -2, 2 ** 53 - 1, -0] }] }],
  ])('gives what the general decoding gives: %s', (_, model, body) => {
    const common = decodeCommonRequest(body, model);
    expect(common).toBeDefined();
    expect(common).toEqual(decodeAnyRequest(body, model));
  });

  it.each([
    [
      'nested data',
      named,
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ],
    ['a string value', named, tensor([1, 2, '3', 4, 5, 6])],
    ['a null value', named, tensor([1, 2, null, 4, 5, 6])],
    ['too few values', named, tensor([1, 2, 3])],
    ['another datatype', named, tensor([1, 2, 3, 4, 5, 6], { datatype: 'FP64' })],
    ['another name', named, tensor([1, 2, 3, 4, 5, 6], { name: 'a' })],
    ['a wrong width', named, { inputs: [{ name: 'input', shape: [3, 2], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] }],
    ['a negative dimension', named, { inputs: [{ name: 'input', shape: [-2, 3], datatype: 'FP32', data: [] }] }],
    ['parameters', named, { parameters: { content_type: 'pd' }, ...tensor([1, 2, 3, 4, 5, 6]) }],
    ['outputs asked for', named, { outputs: [{ name: 'probabilities' }], ...tensor([1, 2, 3, 4, 5, 6]) }],
    ['a numeric id', named, { id: 7, ...tensor([1, 2, 3, 4, 5, 6]) }],
    ['a fractional INT64', int64Model, { inputs: [{ name: 'codes', shape: [1, 2], datatype: 'INT64', data: [1, 1.5] }] }],
    ['an INT64 beyond 2^53', int64Model, { inputs: [{ name: 'codes', shape: [1, 2], datatype: 'INT64', data: [1, 2 ** 53] }] }],
    ['two inputs for a two-input model', columnModel, { inputs: [] }],
  ])('leaves %s to the general decoding', (_, model, body) => {
    expect(decodeCommonRequest(body, model)).toBeUndefined();
  });

  it('writes the response text JSON.stringify writes for the response object', () => {
    const outputs = [
      { name: 'p', datatype: 'FP32' as const, shape: [2, 3], data: Float32Array.from([0.1, -0, NaN, Infinity, -Infinity, 1e-45]) },
      { name: 'd', datatype: 'FP64' as const, shape: [2], data: Float64Array.from([1 / 3, -1e300]) },
      { name: 'e', datatype: 'FP32' as const, shape: [0, 3], data: new Float32Array(0) },
      { name: 'label', datatype: 'INT64' as const, shape: [2], data: BigInt64Array.from([1n, -5n]) },
      { name: 'ok', datatype: 'BOOL' as const, shape: [2], data: Uint8Array.from([1, 0]) },
      { name: 'class "x"', datatype: 'BYTES' as const, shape: [2], data: ['a"b', 'é\n'] },
    ];
    const model = { name: 'm "1"', version: '2' };
    for (const id of [undefined, 'r"1']) {
      expect(inferenceResponseText(inferenceResponseHead(model), id, outputs)).toBe(JSON.stringify(inferenceResponse(model, id, outputs)));
    }
  });
});

describe("MLflow's /invocations formats", () => {
  const expectedMatrix = [{ name: 'input', datatype: 'FP32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }];
  it.each([
    [
      'dataframe_split by name',
      {
        dataframe_split: {
          columns: ['c', 'a', 'b', 'label'],
          data: [
            [3, 1, 2, 'x'],
            [6, 4, 5, 'y'],
          ],
        },
      },
    ],
    [
      'dataframe_split by position (no known names)',
      {
        dataframe_split: {
          columns: ['x', 'y', 'z'],
          data: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        },
      },
    ],
    [
      'dataframe_records',
      {
        dataframe_records: [
          { a: 1, b: 2, c: 3 },
          { c: 6, b: 5, a: 4 },
        ],
      },
    ],
    [
      'instances as rows',
      {
        instances: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
    ],
    [
      'inputs as rows',
      {
        inputs: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
    ],
    [
      'inputs by input name',
      {
        inputs: {
          input: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        },
      },
    ],
    ['instances as records of inputs', { instances: [{ input: [1, 2, 3] }, { input: [4, 5, 6] }] }],
  ])('decodes %s', (_, body) => {
    expect(decodeInvocation(body, named).tensors).toEqual(expectedMatrix);
  });

  it('answers a table with one record per row, a tensor request with outputs by name', () => {
    const out = [
      { name: 'probabilities', datatype: 'FP32' as const, shape: [2, 2], data: Float32Array.from([0.25, 0.75, 0.5, 0.5]) },
      { name: 'label', datatype: 'INT64' as const, shape: [2], data: BigInt64Array.from([1n, 0n]) },
    ];
    expect(invocationResponse('dataframe_split', out)).toEqual({
      predictions: [
        { probabilities: [0.25, 0.75], label: 1 },
        { probabilities: [0.5, 0.5], label: 0 },
      ],
    });
    expect(invocationResponse('inputs', out)).toEqual({
      predictions: {
        probabilities: [
          [0.25, 0.75],
          [0.5, 0.5],
        ],
        label: [1, 0],
      },
    });
  });

  it.each([
    ['an empty object', {}, /exactly one of the input fields/],
    ['two formats', { inputs: [], instances: [] }, /Received dictionary with input fields: inputs, instances/],
    ['a string', 'hello', /Received string/],
    ['dataframe_split without data', { dataframe_split: { columns: ['a'] } }, /"data" \(a list of rows\)/],
    ['a ragged row', { dataframe_split: { columns: ['a', 'b', 'c'], data: [[1, 2]] } }, /row 0 has 2 values; there are 3 columns/],
    ['a list for a model of two inputs', { inputs: [[1, 'x']] }, /only feeds a model with one input; this model has 2/],
  ])('refuses %s with a 400', (_, body, message) => {
    const model = String(_).includes('two inputs') ? columnModel : named;
    expect(rejection(() => decodeInvocation(body, model))).toEqual({ status: 400, message: expect.stringMatching(message) });
  });
});

describe('the Table Schema contract', () => {
  const schema = {
    fields: [
      { name: 'a', type: 'number' as const },
      { name: 'b', type: 'integer' as const },
      { name: 'label', type: 'string' as const },
      { name: 'c', type: 'number' as const },
    ],
  };
  it('takes feature names from the ONNX metadata, else from the numeric fields of the schema', () => {
    expect(describeFeatures([matrixInput], {}, schema)).toEqual({
      kind: 'matrix',
      input: matrixInput,
      columns: ['a', 'b', 'c'],
      named: true,
    });
    expect(describeFeatures([matrixInput], {})).toMatchObject({ columns: ['input_0', 'input_1', 'input_2'], named: false });
  });

  it.each([
    [
      'a listed feature not in the schema',
      [matrixInput],
      { features: '["a","b","d"]' },
      /column "d" \(feature of input "input"\) is not in the schema/,
    ],
    [
      'a text column for a number input',
      [matrixInput],
      { features: '["a","b","label"]' },
      /column "label" is string in the schema but the model takes FP32 numbers/,
    ],
    [
      'a column input the schema lacks',
      [{ name: 'z', datatype: 'FP32', shape: [-1, 1] }],
      {},
      /column "z" \(an input of the model\) is not in the schema/,
    ],
    [
      'an integer input for a number column',
      [{ name: 'a', datatype: 'INT64', shape: [-1] }],
      {},
      /column "a" is number in the schema but the model takes INT64 integers/,
    ],
    ['an image model', [{ name: 'image', datatype: 'FP32', shape: [-1, 3, 8, 8] }], {}, /are not table columns/],
  ])('refuses %s, naming the column', (_, inputs, metadata, message) => {
    expect(() => describeFeatures(inputs as TensorSpec[], metadata, schema)).toThrow(InputError);
    expect(() => describeFeatures(inputs as TensorSpec[], metadata, schema)).toThrow(message);
  });

  it('refuses metadata features that do not fit the input width', () => {
    expect(() => describeFeatures([matrixInput], { features: '["a","b"]' })).toThrow(/lists 2 features \(a, b\) but input "input" takes 3/);
  });
});

describe('live profiles', () => {
  it('keep windows that merge exactly as validate-data merges profiles, and drop old ones', () => {
    let now = 0;
    const profile = new WindowedProfile(
      [
        { name: 'x', kind: 'numeric' },
        { name: 'city', kind: 'categorical' },
      ],
      1000,
      2,
      () => now,
    );
    profile.addMatrix(Float32Array.from([1, 2, 3]), 3, 1);
    profile.addColumn(1, ['a', 'b', 'a']);
    profile.countRows(3);
    now = 1500;
    profile.addMatrix(Float32Array.from([10, 20]), 2, 1);
    profile.addColumn(1, ['c', null]);
    profile.countRows(2);
    const windows = profile.windowProfiles();
    expect(windows).toHaveLength(2);
    const merged = profile.merged();
    expect(merged.rows).toBe(5);
    expect(merged.columns[0]).toMatchObject({ count: 5, min: 1, max: 20, mean: 7.2 });
    expect(merged.columns[1]).toMatchObject({ count: 4, nulls: 1 });
    expect(mergeProfiles(windows).columns).toEqual(merged.columns);
    now = 2500;
    expect(profile.merged()).toMatchObject({ rows: 2, columns: [{ count: 2, min: 10 }, { count: 1 }] });
  });
});

describe('the request log', () => {
  it('keeps at most `capacity` requests per period, a uniform sample, and at most `files` files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-request-log-'));
    try {
      const log = new RequestLog({ dir, capacity: 10, files: 2, periodMs: 3_600_000 });
      let built = 0;
      for (let period = 0; period < 3; period++) {
        for (let i = 0; i < 1000; i++)
          log.offer(() => (built++, { id: `${period}-${i}`, time: new Date(period * 1000 + i).toISOString() }));
        await log.rotate();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await log.close();
      expect(log.offered).toBe(3000);
      expect(built).toBeLessThan(3000 / 2);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(2);
      const ids = readFileSync(join(dir, files[1]!), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id as string);
      expect(ids).toHaveLength(10);
      expect(ids.every((id) => id.startsWith('2-'))).toBe(true);
      // A uniform sample of 1,000 is not just the first ten.
      expect(ids.some((id) => Number(id.slice(2)) >= 10)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ONNX metadata and the server version', () => {
  it('reads metadata_props from a ModelProto, skipping the other fields', () => {
    const text = (field: number, value: string): number[] => {
      const bytes = [...new TextEncoder().encode(value)];
      return [(field << 3) | 2, bytes.length, ...bytes];
    };
    const entry = [...text(1, 'features'), ...text(2, '["a"]')];
    const model = Uint8Array.from([0x08, 0x08, ...text(2, 'torch'), (7 << 3) | 2, 3, 1, 2, 3, (14 << 3) | 2, entry.length, ...entry]);
    expect(readOnnxMetadata(model)).toEqual({ features: '["a"]' });
    expect(readOnnxMetadata(Uint8Array.from([0xff]))).toEqual({});
  });

  it('reports the package version in GET /v2', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(SERVER_VERSION).toBe(pkg.version);
  });
});
