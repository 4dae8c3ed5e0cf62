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
  // Counted, not only present: a schema may repeat a name (v1 allowed it), and each repeat is a column of its own.
  const wanted = countNames(names);
  const given = countNames(columns);
  const mismatches: HeaderMismatch[] = [];
  const extraAllowed = mode === 'subset' || mode === 'partial';
  const missingAllowed = mode === 'superset' || mode === 'partial' || !tabular;
  const suffix = mode === 'exact' ? '' : ` (fieldsMatch: ${mode})`;
  if (!extraAllowed) {
    const seen = new Map<string, number>();
    for (const column of columns) {
      const k = (seen.get(column) ?? 0) + 1;
      seen.set(column, k);
      if (k <= (wanted.get(column) ?? 0)) continue;
      const message =
        k === 1
          ? `column ${column} is not in the schema${suffix}`
          : `column ${column} is repeated ${k} times but the schema has ${wanted.get(column)} field(s) of that name${suffix}`;
      mismatches.push({ column, message });
    }
  }
  if (!missingAllowed) {
    const seen = new Map<string, number>();
    for (const name of names) {
      const k = (seen.get(name) ?? 0) + 1;
      seen.set(name, k);
      if (k <= (given.get(name) ?? 0)) continue;
      mismatches.push({ column: name, message: `the schema's field ${name} is missing from the header${suffix}` });
    }
  }
  if (mode === 'partial' && !columns.some((c) => wanted.has(c))) {
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

function countNames(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
