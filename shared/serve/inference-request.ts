import type { FeatureLayout } from './feature-layout.js';
import { badRequest } from './request-error.js';
import { tableToTensors, type Table } from './table-request.js';
import { checkShape, checkedValues } from './tensor-values.js';
import { isOipDatatype, jsonValues, type TensorData, type TensorSpec } from './tensor-types.js';

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
