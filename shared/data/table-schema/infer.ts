import { compileField } from './field.js';
import { jsonValueText } from './json-value-text.js';
import { DEFAULT_MISSING_VALUES, isViolation, type FieldCodec, type FieldType, type TableField, type TableSchema } from './types.js';

/** How `inferTableSchema` reads the sample. */
export interface InferOptions {
  /** Cell texts that mean "no value"; default `[""]`. Written into the schema when not the default. */
  missingValues?: string[];
  /** A string column gets an `enum` when it has at most this many distinct values… (default 10) */
  enumMaxDistinct?: number;
  /** …in at least this many non-missing cells (default 50). */
  enumMinRows?: number;
}

/**
 * Candidate types, most specific first: the first that reads every value wins. The default datetime format is
 * XML Schema's (a `T` between date and time); the space most tools write is a format of its own.
 */
const CANDIDATES: ReadonlyArray<{ type: FieldType; format?: string }> = [
  { type: 'integer' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'date' },
  { type: 'datetime' },
  { type: 'datetime', format: '%Y-%m-%d %H:%M:%S' },
];

const candidateCodecs: readonly FieldCodec[] = CANDIDATES.map((c) => compileField({ name: c.type, ...c }, []));

/**
 * Infers a Table Schema from a sample of string cells: each column's type (integer, number, boolean,
 * date, datetime, else string; `any` when every cell is missing), `required` when no cell is missing,
 * and an `enum` for string columns with few distinct values. Short rows count as missing cells.
 */
export function inferTableSchema(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: InferOptions = {},
): TableSchema {
  const missingValues = options.missingValues ?? [...DEFAULT_MISSING_VALUES];
  const missing = new Set(missingValues);
  const enumMaxDistinct = options.enumMaxDistinct ?? 10;
  const enumMinRows = options.enumMinRows ?? 50;
  const fields = headers.map((header, column): TableField => {
    let possible = (1 << CANDIDATES.length) - 1;
    let present = 0;
    let sawMissing = false;
    const distinct = new Set<string>();
    for (const row of rows) {
      const raw = row[column];
      if (raw === undefined || missing.has(raw)) {
        sawMissing = true;
        continue;
      }
      present++;
      if (distinct.size <= enumMaxDistinct) distinct.add(raw);
      for (let k = 0; k < CANDIDATES.length; k++) {
        if (possible & (1 << k) && isViolation(candidateCodecs[k]!.castAndCheck(raw))) possible &= ~(1 << k);
      }
    }
    const name = header === '' ? `field${column + 1}` : header;
    if (present === 0) return { name, type: 'any' };
    const index = CANDIDATES.findIndex((_, k) => possible & (1 << k));
    const type = index >= 0 ? CANDIDATES[index]!.type : 'string';
    const format = index >= 0 ? CANDIDATES[index]!.format : undefined;
    const field: TableField = format === undefined ? { name, type } : { name, type, format };
    const constraints: TableField['constraints'] = {};
    if (!sawMissing) constraints.required = true;
    if (type === 'string' && distinct.size <= enumMaxDistinct && present >= enumMinRows) {
      constraints.enum = [...distinct].sort();
    }
    if (Object.keys(constraints).length > 0) field.constraints = constraints;
    return field;
  });
  const schema: TableSchema = { fields };
  if (options.missingValues !== undefined) schema.missingValues = missingValues;
  return schema;
}

/**
 * Infers a Table Schema from parsed JSON records (JSON lines). Columns are the keys in order of first
 * appearance; JSON numbers and booleans read as integer, number or boolean, null as missing, and a column
 * of only objects or only arrays as `object` or `array`.
 */
export function inferTableSchemaFromRecords(records: readonly Record<string, unknown>[], options: InferOptions = {}): TableSchema {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        headers.push(key);
      }
    }
  }
  const rows = records.map((record) => headers.map((header) => jsonValueText(record[header])));
  const schema = inferTableSchema(headers, rows, options);
  for (const [column, header] of headers.entries()) {
    const values = records.map((record) => record[header]).filter((value) => value !== null && value !== undefined);
    if (values.length === 0) continue;
    const field = schema.fields[column]!;
    if (values.every((value) => Array.isArray(value))) field.type = 'array';
    else if (values.every((value) => typeof value === 'object' && !Array.isArray(value))) field.type = 'object';
    else continue;
    if (field.constraints?.enum) delete field.constraints.enum;
  }
  return schema;
}
