// How a table's columns must match the schema's fields (Table Schema v2 `fieldsMatch`, `exact` by default).
import type { FieldsMatch, TableSchema } from './types.js';

/** A way the columns break the schema's fieldsMatch; `column` names the column or field concerned. */
export interface HeaderMismatch {
  column: string;
  message: string;
}

/**
 * The mismatches between a table's columns and the schema's fields under its `fieldsMatch`. `tabular` is
 * false for formats whose records may leave a key out (JSON lines, Parquet): a field absent from them is
 * then a missing value, not a missing column. Columns are mapped to fields by name; under `exact`, a
 * column out of the fields' order is reported too ("Fields MUST be mapped by their order").
 */
export function headerMismatches(schema: TableSchema, columns: readonly string[], tabular: boolean): HeaderMismatch[] {
  const mode: FieldsMatch = schema.fieldsMatch ?? 'exact';
  const names = schema.fields.map((f) => f.name);
  const known = new Set(names);
  const present = new Set(columns);
  const mismatches: HeaderMismatch[] = [];
  const extraAllowed = mode === 'subset' || mode === 'partial';
  const missingAllowed = mode === 'superset' || mode === 'partial' || !tabular;
  if (!extraAllowed) {
    for (const column of columns) {
      if (!known.has(column))
        mismatches.push({ column, message: `column ${column} is not in the schema${mode === 'exact' ? '' : ` (fieldsMatch: ${mode})`}` });
    }
  }
  if (!missingAllowed) {
    for (const name of names) {
      if (!present.has(name))
        mismatches.push({
          column: name,
          message: `the schema's field ${name} is missing from the header${mode === 'exact' ? '' : ` (fieldsMatch: ${mode})`}`,
        });
    }
  }
  if (mode === 'partial' && !columns.some((c) => known.has(c))) {
    mismatches.push({
      column: columns[0] ?? '',
      message: `no column of the header is a field of the schema; fieldsMatch partial needs at least one of ${names.join(', ')}`,
    });
  }
  if (mode === 'exact' && tabular && mismatches.length === 0) {
    const at = columns.findIndex((column, i) => names[i] !== column);
    if (at >= 0) {
      mismatches.push({
        column: columns[at]!,
        message: `column ${at + 1} is ${columns[at]}, but the schema's field ${at + 1} is ${names[at]}: with fieldsMatch exact (the default) the columns must be the fields in their order; set fieldsMatch to equal to match them by name`,
      });
    }
  }
  return mismatches;
}
