import { badRequest } from './request-error.js';
import { INTEGER_RANGES, typedValues, type OipDatatype, type TensorData, type TensorSpec, type TensorValues } from './tensor-types.js';

/** Checks one JSON value against a datatype and returns it as the model takes it; throws a 400 naming `where`. */
export function checkValue(value: unknown, datatype: OipDatatype, where: string): number | string | boolean {
  if (datatype === 'BYTES') {
    if (typeof value === 'string') return value;
    throw badRequest(`${where} is ${JSON.stringify(value)}; expected a string (BYTES)`);
  }
  if (datatype === 'BOOL') {
    if (typeof value === 'boolean') return value;
    throw badRequest(`${where} is ${JSON.stringify(value)}; expected true or false (BOOL)`);
  }
  if (typeof value !== 'number') {
    const got = value === null ? 'null (a missing value)' : JSON.stringify(value);
    throw badRequest(`${where} is ${got}; expected a number (${datatype})`);
  }
  const range = INTEGER_RANGES[datatype];
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
    throw badRequest(`${where} is ${value}; expected an integer from ${range[0]} to ${range[1]} (${datatype})`);
  }
  return value;
}

/** Checks every value and builds the typed array; `name` names the input in errors. */
export function checkedValues(values: unknown[], datatype: OipDatatype, name: string): TensorValues {
  if (datatype === 'FP32' || datatype === 'FP64') {
    // Any JSON number fits a float input: written straight into the typed array, a message built only for an error.
    const out = datatype === 'FP32' ? new Float32Array(values.length) : new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      out[i] = typeof value === 'number' ? value : (checkValue(value, datatype, `${name}: element ${i}`) as number);
    }
    return out;
  }
  const checked = new Array<number | string | boolean>(values.length);
  for (let i = 0; i < values.length; i++) checked[i] = checkValue(values[i], datatype, `${name}: element ${i}`);
  return typedValues(datatype, checked);
}

/** Throws a 400 unless `shape` fits the model's declared shape (same rank, fixed dimensions equal). */
export function checkShape(shape: number[], spec: TensorSpec): void {
  const declared = `[${spec.shape.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}]`;
  if (shape.length !== spec.shape.length || shape.some((d, i) => spec.shape[i]! >= 0 && spec.shape[i] !== d)) {
    throw badRequest(`input "${spec.name}" has shape [${shape.join(', ')}]; the model takes ${declared} (-1: any size)`);
  }
}

/** The shape of a rectangular nested JSON array, or a 400 naming `name` when it is ragged. */
export function nestedShape(value: unknown, name: string): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const check = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw badRequest(`${name} is not rectangular: nested deeper than [${shape.join(', ')}]`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth])
      throw badRequest(`${name} is not rectangular: expected ${shape[depth]} elements at depth ${depth + 1}`);
    for (const child of node) check(child, depth + 1);
  };
  check(value, 0);
  return shape;
}

/** A tensor from a nested JSON array for a model input; a [rows] array feeds a [-1, 1] input as one column. */
export function tensorFromNested(value: unknown, spec: TensorSpec): TensorData {
  if (!Array.isArray(value)) throw badRequest(`input "${spec.name}" is ${JSON.stringify(value)}; expected an array`);
  let shape = nestedShape(value, `input "${spec.name}"`);
  if (shape.length === 1 && spec.shape.length === 2 && spec.shape[1] === 1) shape = [shape[0]!, 1];
  checkShape(shape, spec);
  return {
    name: spec.name,
    datatype: spec.datatype,
    shape,
    data: checkedValues((value as unknown[]).flat(Infinity), spec.datatype, spec.name),
  };
}

/** Nests flat row-major values into arrays of `shape` (JSON for people). */
export function nest(values: unknown[], shape: number[]): unknown {
  if (shape.length <= 1) return values;
  const [, ...inner] = shape;
  const size = inner.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(values.slice(i * size, (i + 1) * size), inner));
  return out;
}
