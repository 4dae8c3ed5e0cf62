import type { FeatureLayout } from './feature-layout.js';
import { badRequest } from './request-error.js';
import { checkValue, checkedValues } from './tensor-values.js';
import { typedValues, type TensorData } from './tensor-types.js';

/** Rows of named columns, as a DataFrame holds them: every column has `rows` values. */
export interface Table {
  columns: string[];
  values: Map<string, unknown[]>;
  rows: number;
}

/** Builds a table from `dataframe_split` parts; throws a 400 on ragged rows. */
export function tableFromRows(columns: string[], data: unknown[][], what: string): Table {
  const values = new Map(columns.map((c) => [c, new Array<unknown>(data.length)]));
  data.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== columns.length)
      throw badRequest(`${what}: row ${r} has ${Array.isArray(row) ? row.length : 'no'} values; there are ${columns.length} columns`);
    columns.forEach((c, i) => (values.get(c)![r] = row[i]));
  });
  return { columns, values, rows: data.length };
}

/** Builds a table from records (`dataframe_records`); a key absent from a record is a missing value, as in pandas. */
export function tableFromRecords(records: unknown[], what: string): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  records.forEach((record, r) => {
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw badRequest(`${what}: record ${r} is not an object`);
    for (const key of Object.keys(record)) {
      if (seen.has(key)) continue;
      seen.add(key);
      columns.push(key);
    }
  });
  const values = new Map(columns.map((c) => [c, records.map((record) => (record as Record<string, unknown>)[c] ?? null)]));
  return { columns, values, rows: records.length };
}

/**
 * The model's input tensors from a table. A matrix model reads its feature columns by name (extra
 * columns such as the label are ignored) or, when the table names none of them and has exactly as many
 * columns, by position as MLflow does; a column model reads one column per input. Throws a 400 naming
 * the missing column or the bad cell.
 */
export function tableToTensors(table: Table, layout: FeatureLayout): TensorData[] {
  if (layout.kind === 'tensors') {
    throw badRequest('this model does not take table columns (its inputs are not one row per example): send tensors instead');
  }
  if (layout.kind === 'columns') {
    return layout.inputs.map((spec) => {
      const column = table.values.get(spec.name);
      if (!column)
        throw badRequest(`missing feature column "${spec.name}"; the model reads ${layout.inputs.map((i) => i.name).join(', ')}`);
      const shape = spec.shape.length === 2 ? [table.rows, 1] : [table.rows];
      return { name: spec.name, datatype: spec.datatype, shape, data: checkedValues(column, spec.datatype, `column "${spec.name}"`) };
    });
  }
  const width = layout.columns.length;
  let sources: unknown[][];
  const byName = layout.named && layout.columns.some((c) => table.values.has(c));
  if (byName || (layout.named && table.columns.length !== width)) {
    sources = layout.columns.map((c) => {
      const column = table.values.get(c);
      if (!column) throw badRequest(`missing feature column "${c}"; the model reads ${layout.columns.join(', ')}`);
      return column;
    });
  } else {
    if (table.columns.length !== width) {
      throw badRequest(
        `the table has ${table.columns.length} columns; the model takes ${width} features per row (input "${layout.input.name}")`,
      );
    }
    sources = table.columns.map((c) => table.values.get(c)!);
  }
  const { datatype, name } = layout.input;
  const flat = new Array<number | string | boolean>(table.rows * width);
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < width; c++) flat[r * width + c] = checkValue(sources[c]![r], datatype, `column "${layout.columns[c]}", row ${r}`);
  }
  return [{ name, datatype, shape: [table.rows, width], data: typedValues(datatype, flat) }];
}
