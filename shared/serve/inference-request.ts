import type { FeatureLayout } from './feature-layout.js';
import { badRequest } from './request-error.js';
import { tableToTensors, type Table } from './table-request.js';
import { checkShape, checkedValues } from './tensor-values.js';
import { isOipDatatype, jsonValues, type TensorData, type TensorSpec, type TensorValues } from './tensor-types.js';
import { slabArray } from './value-slabs.js';

/** What the model needs to answer a request: its input tensors, the outputs asked for, and the request id. */
export interface DecodedInference {
  id?: string;
  tensors: TensorData[];
  /** Output names asked for; undefined: all. */
  outputs?: string[];
  /** True when the request came as MLServer's `pd` content type (a table). */
  tabular: boolean;
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  layout: FeatureLayout;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkShapeList(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw badRequest(`${where}: "shape" must be a list of non-negative integers`);
  return shape as number[];
}

function contentType(parameters: unknown): unknown {
  return isObject(parameters) ? parameters.content_type : undefined;
}

/** A request input's fields, checked; `data` flattened (the protocol allows nested or flat). */
function readInput(input: unknown, i: number): { name: string; shape: number[]; datatype: string; data: unknown[]; parameters: unknown } {
  if (!isObject(input)) throw badRequest(`inputs[${i}] is not an object`);
  const where = typeof input.name === 'string' ? `input "${input.name}"` : `inputs[${i}]`;
  if (typeof input.name !== 'string') throw badRequest(`${where}: "name" must be a string`);
  if (typeof input.datatype !== 'string') throw badRequest(`${where}: "datatype" must be a string such as FP32`);
  if (!Array.isArray(input.data)) throw badRequest(`${where}: "data" must be an array`);
  const shape = checkShapeList(input.shape, where);
  // Flat data (the usual form) is taken as it is; only nested data is flattened.
  const raw = input.data as unknown[];
  const data = raw.some(Array.isArray) ? raw.flat(Infinity) : raw;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw badRequest(`${where}: shape [${shape.join(', ')}] holds ${size} elements but "data" has ${data.length}`);
  return { name: input.name, shape, datatype: input.datatype, data, parameters: input.parameters };
}

/** The columns of an MLServer `pd` request: one input per column, shape [rows] or [rows, 1]. */
function pandasTable(inputs: ReturnType<typeof readInput>[]): Table {
  const values = new Map<string, unknown[]>();
  let rows: number | undefined;
  for (const input of inputs) {
    if (input.shape.length > 2 || (input.shape.length === 2 && input.shape[1] !== 1))
      throw badRequest(`column "${input.name}" has shape [${input.shape.join(', ')}]; a pd column is [rows] or [rows, 1]`);
    if (rows !== undefined && input.shape[0] !== rows)
      throw badRequest(`column "${input.name}" has ${input.shape[0]} rows; the other columns have ${rows}`);
    if (values.has(input.name)) throw badRequest(`column "${input.name}" is given twice`);
    rows = input.shape[0];
    values.set(input.name, input.data);
  }
  return { columns: [...values.keys()], values, rows: rows ?? 0 };
}

/**
 * Decodes an Open Inference Protocol inference request (already parsed JSON) for this model. Tensor
 * requests must name every input with its datatype and a fitting shape; requests with the `pd` content
 * type (MLServer's pandas codec) carry table columns. Throws a 400 RequestError saying what is wrong.
 */
export function decodeInferenceRequest(body: unknown, model: ModelSignature): DecodedInference {
  return decodeCommonRequest(body, model) ?? decodeAnyRequest(body, model);
}

/** {@link decodeInferenceRequest} for every request form, each field checked in turn. */
export function decodeAnyRequest(body: unknown, model: ModelSignature): DecodedInference {
  if (!isObject(body)) throw badRequest('the body must be a JSON object with "inputs" (an Open Inference Protocol inference request)');
  if (body.id !== undefined && typeof body.id !== 'string') throw badRequest('"id" must be a string');
  if (body.parameters !== undefined && !isObject(body.parameters)) throw badRequest('"parameters" must be an object');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw badRequest('"inputs" must be a non-empty list of tensors');
  let outputs: string[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw badRequest('"outputs" must be a list of {"name": …}');
    const known = model.outputs.map((o) => o.name);
    outputs = body.outputs.map((o, i) => {
      const name = isObject(o) ? o.name : undefined;
      if (typeof name !== 'string') throw badRequest(`outputs[${i}]: "name" must be a string`);
      if (!known.includes(name)) throw badRequest(`unknown output "${name}"; the model's outputs are ${known.join(', ')}`);
      return name;
    });
  }
  const inputs = body.inputs.map(readInput);
  const id = body.id as string | undefined;
  const pd = contentType(body.parameters) === 'pd';
  if (pd) return { id, outputs, tensors: tableToTensors(pandasTable(inputs), model.layout), tabular: true };

  const given = new Map<string, (typeof inputs)[number]>();
  for (const input of inputs) {
    if (given.has(input.name)) throw badRequest(`input "${input.name}" is given twice`);
    given.set(input.name, input);
  }
  const expected = model.inputs.map((s) => s.name);
  for (const name of given.keys()) {
    if (!expected.includes(name)) {
      const hint =
        model.layout.kind === 'matrix' && model.layout.columns.includes(name)
          ? ' (to send table columns, set "parameters": {"content_type": "pd"})'
          : '';
      throw badRequest(`unknown input "${name}"; the model's inputs are ${expected.join(', ')}${hint}`);
    }
  }
  const tensors = model.inputs.map((spec): TensorData => {
    const input = given.get(spec.name);
    if (!input) throw badRequest(`missing input "${spec.name}"; the model's inputs are ${expected.join(', ')}`);
    if (!isOipDatatype(input.datatype)) throw badRequest(`input "${spec.name}": unknown datatype ${JSON.stringify(input.datatype)}`);
    if (input.datatype !== spec.datatype)
      throw badRequest(`input "${spec.name}" has datatype ${input.datatype}; the model takes ${spec.datatype}`);
    checkShape(input.shape, spec);
    return {
      name: spec.name,
      datatype: spec.datatype,
      shape: input.shape,
      data: checkedValues(input.data, spec.datatype, `input "${spec.name}"`),
    };
  });
  return { id, outputs, tensors, tabular: false };
}

/** Numeric datatypes the common request's data is written straight into. */
const DIRECT_DATATYPES = new Set(['FP32', 'FP64', 'INT64']);

/**
 * The common request, decoded in one pass: one tensor for a one-input model, flat numeric data (FP32,
 * FP64 or INT64) of the model's datatype and a fitting shape, no `parameters` or `outputs`. Gives what
 * the general decoding would give, or undefined for anything else, which the general decoding then
 * takes (and says what is wrong), so this only saves work, never changes an answer.
 */
export function decodeCommonRequest(body: unknown, model: ModelSignature): DecodedInference | undefined {
  if (model.inputs.length !== 1 || !isObject(body)) return undefined;
  const { id, inputs } = body;
  if ((id !== undefined && typeof id !== 'string') || body.parameters !== undefined || body.outputs !== undefined) return undefined;
  if (!Array.isArray(inputs) || inputs.length !== 1) return undefined;
  const spec = model.inputs[0]!;
  const input: unknown = inputs[0];
  if (!isObject(input) || input.name !== spec.name || input.datatype !== spec.datatype || !DIRECT_DATATYPES.has(spec.datatype))
    return undefined;
  const { shape, data } = input;
  if (!Array.isArray(shape) || shape.length !== spec.shape.length || !Array.isArray(data)) return undefined;
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (!Number.isSafeInteger(d) || (d as number) < 0 || (spec.shape[i]! >= 0 && d !== spec.shape[i])) return undefined;
    size *= d as number;
  }
  if (data.length !== size) return undefined;
  const values = numericValues(data, spec.datatype);
  if (!values) return undefined;
  return { id, outputs: undefined, tensors: [{ name: spec.name, datatype: spec.datatype, shape, data: values }], tabular: false };
}

/**
 * Flat JSON numbers as the datatype's typed array, cut from a shared slab (the request's tensors do not
 * outlive it); undefined at the first value that is not a plain fit (checked the general way).
 */
function numericValues(data: unknown[], datatype: string): TensorValues | undefined {
  if (datatype === 'INT64') {
    const out = slabArray<BigInt64Array>(BigInt64Array, data.length);
    for (let i = 0; i < data.length; i++) {
      const value = data[i];
      if (!Number.isSafeInteger(value)) return undefined;
      out[i] = BigInt(value as number);
    }
    return out;
  }
  const out = slabArray<Float32Array | Float64Array>(datatype === 'FP32' ? Float32Array : Float64Array, data.length);
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (typeof value !== 'number') return undefined;
    out[i] = value;
  }
  return out;
}

/** An inference response body (the protocol's $inference_response). */
export function inferenceResponse(
  model: { name: string; version: string },
  id: string | undefined,
  outputs: TensorData[],
): Record<string, unknown> {
  return {
    model_name: model.name,
    model_version: model.version,
    ...(id !== undefined ? { id } : {}),
    outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, data: jsonValues(o.datatype, o.data) })),
  };
}

/**
 * The same response as JSON text, written directly (no nested objects to build and walk): `JSON.stringify`
 * of {@link inferenceResponse} gives the same text. `head` is {@link inferenceResponseHead} of the model.
 */
export function inferenceResponseText(head: string, id: string | undefined, outputs: TensorData[]): string {
  let text = id !== undefined ? `${head},"id":${JSON.stringify(id)},"outputs":[` : `${head},"outputs":[`;
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i]!;
    if (i > 0) text += ',';
    text += `{"name":${JSON.stringify(o.name)},"datatype":"${o.datatype}","shape":[${o.shape.join(',')}],"data":${valuesText(o)}}`;
  }
  return `${text}]}`;
}

/** The start of every inference response of a model: its name and version. */
export function inferenceResponseHead(model: { name: string; version: string }): string {
  return `{"model_name":${JSON.stringify(model.name)},"model_version":${JSON.stringify(model.version)}`;
}

/** A tensor's values as a JSON array; floats written in a loop as JSON writes numbers (non-finite as null). */
function valuesText(tensor: TensorData): string {
  const data = tensor.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return JSON.stringify(jsonValues(tensor.datatype, data));
  if (data.length === 0) return '[]';
  let text = '[';
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    // x - x is 0 for finite numbers only; JSON writes NaN and the infinities as null.
    text += (i > 0 ? ',' : '') + (x - x === 0 ? String(x) : 'null');
  }
  return `${text}]`;
}
