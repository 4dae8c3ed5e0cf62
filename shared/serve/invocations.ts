import type { ModelSignature } from './inference-request.js';
import { badRequest } from './request-error.js';
import { tableFromRecords, tableFromRows, tableToTensors } from './table-request.js';
import { nest, tensorFromNested } from './tensor-values.js';
import { jsonValues, type TensorData } from './tensor-types.js';

/** The input fields of MLflow's scoring protocol (MLflow 2+); a request has exactly one. */
export const INVOCATION_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
export type InvocationFormat = (typeof INVOCATION_FORMATS)[number];

export interface DecodedInvocation {
  format: InvocationFormat;
  tensors: TensorData[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Tensors by input name (`inputs` as an object, or `instances` as records), as MLflow feeds an ONNX model a dict. */
function namedTensors(values: Record<string, unknown>, model: ModelSignature, what: string): TensorData[] {
  const names = model.inputs.map((i) => i.name);
  for (const key of Object.keys(values))
    if (!names.includes(key)) throw badRequest(`${what}: unknown input "${key}"; the model's inputs are ${names.join(', ')}`);
  return model.inputs.map((spec) => {
    if (!(spec.name in values)) throw badRequest(`${what}: missing input "${spec.name}"; the model's inputs are ${names.join(', ')}`);
    return tensorFromNested(values[spec.name], spec);
  });
}

/** One tensor for a single-input model (`inputs` or `instances` as a list), as MLflow maps a numpy array. */
function singleTensor(value: unknown[], model: ModelSignature, what: string): TensorData[] {
  if (model.inputs.length !== 1) {
    throw badRequest(
      `${what} is a list, which only feeds a model with one input; this model has ${model.inputs.length}: send {"${what}": {"<input>": …}} with ${model.inputs.map((i) => i.name).join(', ')}`,
    );
  }
  return [tensorFromNested(value, model.inputs[0]!)];
}

/**
 * Decodes a body of MLflow's `POST /invocations` (parsed JSON): exactly one of `dataframe_split`,
 * `dataframe_records`, `instances`, `inputs` (and optionally `params`, ignored). Throws a 400 RequestError.
 */
export function decodeInvocation(body: unknown, model: ModelSignature): DecodedInvocation {
  if (!isObject(body)) {
    throw badRequest(
      `The input must be a JSON dictionary with exactly one of the input fields ${INVOCATION_FORMATS.join(', ')}. Received ${Array.isArray(body) ? 'a list' : typeof body}.`,
    );
  }
  const formats = INVOCATION_FORMATS.filter((f) => f in body);
  if (formats.length !== 1) {
    throw badRequest(
      `The input must be a JSON dictionary with exactly one of the input fields ${INVOCATION_FORMATS.join(', ')}. Received dictionary with input fields: ${Object.keys(body).join(', ') || 'none'}.`,
    );
  }
  const format = formats[0]!;
  const value = body[format];
  switch (format) {
    case 'dataframe_split': {
      if (!isObject(value) || !Array.isArray(value.data))
        throw badRequest(
          'dataframe_split must be an object with "data" (a list of rows) and "columns" (their names), as pandas orient="split"',
        );
      const rows = value.data as unknown[][];
      const width = Array.isArray(rows[0]) ? rows[0].length : 0;
      const columns = value.columns === undefined ? Array.from({ length: width }, (_, i) => String(i)) : value.columns;
      if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string' || typeof c === 'number'))
        throw badRequest('dataframe_split.columns must be a list of column names');
      return { format, tensors: tableToTensors(tableFromRows(columns.map(String), rows, format), model.layout) };
    }
    case 'dataframe_records':
      if (!Array.isArray(value))
        throw badRequest('dataframe_records must be a list of records ({"column": value, …}), as pandas orient="records"');
      return { format, tensors: tableToTensors(tableFromRecords(value, format), model.layout) };
    case 'instances':
      if (!Array.isArray(value)) throw badRequest('instances must be a list');
      if (value.length > 0 && isObject(value[0])) {
        // MLflow turns a list of records into a dict of columns before it reaches the model.
        const columns: Record<string, unknown[]> = {};
        value.forEach((record, r) => {
          if (!isObject(record)) throw badRequest(`instances[${r}] is not an object like instances[0]`);
          for (const [key, v] of Object.entries(record)) (columns[key] ??= []).push(v);
        });
        return { format, tensors: namedTensors(columns, model, format) };
      }
      return { format, tensors: singleTensor(value, model, format) };
    case 'inputs':
      if (isObject(value)) return { format, tensors: namedTensors(value, model, format) };
      if (Array.isArray(value)) return { format, tensors: singleTensor(value, model, format) };
      throw badRequest('inputs must be a list (one input) or an object of tensors by input name');
  }
}

/**
 * The `{"predictions": …}` answer MLflow's scoring server gives for an ONNX model: a table request gets one
 * record per row (a row's output as a number when it has one value, else a list); a tensor request gets
 * the outputs by name, nested by their shapes.
 */
export function invocationResponse(format: InvocationFormat, outputs: TensorData[]): { predictions: unknown } {
  if (format === 'dataframe_split' || format === 'dataframe_records') {
    const rows = outputs[0]?.shape[0] ?? 0;
    const columns = outputs.map((o) => {
      const values = jsonValues(o.datatype, o.data);
      const width = rows === 0 ? 0 : values.length / rows;
      return { name: o.name, values, width };
    });
    const records = Array.from({ length: rows }, (_, r) =>
      Object.fromEntries(columns.map((c) => [c.name, c.width === 1 ? c.values[r] : c.values.slice(r * c.width, (r + 1) * c.width)])),
    );
    return { predictions: records };
  }
  return { predictions: Object.fromEntries(outputs.map((o) => [o.name, nest(jsonValues(o.datatype, o.data), o.shape)])) };
}
