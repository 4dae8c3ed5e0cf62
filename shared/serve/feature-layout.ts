import { InputError } from '../errors.js';
import type { TableField, TableSchema } from '../data/table-schema/types.js';
import { isNumericDatatype, type TensorSpec } from './tensor-types.js';

/**
 * How table columns reach the model's inputs:
 * - `matrix`: one input of shape [rows, features], the features in a known order (PyTorch, the penguins example);
 * - `columns`: one input per column, named after it, of shape [rows] or [rows, 1] (sklearn-onnx's tabular export);
 * - `tensors`: anything else (images, sequences): only tensor requests are accepted.
 */
export type FeatureLayout =
  | { kind: 'matrix'; input: TensorSpec; columns: string[]; named: boolean }
  | { kind: 'columns'; inputs: TensorSpec[] }
  | { kind: 'tensors' };

/** The column names a layout reads, in order (empty for `tensors`). */
export function layoutColumns(layout: FeatureLayout): string[] {
  if (layout.kind === 'matrix') return layout.columns;
  if (layout.kind === 'columns') return layout.inputs.map((i) => i.name);
  return [];
}

const NUMERIC_FIELD_TYPES = new Set(['number', 'integer', 'boolean', 'year']);

function isColumnShape(shape: number[]): boolean {
  return shape.length === 1 || (shape.length === 2 && shape[1] === 1);
}

/** Why a Table Schema field cannot feed an input of this datatype, or undefined when it can. */
function typeMismatch(field: TableField, input: TensorSpec): string | undefined {
  const type = field.type ?? 'string';
  if (input.datatype === 'BYTES') return undefined;
  if (input.datatype === 'BOOL') return type === 'boolean' ? undefined : `the model takes BOOL`;
  if (!NUMERIC_FIELD_TYPES.has(type)) return `the model takes ${input.datatype} numbers`;
  if (input.datatype !== 'FP32' && input.datatype !== 'FP64' && type === 'number') return `the model takes ${input.datatype} integers`;
  return undefined;
}

function parseFeatureList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // not JSON: treated as absent
  }
  return undefined;
}

/**
 * The model's feature layout, checked against the Table Schema when there is one (the schema contract):
 * every column the model reads must be a field of the schema, of a type the input takes. Feature names
 * of a single-matrix model come from the ONNX metadata property `features` (a JSON list), else from the
 * schema's numeric fields. Throws InputError naming the column on any mismatch.
 */
export function describeFeatures(inputs: TensorSpec[], metadata: Record<string, string>, schema?: TableSchema): FeatureLayout {
  const fields = new Map((schema?.fields ?? []).map((f) => [f.name, f]));
  const contract = (message: string): InputError =>
    new InputError(`The model does not match its Table Schema: ${message}. Serve it with the schema it was trained on.`);
  const single = inputs.length === 1 ? inputs[0]! : undefined;
  if (single && single.shape.length === 2 && single.shape[1]! > 0 && single.shape[1] !== 1 && isNumericDatatype(single.datatype)) {
    const width = single.shape[1]!;
    const listed = parseFeatureList(metadata.features);
    let columns = listed;
    if (listed && listed.length !== width) {
      throw new InputError(
        `The model's metadata lists ${listed.length} features (${listed.join(', ')}) but input "${single.name}" takes ${width} per row.`,
      );
    }
    if (!columns && schema) {
      const numeric = schema.fields.filter((f) => NUMERIC_FIELD_TYPES.has(f.type ?? 'string')).map((f) => f.name);
      if (numeric.length !== width) {
        throw contract(
          `input "${single.name}" takes ${width} features per row but the schema has ${numeric.length} numeric columns (${numeric.join(', ')}) and the model names none (ONNX metadata "features")`,
        );
      }
      columns = numeric;
    }
    if (columns && schema) {
      for (const name of columns) {
        const field = fields.get(name);
        if (!field) throw contract(`column "${name}" (feature of input "${single.name}") is not in the schema`);
        const why = typeMismatch(field, single);
        if (why) throw contract(`column "${name}" is ${field.type ?? 'string'} in the schema but ${why}`);
      }
    }
    const named = columns !== undefined;
    return { kind: 'matrix', input: single, columns: columns ?? Array.from({ length: width }, (_, i) => `${single.name}_${i}`), named };
  }
  if (inputs.length > 0 && inputs.every((i) => isColumnShape(i.shape))) {
    if (schema) {
      for (const input of inputs) {
        const field = fields.get(input.name);
        if (!field) throw contract(`column "${input.name}" (an input of the model) is not in the schema`);
        const why = typeMismatch(field, input);
        if (why) throw contract(`column "${input.name}" is ${field.type ?? 'string'} in the schema but ${why}`);
      }
    }
    return { kind: 'columns', inputs };
  }
  if (schema) {
    const shapes = inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ');
    throw contract(`its inputs (${shapes}) are not table columns, so no column of the schema can feed them`);
  }
  return { kind: 'tensors' };
}
