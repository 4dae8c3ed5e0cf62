// The types of a Table Schema and of its compiled fields, in a module of their own so that the descriptor
// (which compiles fields to check them) and the field codecs both depend on it and not on each other.

/** The field types of Frictionless Table Schema (v1, and `list` from v2). */
export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'yearmonth',
  'duration',
  'object',
  'array',
  'geopoint',
  'geojson',
  'list',
  'any',
] as const;

/** The item types a `list` field may have (Table Schema v2). */
export const LIST_ITEM_TYPES = ['string', 'integer', 'boolean', 'number', 'datetime', 'date', 'time'] as const;
export type ListItemType = (typeof LIST_ITEM_TYPES)[number];

/** A missing value as v1 writes it (a string) or as v2 may (`{value, label}`). */
export type MissingValue = string | { value: string; label?: string };

/** A category of a string or integer field: the value itself, or `{value, label}`. */
export type Category = string | number | { value: string | number; label?: string };

export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Constraint values are in the field's own representation (numbers, booleans) or strings castable by the
 * field's type and format ("the physical representation of constraint values MAY be ... strings").
 */
export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  minimum?: number | string;
  maximum?: number | string;
  exclusiveMinimum?: number | string;
  exclusiveMaximum?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: Array<string | number | boolean>;
  /** array and object fields: a JSON Schema each value must satisfy. */
  jsonSchema?: Record<string, unknown>;
}

/** One column of a table. `type` defaults to `any` (v2; v1 said `string`), `format` to `default`. */
export interface TableField {
  name: string;
  type?: FieldType;
  format?: string;
  title?: string;
  description?: string;
  constraints?: FieldConstraints;
  /** boolean only; default `true`, `True`, `TRUE`, `1`. */
  trueValues?: string[];
  /** boolean only; default `false`, `False`, `FALSE`, `0`. */
  falseValues?: string[];
  /** number only; default `.`. */
  decimalChar?: string;
  /** number and integer; none by default. */
  groupChar?: string;
  /** number and integer; `false` lets non-numeric characters lead and trail (`$12`, `95%`). Default `true`. */
  bareNumber?: boolean;
  /** This field's own missing values; replaces the schema's list for this field (v2). */
  missingValues?: MissingValue[];
  /** string and integer: the only values the field may hold (v2). */
  categories?: Category[];
  categoriesOrdered?: boolean;
  /** list only: the text between items; default `,`. */
  delimiter?: string;
  /** list only: the type of every item; default `string`. */
  itemType?: ListItemType;
}

/** How the table's columns map onto `fields` (v2); `exact` by default. */
export const FIELDS_MATCH = ['exact', 'equal', 'subset', 'superset', 'partial'] as const;
export type FieldsMatch = (typeof FIELDS_MATCH)[number];

/** A Frictionless Table Schema descriptor (v1, or v2, which keeps v1's forms). */
export interface TableSchema {
  $schema?: string;
  fields: TableField[];
  fieldsMatch?: FieldsMatch;
  /** Cell texts that mean "no value"; default `[""]`. */
  missingValues?: MissingValue[];
  /** A field name (v1) or a list of them. */
  primaryKey?: string | string[];
  /** Each a list of field names whose combination of logical values is unique (null parts excluded). */
  uniqueKeys?: string[][];
  foreignKeys?: unknown[];
}

/** The schema's `missingValues` when it sets none. */
export const DEFAULT_MISSING_VALUES: readonly string[] = [''];

/** The texts of a `missingValues` list, whichever form it is written in. */
export function missingValueTexts(values: readonly MissingValue[]): string[] {
  return values.map((v) => (typeof v === 'string' ? v : v.value));
}

/** The missing values that apply to `field`: its own list when it has one, else the schema's. */
export function fieldMissingValues(field: TableField, schemaMissingValues: readonly MissingValue[] = DEFAULT_MISSING_VALUES): string[] {
  return missingValueTexts(field.missingValues ?? schemaMissingValues);
}

/** A schema's primary key as a list of field names (v1 wrote a single name as a string). */
export function primaryKeyFields(schema: TableSchema): string[] {
  return schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
}

/** The rule a cell broke. */
export type ViolationRule =
  | 'type'
  | 'required'
  | 'minimum'
  | 'maximum'
  | 'exclusiveMinimum'
  | 'exclusiveMaximum'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'enum'
  | 'categories'
  | 'jsonSchema';

/** A broken rule and what the cell should have been (`an integer`, `>= 0`, `one of Adelie, Gentoo`). */
export interface CellViolation {
  readonly rule: ViolationRule;
  readonly expected: string;
}

/**
 * A cast cell: a number for integer, number, year, yearmonth, date, datetime and time (the last four as
 * epoch milliseconds UTC; a time as milliseconds since midnight), a boolean, the text itself for the other
 * types, or null for a missing value.
 */
export type CellValue = number | boolean | string | null;

/**
 * What `castAndCheck` returns: the value itself, or a violation. Violations are allocated once per codec
 * and rule, so a cell costs no allocation either way.
 */
export type CellResult = CellValue | CellViolation;

/** True when `result` is a violation rather than a value. */
export function isViolation(result: CellResult): result is CellViolation {
  return typeof result === 'object' && result !== null;
}

/** Casts and checks the cells of one column. */
export interface FieldCodec {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** The caller checks uniqueness, since that needs the whole column. */
  readonly unique: boolean;
  /** Whether an empty cell is a missing value (it is not when `missingValues` leaves `""` out). */
  readonly emptyIsMissing: boolean;
  /**
   * Set when a plain number read from bytes needs only these inclusive bounds checked (no other
   * constraint, `""` the only missing value): the reader may then skip `castAndCheck` for in-range values.
   */
  readonly fastBounds?: readonly [low: number, high: number];
  /** The cast value, or a violation (one object per rule, shared between calls). */
  castAndCheck(raw: string): CellResult;
}
